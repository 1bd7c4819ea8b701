// A deliberately broken fixture: a web Worker that is never terminated keeps
// the process alive.
const worker = new Worker(
  "data:application/javascript,self.onmessage = () => {};",
  { type: "module" },
);
worker.postMessage("hello");
console.log(JSON.stringify({ started: true }));
