/**
 * Loading a backend late: by name for the built-in ones, by module path or
 * URL for any other module that implements the contract.
 *
 * @module
 */

import { type BackendModule, checkBackendModule, describe } from "@nonlin/core";
import {
  backendNames,
  backendVariantNames,
  builtinBackends,
  peerBackendNames,
} from "./builtins.ts";

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
 * import { loadBackend } from "@nonlin/backends";
 * import assert from "node:assert";
 *
 * const native = await loadBackend("native");
 * assert.strictEqual(native.backend.name, "native");
 * assert.deepStrictEqual(await native.relu([-1, 2]), new Float32Array([0, 2]));
 * await assert.rejects(loadBackend("nativ"), RangeError);
 * ```
 */
export async function loadBackend(nameOrPath: string): Promise<BackendModule> {
  if (typeof nameOrPath !== "string") {
    throw new TypeError(
      `Backend must be a name or a module path: got ${describe(nameOrPath)}`,
    );
  }
  const builtin = Object.hasOwn(builtinBackends, nameOrPath)
    ? builtinBackends[nameOrPath]
    : undefined;
  let module: unknown;
  if (builtin !== undefined) {
    module = await builtin.load();
  } else if (isModulePath(nameOrPath)) {
    module = await import(await moduleUrl(nameOrPath));
  } else {
    throw new RangeError(
      `Unknown backend "${nameOrPath}": expected one of ${
        [...backendNames, ...peerBackendNames, ...backendVariantNames].join(
          ", ",
        )
      }, or a module path such as ./my_backend.ts`,
    );
  }
  return checkBackendModule(module, nameOrPath);
}

/**
 * Whether a string names a module (a path or a URL) rather than a built-in
 * backend: it starts with `./`, `../` or `/`, has a URL scheme, or ends in a
 * script extension.
 *
 * @param s A `--backend` value.
 * @returns Whether {@linkcode loadBackend} would import it as a module.
 *
 * @example
 * ```ts
 * import { isModulePath } from "@nonlin/backends";
 * import assert from "node:assert";
 *
 * assert.ok(isModulePath("./my_backend.ts"));
 * assert.ok(isModulePath("https://example.com/b.js"));
 * assert.ok(!isModulePath("native"));
 * ```
 */
export function isModulePath(s: string): boolean {
  return /^(\.{1,2}\/|\/|[a-z][a-z0-9+.-]+:)/i.test(s) ||
    /\.[cm]?[jt]sx?$/.test(s);
}

/**
 * The URL of a module given by path or URL. A file path (relative ones
 * against the working directory) becomes a `file:` URL through
 * `node:url`'s `pathToFileURL`, which escapes `#`, `?` and `%` in directory
 * names; string concatenation would read them as a fragment, a query and an
 * escape. In a browser, a relative path resolves against the page.
 *
 * @param path A module path or URL.
 * @returns Its absolute URL.
 *
 * @example
 * ```ts
 * import { moduleUrl } from "@nonlin/backends";
 * import assert from "node:assert";
 *
 * assert.strictEqual(await moduleUrl("/tmp/a#b/m.ts"), "file:///tmp/a%23b/m.ts");
 * assert.strictEqual(await moduleUrl("https://x.test/m.js"), "https://x.test/m.js");
 * ```
 */
export async function moduleUrl(path: string): Promise<string> {
  // A scheme of two letters or more: `C:\…` is a Windows path, not a URL.
  if (/^[a-z][a-z0-9+.-]+:/i.test(path)) return path;
  const g = globalThis as {
    Deno?: unknown;
    process?: unknown;
    location?: { href: string };
  };
  if (g.Deno === undefined && g.process === undefined && g.location) {
    return new URL(path, g.location.href).href;
  }
  const { pathToFileURL } = await import("node:url");
  return pathToFileURL(path).href;
}
