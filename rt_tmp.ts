import * as jx from "@nonlin/jax-js";
const x = new Float32Array(4096).map((_, i) => i / 400 - 5);
const ops = ["gelu", "sigmoid", "elu", "tanh", "softplus", "mish"] as const;
for (let i = 0; i < 6; i++) {
  const op = ops[i];
  const t = performance.now();
  await (jx as any)[op](x);
  const t1 = performance.now();
  await jx.vjp(op, x, { dy: x });
  const t2 = performance.now();
  await jx.derivative(op, x);
  const t3 = performance.now();
  await jx.secondDerivative(op, x).catch((e: Error) => e.name);
  console.log(op, (t1 - t).toFixed(1), (t2 - t1).toFixed(1), (t3 - t2).toFixed(1), (performance.now() - t3).toFixed(1));
  await new Promise((r) => setTimeout(r, 700));
}
jx.backend.release?.();
