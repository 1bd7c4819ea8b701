/**
 * `@nonlin/bench`: the cross-backend benchmark. Every backend × op × mode ×
 * size is checked against the float64 reference, then timed resident (until
 * the work is complete) and round trip (Float32Array in and out), beside a
 * memory copy of the same bytes measured in the same run.
 *
 * ```ts
 * import { runBench } from "@nonlin/bench";
 * import assert from "node:assert";
 *
 * const report = await runBench({
 *   backends: ["native"], ops: ["sigmoid"], modes: ["forward", "vjp"], sizes: [1000],
 *   targetMs: 5, minReps: 3, gpuFacts: false,
 * });
 * assert.ok(report.results.every((r) => r.status === "ok"));
 * assert.ok(report.floors.some((f) => f.device === "cpu" && f.status === "ok"));
 * ```
 *
 * @module
 */

export * from "./bench.ts";
export * from "./chart.ts";
export * from "./machine.ts";
export * from "./markdown.ts";
export * from "./types.ts";
export {
  type CommandOutput,
  main,
  parseSize,
  quickOptions,
  README_END,
  README_START,
  usage,
} from "./main.ts";
