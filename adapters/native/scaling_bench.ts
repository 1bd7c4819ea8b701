/**
 * Thread scaling of the native engine's SIMD kernels, resident tensors:
 * median ms per call of each op's forward and VJP with 1, 2, 4, … threads,
 * and the speed-up over one thread. A second mode measures where splitting
 * a call starts to pay (the engine's split threshold).
 *
 * ```sh
 * # here
 * deno run -A adapters/native/scaling_bench.ts --threads 1,2 --size 2^20
 * # as one file for a machine without this repository:
 * deno bundle --platform deno -o .devbin/scaling.js adapters/native/scaling_bench.ts
 * deno run --no-config -A scaling.js --threads 1,2,4,8,16 --size 2^24
 * # the split threshold: 1 vs 2 threads from 2^13 to 2^21 elements
 * deno run -A adapters/native/scaling_bench.ts --split
 * ```
 *
 * Options: `--threads` (list), `--size` (2^k or a number), `--ops`
 * (default gelu,sigmoid,tanh), `--modes` (forward,vjp), `--reps` (odd;
 * default 11), `--json FILE` (the numbers as JSON too).
 *
 * @module
 */

import { parseArgs } from "node:util";
import { getOp, type OpName } from "@nonlin/core";
import { prepare } from "./_engine.ts";
import type { KernelSet } from "./_kernels.ts";
import {
  loadSimdKernels,
  type SimdKernels,
  simdSupport,
} from "./wasm/_simd_kernels.ts";

/** One measured cell. */
export interface ScalingCell {
  readonly op: string;
  readonly mode: "forward" | "vjp";
  readonly size: number;
  readonly threads: number;
  readonly medianMs: number;
  readonly minMs: number;
}

function parseSize(s: string): number {
  const m = /^2\^(\d+)$/.exec(s.trim());
  const n = m ? 2 ** Number(m[1]) : Number(s);
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new RangeError(`Not a size: ${s}`);
  }
  return n;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

/** A call on resident data: forward (x → y) or VJP (x, dy → dx, sums). */
function callOf(
  set: KernelSet,
  op: OpName,
  mode: "forward" | "vjp",
  n: number,
): { run: () => void; free: () => void } {
  const x = set.allocate!(n);
  const dy = set.allocate!(n);
  const out = set.allocate!(n);
  const xv = x.view();
  for (let i = 0; i < n; i++) xv[i] = ((i * 7919) % 20011) / 1000 - 10;
  dy.view().fill(0.75);
  const spec = getOp(op);
  const params = getOp(op).example;
  const { args } = prepare(op, params, [n], set);
  const learned = Object.keys(spec.params).filter((k) =>
    spec.params[k]!.learned
  );
  const kernel = set.ops[op];
  const run = mode === "forward"
    ? () => kernel.forward(x.view(), out.view(), args)
    : () => {
      const sums: Record<string, Float64Array> = {};
      for (const k of learned) sums[k] = new Float64Array(1);
      kernel.vjp(x.view(), dy.view(), out.view(), sums, args);
    };
  return { run, free: () => [x, dy, out].forEach((b) => b.free()) };
}

/** Median and min ms per call over `reps` samples of `batch` calls. */
function time(run: () => void, reps: number): { median: number; min: number } {
  run();
  let batch = 1;
  for (;;) {
    const t0 = performance.now();
    for (let i = 0; i < batch; i++) run();
    if (performance.now() - t0 > 5 || batch >= 1 << 16) break;
    batch *= 2;
  }
  const samples: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    for (let i = 0; i < batch; i++) run();
    samples.push((performance.now() - t0) / batch);
  }
  return { median: median(samples), min: Math.min(...samples) };
}

async function loaded(
  threads: number,
  split?: { f64: number; f32: number },
): Promise<SimdKernels> {
  const s = await loadSimdKernels({
    fma: simdSupport().relaxed,
    threads,
    ...(split === undefined ? {} : { split }),
  });
  if (threads > 1 && !(await s.ready())) {
    throw new Error(
      `${threads} threads: the helpers did not start: ${s.threadsReason}`,
    );
  }
  return s;
}

function write(text: string): void {
  Deno.stdout.writeSync(new TextEncoder().encode(text + "\n"));
}

/** The scaling table: one row per op and mode, one column per thread count. */
export async function scaling(
  threadCounts: readonly number[],
  size: number,
  opNames: readonly OpName[],
  modes: readonly ("forward" | "vjp")[],
  reps: number,
): Promise<ScalingCell[]> {
  const cells: ScalingCell[] = [];
  for (const threads of threadCounts) {
    const s = await loaded(threads);
    for (const op of opNames) {
      for (const mode of modes) {
        const call = callOf(s.kernels, op, mode, size);
        const t = time(call.run, reps);
        call.free();
        cells.push({
          op,
          mode,
          size,
          threads,
          medianMs: t.median,
          minMs: t.min,
        });
      }
    }
  }
  return cells;
}

/**
 * 1 against 2 threads at each size, splitting whenever a call has two sum
 * blocks: where the second thread starts to pay, per op and mode.
 */
export async function splitPoint(
  sizes: readonly number[],
  opNames: readonly OpName[],
  reps: number,
  modes: readonly ("forward" | "vjp")[] = ["forward"],
): Promise<ScalingCell[]> {
  const always = { f64: 1, f32: 1 };
  const one = await loaded(1, always);
  const two = await loaded(2, always);
  const cells: ScalingCell[] = [];
  for (const op of opNames) {
    for (const mode of modes) {
      for (const size of sizes) {
        cells.push(...splitCells(one, two, op, mode, size, reps));
      }
    }
  }
  return cells;
}

