/**
 * `@nonlin/ort-wasm/mt`: the ort-wasm backend with one onnxruntime-web
 * thread per core (`navigator.hardwareConcurrency`, or
 * `NONLIN_ORT_MT_THREADS`), in a runtime instance and worker of its own, so
 * that it can be used beside `@nonlin/ort-wasm` in one process. Backend name
 * `ort-wasm-mt`; everything else as in `@nonlin/ort-wasm`.
 *
 * @example
 * ```ts
 * import { backend, sigmoid } from "@nonlin/ort-wasm/mt";
 * import assert from "node:assert";
 *
 * assert.strictEqual(backend.name, "ort-wasm-mt");
 * assert.deepStrictEqual(await sigmoid([0]), new Float32Array([0.5]));
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
  "ort-wasm-mt",
  threadsFromEnv(
    "NONLIN_ORT_MT_THREADS",
    Math.max(2, globalThis.navigator?.hardwareConcurrency ?? 2),
  ),
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
/** Uploads host data as a resident tensor of ort-wasm-mt. */
export const tensor: BackendModule["tensor"] = ort.tensor;
/** The vector–Jacobian product of any op, as one ONNX graph. */
export const vjp: Vjp = ort.vjp;
/** The elementwise derivative of any op, an ONNX graph of the catalog's f′. */
export const derivative: ElementwiseDerivative = ort.derivative;
/** Not supported: throws `NotSupportedError`. */
export const secondDerivative: ElementwiseDerivative = ort.secondDerivative;
/** ReLU by ONNX Relu. */
export const relu: OpFunction<"relu"> = ort.relu;
/** Leaky ReLU by ONNX LeakyRelu. */
export const leakyRelu: OpFunction<"leakyRelu"> = ort.leakyRelu;
/** pReLU by ONNX PRelu. */
export const prelu: OpFunction<"prelu"> = ort.prelu;
/** ReLU6 as ONNX Clip(x, 0, 6). */
export const relu6: OpFunction<"relu6"> = ort.relu6;
/** ELU by ONNX Elu. */
export const elu: OpFunction<"elu"> = ort.elu;
/** SELU by ONNX Selu. */
export const selu: OpFunction<"selu"> = ort.selu;
/** CELU by ONNX Celu. */
export const celu: OpFunction<"celu"> = ort.celu;
/** Sigmoid by ONNX Sigmoid. */
export const sigmoid: OpFunction<"sigmoid"> = ort.sigmoid;
/** Log-sigmoid as −Softplus(−x). */
export const logSigmoid: OpFunction<"logSigmoid"> = ort.logSigmoid;
/** Hard sigmoid by ONNX HardSigmoid. */
export const hardSigmoid: OpFunction<"hardSigmoid"> = ort.hardSigmoid;
/** Tanh by ONNX Tanh. */
export const tanh: OpFunction<"tanh"> = ort.tanh;
/** Hard tanh as ONNX Clip(x, min, max). */
export const hardTanh: OpFunction<"hardTanh"> = ort.hardTanh;
/** Softsign by ONNX Softsign. */
export const softsign: OpFunction<"softsign"> = ort.softsign;
/** Softplus with β and threshold around ONNX Softplus. */
export const softplus: OpFunction<"softplus"> = ort.softplus;
/** GELU by ONNX Gelu. */
export const gelu: OpFunction<"gelu"> = ort.gelu;
/** Swish by ONNX Swish. */
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
