/**
 * `@nonlin/ort-wasm`: every nonlin op on onnxruntime-web's WebAssembly
 * execution provider, as ONNX graphs built in code (opset 24): the forward
 * by ONNX's own operator where there is one (Gelu, Swish, Mish, HardSwish,
 * Celu, …), composed from ONNX primitives otherwise. onnxruntime-web has no
 * autodiff, so the VJP and the derivative are graphs of the catalog's
 * first-derivative formulas; the second derivative is declared unsupported
 * in `backend.capabilities`.
 *
 * onnxruntime-web runs in a worker of its own (see the README's peers
 * section): its loader replaces `globalThis.Worker` in the realm it runs in,
 * and its thread count is fixed per instance. This module uses one thread,
 * or `NONLIN_ORT_THREADS`; `@nonlin/ort-wasm/mt` (backend `ort-wasm-mt`) uses
 * one per core. One cached InferenceSession per op, feature, parameter set
 * and input rank.
 *
 * @example
 * ```ts
 * import { backend, derivative, relu, sigmoid, tensor } from "@nonlin/ort-wasm";
 * import assert from "node:assert";
 *
 * assert.strictEqual(backend.name, "ort-wasm");
 * assert.deepStrictEqual(await relu([-1, 0, 2]), new Float32Array([0, 0, 2]));
 * assert.deepStrictEqual(await derivative("relu", [-1, 0, 2]), new Float32Array([0, 0, 1]));
 *
 * const x = tensor([0, 1]);
 * const y = sigmoid(x); // resident: stays with onnxruntime-web
 * assert.strictEqual((await y.read())[0], 0.5);
 * x.dispose();
 * y.dispose();
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
import { createOrtWasmBackend, threadsFromEnv } from "./_backend.ts";

const ort: BackendModule = await createOrtWasmBackend(
  "ort-wasm",
  threadsFromEnv("NONLIN_ORT_THREADS", 1),
);

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
export const backend: BackendInfo = ort.backend;
/** Uploads host data as a resident tensor of ort-wasm. */
export const tensor: BackendModule["tensor"] = ort.tensor;
/** The vector–Jacobian product of any op: dy·f′(x) and Σ dy·∂f/∂θ, as one ONNX graph. */
export const vjp: Vjp = ort.vjp;
/** The elementwise derivative of any op, an ONNX graph of the catalog's f′. */
export const derivative: ElementwiseDerivative = ort.derivative;
/** Not supported: throws `NotSupportedError` (see `backend.capabilities`). */
export const secondDerivative: ElementwiseDerivative = ort.secondDerivative;
/** ReLU by ONNX Relu. */
export const relu: OpFunction<"relu"> = ort.relu;
/** Leaky ReLU by ONNX LeakyRelu. */
export const leakyRelu: OpFunction<"leakyRelu"> = ort.leakyRelu;
/** pReLU by ONNX PRelu (α broadcast unidirectionally). */
export const prelu: OpFunction<"prelu"> = ort.prelu;
/** ReLU6 as ONNX Clip(x, 0, 6). */
export const relu6: OpFunction<"relu6"> = ort.relu6;
/** ELU by ONNX Elu. */
export const elu: OpFunction<"elu"> = ort.elu;
/** SELU by ONNX Selu (its float32 λ and α). */
export const selu: OpFunction<"selu"> = ort.selu;
/** CELU by ONNX Celu. */
export const celu: OpFunction<"celu"> = ort.celu;
/** Sigmoid by ONNX Sigmoid. */
export const sigmoid: OpFunction<"sigmoid"> = ort.sigmoid;
/** Log-sigmoid as −Softplus(−x). */
export const logSigmoid: OpFunction<"logSigmoid"> = ort.logSigmoid;
/** Hard sigmoid by ONNX HardSigmoid with α = 1/6, β = 1/2. */
export const hardSigmoid: OpFunction<"hardSigmoid"> = ort.hardSigmoid;
/** Tanh by ONNX Tanh. */
export const tanh: OpFunction<"tanh"> = ort.tanh;
/** Hard tanh as ONNX Clip(x, min, max). */
export const hardTanh: OpFunction<"hardTanh"> = ort.hardTanh;
/** Softsign by ONNX Softsign. */
export const softsign: OpFunction<"softsign"> = ort.softsign;
/** Softplus with β and threshold around ONNX Softplus. */
export const softplus: OpFunction<"softplus"> = ort.softplus;
/** GELU by ONNX Gelu (opset 20), exact or tanh form. */
export const gelu: OpFunction<"gelu"> = ort.gelu;
/** Swish by ONNX Swish (opset 24) with α = β. */
export const swish: OpFunction<"swish"> = ort.swish;
/** SiLU by ONNX Swish with α = 1. */
export const silu: OpFunction<"silu"> = ort.silu;
/** Mish by ONNX Mish. */
export const mish: OpFunction<"mish"> = ort.mish;
/** Hard swish by ONNX HardSwish. */
export const hardSwish: OpFunction<"hardSwish"> = ort.hardSwish;
/** Hard shrink by ONNX Shrink with bias 0. */
export const hardshrink: OpFunction<"hardshrink"> = ort.hardshrink;
/** Soft shrink by ONNX Shrink with bias λ. */
export const softshrink: OpFunction<"softshrink"> = ort.softshrink;
/** Tanh shrink as x − Tanh(x). */
export const tanhshrink: OpFunction<"tanhshrink"> = ort.tanhshrink;
/** Threshold as Where(x ≤ threshold, value, x). */
export const threshold: OpFunction<"threshold"> = ort.threshold;
