// A small real report for the tests of what renders one (chart_test.ts,
// markdown_test.ts): the reference backend and the wrong one, both modes,
// two sizes, timed briefly.

import { runBench } from "../bench.ts";
import type { BenchReport } from "../types.ts";

/** The README's reference backend, as a module path. */
export const fixture: string =
  new URL("./reference_backend.ts", import.meta.url).href;
/** A backend whose results are wrong on purpose. */
export const wrong: string =
  new URL("./wrong_backend.ts", import.meta.url).href;

/** A report of the reference and the wrong backend on `ops`. */
export function smallReport(ops: readonly string[]): Promise<BenchReport> {
  return runBench({
    backends: [fixture, wrong],
    ops,
    modes: ["forward", "vjp"],
    sizes: [100, 1000],
    targetMs: 2,
    minReps: 3,
    minSampleMs: 0.2,
    gpuFacts: false,
  });
}
