// A deliberately broken fixture: a web Worker that is never terminated keeps
// the process alive.
const worker = new Worker(
  "data:application/javascript,self.onmessage = () => {};",
  { type: "module" },
);
worker.postMessage("hello");
// deno-lint-ignore no-console -- the parent test reads this line
console.log(JSON.stringify({ started: true }));
