/**
 * `@nonlin/native`: the native TypeScript engine of nonlin. Every activation
 * of the op catalog, its fused vector–Jacobian product (the gradient with
 * respect to x and to every learned parameter in one pass), its elementwise
 * first and second derivatives, on float32 tensors held in memory; plus a
 * small reverse-mode autodiff ({@linkcode grad}, {@linkcode valueAndGrad})
 * for compositions of your own.
 *
 * It implements the backend contract of `@nonlin/core`: change the import
 * to change the backend. Each op takes a resident tensor (made with
 * {@linkcode tensor}) and returns one synchronously, or takes a Float32Array
 * or an array of numbers and resolves to a new Float32Array, or to the
 * caller's own array given as `out` (then no new ArrayBuffer is made: see
 * `HostOut` in `@nonlin/core` for the rules; `out` may be x). Bad input
 * throws a `TypeError` or `RangeError` in the resident form and rejects with
 * one in the host form. Plain number arrays are rounded to float32;
 * Float64Arrays and other typed arrays are refused (`TypeError`), so float64
 * data is never narrowed without the caller saying so.
 *
 * Kernels compute in float64 with the catalog's stable formulas and round
 * once to float32; the tests hold values within 1 ULP and gradients within
 * 2 ULP of the float64 reference rounded to float32. They run as WebAssembly
 * SIMD loops over tensors kept in the WebAssembly memory where the runtime
 * has WebAssembly SIMD, and as JavaScript loops otherwise: see
 * {@linkcode useKernelSet} (or set `NONLIN_NATIVE_KERNELS=js|wasm-simd`),
 * and `@nonlin/native/js` for a backend that always runs the JavaScript
 * loops. Where shared memory and blocking waits exist, a large call is
 * split over helper threads: `navigator.hardwareConcurrency` threads (at
 * most 16) by default, `NONLIN_NATIVE_THREADS=N` for N (1: none), read from
 * `Deno.env` or Node's `process.env`; from 2¹⁵ elements per thread (3·2¹⁷
 * for the loops on float32 lanes — relu, relu6, hardTanh, threshold,
 * hardshrink and the select-only loops of others —, which split resident
 * tensors only: a Float32Array call of theirs stays on the calling
 * thread, where it is bound by its copies). Helpers come from `node:worker_threads` in
 * Node and Deno (unref'ed: a program exits as soon as its own work is done)
 * and are Web Workers in browsers (cross-origin isolated pages, off the main
 * thread). A helper that cannot start leaves the calls on fewer threads,
 * with the reason in `backend.capabilities.properties.threadsReason`.
 * Results are the same bits whatever the thread count: parameter gradients
 * are summed over fixed blocks of 2¹⁴ elements, in order.
 *
 * @example
 * ```ts
 * import { gelu, secondDerivative, tensor, vjp } from "@nonlin/native";
 * import assert from "node:assert";
 *
 * const x = tensor([-1, 0, 1]);
 * const { dx } = vjp("gelu", x, { dy: tensor([1, 1, 1]) });
 * assert.deepStrictEqual(await dx.read(), new Float32Array([-0.08331547, 0.5, 1.0833155]));
 * assert.deepStrictEqual(await gelu([0]), new Float32Array([0]));
 *
 * // swish's β is learned: its gradient comes from the same pass.
 * const g = await vjp("swish", [1, 2], { dy: [1, 1], params: { beta: 0 } });
 * assert.deepStrictEqual(g.dparams.beta, new Float32Array([1.25])); // Σ x²/4 at β = 0
 * assert.deepStrictEqual(await secondDerivative("relu", [3]), new Float32Array([0]));
 * ```
 *
 * @module
 */

