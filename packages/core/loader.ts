/**
 * Loading a backend late: by name for the built-in ones, by module path or
 * URL for any other module that implements the contract.
 *
 * @module
 */

import type { BackendModule } from "./contract.ts";
import { opNames } from "./catalog.ts";
import { describe } from "./data.ts";

/** The names of the backends that ship with nonlin. */
export const backendNames: readonly string[] = Object.freeze([
  "native",
  "tfjs-cpu",
  "tfjs-wasm",
  "tfjs-webgpu",
]);

/**
 * Built-in backends that are variants of one in {@linkcode backendNames},
 * loadable by name like them: `"native-js"` is the native engine held to its
 * pure TypeScript kernels (the path for runtimes without WebAssembly SIMD).
 * The conformance suite, the benchmark and `nonlin backends` run them too, so
 * both kernel paths are checked and timed; the figures and the book page show
 * the four backends only.
 */
export const backendVariantNames: readonly string[] = Object.freeze([
  "native-js",
]);

/**
 * Imports a backend module: a built-in one by name (see
 * {@linkcode backendNames}), or any module implementing the contract by path
 * (relative paths resolve against the working directory) or URL. The module
 * is checked at run time for every export the contract requires.
 *
 * @param nameOrPath `"native"`, `"tfjs-wasm"`, …, or `"./my_backend.ts"`,
 * `"file:///…"`, `"https://…"`.
 * @returns The backend module.
 * @throws {RangeError} For an unknown name; the message lists the built-in ones.
 * @throws {TypeError} For a module that lacks part of the contract.
 *
 * @example
 * ```ts
 * import { loadBackend } from "@nonlin/core";
 * import assert from "node:assert";
 *
 * const native = await loadBackend("native");
 * assert.strictEqual(native.backend.name, "native");
 * assert.deepStrictEqual(await native.relu([-1, 2]), new Float32Array([0, 2]));
 * ```
 */
export async function loadBackend(nameOrPath: string): Promise<BackendModule> {
  if (typeof nameOrPath !== "string") {
    throw new TypeError(
      `Backend must be a name or a module path: got ${describe(nameOrPath)}`,
    );
  }
  let module: unknown;
  switch (nameOrPath) {
    case "native":
      module = await import("@nonlin/native");
      break;
    case "native-js":
      module = await import("@nonlin/native/js");
      break;
    case "tfjs-cpu":
      module = await import("@nonlin/tfjs-cpu");
      break;
    case "tfjs-wasm":
      module = await import("@nonlin/tfjs-wasm");
      break;
    case "tfjs-webgpu":
      module = await import("@nonlin/tfjs-webgpu");
      break;
    default: {
      if (!isModulePath(nameOrPath)) {
        throw new RangeError(
          `Unknown backend "${nameOrPath}": expected one of ${
            [...backendNames, ...backendVariantNames].join(", ")
          }, or a module path such as ./my_backend.ts`,
        );
      }
      module = await import(resolveModule(nameOrPath));
    }
  }
  return checkBackendModule(module, nameOrPath);
}

/** Whether a string names a module rather than a built-in backend. */
function isModulePath(s: string): boolean {
  return /^(\.{1,2}\/|\/|[a-z][a-z0-9+.-]*:)/i.test(s) ||
    /\.[cm]?[jt]sx?$/.test(s);
}

function resolveModule(path: string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(path)) return path;
  const deno = (globalThis as { Deno?: { cwd(): string } }).Deno;
  const base = deno ? `file://${deno.cwd()}/` : globalThis.location?.href;
  return new URL(path, base).href;
}

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
