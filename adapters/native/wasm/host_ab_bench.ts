/**
 * The host form (Float32Array in, `out` given) of two builds of the SIMD
 * kernels against each other in one process, on the same number of
 * threads: this tree's and another tree's (`--old`, the `adapters/native`
 * folder of an earlier commit unpacked with `git archive`), beside this
 * tree's resident call and a hot memory copy of the same bytes (the bench's
 * floor), all interleaved call by call so that a change of load hits every
 * column. Prints median / fastest ms per call and the new ÷ old ratio of
 * the medians; the outputs must be the same bits.
 *
 * ```sh
 * mkdir -p /tmp/old && git archive HEAD adapters/native | tar -x -C /tmp/old
 * deno run -A --config deno.json adapters/native/wasm/host_ab_bench.ts \
 *   --old /tmp/old/adapters/native --ops gelu,sigmoid --threads 2 --reps 41
 * ```
 *
 * Inputs: 10⁶ elements of x = 4·N(0, 1) and dy = N(0, 1) from a fixed seed.
 * Options: `--ops`, `--modes` (forward,vjp), `--reps` (41), `--size` (10⁶),
 * `--threads` (2).
 *
 * @module
 */

import { parseArgs } from "node:util";
import { getOp, normalSamples, type OpName } from "@nonlin/core";
import { prepare } from "../_engine.ts";
import type { KernelSet } from "../_kernels.ts";
import { loadSimdKernels } from "./_simd_kernels.ts";

type Loader = typeof loadSimdKernels;

function write(text: string): void {
  Deno.stdout.writeSync(new TextEncoder().encode(text + "\n"));
}

function stats(samples: number[]): { min: number; median: number } {
  const s = [...samples].sort((a, b) => a - b);
  return { min: s[0]!, median: s[s.length >> 1]! };
}

/** One call of `op` in `mode` on `set`, from x (and dy) into `out`. */
function caller(
  set: KernelSet,
  op: OpName,
  mode: string,
  x: Float32Array | (() => Float32Array),
  dy: Float32Array | (() => Float32Array),
  out: Float32Array | (() => Float32Array),
): () => void {
  const n = typeof x === "function" ? x().length : x.length;
  const { args } = prepare(
    op,
    getOp(op).example, // the catalog's: prelu α = 0.25, threshold's two
    [n],
    set,
  );
  const kernel = set.ops[op];
  const learned = Object.keys(getOp(op).params).filter((k) =>
    getOp(op).params[k]!.learned
  );
  const get = (a: Float32Array | (() => Float32Array)) =>
    typeof a === "function" ? a() : a;
  const sums: Record<string, Float64Array> = {};
  for (const k of learned) sums[k] = new Float64Array(1);
  if (mode === "forward") {
    return () => kernel.forward(get(x), get(out), args);
  }
  return () => {
    for (const k of learned) sums[k]![0] = 0;
    kernel.vjp(get(x), get(dy), get(out), sums, args);
  };
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      old: { type: "string" },
      ops: { type: "string", default: "gelu,sigmoid,relu" },
      modes: { type: "string", default: "forward,vjp" },
      reps: { type: "string", default: "41" },
      size: { type: "string", default: "1000000" },
      threads: { type: "string", default: "2" },
    },
  });
  if (values.old === undefined) {
    throw new TypeError("--old is required: an adapters/native folder");
  }
  const oldUrl = new URL(
    `file://${Deno.realPathSync(values.old)}/wasm/_simd_kernels.ts`,
  );
  const old = (await import(oldUrl.href)) as { loadSimdKernels: Loader };
  const threads = Number(values.threads);
  const n = Number(values.size);
  const x = normalSamples(n, 5, 4);
  const dy = normalSamples(n, 7, 1);
  const a = await old.loadSimdKernels({ fma: true, threads });
  const b = await loadSimdKernels({ fma: true, threads });
  if (threads > 1) {
    await (a as { ready?: () => Promise<boolean> }).ready?.();
    await b.ready();
  }
  const rx = b.kernels.allocate!(n);
  const rdy = b.kernels.allocate!(n);
  const rout = b.kernels.allocate!(n);
  rx.view().set(x);
  rdy.view().set(dy);
  const outA = new Float32Array(n);
  const outB = new Float32Array(n);
  const copyTo = new Float32Array(n);
  const reps = Number(values.reps);
  write(
    `| op | mode | resident | host into out, old | host into out, new | new ÷ old (median) | copy floor |`,
  );
  write("|---|---|---:|---:|---:|---:|---:|");
  for (const op of values.ops!.split(",") as OpName[]) {
    for (const mode of values.modes!.split(",")) {
      const runs = [
        caller(
          b.kernels,
          op,
          mode,
          () => rx.view(),
          () => rdy.view(),
          () => rout.view(),
        ),
        caller(a.kernels, op, mode, x, dy, outA),
        caller(b.kernels, op, mode, x, dy, outB),
        () => {
          // The bench's floor: 8 bytes per element (12 for a VJP).
          copyTo.set(x);
          if (mode === "vjp") copyTo.set(dy.subarray(0, n >> 1));
        },
      ];
      for (const run of runs) run();
      for (let i = 0; i < n; i++) {
        if (!Object.is(outA[i], outB[i])) {
          throw new Error(`${op} ${mode}: element ${i} differs`);
        }
      }
      const t: number[][] = runs.map(() => []);
      for (let r = 0; r < reps; r++) {
        for (let k = 0; k < runs.length; k++) {
          const j = (k + r) % runs.length;
          const t0 = performance.now();
          runs[j]!();
          t[j]!.push(performance.now() - t0);
        }
      }
      const s = t.map(stats);
      const cell = (v: { min: number; median: number }) =>
        `${v.median.toFixed(3)} / ${v.min.toFixed(3)}`;
      write(
        `| ${op} | ${mode} | ${cell(s[0]!)} | ${cell(s[1]!)} | ${
          cell(s[2]!)
        } | ${(s[2]!.median / s[1]!.median).toFixed(2)} | ${cell(s[3]!)} |`,
      );
    }
  }
  write(
    `\n${n} elements, ${threads} threads, ${reps} calls each, load average ${
      Deno.loadavg().map((l) => l.toFixed(2)).join(", ")
    } at the end`,
  );
  Deno.exit(0);
}