import {
  type BackendInfo,
  type ElementwiseDerivative,
  type OpFunction,
  type OpFunctions,
  opNames,
  type Tensor,
  type Vjp,
} from "@nonlin/core";
import {
  activeKernels,
  derivativeFunction,
  opFunction,
  tensor as makeTensor,
  vjp as runVjp,
} from "./_engine.ts";
import {
  availableKernelSets,
  type KernelSetName,
  unavailableKernelSets,
  useKernelSet as selectKernelSet,
} from "./_kernel_sets.ts";
import { nativeBackendInfo } from "./_backend_info.ts";

export { NativeTensor } from "./native_tensor.ts";
export type * from "@nonlin/core/types";
export {
  type AutodiffInput,
  grad,
  type GradFunction,
  type GradOf,
  type GradOptions,
  type Grads,
  type Operand,
  valueAndGrad,
  type ValueAndGradFunction,
  type ValueOf,
  Variable,
  type VariableFunction,
  type VariableParams,
  type WithVariables,
} from "./autodiff.ts";

/**
 * The native backend's identity: always available, float32 storage, every
 * op and gradient supported. `capabilities.properties` describe the kernels
 * as they run now.
 *
 * @example
 * ```ts
 * import { backend } from "@nonlin/native";
 * import assert from "node:assert";
 *
 * assert.strictEqual(backend.name, "native");
 * assert.ok(backend.available);
 * assert.deepStrictEqual(backend.capabilities.unsupported, []);
 * ```
 */
export const backend: BackendInfo = nativeBackendInfo(
  "native",
  activeKernels,
  availableKernelSets,
  unavailableKernelSets,
);

export type { KernelSetName };

/**
 * Chooses the loops every op runs from now on: `"wasm-simd"` (WebAssembly
 * SIMD over tensors in the WebAssembly memory; the default where the
 * runtime has it) or `"js"` (JavaScript loops over Float32Arrays). Both give
 * the same accuracy; tensors made under one stay usable under the other.
 * The environment variable `NONLIN_NATIVE_KERNELS` sets the default at load
 * time. `backend.capabilities.properties.kernels` says which set runs.
 *
 * @param name The kernel set.
 * @throws {RangeError} For an unknown name, or `"wasm-simd"` where this
 * runtime has no WebAssembly SIMD.
 *
 * @example
 * ```ts
 * import { backend, sigmoid, useKernelSet } from "@nonlin/native";
 * import assert from "node:assert";
 *
 * useKernelSet("js");
 * assert.strictEqual(backend.capabilities.properties.kernels, "js");
 * const js = await sigmoid([-1, 0, 1]);
 * useKernelSet("wasm-simd");
 * assert.strictEqual(backend.capabilities.properties.kernels, "wasm-simd");
 * assert.deepStrictEqual(await sigmoid([-1, 0, 1]), js);
 * assert.throws(() => useKernelSet("gpu" as "js"), RangeError);
 * ```
 */
export function useKernelSet(name: KernelSetName): void {
  selectKernelSet(name);
}

/**
 * Uploads host data as a resident native tensor (the data is copied).
 *
 * @param data A Float32Array or an array of numbers (rounded to float32).
 * @param shape Defaults to `[data.length]`; `[]` makes a 0-d tensor.
 * @returns The tensor.
 * @throws {TypeError} For data that is not a Float32Array or an array of
 * numbers (a Float64Array included).
 * @throws {RangeError} For a shape whose product is not the data's length.
 *
 * @example
 * ```ts
 * import { tensor } from "@nonlin/native";
 * import assert from "node:assert";
 *
 * const t = tensor([1, 2, 3, 4, 5, 6], [2, 3]);
 * assert.deepStrictEqual(t.shape, [2, 3]);
 * assert.strictEqual(tensor([7], []).size, 1);
 * assert.throws(() => tensor([1, 2], [3]), RangeError);
 * ```
 */
export function tensor(
  data: Float32Array | readonly number[],
  shape?: readonly number[],
): Tensor {
  return makeTensor(data, shape);
}

