/**
 * Two builds of the SIMD kernels against each other, in one process: this
 * tree's and another tree's (`--old`, the `adapters/native` folder of an
 * earlier commit unpacked with `git archive`), resident data, calls
 * interleaved so that a change of load hits both, on one thread (or
 * `--threads`: each build with helpers of its own). Prints the fastest
 * and the median ms per call of each and how many outputs differ in bits.
 *
 * ```sh
 * mkdir -p /tmp/old && git archive 1e96e3b adapters/native | tar -x -C /tmp/old
 * deno run -A --config deno.json adapters/native/wasm/ab_bench.ts \
 *   --old /tmp/old/adapters/native --ops gelu,sigmoid,tanh --reps 15
 * ```
 *
 * Inputs: 2²⁰ elements of x = 4·N(0, 1) and dy = N(0, 1) from a fixed seed.
 * Options: `--ops`, `--modes` (forward,vjp; also derivative), `--reps` (15), `--size` (2²⁰), `--threads` (1).
 *
 * @module
 */

import { parseArgs } from "node:util";
import { getOp, normalSamples, type OpName } from "@nonlin/core";
import { prepare } from "../_engine.ts";
import type { KernelSet, Storage } from "../_kernels.ts";
import { loadSimdKernels } from "./_simd_kernels.ts";

type Loader = typeof loadSimdKernels;

interface Side {
  readonly set: KernelSet;
  readonly x: Storage;
  readonly dy: Storage;
  readonly out: Storage;
}

async function side(
  load: Loader,
  x: Float32Array,
  dy: Float32Array,
  threads: number,
) {
  const loaded = await load({ fma: true, threads });
  if (threads > 1 && !(await loaded.ready())) {
    throw new Error(`the helpers did not start: ${loaded.threadsReason}`);
  }
  const set = loaded.kernels;
  const s: Side = {
    set,
    x: set.allocate!(x.length),
    dy: set.allocate!(x.length),
    out: set.allocate!(x.length),
  };
  s.x.view().set(x);
  s.dy.view().set(dy);
  return s;
}

function call(s: Side, op: OpName, mode: string, n: number): () => void {
  const spec = getOp(op);
  const { args } = prepare(
    op,
    getOp(op).example, // the catalog's: prelu α = 0.25, threshold's two
    [n],
    s.set,
  );
  const kernel = s.set.ops[op];
  const learned = Object.keys(spec.params).filter((k) =>
    spec.params[k]!.learned
  );
  if (mode === "forward") {
    return () => kernel.forward(s.x.view(), s.out.view(), args);
  }
  if (mode === "derivative") {
    return () => kernel.derivative(s.x.view(), s.out.view(), args);
  }
  if (mode !== "vjp") throw new Error(`unknown mode ${mode}`);
  return () => {
    const sums: Record<string, Float64Array> = {};
    for (const k of learned) sums[k] = new Float64Array(1);
    kernel.vjp(s.x.view(), s.dy.view(), s.out.view(), sums, args);
  };
}

function write(text: string): void {
  Deno.stdout.writeSync(new TextEncoder().encode(text + "\n"));
}

function stats(samples: number[]): { min: number; median: number } {
  const s = [...samples].sort((a, b) => a - b);
  return { min: s[0]!, median: s[s.length >> 1]! };
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      old: { type: "string" },
      ops: { type: "string", default: "gelu,sigmoid,tanh" },
      modes: { type: "string", default: "forward,vjp" },
      reps: { type: "string", default: "15" },
      size: { type: "string", default: String(2 ** 20) },
      threads: { type: "string", default: "1" },
    },
  });
  if (values.old === undefined) {
    throw new TypeError("--old is required: an adapters/native folder");
  }
  const oldUrl = new URL(
    `file://${Deno.realPathSync(values.old)}/wasm/_simd_kernels.ts`,
  );
  const old = (await import(oldUrl.href)) as { loadSimdKernels: Loader };
  const n = Number(values.size);
  const x = normalSamples(n, 5, 4);
  const dy = normalSamples(n, 7, 1);
  const threads = Number(values.threads);
  const a = await side(old.loadSimdKernels, x, dy, threads);
  const b = await side(loadSimdKernels, x, dy, threads);
  const reps = Number(values.reps);
  write(
    "| op | mode | old fastest | new fastest | new ÷ old | old median | new median | outputs differing |",
  );
  write("|---|---|---:|---:|---:|---:|---:|---:|");
  for (const op of values.ops.split(",") as OpName[]) {
    for (const mode of values.modes.split(",")) {
      const runA = call(a, op, mode, n);
      const runB = call(b, op, mode, n);
      // Warm: the engine tiers the loops up (and measures their cost).
      for (let i = 0; i < 5; i++) {
        runA();
        runB();
      }
      const outA = a.out.view();
      const outB = b.out.view();
      let differ = 0;
      for (let i = 0; i < n; i++) if (!Object.is(outA[i], outB[i])) differ++;
      const ta: number[] = [];
      const tb: number[] = [];
      for (let r = 0; r < reps; r++) {
        for (
          const [run, t] of r % 2
            ? [[runB, tb], [runA, ta]] as const
            : [[runA, ta], [runB, tb]] as const
        ) {
          // With helpers, the other build's helper spins ~23 µs after its
          // call before it sleeps: wait that out, or it takes a core.
          if (threads > 1) {
            for (const end = performance.now() + 0.1; performance.now() < end;);
          }
          const t0 = performance.now();
          run();
          t.push(performance.now() - t0);
        }
      }
      const sa = stats(ta);
      const sb = stats(tb);
      const ms = (v: number) => v.toPrecision(3);
      write(
        `| ${op} | ${mode} | ${ms(sa.min)} | ${ms(sb.min)} | ${
          (sb.min / sa.min).toFixed(2)
        } | ${ms(sa.median)} | ${ms(sb.median)} | ${differ} |`,
      );
    }
  }
}
