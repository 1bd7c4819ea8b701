/**
 * `@nonlin/conformance`: the suite that proves every backend matches the
 * float64 reference, the pinned conventions and every other backend, on
 * values and gradients. Cases come from the op catalog; tolerances live in
 * one file per precision profile and waivers in another.
 *
 * ```ts
 * import { runConformance } from "@nonlin/conformance";
 * import assert from "node:assert";
 *
 * const report = await runConformance({ backends: ["./examples/reference_backend.ts"], ops: ["sigmoid"], quick: true });
 * assert.ok(report.summary.ok);
 * ```
 *
 * @module
 */

// Everything but the command is the browser-safe entry point's.
export * from "./browser.ts";
export { main, type Output } from "./main.ts";