/**
 * The vector–Jacobian product of any op, fused: dx = dy·∂f/∂x and, for each
 * learned parameter θ, dθ = Σ dy·∂f/∂θ (summed in float64, over the
 * broadcast dimensions for prelu's α; a 0-d tensor, or a one-element array,
 * for a scalar parameter), all in one pass over x and dy.
 *
 * @example
 * ```ts
 * import { tensor, vjp } from "@nonlin/native";
 * import assert from "node:assert";
 *
 * // prelu with one α per channel (last dimension): dα sums over the rows.
 * const x = tensor([-1, 2, -3, -4], [2, 2]);
 * const { dx, dparams } = vjp("prelu", x, {
 *   dy: tensor([1, 1, 1, 1], [2, 2]),
 *   params: { alpha: tensor([0.5, 0.25], [2]) },
 * });
 * assert.deepStrictEqual(await dx.read(), new Float32Array([0.5, 1, 0.5, 0.25]));
 * assert.deepStrictEqual(await dparams.alpha.read(), new Float32Array([-4, -4]));
 * ```
 */
export const vjp: Vjp = runVjp as Vjp;

/**
 * The elementwise derivative ∂f/∂x of any op (the VJP with dy = 1), with the
 * left-hand value at a kink.
 *
 * @example
 * ```ts
 * import { derivative } from "@nonlin/native";
 * import assert from "node:assert";
 *
 * assert.deepStrictEqual(await derivative("relu", [-1, 0, 1]), new Float32Array([0, 0, 1]));
 * assert.deepStrictEqual(await derivative("sigmoid", [0]), new Float32Array([0.25]));
 * ```
 */
export const derivative: ElementwiseDerivative = derivativeFunction(
  "derivative",
) as ElementwiseDerivative;

/**
 * The elementwise second derivative ∂²f/∂x² of any op, left-hand at a kink.
 *
 * @example
 * ```ts
 * import { secondDerivative } from "@nonlin/native";
 * import assert from "node:assert";
 *
 * // gelu'' = φ(x)(2 − x²): 2φ(0) at 0.
 * assert.deepStrictEqual(await secondDerivative("gelu", [0]), new Float32Array([0.7978846]));
 * ```
 */
export const secondDerivative: ElementwiseDerivative = derivativeFunction(
  "secondDerivative",
) as ElementwiseDerivative;

/** Every op's function on the default engine, for the exports below. */
const native = Object.fromEntries(
  opNames.map((name) => [name, opFunction(name)]),
) as unknown as OpFunctions;

// BEGIN generated by `deno task generate` from the op catalog: do not edit.
/**
 * ReLU, max(x, 0), on the native engine.
 * Derivative: 1 if x > 0 else 0 (relu'(0) = 0).
 * The conventions and the float64 reference: `ops.relu` in `@nonlin/core`.
 *
 * @example
 * ```ts
 * import { relu } from "@nonlin/native";
 * import assert from "node:assert";
 *
 * const y = await relu([-2, -0.5, 0, 1.5]);
 * assert.deepStrictEqual(y, new Float32Array([0, 0, 0, 1.5]));
 * ```
 */
export const relu: OpFunction<"relu"> = native.relu;
/**
 * Leaky ReLU, x if x > 0 else αx, on the native engine.
 * Derivative: 1 if x > 0 else α (leakyRelu'(0) = α).
 * Parameter alpha = 0.01 (slope for x ≤ 0).
 * The conventions and the float64 reference: `ops.leakyRelu` in `@nonlin/core`.
 *
 * @example
 * ```ts
 * import { leakyRelu } from "@nonlin/native";
 * import assert from "node:assert";
 *
 * const y = await leakyRelu([-2, -0.5, 0, 1.5]);
 * assert.deepStrictEqual(y, new Float32Array([-0.02, -0.005, 0, 1.5]));
 * ```
 */
