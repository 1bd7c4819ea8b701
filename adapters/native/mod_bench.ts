// Timing of the native engine on 10⁶ float32 elements (resident tensors, so
// only the kernel and the output allocation are timed).
// deno bench adapters/native/mod_bench.ts

import { type OpName, opNames, ops } from "@nonlin/core";
import * as native from "./mod.ts";

const N = 1_000_000;
const data = Float32Array.from({ length: N }, (_, i) => 8 * Math.sin(i));
const x = native.tensor(data);
const dyData = Float32Array.from({ length: N }, (_, i) => Math.cos(i));
const dy = native.tensor(dyData);
// The catalog's example values for parameters without a default.
const params = (name: OpName) => ops[name].example;

for (const name of opNames) {
  const op = native[name] as (x: native.Tensor, o?: unknown) => native.Tensor;
  Deno.bench(`${name} forward, 1e6`, { group: "forward" }, () => {
    op(x, params(name)).dispose();
  });
  Deno.bench(`${name} vjp, 1e6`, { group: "vjp" }, () => {
    native.vjp(name as "relu", x, { dy, params: params(name) as never }).dx
      .dispose();
  });
}

const channels = native.tensor(
  Float32Array.from({ length: 64 }, (_, i) => i / 64),
);
const xc = native.tensor(data, [N / 64, 64]);
const dyc = native.tensor(dyData, [N / 64, 64]);
Deno.bench("prelu per-channel vjp, 1e6", () => {
  native.vjp("prelu", xc, { dy: dyc, params: { alpha: channels } }).dx
    .dispose();
});
Deno.bench("relu host form (copy in, copy out), 1e6", async () => {
  await native.relu(data);
});
