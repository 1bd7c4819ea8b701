/**
 * `@nonlin/conformance/policy`: what the suite holds a backend to — the
 * cases and their parameters, the comparison of a result with the
 * reference, the tolerances per backend and op, the device profiles and the
 * ledger of known deviations —
 * without the suite's runner, which needs Deno (workers, the file system).
 * The book page imports this entry point into its browser bundle, so that it
 * marks a point exactly where `deno task conformance` would.
 *
 * ```ts
 * import { toleranceOf } from "@nonlin/conformance/policy";
 * import assert from "node:assert";
 *
 * assert.strictEqual(toleranceOf("float32", "gelu", "values").ulp, 4);
 * ```
 *
 * @module
 */

export * from "./cases.ts";
export * from "./compare.ts";
export * from "./tolerances.ts";
export * from "./devices.ts";
export * from "./ledger.ts";