export const leakyRelu: OpFunction<"leakyRelu"> = native.leakyRelu;
/**
 * pReLU, x if x > 0 else αx, α a learned tensor, on the native engine.
 * Derivative: 1 if x > 0 else α (prelu'(0) = α); ∂/∂α = min(x, 0).
 * Parameter alpha, required (slope for x ≤ 0, broadcastable to x).
 * The conventions and the float64 reference: `ops.prelu` in `@nonlin/core`.
 *
 * @example
 * ```ts
 * import { prelu } from "@nonlin/native";
 * import assert from "node:assert";
 *
 * const y = await prelu([-2, -0.5, 0, 1.5], {alpha: 0.25});
 * assert.deepStrictEqual(y, new Float32Array([-0.5, -0.125, 0, 1.5]));
 * ```
 */
export const prelu: OpFunction<"prelu"> = native.prelu;
/**
 * ReLU6, min(max(x, 0), 6), on the native engine.
 * Derivative: 1 if 0 < x ≤ 6 else 0 (relu6'(0) = 0, relu6'(6) = 1).
 * The conventions and the float64 reference: `ops.relu6` in `@nonlin/core`.
 *
 * @example
 * ```ts
 * import { relu6 } from "@nonlin/native";
 * import assert from "node:assert";
 *
 * const y = await relu6([-2, -0.5, 0, 1.5]);
 * assert.deepStrictEqual(y, new Float32Array([0, 0, 0, 1.5]));
 * ```
 */
export const relu6: OpFunction<"relu6"> = native.relu6;
/**
 * ELU, x if x > 0 else α(eˣ − 1), on the native engine.
 * Derivative: 1 if x > 0 else αeˣ (elu'(0) = α).
 * Parameter alpha = 1 (value approached as x → −∞ is −α).
 * The conventions and the float64 reference: `ops.elu` in `@nonlin/core`.
 *
 * @example
 * ```ts
 * import { elu } from "@nonlin/native";
 * import assert from "node:assert";
 *
 * const y = await elu([-2, -0.5, 0, 1.5]);
 * assert.deepStrictEqual(y, new Float32Array([-0.86466473, -0.39346933, 0, 1.5]));
 * ```
 */
export const elu: OpFunction<"elu"> = native.elu;
/**
 * SELU, λ·(x if x > 0 else α(eˣ − 1)), λ ≈ 1.0507, α ≈ 1.6733, on the native engine.
 * Derivative: λ if x > 0 else λαeˣ (selu'(0) = λα).
 * The conventions and the float64 reference: `ops.selu` in `@nonlin/core`.
 *
 * @example
 * ```ts
 * import { selu } from "@nonlin/native";
 * import assert from "node:assert";
 *
 * const y = await selu([-2, -0.5, 0, 1.5]);
 * assert.deepStrictEqual(y, new Float32Array([-1.5201665, -0.6917582, 0, 1.5760515]));
 * ```
 */
export const selu: OpFunction<"selu"> = native.selu;
/**
 * CELU, max(0, x) + min(0, α(e^{x/α} − 1)), on the native engine.
 * Derivative: 1 if x > 0 else e^{x/α} (celu'(0) = 1).
 * Parameter alpha = 1 (scale of the negative part).
 * The conventions and the float64 reference: `ops.celu` in `@nonlin/core`.
 *
 * @example
 * ```ts
 * import { celu } from "@nonlin/native";
 * import assert from "node:assert";
 *
 * const y = await celu([-2, -0.5, 0, 1.5]);
 * assert.deepStrictEqual(y, new Float32Array([-0.86466473, -0.39346933, 0, 1.5]));
 * ```
 */
export const celu: OpFunction<"celu"> = native.celu;
/**
 * Sigmoid, 1 / (1 + e⁻ˣ), on the native engine.
 * Derivative: σ(x)σ(−x) = σ(x)(1 − σ(x)).
 * The conventions and the float64 reference: `ops.sigmoid` in `@nonlin/core`.
 *
 * @example
 * ```ts
 * import { sigmoid } from "@nonlin/native";
 * import assert from "node:assert";
 *
 * const y = await sigmoid([-2, -0.5, 0, 1.5]);
 * assert.deepStrictEqual(y, new Float32Array([0.11920292, 0.37754068, 0.5, 0.8175745]));
 * ```
 */
