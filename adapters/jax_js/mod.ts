/**
 * `@nonlin/jax-js`: every nonlin op on jax-js (`@jax-js/jax`), a JAX-like
 * array library for JavaScript, on its WebAssembly device. Forward calls run
 * `jit`-compiled functions; gradients come from jax-js's own autodiff
 * (`vjp`, and `grad` of `grad` for the second derivative), compiled too.
 *
 * The module exports exactly the backend contract of `@nonlin/core`
 * ({@linkcode BackendModule}). Where jax-js's results depart from nonlin's
 * pinned conventions (its ReLU family takes the right-hand derivative at the
 * kink: relu′(0) = 1) nothing is corrected: the conformance ledger names
 * each difference with its source.
 *
 * jax-js keeps a pool of web workers (one per core) that would keep the
 * process alive; this adapter lets it exit once the pool has been idle for a
 * moment (see the README's peers section).
 *
 * @example
 * ```ts
 * import { backend, derivative, gelu, relu, tensor } from "@nonlin/jax-js";
 * import assert from "node:assert";
 *
 * assert.strictEqual(backend.name, "jax-js");
 * assert.deepStrictEqual(await relu([-1, 0, 2]), new Float32Array([0, 0, 2]));
 * // jax-js's convention at the kink: relu′(0) = 1 (nonlin pins 0).
 * assert.deepStrictEqual(await derivative("relu", [-1, 0, 2]), new Float32Array([0, 1, 1]));
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
import { createPeerBackend } from "@nonlin/peer-glue";
import { initialise } from "./_init.ts";

const { engine, reason, properties } = await initialise();

const jaxJs: BackendModule = createPeerBackend({
  name: "jax-js",
  unavailable: () => reason,
  properties,
  unsupported: [],
  upload: (data, shape) => engine.upload(data, shape),
  read: (h, into) => engine.read(h, into),
  free: (h) => engine.free(h),
  forward: (op, x, p) => engine.forward(op, x, p),
  vjp: (op, x, dy, p) => engine.vjp(op, x, dy, p),
  derivative: (op, x, p) => engine.derivative(op, x, p),
  secondDerivative: (op, x, p) => engine.secondDerivative(op, x, p),
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
export const backend: BackendInfo = jaxJs.backend;
/** Uploads host data as a resident tensor of jax-js (a `jax.Array` on its wasm device). */
export const tensor: BackendModule["tensor"] = jaxJs.tensor;
/** The vector–Jacobian product of any op, by `jax.vjp` under `jax.jit`. */
export const vjp: Vjp = jaxJs.vjp;
/** The elementwise derivative of any op, `jit(grad(Σf))`. */
export const derivative: ElementwiseDerivative = jaxJs.derivative;
/** The elementwise second derivative of any op, `jit(grad(Σ grad(Σf)))`. */
export const secondDerivative: ElementwiseDerivative = jaxJs.secondDerivative;
/** ReLU, max(x, 0), by `jax.nn.relu`. */
export const relu: OpFunction<"relu"> = jaxJs.relu;
/** Leaky ReLU, x if x > 0 else αx, by `jax.nn.leakyRelu`. */
export const leakyRelu: OpFunction<"leakyRelu"> = jaxJs.leakyRelu;
/** pReLU, x if x > 0 else αx, by `jax.nn.leakyRelu` with a broadcast slope. */
export const prelu: OpFunction<"prelu"> = jaxJs.prelu;
/** ReLU6, min(max(x, 0), 6), by `jax.nn.relu6`. */
export const relu6: OpFunction<"relu6"> = jaxJs.relu6;
/** ELU, x if x > 0 else α(eˣ − 1), by `jax.nn.elu`. */
export const elu: OpFunction<"elu"> = jaxJs.elu;
/** SELU, λ·elu_α(x), by `jax.nn.selu`. */
export const selu: OpFunction<"selu"> = jaxJs.selu;
/** CELU, max(0, x) + min(0, α(e^{x/α} − 1)), by `jax.nn.celu`. */
export const celu: OpFunction<"celu"> = jaxJs.celu;
/** Sigmoid, 1 / (1 + e⁻ˣ), by `jax.nn.sigmoid`. */
export const sigmoid: OpFunction<"sigmoid"> = jaxJs.sigmoid;
/** Log-sigmoid, −softplus(−x), by `jax.nn.logSigmoid`. */
export const logSigmoid: OpFunction<"logSigmoid"> = jaxJs.logSigmoid;
/** Hard sigmoid, relu6(x + 3) / 6, by `jax.nn.hardSigmoid`. */
export const hardSigmoid: OpFunction<"hardSigmoid"> = jaxJs.hardSigmoid;
/** Tanh, by `jax.numpy.tanh`. */
export const tanh: OpFunction<"tanh"> = jaxJs.tanh;
/** Hard tanh, clamp(x, min, max), by `jax.numpy.clip`. */
export const hardTanh: OpFunction<"hardTanh"> = jaxJs.hardTanh;
/** Softsign, x / (1 + |x|), by `jax.nn.softSign`. */
export const softsign: OpFunction<"softsign"> = jaxJs.softsign;
/** Softplus with β and PyTorch's threshold, on `jax.nn.softplus`. */
export const softplus: OpFunction<"softplus"> = jaxJs.softplus;
/** GELU, exact (erf) or tanh form as asked, by `jax.nn.gelu`. */
export const gelu: OpFunction<"gelu"> = jaxJs.gelu;
/** Swish, x·σ(βx), in jax.numpy on `jax.nn.sigmoid`. */
export const swish: OpFunction<"swish"> = jaxJs.swish;
/** SiLU, x·σ(x), by `jax.nn.silu`. */
export const silu: OpFunction<"silu"> = jaxJs.silu;
/** Mish, x·tanh(softplus(x)), by `jax.nn.mish`. */
export const mish: OpFunction<"mish"> = jaxJs.mish;
/** Hard swish, x·relu6(x + 3) / 6, by `jax.nn.hardSwish`. */
export const hardSwish: OpFunction<"hardSwish"> = jaxJs.hardSwish;
/** Hard shrink, x where |x| > λ else 0, in jax.numpy (`where`). */
export const hardshrink: OpFunction<"hardshrink"> = jaxJs.hardshrink;
/** Soft shrink, x ∓ λ outside [−λ, λ] else 0, in jax.numpy (`where`). */
export const softshrink: OpFunction<"softshrink"> = jaxJs.softshrink;
/** Tanh shrink, x − tanh x, in jax.numpy. */
export const tanhshrink: OpFunction<"tanhshrink"> = jaxJs.tanhshrink;
/** Threshold, x if x > threshold else value, in jax.numpy (`where`). */
export const threshold: OpFunction<"threshold"> = jaxJs.threshold;
