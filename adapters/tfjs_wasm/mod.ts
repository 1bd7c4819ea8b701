/**
 * `@nonlin/tfjs-wasm`: every nonlin op on TensorFlow.js's WebAssembly backend
 * (XNNPACK kernels), with gradients from tfjs's own autodiff.
 *
 * The module exports exactly the backend contract of `@nonlin/core`
 * ({@linkcode BackendModule}), like every nonlin backend. The .wasm binaries
 * are read from the installed `@tensorflow/tfjs-backend-wasm` package on disk
 * (its `dist` folder, found through module resolution, so any working
 * directory works and nothing is fetched). The SIMD build is used where the
 * runtime validates SIMD; `backend.capabilities.properties` says which binary
 * runs, whether SIMD is on and how many threads there are. tfjs turns its
 * threaded build off under Node-compatible runtimes, Deno included, so it
 * runs on one thread.
 *
 * @example
 * ```ts
 * import { backend, sigmoid } from "@nonlin/tfjs-wasm";
 * import assert from "node:assert";
 *
 * assert.strictEqual(backend.name, "tfjs-wasm");
 * assert.deepStrictEqual(await sigmoid([0]), new Float32Array([0.5]));
 * assert.strictEqual(typeof backend.capabilities.properties.simd, "boolean");
 * ```
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { getThreadsCount, setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import { fileURLToPath } from "node:url";
import type { BackendModule } from "@nonlin/core";
import { createTfjsBackend, initialise, tfjsVersions } from "@nonlin/tfjs-glue";

/** The folder of the installed package's .wasm binaries, as a file path. */
function wasmFolder(): string {
  const entry = import.meta.resolve("@tensorflow/tfjs-backend-wasm");
  if (!entry.startsWith("file:")) {
    throw new Error(
      `@tensorflow/tfjs-backend-wasm resolves to ${entry}, not a file on disk`,
    );
  }
  return fileURLToPath(new URL("./", entry));
}

async function setUp(): Promise<
  { reason?: string; properties: Record<string, string | number | boolean> }
> {
  let folder: string;
  try {
    folder = wasmFolder();
  } catch (error) {
    return { reason: (error as Error).message, properties: {} };
  }
  // tfjs picks the binary from these two flags; report what it picks.
  const simd = await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT") === true;
  const threaded =
    await tf.env().getAsync("WASM_HAS_MULTITHREAD_SUPPORT") === true;
  const binary = simd && threaded
    ? "tfjs-backend-wasm-threaded-simd.wasm"
    : simd
    ? "tfjs-backend-wasm-simd.wasm"
    : "tfjs-backend-wasm.wasm";
  setWasmPaths(folder);
  const reason = await initialise("wasm");
  const properties = {
    ...tfjsVersions(),
    tfjsBackend: "wasm",
    wasmFolder: folder,
    binary,
    simd,
    threads: reason === undefined && getThreadsCount() > 1,
    threadsCount: reason === undefined ? getThreadsCount() : 0,
  };
  return reason === undefined ? { properties } : { reason, properties };
}

const { reason, properties } = await setUp();

const wasm: BackendModule = createTfjsBackend({
  name: "tfjs-wasm",
  tfjsBackend: "wasm",
  unavailable: () => reason,
  properties,
});

export const {
  backend,
  tensor,
  vjp,
  derivative,
  secondDerivative,
  relu,
  leakyRelu,
  prelu,
  relu6,
  elu,
  selu,
  celu,
  sigmoid,
  logSigmoid,
  hardSigmoid,
  tanh,
  hardTanh,
  softsign,
  softplus,
  gelu,
  swish,
  silu,
  mish,
  hardSwish,
}: BackendModule = wasm;
