/**
 * `@nonlin/native/webgpu`: the native engine's kernels as WGSL compute
 * shaders on a WebGPU device (Deno's or a browser's `navigator.gpu`), one
 * fused dispatch per call: forward, derivative, second derivative, and the
 * vector–Jacobian product with dx and every learned parameter's gradient
 * from one pass over x and dy, the parameter sums reduced on the GPU in a
 * fixed order (the same bits on every run).
 *
 * The shaders compute the catalog's stable formulas in double-f32
 * arithmetic (about 2⁻⁴⁴) with their own range-reduced exponential, log1p
 * and erfc, and round once to float32; NaN, ±∞ and ±0 take the values of
 * the native JavaScript kernels, chosen on the bits (WGSL compilers may
 * assume floats are finite). The arithmetic-only ops relu, relu6 and
 * hardTanh are integer selects on the bits, exact even for subnormals.
 *
 * It implements the backend contract of `@nonlin/core`. Without a WebGPU
 * adapter the module still loads: `backend.available` is `false`,
 * `backend.reason` says why, and every function throws (or rejects with) a
 * `BackendUnavailableError`. When the device is lost the same happens, and
 * reads in flight reject. Tensors live in GPU buffers (disposed ones are
 * pooled for reuse, up to 1 GiB); nothing is read back unless a tensor is
 * read. A tensor larger than one storage binding is processed in chunks;
 * one larger than the device's `maxBufferSize` is a `RangeError` naming it.
 *
 * @example
 * ```ts
 * import { backend, sigmoid, tensor, vjp } from "@nonlin/native/webgpu";
 * import assert from "node:assert";
 *
 * if (backend.available) {
 *   assert.deepStrictEqual(await sigmoid([0]), new Float32Array([0.5]));
 *   const x = tensor([-1, 2]);
 *   const { dx, dparams } = vjp("swish", x, { dy: tensor([1, 1]), params: { beta: 1 } });
 *   assert.strictEqual((await dx.read()).length, 2);
 *   assert.strictEqual((await dparams.beta.read()).length, 1);
 * } else {
 *   assert.strictEqual(typeof backend.reason, "string");
 * }
 * ```
 *
 * @module
 */

import {
  type BackendInfo,
  backendInfo,
  type BackendModule,
  backendModule,
  BackendUnavailableError,
  type ElementwiseDerivative,
  type OpFunction,
  type Vjp,
} from "@nonlin/core";
import { type Gpu, NAME, startGpu } from "./_device.ts";
import { GpuEngine } from "./_gpu_engine.ts";

export { WebGpuTensor } from "./_gpu_engine.ts";
export type * from "@nonlin/core/types";

const started = await startGpu(
  (globalThis.navigator as Navigator & { gpu?: GPU } | undefined)?.gpu,
);
const gpu: Gpu | undefined = "gpu" in started ? started.gpu : undefined;
const engine = gpu === undefined ? undefined : new GpuEngine(gpu);

function unavailable(): string | undefined {
  return "reason" in started ? started.reason : gpu!.lost();
}

function live(): GpuEngine {
  const reason = unavailable();
  if (reason !== undefined) throw new BackendUnavailableError(NAME, reason);
  return engine!;
}

/** Runs `f` on the live engine: throws for a tensor, rejects for host data. */
function guarded(x: unknown, f: (e: GpuEngine) => unknown): unknown {
  const tensorForm = typeof x === "object" && x !== null && "backend" in x;
  if (tensorForm) return f(live());
  try {
    return f(live());
  } catch (error) {
    return Promise.reject(error);
  }
}

const webgpu = backendModule({
  backend: backendInfo({
    name: NAME,
    unavailable,
    unsupported: [],
    properties: gpu?.properties ?? {},
  }),
  tensor: (data, shape) => live().tensor(data, shape),
  vjp: (op, x, options) => guarded(x, (e) => e.vjpCall(op, x, options)),
  elementwise: (feature, op, x, options) =>
    guarded(x, (e) => e.call(feature, op, x, options)),
  release: () => gpu?.release() ?? Promise.resolve(),
});

/**
 * GPU buffers this backend holds now (tensors, pooled buffers, uniform
 * blocks, index maps): for tests that prove nothing leaks.
 *
 * @example
 * ```ts
 * import { backend, liveBuffers, relu } from "@nonlin/native/webgpu";
 * import assert from "node:assert";
 *
 * if (backend.available) {
 *   await relu([1, -1]);
 *   assert.ok(liveBuffers() > 0); // the pool keeps the freed buffers
 * }
 * ```
 */