export const sigmoid: OpFunction<"sigmoid"> = native.sigmoid;
/**
 * Log-sigmoid, log σ(x) = −softplus(−x), on the native engine.
 * Derivative: σ(−x).
 * The conventions and the float64 reference: `ops.logSigmoid` in `@nonlin/core`.
 *
 * @example
 * ```ts
 * import { logSigmoid } from "@nonlin/native";
 * import assert from "node:assert";
 *
 * const y = await logSigmoid([-2, -0.5, 0, 1.5]);
 * assert.deepStrictEqual(y, new Float32Array([-2.126928, -0.974077, -0.6931472, -0.20141327]));
 * ```
 */
export const logSigmoid: OpFunction<"logSigmoid"> = native.logSigmoid;
/**
 * Hard sigmoid, relu6(x + 3) / 6, on the native engine.
 * Derivative: 1/6 if −3 < x ≤ 3 else 0.
 * The conventions and the float64 reference: `ops.hardSigmoid` in `@nonlin/core`.
 *
 * @example
 * ```ts
 * import { hardSigmoid } from "@nonlin/native";
 * import assert from "node:assert";
 *
 * const y = await hardSigmoid([-2, -0.5, 0, 1.5]);
 * assert.deepStrictEqual(y, new Float32Array([0.16666667, 0.41666666, 0.5, 0.75]));
 * ```
 */
export const hardSigmoid: OpFunction<"hardSigmoid"> = native.hardSigmoid;
/**
 * Tanh, (1 − e⁻²ˣ) / (1 + e⁻²ˣ), on the native engine.
 * Derivative: 1 − tanh²(x).
 * The conventions and the float64 reference: `ops.tanh` in `@nonlin/core`.
 *
 * @example
 * ```ts
 * import { tanh } from "@nonlin/native";
 * import assert from "node:assert";
 *
 * const y = await tanh([-2, -0.5, 0, 1.5]);
 * assert.deepStrictEqual(y, new Float32Array([-0.9640276, -0.46211717, 0, 0.90514827]));
 * ```
 */
export const tanh: OpFunction<"tanh"> = native.tanh;
/**
 * Hard tanh, clamp(x, min, max), on the native engine.
 * Derivative: 1 if min < x ≤ max else 0.
 * Parameter min = -1 (lower bound).
 * Parameter max = 1 (upper bound).
 * The conventions and the float64 reference: `ops.hardTanh` in `@nonlin/core`.
 *
 * @example
 * ```ts
 * import { hardTanh } from "@nonlin/native";
 * import assert from "node:assert";
 *
 * const y = await hardTanh([-2, -0.5, 0, 1.5]);
 * assert.deepStrictEqual(y, new Float32Array([-1, -0.5, 0, 1]));
 * ```
 */
export const hardTanh: OpFunction<"hardTanh"> = native.hardTanh;
/**
 * Softsign, x / (1 + |x|), on the native engine.
 * Derivative: 1 / (1 + |x|)².
 * The conventions and the float64 reference: `ops.softsign` in `@nonlin/core`.
 *
 * @example
 * ```ts
 * import { softsign } from "@nonlin/native";
 * import assert from "node:assert";
 *
 * const y = await softsign([-2, -0.5, 0, 1.5]);
 * assert.deepStrictEqual(y, new Float32Array([-0.6666667, -0.33333334, 0, 0.6]));
 * ```
 */
