// Uses jax-js through the adapter, then ends: the process must exit by
// itself although jax-js's worker pool was used.
import * as jax from "@nonlin/jax-js";

const x = new Float32Array(1 << 18).map((_, i) => i / 1000 - 100);
const y = await jax.gelu(x);
const g = await jax.vjp("swish", x, { dy: x, params: { beta: 2 } });
// deno-lint-ignore no-console -- the parent test reads this line
console.log(JSON.stringify({
  workers: jax.backend.capabilities.properties.workers,
  n: y.length + g.dx.length,
}));