export function liveBuffers(): number {
  return gpu?.liveBuffers() ?? 0;
}

/**
 * Destroys the pooled buffers and cached uniform blocks (the tensors in use
 * stay); `liveBuffers()` then counts what is really held.
 *
 * @example
 * ```ts
 * import { backend, liveBuffers, tensor, trimPool } from "@nonlin/native/webgpu";
 * import assert from "node:assert";
 *
 * if (backend.available) {
 *   tensor([1, 2, 3]).dispose();
 *   trimPool();
 *   const before = liveBuffers();
 *   const t = tensor([1]);
 *   assert.strictEqual(liveBuffers(), before + 1);
 *   t.dispose();
 * }
 * ```
 */
export function trimPool(): void {
  engine?.trim();
}

/**
 * Compute pipelines compiled so far: one per kernel family and loop, never
 * one per parameter value (parameters are uniforms).
 *
 * @example
 * ```ts
 * import { backend, elu, pipelineCount } from "@nonlin/native/webgpu";
 * import assert from "node:assert";
 *
 * if (backend.available) {
 *   await elu([-1], { alpha: 0.5 });
 *   const n = pipelineCount();
 *   await elu([-1], { alpha: 2 });
 *   assert.strictEqual(pipelineCount(), n);
 * }
 * ```
 */
export function pipelineCount(): number {
  return engine?.pipelineCount ?? 0;
}

/**
 * Resolves once the GPU has finished every command submitted so far
 * (`GPUQueue.onSubmittedWorkDone()` of this backend's device): for timing
 * resident work without reading anything back.
 *
 * @example
 * ```ts
 * import { backend, queueDone, sigmoid, tensor } from "@nonlin/native/webgpu";
 *
 * if (backend.available) {
 *   const y = sigmoid(tensor([1, 2, 3]));
 *   await queueDone();
 *   y.dispose();
 * }
 * ```
 */
export function queueDone(): Promise<void> {
  return gpu === undefined || gpu.lost() !== undefined
    ? Promise.resolve()
    : gpu.device.queue.onSubmittedWorkDone();
}

/**
 * Destroys this backend's WebGPU device, and with it every tensor and pooled
 * buffer, and resolves once the device is gone: what a program or worker
 * calls before it ends, so that the device is not torn down while its thread
 * dies (the conformance suite's workers do). Afterwards `backend.available`
 * is `false` and every call throws a `BackendUnavailableError`; a second
 * call does nothing. Without a device it resolves at once.
 *
 * @example
 * ```ts
 * import { BackendUnavailableError } from "@nonlin/core";
 * import { backend, liveBuffers, release, relu } from "@nonlin/native/webgpu";
 * import assert from "node:assert";
 *
 * if (backend.available) {
 *   await relu([1, -1]);
 *   await release();
 *   assert.strictEqual(backend.available, false);
 *   assert.strictEqual(liveBuffers(), 0);
 *   await assert.rejects(relu([1]), BackendUnavailableError);
 * }
 * ```
 */
export const release: () => Promise<void> = webgpu.release!;

/** This backend: its name, whether it runs here (and why not) and its capabilities. */
export const backend: BackendInfo = webgpu.backend;
/** Uploads host data as a resident tensor in a GPU buffer. */
export const tensor: BackendModule["tensor"] = webgpu.tensor;
/** The fused vector–Jacobian product of any op: dx and every parameter's sum from one pass. */
export const vjp: Vjp = webgpu.vjp;
/** The elementwise derivative of any op, left-hand at a kink. */
export const derivative: ElementwiseDerivative = webgpu.derivative;
/** The elementwise second derivative of any op, left-hand at a kink. */
export const secondDerivative: ElementwiseDerivative = webgpu.secondDerivative;
// BEGIN generated by `deno task generate` from the op catalog: do not edit.
/**
 * ReLU, max(x, 0), on the native engine's WebGPU kernels.
 * Derivative: 1 if x > 0 else 0 (relu'(0) = 0).
 * The conventions and the float64 reference: `ops.relu` in `@nonlin/core`.
 */
export const relu: OpFunction<"relu"> = webgpu.relu;
/**
 * Leaky ReLU, x if x > 0 else αx, on the native engine's WebGPU kernels.
 * Derivative: 1 if x > 0 else α (leakyRelu'(0) = α).
 * Parameter alpha = 0.01 (slope for x ≤ 0).
 * The conventions and the float64 reference: `ops.leakyRelu` in `@nonlin/core`.
 */