export const softsign: OpFunction<"softsign"> = native.softsign;
/**
 * Softplus, (1/β)·log(1 + e^{βx}); x where βx > threshold, on the native engine.
 * Derivative: σ(βx); 1 where βx > threshold.
 * Parameter beta = 1 (sharpness; softplus → relu as β grows).
 * Parameter threshold = 20 (above this βx the function is taken as linear).
 * The conventions and the float64 reference: `ops.softplus` in `@nonlin/core`.
 *
 * @example
 * ```ts
 * import { softplus } from "@nonlin/native";
 * import assert from "node:assert";
 *
 * const y = await softplus([-2, -0.5, 0, 1.5]);
 * assert.deepStrictEqual(y, new Float32Array([0.12692802, 0.474077, 0.6931472, 1.7014133]));
 * ```
 */
export const softplus: OpFunction<"softplus"> = native.softplus;
/**
 * GELU, xΦ(x); tanh form 0.5x(1 + tanh(√(2/π)(x + 0.044715x³))), on the native engine.
 * Derivative: Φ(x) + xφ(x).
 * Parameter approximate = "none" | "tanh" ("none" for xΦ(x), "tanh" for the tanh approximation).
 * The conventions and the float64 reference: `ops.gelu` in `@nonlin/core`.
 *
 * @example
 * ```ts
 * import { gelu } from "@nonlin/native";
 * import assert from "node:assert";
 *
 * const y = await gelu([-2, -0.5, 0, 1.5]);
 * assert.deepStrictEqual(y, new Float32Array([-0.045500264, -0.15426877, 0, 1.3997892]));
 * ```
 */
export const gelu: OpFunction<"gelu"> = native.gelu;
/**
 * Swish, x·σ(βx), on the native engine.
 * Derivative: σ(βx) + βxσ(βx)σ(−βx).
 * Parameter beta = 1 (sharpness; swish → relu as β → ∞, x/2 at β = 0).
 * The conventions and the float64 reference: `ops.swish` in `@nonlin/core`.
 *
 * @example
 * ```ts
 * import { swish } from "@nonlin/native";
 * import assert from "node:assert";
 *
 * const y = await swish([-2, -0.5, 0, 1.5]);
 * assert.deepStrictEqual(y, new Float32Array([-0.23840584, -0.18877034, 0, 1.2263618]));
 * ```
 */
export const swish: OpFunction<"swish"> = native.swish;
/**
 * SiLU, x·σ(x), on the native engine.
 * Derivative: σ(x) + xσ(x)σ(−x).
 * The conventions and the float64 reference: `ops.silu` in `@nonlin/core`.
 *
 * @example
 * ```ts
 * import { silu } from "@nonlin/native";
 * import assert from "node:assert";
 *
 * const y = await silu([-2, -0.5, 0, 1.5]);
 * assert.deepStrictEqual(y, new Float32Array([-0.23840584, -0.18877034, 0, 1.2263618]));
 * ```
 */
export const silu: OpFunction<"silu"> = native.silu;
/**
 * Mish, x·tanh(softplus(x)), on the native engine.
 * Derivative: tanh(sp(x)) + x·sech²(sp(x))·σ(x).
 * The conventions and the float64 reference: `ops.mish` in `@nonlin/core`.
 *
 * @example
 * ```ts
 * import { mish } from "@nonlin/native";
 * import assert from "node:assert";
 *
 * const y = await mish([-2, -0.5, 0, 1.5]);
 * assert.deepStrictEqual(y, new Float32Array([-0.2525015, -0.22074378, 0, 1.4033782]));
 * ```
 */
export const mish: OpFunction<"mish"> = native.mish;
/**
 * Hard swish, x·relu6(x + 3) / 6, on the native engine.
 * Derivative: 0 if x ≤ −3, (2x + 3)/6 if −3 < x ≤ 3, else 1.
 * The conventions and the float64 reference: `ops.hardSwish` in `@nonlin/core`.
 *
 * @example
 * ```ts
 * import { hardSwish } from "@nonlin/native";
 * import assert from "node:assert";
 *
 * const y = await hardSwish([-2, -0.5, 0, 1.5]);
 * assert.deepStrictEqual(y, new Float32Array([-0.33333334, -0.20833333, 0, 1.125]));
 * ```
 */