/** One size of {@linkcode splitPoint}: 1 and 2 threads, interleaved. */
function splitCells(
  one: SimdKernels,
  two: SimdKernels,
  op: OpName,
  mode: "forward" | "vjp",
  size: number,
  reps: number,
): ScalingCell[] {
  // Interleaved, so that a change of load hits both.
  const a = callOf(one.kernels, op, mode, size);
  const b = callOf(two.kernels, op, mode, size);
  const ta: number[] = [], tb: number[] = [];
  for (let r = 0; r < 5; r++) {
    ta.push(time(a.run, reps).median);
    tb.push(time(b.run, reps).median);
  }
  a.free();
  b.free();
  return ([[1, ta], [2, tb]] as const).map(([threads, t]) => ({
    op,
    mode,
    size,
    threads,
    medianMs: median(t),
    minMs: Math.min(...t),
  }));
}

function fmt(ms: number): string {
  return ms >= 10 ? ms.toFixed(1) : ms >= 1 ? ms.toFixed(2) : ms.toFixed(3);
}

/**
 * The split mode's table (median and fastest of the interleaved rounds, 1
 * and 2 threads) and, per op, the smallest size from which two threads are
 * at least 10% faster at that size and every larger one, by the fastest
 * round (on a shared machine the fastest round is the one that had the
 * cores; the median says how often that was).
 */
export function splitTable(cells: readonly ScalingCell[]): string {
  const lines = [
    "| op | mode | size | 1 thread median | 2 threads median | 2 vs 1 median | 1 thread fastest | 2 threads fastest | 2 vs 1 fastest |",
    "|---|---|---:|---:|---:|---:|---:|---:|---:|",
  ];
  const verdicts: string[] = [];
  const rows = [...new Set(cells.map((c) => `${c.op} ${c.mode}`))];
  for (const row of rows) {
    const of = cells.filter((c) => `${c.op} ${c.mode}` === row);
    const sizes = [...new Set(of.map((c) => c.size))].sort((a, b) => a - b);
    let from: number | undefined;
    for (const size of sizes) {
      const at = (threads: number) =>
        of.find((c) => c.size === size && c.threads === threads)!;
      const a = at(1);
      const b = at(2);
      const fast = a.minMs / b.minMs;
      if (fast >= 1.1) from ??= size;
      else from = undefined;
      lines.push(
        `| ${a.op} | ${a.mode} | ${sizeText(size)} | ${fmt(a.medianMs)} | ${
          fmt(b.medianMs)
        } | ${(a.medianMs / b.medianMs).toFixed(2)}× | ${fmt(a.minMs)} | ${
          fmt(b.minMs)
        } | ${fast.toFixed(2)}× |`,
      );
    }
    verdicts.push(
      `${row}: two threads pay from ${
        from === undefined ? "no size measured" : `${sizeText(from)} elements`
      }${from === undefined ? "" : ` (${sizeText(from / 2)} per thread)`}`,
    );
  }
  return [...lines, "", ...verdicts].join("\n");
}

function sizeText(n: number): string {
  const k = Math.log2(n);
  return Number.isInteger(k) ? `2^${k}` : String(n);
}

/** The markdown table of a scaling run. */
export function scalingTable(cells: readonly ScalingCell[]): string {
  const threads = [...new Set(cells.map((c) => c.threads))];
  const rows = [...new Set(cells.map((c) => `${c.op} ${c.mode}`))];
  const lines = [
    `| op | size | ${threads.map((t) => `${t} thr`).join(" | ")} |`,
    `|---|---:|${threads.map(() => "---:").join("|")}|`,
  ];
  for (const row of rows) {
    const of = cells.filter((c) => `${c.op} ${c.mode}` === row);
    const base = of.find((c) => c.threads === threads[0])!;
    lines.push(
      `| ${row} | ${sizeText(base.size)} | ${
        threads.map((t) => {
          const c = of.find((c) => c.threads === t)!;
          return `${fmt(c.medianMs)} ms (${
            (base.medianMs / c.medianMs).toFixed(2)
          }×)`;
        }).join(" | ")
      } |`,
    );
  }
  return lines.join("\n");
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      threads: { type: "string", default: "1,2,4,8,16" },
      size: { type: "string", default: "2^24" },
      ops: { type: "string", default: "gelu,sigmoid,tanh" },
      modes: { type: "string", default: "forward,vjp" },
      reps: { type: "string", default: "11" },
      split: { type: "boolean", default: false },
      json: { type: "string" },
    },
  });
  const opNames = values.ops.split(",").map((o) => getOp(o).name as OpName);
  const reps = Number(values.reps);
  write(
    `Deno ${Deno.version.deno}, ${navigator.hardwareConcurrency} logical cores`,
  );
  let cells: ScalingCell[];
  if (values.split) {
    const sizes = [13, 14, 15, 16, 17, 18, 19, 20, 21].map((k) => 2 ** k);
    const ops = opNames.includes("relu") ? opNames : [...opNames, "relu"];
    const modes = values.modes.split(",") as ("forward" | "vjp")[];
    cells = await splitPoint(sizes, ops as OpName[], reps, modes);
    write(splitTable(cells));
  } else {
    const threadCounts = values.threads.split(",").map(Number);
    const modes = values.modes.split(",") as ("forward" | "vjp")[];
    cells = await scaling(
      threadCounts,
      parseSize(values.size),
      opNames,
      modes,
      reps,
    );
    write(scalingTable(cells));
  }
  if (values.json !== undefined) {
    Deno.writeTextFileSync(values.json, JSON.stringify(cells, null, 2));
  }
}
