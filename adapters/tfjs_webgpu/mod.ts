/**
 * `@nonlin/tfjs-webgpu`: every nonlin op on TensorFlow.js's WebGPU backend
 * through Deno's `navigator.gpu`, with gradients from tfjs's own autodiff.
 *
 * The module exports exactly the backend contract of `@nonlin/core`
 * ({@linkcode BackendModule}). Without a WebGPU adapter it still loads:
 * `backend.available` is `false`, `backend.reason` says why, and every
 * function throws a `BackendUnavailableError` with that reason. Data is only
 * read asynchronously (WebGPU has no synchronous read in Deno).
 *
 * Limits, all visible in `backend.capabilities.properties`:
 * - a tensor may hold at most `maxElements` float32 values, a quarter of the
 *   device's `maxStorageBufferBindingSize` (128 MiB, 32 Mi elements, on
 *   llvmpipe); a larger one is refused with a `RangeError` naming the limit;
 * - when the device is lost, `backend.available` turns `false`, every call
 *   throws a `BackendUnavailableError`, and reads in flight reject instead of
 *   waiting forever;
 * - tfjs's `WEBGPU_CPU_FORWARD` is off, so every op runs as a shader.
 *
 * @example
 * ```ts
 * import { backend, relu } from "@nonlin/tfjs-webgpu";
 * import assert from "node:assert";
 *
 * if (backend.available) {
 *   assert.deepStrictEqual(await relu([-1, 2]), new Float32Array([0, 2]));
 * } else {
 *   assert.strictEqual(typeof backend.reason, "string");
 * }
 * ```
 *
 * @module
 */

import type {
  BackendInfo,
  BackendModule,
  ElementwiseDerivative,
  OpFunction,
  Vjp,
} from "@nonlin/core";
import { createTfjsBackend } from "@nonlin/tfjs-glue";
import { NAME, setUpWebGpu, watchDevice } from "./_setup.ts";

const setup = await setUpWebGpu();
const watch = setup.device ? watchDevice(setup.device) : undefined;
const maxElements = setup.properties.maxElements;

const webgpu: BackendModule = createTfjsBackend({
  name: NAME,
  tfjsBackend: "webgpu",
  unavailable: () => setup.reason ?? watch?.lost(),
  properties: setup.properties,
  ...(typeof maxElements === "number" && {
    maxElements: {
      count: maxElements,
      limit:
        `this WebGPU device's maxStorageBufferBindingSize is ${setup.properties.maxStorageBufferBindingSize} bytes (${maxElements} float32 elements)`,
    },
  }),
  ...(watch && {
    read: (t) =>
      Promise.race([t.data() as Promise<Float32Array>, watch.whenLost]),
  }),
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
export const backend: BackendInfo = webgpu.backend;
/** Uploads host data as a resident tensor of tfjs-webgpu. */
export const tensor: BackendModule["tensor"] = webgpu.tensor;
/** The vector–Jacobian product of any op, by tfjs's autodiff (`tf.grads`). */
export const vjp: Vjp = webgpu.vjp;
/** The elementwise derivative of any op, by tfjs's autodiff (`tf.grad`). */
export const derivative: ElementwiseDerivative = webgpu.derivative;
/** The elementwise second derivative of any op, `tf.grad` of `tf.grad` where tfjs can. */
export const secondDerivative: ElementwiseDerivative = webgpu.secondDerivative;
/** ReLU, max(x, 0), on tfjs-webgpu. */
export const relu: OpFunction<"relu"> = webgpu.relu;
/** Leaky ReLU, x if x > 0 else αx, on tfjs-webgpu. */
export const leakyRelu: OpFunction<"leakyRelu"> = webgpu.leakyRelu;
/** pReLU, x if x > 0 else αx, α a learned tensor, on tfjs-webgpu. */
export const prelu: OpFunction<"prelu"> = webgpu.prelu;
/** ReLU6, min(max(x, 0), 6), on tfjs-webgpu. */
export const relu6: OpFunction<"relu6"> = webgpu.relu6;
/** ELU, x if x > 0 else α(eˣ − 1), on tfjs-webgpu. */
export const elu: OpFunction<"elu"> = webgpu.elu;
/** SELU, λ·(x if x > 0 else α(eˣ − 1)), λ ≈ 1.0507, α ≈ 1.6733, on tfjs-webgpu. */
export const selu: OpFunction<"selu"> = webgpu.selu;
/** CELU, max(0, x) + min(0, α(e^{x/α} − 1)), on tfjs-webgpu. */
export const celu: OpFunction<"celu"> = webgpu.celu;
/** Sigmoid, 1 / (1 + e⁻ˣ), on tfjs-webgpu. */
export const sigmoid: OpFunction<"sigmoid"> = webgpu.sigmoid;
/** Log-sigmoid, log σ(x) = −softplus(−x), on tfjs-webgpu. */
export const logSigmoid: OpFunction<"logSigmoid"> = webgpu.logSigmoid;
/** Hard sigmoid, relu6(x + 3) / 6, on tfjs-webgpu. */
export const hardSigmoid: OpFunction<"hardSigmoid"> = webgpu.hardSigmoid;
/** Tanh, (1 − e⁻²ˣ) / (1 + e⁻²ˣ), on tfjs-webgpu. */
export const tanh: OpFunction<"tanh"> = webgpu.tanh;
/** Hard tanh, clamp(x, min, max), on tfjs-webgpu. */
export const hardTanh: OpFunction<"hardTanh"> = webgpu.hardTanh;
/** Softsign, x / (1 + |x|), on tfjs-webgpu. */
export const softsign: OpFunction<"softsign"> = webgpu.softsign;
/** Softplus, (1/β)·log(1 + e^{βx}); x where βx > threshold, on tfjs-webgpu. */
export const softplus: OpFunction<"softplus"> = webgpu.softplus;
/** GELU, xΦ(x); tanh form 0.5x(1 + tanh(√(2/π)(x + 0.044715x³))), on tfjs-webgpu. */
export const gelu: OpFunction<"gelu"> = webgpu.gelu;
/** Swish, x·σ(βx), on tfjs-webgpu. */
export const swish: OpFunction<"swish"> = webgpu.swish;
/** SiLU, x·σ(x), on tfjs-webgpu. */
export const silu: OpFunction<"silu"> = webgpu.silu;
/** Mish, x·tanh(softplus(x)), on tfjs-webgpu. */
export const mish: OpFunction<"mish"> = webgpu.mish;
/** Hard swish, x·relu6(x + 3) / 6, on tfjs-webgpu. */
export const hardSwish: OpFunction<"hardSwish"> = webgpu.hardSwish;