export const hardSwish: OpFunction<"hardSwish"> = native.hardSwish;
/**
 * Hard shrink, x if |x| > λ else 0, on the native engine.
 * Derivative: 1 if x > λ or x ≤ −λ else 0 (hardshrink'(λ) = 0, hardshrink'(−λ) = 1).
 * Parameter lambda = 0.5 (half-width of the band set to 0).
 * The conventions and the float64 reference: `ops.hardshrink` in `@nonlin/core`.
 *
 * @example
 * ```ts
 * import { hardshrink } from "@nonlin/native";
 * import assert from "node:assert";
 *
 * const y = await hardshrink([-2, -0.5, 0, 1.5]);
 * assert.deepStrictEqual(y, new Float32Array([-2, 0, 0, 1.5]));
 * ```
 */
export const hardshrink: OpFunction<"hardshrink"> = native.hardshrink;
/**
 * Soft shrink, x − λ if x > λ, x + λ if x < −λ, else 0, on the native engine.
 * Derivative: 1 if x > λ or x ≤ −λ else 0 (softshrink'(λ) = 0, softshrink'(−λ) = 1).
 * Parameter lambda = 0.5 (half-width of the band set to 0, and the shift outside it).
 * The conventions and the float64 reference: `ops.softshrink` in `@nonlin/core`.
 *
 * @example
 * ```ts
 * import { softshrink } from "@nonlin/native";
 * import assert from "node:assert";
 *
 * const y = await softshrink([-2, -0.5, 0, 1.5]);
 * assert.deepStrictEqual(y, new Float32Array([-1.5, 0, 0, 1]));
 * ```
 */
export const softshrink: OpFunction<"softshrink"> = native.softshrink;
/**
 * Tanh shrink, x − tanh x, on the native engine.
 * Derivative: tanh²x.
 * The conventions and the float64 reference: `ops.tanhshrink` in `@nonlin/core`.
 *
 * @example
 * ```ts
 * import { tanhshrink } from "@nonlin/native";
 * import assert from "node:assert";
 *
 * const y = await tanhshrink([-2, -0.5, 0, 1.5]);
 * assert.deepStrictEqual(y, new Float32Array([-1.0359725, -0.037882842, 0, 0.59485173]));
 * ```
 */
export const tanhshrink: OpFunction<"tanhshrink"> = native.tanhshrink;
/**
 * Threshold, x if x > threshold else value, on the native engine.
 * Derivative: 1 if x > threshold else 0 (threshold'(threshold) = 0).
 * Parameter threshold, required (x above it passes).
 * Parameter value, required (what replaces x at or below the threshold).
 * The conventions and the float64 reference: `ops.threshold` in `@nonlin/core`.
 *
 * @example
 * ```ts
 * import { threshold } from "@nonlin/native";
 * import assert from "node:assert";
 *
 * const y = await threshold([-2, -0.5, 0, 1.5], {threshold: 1, value: -1});
 * assert.deepStrictEqual(y, new Float32Array([-1, -1, -1, 1.5]));
 * ```
 */
export const threshold: OpFunction<"threshold"> = native.threshold;
/**
 * Squareplus, (x + √(x² + b)) / 2, on the native engine.
 * Derivative: (1 + x/√(x² + b)) / 2 (with b = 0, squareplus'(0) = 0).
 * Parameter b = 4 (curvature at 0: squareplus(0) = √b/2; b = 0 is relu).
 * The conventions and the float64 reference: `ops.squareplus` in `@nonlin/core`.
 *
 * @example
 * ```ts
 * import { squareplus } from "@nonlin/native";
 * import assert from "node:assert";
 *
 * const y = await squareplus([-2, -0.5, 0, 1.5]);
 * assert.deepStrictEqual(y, new Float32Array([0.41421357, 0.7807764, 1, 2]));
 * ```
 */
export const squareplus: OpFunction<"squareplus"> = native.squareplus;
// END generated
