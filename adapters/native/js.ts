/**
 * `@nonlin/native/js`: the native engine on its JavaScript loops only, as a
 * backend of its own named `"native-js"`. It is `@nonlin/native` with the
 * kernel set fixed to `"js"` (plain Float32Array storage, no WebAssembly),
 * for runtimes without WebAssembly SIMD and for comparing the two paths side
 * by side in one process (the benchmark, the conformance suite:
 * `--backend ./adapters/native/js.ts`). Its tensors belong to
 * `"native-js"`; pass them to `@nonlin/native` only after reading them.
 *
 * @example
 * ```ts
 * import { backend, sigmoid, tensor, vjp } from "@nonlin/native/js";
 * import assert from "node:assert";
 *
 * assert.strictEqual(backend.name, "native-js");
 * assert.strictEqual(backend.capabilities.properties.kernels, "js");
 * assert.deepStrictEqual(await sigmoid([0]), new Float32Array([0.5]));
 * const { dx } = vjp("relu", tensor([-1, 2]), { dy: tensor([1, 1]) });
 * assert.strictEqual(dx.backend, "native-js");
 * assert.deepStrictEqual(await dx.read(), new Float32Array([0, 1]));
 * ```
 *
 * @module
 */

import type {
  BackendInfo,
  ElementwiseDerivative,
  OpFunction,
  OpName,
  Tensor,
  Vjp,
} from "@nonlin/core";
import { Engine } from "./_engine.ts";

export type {
  ArrayInput,
  BackendInfo,
  Capabilities,
  ElementwiseDerivative,
  Feature,
  Gradients,
  LearnedParamName,
  OpFunction,
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
import { jsKernels } from "./_js_kernels.ts";
import { nativeBackendInfo } from "./_backend_info.ts";

const engine = new Engine("native-js", () => jsKernels);

function op<N extends OpName>(name: N): OpFunction<N> {
  return engine.opFunction(name) as OpFunction<N>;
}

/** The identity of this backend: `"native-js"`, always available. */
export const backend: BackendInfo = nativeBackendInfo(
  "native-js",
  () => jsKernels,
  () => ["js"],
);

/**
 * Uploads host data as a resident `"native-js"` tensor (copied).
 *
 * @param data A Float32Array or an array of numbers (rounded to float32).
 * @param shape Defaults to `[data.length]`; `[]` makes a 0-d tensor.
 * @returns The tensor.
 */
export function tensor(
  data: Float32Array | readonly number[],
  shape?: readonly number[],
): Tensor {
  return engine.tensor(data, shape);
}

/** The fused vector–Jacobian product of any op (see `@nonlin/native`'s `vjp`). */
export const vjp: Vjp = engine.vjp.bind(engine) as Vjp;

/** The elementwise derivative of any op, left-hand at a kink. */
export const derivative: ElementwiseDerivative = engine.derivativeFunction(
  "derivative",
) as ElementwiseDerivative;

/** The elementwise second derivative of any op, left-hand at a kink. */
export const secondDerivative: ElementwiseDerivative = engine
  .derivativeFunction("secondDerivative") as ElementwiseDerivative;

/** `relu` on the JavaScript loops (see `@nonlin/native`). */
export const relu: OpFunction<"relu"> = op("relu");

/** `leakyRelu` on the JavaScript loops (see `@nonlin/native`). */
export const leakyRelu: OpFunction<"leakyRelu"> = op("leakyRelu");

/** `prelu` on the JavaScript loops (see `@nonlin/native`). */
export const prelu: OpFunction<"prelu"> = op("prelu");

/** `relu6` on the JavaScript loops (see `@nonlin/native`). */
export const relu6: OpFunction<"relu6"> = op("relu6");

/** `elu` on the JavaScript loops (see `@nonlin/native`). */
export const elu: OpFunction<"elu"> = op("elu");

/** `selu` on the JavaScript loops (see `@nonlin/native`). */
export const selu: OpFunction<"selu"> = op("selu");

/** `celu` on the JavaScript loops (see `@nonlin/native`). */
export const celu: OpFunction<"celu"> = op("celu");

/** `sigmoid` on the JavaScript loops (see `@nonlin/native`). */
export const sigmoid: OpFunction<"sigmoid"> = op("sigmoid");

/** `logSigmoid` on the JavaScript loops (see `@nonlin/native`). */
export const logSigmoid: OpFunction<"logSigmoid"> = op("logSigmoid");

/** `hardSigmoid` on the JavaScript loops (see `@nonlin/native`). */
export const hardSigmoid: OpFunction<"hardSigmoid"> = op("hardSigmoid");

/** `tanh` on the JavaScript loops (see `@nonlin/native`). */
export const tanh: OpFunction<"tanh"> = op("tanh");

/** `hardTanh` on the JavaScript loops (see `@nonlin/native`). */
export const hardTanh: OpFunction<"hardTanh"> = op("hardTanh");

/** `softsign` on the JavaScript loops (see `@nonlin/native`). */
export const softsign: OpFunction<"softsign"> = op("softsign");

/** `softplus` on the JavaScript loops (see `@nonlin/native`). */
export const softplus: OpFunction<"softplus"> = op("softplus");

/** `gelu` on the JavaScript loops (see `@nonlin/native`). */
export const gelu: OpFunction<"gelu"> = op("gelu");

/** `swish` on the JavaScript loops (see `@nonlin/native`). */
export const swish: OpFunction<"swish"> = op("swish");

/** `silu` on the JavaScript loops (see `@nonlin/native`). */
export const silu: OpFunction<"silu"> = op("silu");

/** `mish` on the JavaScript loops (see `@nonlin/native`). */
export const mish: OpFunction<"mish"> = op("mish");

/** `hardSwish` on the JavaScript loops (see `@nonlin/native`). */
export const hardSwish: OpFunction<"hardSwish"> = op("hardSwish");
