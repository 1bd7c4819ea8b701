/**
 * `@nonlin/tfjs-cpu`: every nonlin op on TensorFlow.js's cpu backend (plain
 * JavaScript kernels), with gradients from tfjs's own autodiff.
 *
 * The module exports exactly the backend contract of `@nonlin/core`
 * ({@linkcode BackendModule}): one function per catalog op, `vjp`,
 * `derivative`, `secondDerivative`, `tensor` and `backend`. What tfjs cannot
 * differentiate is listed in `backend.capabilities.unsupported` and throws a
 * `NotSupportedError`.
 *
 * tfjs has one global engine: every call first makes tfjs's cpu backend the
 * active one, so this adapter can be used beside the other tfjs adapters.
 *
 * @example
 * ```ts
 * import { backend, derivative, gelu, relu, tensor } from "@nonlin/tfjs-cpu";
 * import assert from "node:assert";
 *
 * assert.strictEqual(backend.name, "tfjs-cpu");
 * assert.deepStrictEqual(await relu([-1, 0, 2]), new Float32Array([0, 0, 2]));
 * assert.deepStrictEqual(await derivative("relu", [-1, 0, 2]), new Float32Array([0, 0, 1]));
 *
 * const x = tensor([-1, 0, 1]);
 * const y = gelu(x); // resident: stays on the backend
 * assert.strictEqual((await y.read())[1], 0);
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
import { createTfjsBackend, initialise, tfjsVersions } from "@nonlin/tfjs-glue";

const reason = await initialise("cpu");

const cpu: BackendModule = createTfjsBackend({
  name: "tfjs-cpu",
  tfjsBackend: "cpu",
  unavailable: () => reason,
  properties: { ...tfjsVersions(), tfjsBackend: "cpu" },
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
export const backend: BackendInfo = cpu.backend;
/** Uploads host data as a resident tensor of tfjs-cpu. */
export const tensor: BackendModule["tensor"] = cpu.tensor;
/** The vector–Jacobian product of any op, by tfjs's autodiff (`tf.grads`). */
export const vjp: Vjp = cpu.vjp;
/** The elementwise derivative of any op, by tfjs's autodiff (`tf.grad`). */
export const derivative: ElementwiseDerivative = cpu.derivative;
/** The elementwise second derivative of any op, `tf.grad` of `tf.grad` where tfjs can. */
export const secondDerivative: ElementwiseDerivative = cpu.secondDerivative;
/** ReLU, max(x, 0), on tfjs-cpu. */
export const relu: OpFunction<"relu"> = cpu.relu;
/** Leaky ReLU, x if x > 0 else αx, on tfjs-cpu. */
export const leakyRelu: OpFunction<"leakyRelu"> = cpu.leakyRelu;
/** pReLU, x if x > 0 else αx, α a learned tensor, on tfjs-cpu. */
export const prelu: OpFunction<"prelu"> = cpu.prelu;
/** ReLU6, min(max(x, 0), 6), on tfjs-cpu. */
export const relu6: OpFunction<"relu6"> = cpu.relu6;
/** ELU, x if x > 0 else α(eˣ − 1), on tfjs-cpu. */
export const elu: OpFunction<"elu"> = cpu.elu;
/** SELU, λ·(x if x > 0 else α(eˣ − 1)), λ ≈ 1.0507, α ≈ 1.6733, on tfjs-cpu. */
export const selu: OpFunction<"selu"> = cpu.selu;
/** CELU, max(0, x) + min(0, α(e^{x/α} − 1)), on tfjs-cpu. */
export const celu: OpFunction<"celu"> = cpu.celu;
/** Sigmoid, 1 / (1 + e⁻ˣ), on tfjs-cpu. */
export const sigmoid: OpFunction<"sigmoid"> = cpu.sigmoid;
/** Log-sigmoid, log σ(x) = −softplus(−x), on tfjs-cpu. */
export const logSigmoid: OpFunction<"logSigmoid"> = cpu.logSigmoid;
/** Hard sigmoid, relu6(x + 3) / 6, on tfjs-cpu. */
export const hardSigmoid: OpFunction<"hardSigmoid"> = cpu.hardSigmoid;
/** Tanh, (1 − e⁻²ˣ) / (1 + e⁻²ˣ), on tfjs-cpu. */
export const tanh: OpFunction<"tanh"> = cpu.tanh;
/** Hard tanh, clamp(x, min, max), on tfjs-cpu. */
export const hardTanh: OpFunction<"hardTanh"> = cpu.hardTanh;
/** Softsign, x / (1 + |x|), on tfjs-cpu. */
export const softsign: OpFunction<"softsign"> = cpu.softsign;
/** Softplus, (1/β)·log(1 + e^{βx}); x where βx > threshold, on tfjs-cpu. */
export const softplus: OpFunction<"softplus"> = cpu.softplus;
/** GELU, xΦ(x); tanh form 0.5x(1 + tanh(√(2/π)(x + 0.044715x³))), on tfjs-cpu. */
export const gelu: OpFunction<"gelu"> = cpu.gelu;
/** Swish, x·σ(βx), on tfjs-cpu. */
export const swish: OpFunction<"swish"> = cpu.swish;
/** SiLU, x·σ(x), on tfjs-cpu. */
export const silu: OpFunction<"silu"> = cpu.silu;
/** Mish, x·tanh(softplus(x)), on tfjs-cpu. */
export const mish: OpFunction<"mish"> = cpu.mish;
/** Hard swish, x·relu6(x + 3) / 6, on tfjs-cpu. */
export const hardSwish: OpFunction<"hardSwish"> = cpu.hardSwish;
