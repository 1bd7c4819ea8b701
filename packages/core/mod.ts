/**
 * `@nonlin/core`: the op catalog with its float64 reference, the backend
 * contract every adapter implements, and the validation they share.
 *
 * ```ts
 * import { ops, opNames } from "@nonlin/core";
 * import assert from "node:assert";
 *
 * assert.ok(opNames.includes("gelu"));
 * assert.strictEqual(ops.relu.dfdx(0, {}), 0); // left-hand derivative at the kink
 * assert.strictEqual(ops.sigmoid.dfdx(0, {}), 0.25);
 * ```
 *
 * @module
 */

export * from "./adapter.ts";
export * from "./catalog.ts";
export * from "./check.ts";
export * from "./contract.ts";
export * from "./data.ts";
export * from "./erf.ts";
export * from "./errors.ts";
export * from "./float32.ts";
export * from "./grid.ts";
export * from "./out.ts";
export * from "./param_sets.ts";
export * from "./params.ts";
export * from "./random.ts";
export * from "./resolve.ts";
export * from "./ulp.ts";
