// CPU time per call of native-webgpu's resident kernels on a software
// adapter (Mesa's llvmpipe runs the shaders on this process's threads, so
// the process's user + system time is the kernels' instruction count, and it
// hardly moves with other processes' load, where wall time does).
//
//   deno run -A docs/gpu/llvmpipe_cpu_time.ts [ops] [log2 size] [modes]
//
// Prints the median of 5 batches of 4 calls per op and mode (default
// forward,vjp; also derivative, secondDerivative), 2²⁰ elements by default.
// An op may name its options as JSON after a colon, `gelu:{"approximate":"tanh"}`.
// Not a substitute for `deno task bench` on a GPU.

import process from "node:process";
import type { Tensor } from "@nonlin/core";
import * as gpu from "@nonlin/native/webgpu";

const ops = (Deno.args[0] ?? "relu,sigmoid,tanh,gelu,mish,swish,softplus,elu")
  .split(/,(?![^{]*})/);
const n = 2 ** Number(Deno.args[1] ?? 20);
const modes = (Deno.args[2] ?? "forward,vjp").split(",");
const xs = new Float32Array(n).map((_, i) => Math.sin(i * 1.7) * 12);
const x = gpu.tensor(xs);
const dy = gpu.tensor(xs.map((v) => Math.cos(v)));

function call(spec: string, mode: string): Tensor {
  const colon = spec.indexOf(":");
  const op = colon < 0 ? spec : spec.slice(0, colon);
  const params = colon < 0 ? {} : JSON.parse(spec.slice(colon + 1));
  if (mode === "forward") {
    return (gpu as unknown as Record<string, (t: unknown, o: unknown) => Tensor>)
      [op]!(x, params);
  }
  if (mode === "derivative" || mode === "secondDerivative") {
    return (gpu[mode] as (o: string, t: Tensor, p: unknown) => Tensor)(
      op,
      x,
      params,
    );
  }
  const g = gpu.vjp(op as "relu", x, { dy, params } as never);
  for (const v of Object.values(g.dparams)) (v as Tensor).dispose();
  return g.dx;
}

const encoder = new TextEncoder();
function print(line: string): void {
  Deno.stdout.writeSync(encoder.encode(line + "\n"));
}

const adapter = gpu.backend.capabilities.properties as Record<string, unknown>;
print(`${adapter.description ?? adapter.architecture}, ${n} elements`);
for (const op of ops) {
  for (const mode of modes) {
    await call(op, mode).read();
    const per: number[] = [];
    for (let b = 0; b < 5; b++) {
      const c0 = process.cpuUsage();
      const ys = [0, 1, 2, 3].map(() => call(op, mode));
      await ys[3]!.read();
      for (const y of ys) y.dispose();
      const c = process.cpuUsage(c0);
      per.push((c.user + c.system) / 1000 / 4);
    }
    per.sort((a, b) => a - b);
    print(
      `${op.padEnd(10)} ${mode.padEnd(16)} ${per[2]!.toFixed(1)} ms cpu/call`,
    );
  }
}
