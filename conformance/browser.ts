/**
 * The conformance suite for a browser page: {@linkcode runConformance} with
 * `inProcess: true` runs the built-in backends on the page's own thread, and
 * the report renders as in the terminal. The package's main entry point also
 * loads the command (`node:util`), which a browser bundle cannot; this one
 * does not. The book page's test bundles it to run the suite in Chromium,
 * where WebGPU is SwiftShader.
 *
 * @example
 * ```ts
 * import { renderMatrix, runConformance } from "@nonlin/conformance/browser";
 * import assert from "node:assert";
 *
 * const report = await runConformance({ backends: ["native"], ops: ["relu"], quick: true, inProcess: true });
 * assert.ok(report.summary.ok);
 * assert.match(renderMatrix(report), /relu/);
 * ```
 *
 * @module
 */

export {
  type BackendReport,
  type Report,
  runConformance,
  type RunOptions,
} from "./run.ts";
export { renderMatrix, reportToJson } from "./report.ts";