export const leakyRelu: OpFunction<"leakyRelu"> = webgpu.leakyRelu;
/**
 * pReLU, x if x > 0 else αx, α a learned tensor, on the native engine's WebGPU kernels.
 * Derivative: 1 if x > 0 else α (prelu'(0) = α); ∂/∂α = min(x, 0).
 * Parameter alpha, required (slope for x ≤ 0, broadcastable to x).
 * The conventions and the float64 reference: `ops.prelu` in `@nonlin/core`.
 */
export const prelu: OpFunction<"prelu"> = webgpu.prelu;
/**
 * ReLU6, min(max(x, 0), 6), on the native engine's WebGPU kernels.
 * Derivative: 1 if 0 < x ≤ 6 else 0 (relu6'(0) = 0, relu6'(6) = 1).
 * The conventions and the float64 reference: `ops.relu6` in `@nonlin/core`.
 */
export const relu6: OpFunction<"relu6"> = webgpu.relu6;
/**
 * ELU, x if x > 0 else α(eˣ − 1), on the native engine's WebGPU kernels.
 * Derivative: 1 if x > 0 else αeˣ (elu'(0) = α).
 * Parameter alpha = 1 (value approached as x → −∞ is −α).
 * The conventions and the float64 reference: `ops.elu` in `@nonlin/core`.
 */
export const elu: OpFunction<"elu"> = webgpu.elu;
/**
 * SELU, λ·(x if x > 0 else α(eˣ − 1)), λ ≈ 1.0507, α ≈ 1.6733, on the native engine's WebGPU kernels.
 * Derivative: λ if x > 0 else λαeˣ (selu'(0) = λα).
 * The conventions and the float64 reference: `ops.selu` in `@nonlin/core`.
 */
export const selu: OpFunction<"selu"> = webgpu.selu;
/**
 * CELU, max(0, x) + min(0, α(e^{x/α} − 1)), on the native engine's WebGPU kernels.
 * Derivative: 1 if x > 0 else e^{x/α} (celu'(0) = 1).
 * Parameter alpha = 1 (scale of the negative part).
 * The conventions and the float64 reference: `ops.celu` in `@nonlin/core`.
 */
export const celu: OpFunction<"celu"> = webgpu.celu;
/**
 * Sigmoid, 1 / (1 + e⁻ˣ), on the native engine's WebGPU kernels.
 * Derivative: σ(x)σ(−x) = σ(x)(1 − σ(x)).
 * The conventions and the float64 reference: `ops.sigmoid` in `@nonlin/core`.
 */
export const sigmoid: OpFunction<"sigmoid"> = webgpu.sigmoid;
/**
 * Log-sigmoid, log σ(x) = −softplus(−x), on the native engine's WebGPU kernels.
 * Derivative: σ(−x).
 * The conventions and the float64 reference: `ops.logSigmoid` in `@nonlin/core`.
 */
export const logSigmoid: OpFunction<"logSigmoid"> = webgpu.logSigmoid;
/**
 * Hard sigmoid, relu6(x + 3) / 6, on the native engine's WebGPU kernels.
 * Derivative: 1/6 if −3 < x ≤ 3 else 0.
 * The conventions and the float64 reference: `ops.hardSigmoid` in `@nonlin/core`.
 */
export const hardSigmoid: OpFunction<"hardSigmoid"> = webgpu.hardSigmoid;
/**
 * Tanh, (1 − e⁻²ˣ) / (1 + e⁻²ˣ), on the native engine's WebGPU kernels.
 * Derivative: 1 − tanh²(x).
 * The conventions and the float64 reference: `ops.tanh` in `@nonlin/core`.
 */
export const tanh: OpFunction<"tanh"> = webgpu.tanh;
/**
 * Hard tanh, clamp(x, min, max), on the native engine's WebGPU kernels.
 * Derivative: 1 if min < x ≤ max else 0.
 * Parameter min = -1 (lower bound).
 * Parameter max = 1 (upper bound).
 * The conventions and the float64 reference: `ops.hardTanh` in `@nonlin/core`.
 */
export const hardTanh: OpFunction<"hardTanh"> = webgpu.hardTanh;
/**
 * Softsign, x / (1 + |x|), on the native engine's WebGPU kernels.
 * Derivative: 1 / (1 + |x|)².
 * The conventions and the float64 reference: `ops.softsign` in `@nonlin/core`.
 */
export const softsign: OpFunction<"softsign"> = webgpu.softsign;
/**
 * Softplus, (1/β)·log(1 + e^{βx}); x where βx > threshold, on the native engine's WebGPU kernels.
 * Derivative: σ(βx); 1 where βx > threshold.
 * Parameter beta = 1 (sharpness; softplus → relu as β grows).
 * Parameter threshold = 20 (above this βx the function is taken as linear).
 * The conventions and the float64 reference: `ops.softplus` in `@nonlin/core`.
 */
