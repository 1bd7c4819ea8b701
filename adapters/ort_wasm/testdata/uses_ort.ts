// Uses both ort-wasm instances, resident and host form, then ends: the
// process must exit by itself. Prints the global Worker's name.
import * as one from "@nonlin/ort-wasm";
import * as mt from "@nonlin/ort-wasm/mt";

const x = one.tensor([-1, 0.5]);
const y = one.sigmoid(x);
await y.read();
x.dispose();
y.dispose();
await mt.gelu([1, 2, 3]);
// deno-lint-ignore no-console -- the parent test reads this line
console.log(JSON.stringify({ worker: globalThis.Worker.name }));
