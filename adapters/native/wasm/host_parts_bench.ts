/**
 * Where a host-form call's time goes, on one thread: the resident call, then
 * the pieces of the host path (`Runner.stream`) timed apart — the tiles of x
 * copied into the kernels' memory, copied out, the loop run on a tile that
 * stays in the cache, the three together — and the host call itself, all
 * interleaved so that a change of load hits every column. Median / fastest
 * ms per call.
 *
 * ```sh
 * deno run -A --config deno.json adapters/native/wasm/host_parts_bench.ts --ops relu,sigmoid,gelu --reps 61
 * ```
 *
 * Options: `--ops` (relu,sigmoid), `--reps` (61), `--size` (10⁶).
 *
 * @module
 */

import { parseArgs } from "node:util";
import { getOp, type OpName } from "@nonlin/core";
import { prepare } from "../_engine.ts";
import { loadSimdKernels, SUM_BLOCK } from "./_simd_kernels.ts";

const { values } = parseArgs({
  options: {
    ops: { type: "string", default: "relu,sigmoid" },
    reps: { type: "string", default: "61" },
    size: { type: "string", default: "1000000" },
  },
});
const n = Number(values.size);
const reps = Number(values.reps);
// The forward tile of `Runner.stream` (TILE in _simd_kernels.ts).
const tile = 4 * SUM_BLOCK;
const simd = await loadSimdKernels({ fma: true, threads: 1 });
const set = simd.kernels;
const x = Float32Array.from({ length: n }, (_, i) => 4 * Math.sin(i * 0.37));
const out = new Float32Array(n);
const bx = set.allocate!(n);
bx.view().set(x);
const by = set.allocate!(n);
const t = set.allocate!(tile);

const stat = (v: number[]) => {
  const s = v.slice().sort((a, b) => a - b);
  return `${s[s.length >> 1]!.toFixed(3)} / ${s[0]!.toFixed(3)}`;
};
const time = (f: () => void) => {
  const t0 = performance.now();
  f();
  return performance.now() - t0;
};

const lines = [
  "| op | resident | tiles copied in | tiles copied out | the loop on a cached tile | all three | the host call |",
  "|---|---:|---:|---:|---:|---:|---:|",
];
for (const op of values.ops!.split(",") as OpName[]) {
  const { args } = prepare(
    op,
    getOp(op).example, // the catalog's: prelu α = 0.25, threshold's two
    [n],
    set,
  );
  const kernel = set.ops[op];
  const r: number[][] = [[], [], [], [], [], []];
  for (let i = 0; i < reps; i++) {
    const tv = t.view();
    r[0]!.push(time(() => kernel.forward(bx.view(), by.view(), args)));
    r[1]!.push(time(() => {
      for (let s = 0; s < n; s += tile) {
        tv.set(x.subarray(s, Math.min(n, s + tile)));
      }
    }));
    r[2]!.push(time(() => {
      for (let s = 0; s < n; s += tile) {
        out.set(tv.subarray(0, Math.min(tile, n - s)), s);
      }
    }));
    r[3]!.push(time(() => {
      for (let s = 0; s < n; s += tile) kernel.forward(tv, tv, args);
    }));
    r[4]!.push(time(() => {
      for (let s = 0; s < n; s += tile) {
        const len = Math.min(tile, n - s);
        tv.set(x.subarray(s, s + len));
        kernel.forward(tv.subarray(0, len), tv.subarray(0, len), args);
        out.set(tv.subarray(0, len), s);
      }
    }));
    r[5]!.push(time(() => kernel.forward(x, out, args)));
  }
  lines.push(`| ${op} | ${r.map(stat).join(" | ")} |`);
}
// deno-lint-ignore no-console
console.log(
  `${lines.join("\n")}\n\nn = ${n}, ${reps} reps, load average ${
    Deno.loadavg().map((l) => l.toFixed(1)).join(", ")
  }`,
);
