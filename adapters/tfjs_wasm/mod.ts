/**
 * `@nonlin/tfjs-wasm`: every nonlin op on TensorFlow.js's WebAssembly backend
 * (XNNPACK kernels), with gradients from tfjs's own autodiff.
 *
 * The module exports exactly the backend contract of `@nonlin/core`
 * ({@linkcode BackendModule}), like every nonlin backend. The .wasm binaries
 * are read from the installed `@tensorflow/tfjs-backend-wasm` package on disk
 * (its `dist` folder, found through module resolution, so any working
 * directory works and nothing is fetched). In a browser the application says
 * where it serves them, with tfjs's `setWasmPaths` called before it first
 * imports this module, as with tfjs itself. The SIMD build is used where the
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
import type {
  BackendInfo,
  BackendModule,
  ElementwiseDerivative,
  OpFunction,
  Vjp,
} from "@nonlin/core";
import { createTfjsBackend, initialise, tfjsVersions } from "@nonlin/tfjs-glue";

/**
 * Whether this runs in Deno, where the binaries are read from disk. In a
 * browser the application says where it serves them (see the module doc).
 */
const onDisk = typeof (globalThis as { Deno?: unknown }).Deno === "object";

/** The folder of the installed package's .wasm binaries, as a file path. */
async function wasmFolder(): Promise<string> {
  const entry = import.meta.resolve("@tensorflow/tfjs-backend-wasm");
  if (!entry.startsWith("file:")) {
    throw new Error(
      `@tensorflow/tfjs-backend-wasm resolves to ${entry}, not a file on disk`,
    );
  }
  // Imported here, not at the top, so that a browser bundle of this module loads.
  const { fileURLToPath } = await import("node:url");
  return fileURLToPath(new URL("./", entry));
}

async function setUp(): Promise<
  { reason?: string; properties: Record<string, string | number | boolean> }
> {
  let folder = "chosen by the application (tfjs setWasmPaths)";
  try {
    if (onDisk) folder = await wasmFolder();
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
  if (onDisk) setWasmPaths(folder);
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

export type {
  ArrayInput,
  BackendInfo,
  BackendModule,
  Capabilities,
  ElementwiseDerivative,
  Feature,
  Gradients,
  LearnedParamName,
  OpFunction,
  OpFunctions,
  OpName,
  ops,
  OptionsArg,
  ParamsOf,
  ParamValue,
  Tensor,
  TensorParam,
  Unsupported,
  Vjp,
  VjpOptions,
} from "@nonlin/core";

/** This backend: its name, whether it runs here (and why not) and its capabilities. */
export const backend: BackendInfo = wasm.backend;
/** Uploads host data as a resident tensor of tfjs-wasm. */
export const tensor: BackendModule["tensor"] = wasm.tensor;
/** The vector–Jacobian product of any op, by tfjs's autodiff (`tf.grads`). */
export const vjp: Vjp = wasm.vjp;
/** The elementwise derivative of any op, by tfjs's autodiff (`tf.grad`). */
export const derivative: ElementwiseDerivative = wasm.derivative;
/** The elementwise second derivative of any op, `tf.grad` of `tf.grad` where tfjs can. */
export const secondDerivative: ElementwiseDerivative = wasm.secondDerivative;
/** ReLU, max(x, 0), on tfjs-wasm. */
export const relu: OpFunction<"relu"> = wasm.relu;
/** Leaky ReLU, x if x > 0 else αx, on tfjs-wasm. */
export const leakyRelu: OpFunction<"leakyRelu"> = wasm.leakyRelu;
/** pReLU, x if x > 0 else αx, α a learned tensor, on tfjs-wasm. */
export const prelu: OpFunction<"prelu"> = wasm.prelu;
/** ReLU6, min(max(x, 0), 6), on tfjs-wasm. */
export const relu6: OpFunction<"relu6"> = wasm.relu6;
/** ELU, x if x > 0 else α(eˣ − 1), on tfjs-wasm. */
export const elu: OpFunction<"elu"> = wasm.elu;
/** SELU, λ·(x if x > 0 else α(eˣ − 1)), λ ≈ 1.0507, α ≈ 1.6733, on tfjs-wasm. */
export const selu: OpFunction<"selu"> = wasm.selu;
/** CELU, max(0, x) + min(0, α(e^{x/α} − 1)), on tfjs-wasm. */
export const celu: OpFunction<"celu"> = wasm.celu;
/** Sigmoid, 1 / (1 + e⁻ˣ), on tfjs-wasm. */
export const sigmoid: OpFunction<"sigmoid"> = wasm.sigmoid;
/** Log-sigmoid, log σ(x) = −softplus(−x), on tfjs-wasm. */
export const logSigmoid: OpFunction<"logSigmoid"> = wasm.logSigmoid;
/** Hard sigmoid, relu6(x + 3) / 6, on tfjs-wasm. */
export const hardSigmoid: OpFunction<"hardSigmoid"> = wasm.hardSigmoid;
/** Tanh, (1 − e⁻²ˣ) / (1 + e⁻²ˣ), on tfjs-wasm. */
export const tanh: OpFunction<"tanh"> = wasm.tanh;
/** Hard tanh, clamp(x, min, max), on tfjs-wasm. */
export const hardTanh: OpFunction<"hardTanh"> = wasm.hardTanh;
/** Softsign, x / (1 + |x|), on tfjs-wasm. */
export const softsign: OpFunction<"softsign"> = wasm.softsign;
/** Softplus, (1/β)·log(1 + e^{βx}); x where βx > threshold, on tfjs-wasm. */
export const softplus: OpFunction<"softplus"> = wasm.softplus;
/** GELU, xΦ(x); tanh form 0.5x(1 + tanh(√(2/π)(x + 0.044715x³))), on tfjs-wasm. */
export const gelu: OpFunction<"gelu"> = wasm.gelu;
/** Swish, x·σ(βx), on tfjs-wasm. */
export const swish: OpFunction<"swish"> = wasm.swish;
/** SiLU, x·σ(x), on tfjs-wasm. */
export const silu: OpFunction<"silu"> = wasm.silu;
/** Mish, x·tanh(softplus(x)), on tfjs-wasm. */
export const mish: OpFunction<"mish"> = wasm.mish;
/** Hard swish, x·relu6(x + 3) / 6, on tfjs-wasm. */
export const hardSwish: OpFunction<"hardSwish"> = wasm.hardSwish;
