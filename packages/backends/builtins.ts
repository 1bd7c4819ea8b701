/**
 * The one list of the backends that ship with nonlin. A new built-in backend
 * is one entry in {@linkcode builtinBackends}: its name, how to import it,
 * and, for a variant of another backend, which one.
 *
 * @module
 */

/** How a built-in backend is found. */
export interface BuiltinBackend {
  /**
   * Imports the backend's module. A static specifier in a dynamic import, so
   * bundlers and `deno info` see every built-in module, and a program that
   * never asks for a backend never downloads it.
   */
  readonly load: () => Promise<unknown>;
  /**
   * The backend this one is a variant of (the same engine held to another
   * kernel set, say); absent for a backend in its own right. Variants are
   * loadable by name, checked by the conformance suite and timed by the
   * benchmark, but the figures and the book page show only
   * {@linkcode backendNames} (the book page also those marked `tab`).
   */
  readonly variantOf?: string;
  /**
   * A variant the book page shows as a tab of its own beside
   * {@linkcode backendNames}: one that runs on other hardware (the native
   * kernels on a WebGPU device), so a reader can compare it there.
   */
  readonly tab?: true;
  /**
   * The module a user imports, where it is not `@nonlin/<name>` (for the
   * import lines of the book page).
   */
  readonly specifier?: string;
  /**
   * A peer: another library a user might pick instead (onnxruntime-web,
   * jax-js), wrapped as a backend. Peers are loadable by name, checked by the
   * contract and conformance suites, listed by `nonlin backends` and timed by
   * the benchmark, but the figures and the book page show only
   * {@linkcode backendNames}.
   */
  readonly peer?: true;
}

/**
 * Every built-in backend by name, in the order they are listed and run.
 *
 * @example
 * ```ts
 * import { builtinBackends } from "@nonlin/backends";
 * import assert from "node:assert";
 *
 * assert.strictEqual(builtinBackends["native-js"]?.variantOf, "native");
 * ```
 */
export const builtinBackends: Readonly<Record<string, BuiltinBackend>> = Object
  .freeze({
    "native": { load: () => import("@nonlin/native") },
    // The native engine held to its pure TypeScript kernels: the path for
    // runtimes without WebAssembly SIMD.
    "native-js": {
      load: () => import("@nonlin/native/js"),
      specifier: "@nonlin/native/js",
      variantOf: "native",
    },
    "tfjs-cpu": { load: () => import("@nonlin/tfjs-cpu") },
    "tfjs-wasm": { load: () => import("@nonlin/tfjs-wasm") },
    "tfjs-webgpu": { load: () => import("@nonlin/tfjs-webgpu") },
    // The native engine's kernels as WGSL compute shaders on a WebGPU device.
    "native-webgpu": {
      load: () => import("@nonlin/native/webgpu"),
      variantOf: "native",
      tab: true,
      specifier: "@nonlin/native/webgpu",
    },
    // Peers: other libraries a user might pick instead, as backends.
    "ort-wasm": {
      load: () => import("@nonlin/ort-wasm"),
      specifier: "@nonlin/ort-wasm",
      peer: true,
    },
    // onnxruntime-web with one thread per core (its own worker and runtime).
    "ort-wasm-mt": {
      load: () => import("@nonlin/ort-wasm/mt"),
      variantOf: "ort-wasm",
      specifier: "@nonlin/ort-wasm/mt",
      peer: true,
    },
    "jax-js": {
      load: () => import("@nonlin/jax-js"),
      specifier: "@nonlin/jax-js",
      peer: true,
    },
  });

/**
 * The names of the backends that ship with nonlin, variants and peers left
 * out.
 *
 * @example
 * ```ts
 * import { backendNames } from "@nonlin/backends";
 * import assert from "node:assert";
 *
 * assert.ok(backendNames.includes("native"));
 * assert.ok(!backendNames.includes("native-js"));
 * ```
 */
export const backendNames: readonly string[] = Object.freeze(
  Object.entries(builtinBackends).filter(([, b]) =>
    b.variantOf === undefined && b.peer === undefined
  ).map(([name]) => name),
);

/**
 * The backends the book page has a tab for: {@linkcode backendNames} and
 * the variants marked `tab` (native-webgpu), in the order they are listed.
 *
 * @example
 * ```ts
 * import { backendNames, bookBackendNames } from "@nonlin/backends";
 * import assert from "node:assert";
 *
 * assert.ok(bookBackendNames.includes("native-webgpu"));
 * assert.ok(!backendNames.includes("native-webgpu"));
 * assert.ok(!bookBackendNames.includes("native-js"));
 * ```
 */
export const bookBackendNames: readonly string[] = Object.freeze(
  Object.entries(builtinBackends).filter(([, b]) =>
    b.peer === undefined && (b.variantOf === undefined || b.tab === true)
  ).map(([name]) => name),
);

/**
 * The peers that ship with nonlin as backends (variants left out): other
 * libraries a user might pick instead, loadable by name like the others.
 *
 * @example
 * ```ts
 * import { backendNames, peerBackendNames } from "@nonlin/backends";
 * import assert from "node:assert";
 *
 * assert.ok(peerBackendNames.includes("jax-js"));
 * assert.ok(!backendNames.includes("jax-js"));
 * ```
 */
export const peerBackendNames: readonly string[] = Object.freeze(
  Object.entries(builtinBackends).filter(([, b]) =>
    b.variantOf === undefined && b.peer !== undefined
  ).map(([name]) => name),
);

/**
 * Built-in backends that are variants of one in {@linkcode backendNames} or
 * {@linkcode peerBackendNames},
 * loadable by name like them: `"native-js"` is the native engine held to its
 * pure TypeScript kernels. The conformance suite, the benchmark and
 * `nonlin backends` run them too, so both kernel paths are checked and timed;
 * the figures and the book page show {@linkcode backendNames} only.
 *
 * @example
 * ```ts
 * import { backendVariantNames } from "@nonlin/backends";
 * import assert from "node:assert";
 *
 * assert.ok(backendVariantNames.includes("native-js"));
 * ```
 */
export const backendVariantNames: readonly string[] = Object.freeze(
  Object.entries(builtinBackends).filter(([, b]) => b.variantOf !== undefined)
    .map(([name]) => name),
);
