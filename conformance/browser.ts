/**
 * The conformance suite for a browser page: {@linkcode runConformance} with
 * `inProcess: true` runs the built-in backends on the page's own thread, and
 * the report renders as in the terminal. Everything the package's main entry point exports but
 * the command (`main`, which loads `node:util`, as a browser bundle cannot). The book page's test bundles it to run the suite in Chromium,
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

export * from "./cases.ts";
export * from "./checks.ts";
export * from "./compare.ts";
export * from "./inputs.ts";
export * from "./report.ts";
export * from "./run.ts";
export * from "./tolerances.ts";
export * from "./devices.ts";
export * from "./ledger.ts";
