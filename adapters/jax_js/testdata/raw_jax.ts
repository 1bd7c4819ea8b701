// A deliberately broken fixture: jax-js used directly, its worker pool never
// terminated, so the process does not exit by itself.
import * as jax from "@jax-js/jax";

await jax.init("wasm");
jax.defaultDevice("wasm");
const x = jax.numpy.array(new Float32Array(1 << 16).fill(1));
const y = await jax.jit((a: jax.Array) => jax.nn.relu(a))(x).data();
// deno-lint-ignore no-console -- the parent test reads this line
console.log(JSON.stringify({ n: y.length }));
