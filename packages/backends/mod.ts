/**
 * `@nonlin/backends`: the one list of the backends that ship with nonlin, and
 * loading a backend late — by name for those, by module path or URL for any
 * other module that implements the contract of `@nonlin/core`. It sits above
 * the adapters (it imports each one on demand), so `@nonlin/core` and every
 * adapter stay free of it; the CLI, the conformance suite, the benchmark, the
 * figures and the book page read the list from here.
 *
 * ```ts
 * import { backendNames, loadBackend } from "@nonlin/backends";
 * import assert from "node:assert";
 *
 * assert.ok(backendNames.includes("tfjs-cpu"));
 * const native = await loadBackend("native");
 * assert.deepStrictEqual(await native.relu([-1, 2]), new Float32Array([0, 2]));
 * ```
 *
 * @module
 */

export * from "./builtins.ts";
export * from "./load.ts";