export const softplus: OpFunction<"softplus"> = webgpu.softplus;
/**
 * GELU, xΦ(x); tanh form 0.5x(1 + tanh(√(2/π)(x + 0.044715x³))), on the native engine's WebGPU kernels.
 * Derivative: Φ(x) + xφ(x).
 * Parameter approximate = "none" | "tanh" ("none" for xΦ(x), "tanh" for the tanh approximation).
 * The conventions and the float64 reference: `ops.gelu` in `@nonlin/core`.
 */
export const gelu: OpFunction<"gelu"> = webgpu.gelu;
/**
 * Swish, x·σ(βx), on the native engine's WebGPU kernels.
 * Derivative: σ(βx) + βxσ(βx)σ(−βx).
 * Parameter beta = 1 (sharpness; swish → relu as β → ∞, x/2 at β = 0).
 * The conventions and the float64 reference: `ops.swish` in `@nonlin/core`.
 */
export const swish: OpFunction<"swish"> = webgpu.swish;
/**
 * SiLU, x·σ(x), on the native engine's WebGPU kernels.
 * Derivative: σ(x) + xσ(x)σ(−x).
 * The conventions and the float64 reference: `ops.silu` in `@nonlin/core`.
 */
export const silu: OpFunction<"silu"> = webgpu.silu;
/**
 * Mish, x·tanh(softplus(x)), on the native engine's WebGPU kernels.
 * Derivative: tanh(sp(x)) + x·sech²(sp(x))·σ(x).
 * The conventions and the float64 reference: `ops.mish` in `@nonlin/core`.
 */
export const mish: OpFunction<"mish"> = webgpu.mish;
/**
 * Hard swish, x·relu6(x + 3) / 6, on the native engine's WebGPU kernels.
 * Derivative: 0 if x ≤ −3, (2x + 3)/6 if −3 < x ≤ 3, else 1.
 * The conventions and the float64 reference: `ops.hardSwish` in `@nonlin/core`.
 */
export const hardSwish: OpFunction<"hardSwish"> = webgpu.hardSwish;
/**
 * Hard shrink, x if |x| > λ else 0, on the native engine's WebGPU kernels.
 * Derivative: 1 if x > λ or x ≤ −λ else 0 (hardshrink'(λ) = 0, hardshrink'(−λ) = 1).
 * Parameter lambda = 0.5 (half-width of the band set to 0).
 * The conventions and the float64 reference: `ops.hardshrink` in `@nonlin/core`.
 */
export const hardshrink: OpFunction<"hardshrink"> = webgpu.hardshrink;
/**
 * Soft shrink, x − λ if x > λ, x + λ if x < −λ, else 0, on the native engine's WebGPU kernels.
 * Derivative: 1 if x > λ or x ≤ −λ else 0 (softshrink'(λ) = 0, softshrink'(−λ) = 1).
 * Parameter lambda = 0.5 (half-width of the band set to 0, and the shift outside it).
 * The conventions and the float64 reference: `ops.softshrink` in `@nonlin/core`.
 */
export const softshrink: OpFunction<"softshrink"> = webgpu.softshrink;
/**
 * Tanh shrink, x − tanh x, on the native engine's WebGPU kernels.
 * Derivative: tanh²x.
 * The conventions and the float64 reference: `ops.tanhshrink` in `@nonlin/core`.
 */
export const tanhshrink: OpFunction<"tanhshrink"> = webgpu.tanhshrink;
/**
 * Threshold, x if x > threshold else value, on the native engine's WebGPU kernels.
 * Derivative: 1 if x > threshold else 0 (threshold'(threshold) = 0).
 * Parameter threshold, required (x above it passes).
 * Parameter value, required (what replaces x at or below the threshold).
 * The conventions and the float64 reference: `ops.threshold` in `@nonlin/core`.
 */
export const threshold: OpFunction<"threshold"> = webgpu.threshold;
/**
 * Squareplus, (x + √(x² + b)) / 2, on the native engine's WebGPU kernels.
 * Derivative: (1 + x/√(x² + b)) / 2 (with b = 0, squareplus'(0) = 0).
 * Parameter b = 4 (curvature at 0: squareplus(0) = √b/2; b = 0 is relu).
 * The conventions and the float64 reference: `ops.squareplus` in `@nonlin/core`.
 */
export const squareplus: OpFunction<"squareplus"> = webgpu.squareplus;
// END generated
