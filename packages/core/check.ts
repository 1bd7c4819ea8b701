/**
 * Checking at run time that a module implements the backend contract: what
 * `@nonlin/backends` does to every module it loads, by name or by path.
 *
 * @module
 */

import type { BackendModule } from "./contract.ts";
import { opNames } from "./catalog.ts";

/**
 * Checks at run time that a module exports everything the contract requires.
 *
 * @param module The imported module namespace.
 * @param what How to name it in the error.
 * @returns The module, typed.
 * @throws {TypeError} Naming every missing export.
 *
 * @example
 * ```ts
 * import { checkBackendModule } from "@nonlin/core";
 * import assert from "node:assert";
 *
 * assert.throws(() => checkBackendModule({}, "empty"), TypeError);
 * ```
 */
export function checkBackendModule(
  module: unknown,
  what: string,
): BackendModule {
  const m = module as Record<string, unknown>;
  const functions = [
    "tensor",
    "vjp",
    "derivative",
    "secondDerivative",
    ...opNames,
  ];
  const missing = functions.filter((name) => typeof m?.[name] !== "function");
  // Optional, but a function when present: the suite calls it.
  if (m?.release !== undefined && typeof m.release !== "function") {
    missing.push("release (not a function)");
  }
  const backend = m?.backend as Record<string, unknown> | undefined;
  if (
    typeof backend !== "object" || backend === null ||
    typeof backend.name !== "string" || typeof backend.available !== "boolean"
  ) {
    missing.unshift("backend");
  }
  if (missing.length > 0) {
    throw new TypeError(
      `Module ${what} does not implement the nonlin backend contract: missing ${
        missing.join(", ")
      }`,
    );
  }
  return module as BackendModule;
}
