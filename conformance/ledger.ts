/**
 * The ledger: every known, accepted departure of a backend from the pinned
 * conventions or from its tolerance, with the reason, the class of
 * deviation, the devices it shows on and, for TensorFlow.js, where in its
 * source it comes from. This is the one source of known deviations: the
 * conformance suite, the adapters' contract test, the book page and the plot
 * read it. A failure not listed here fails the run, and so does an entry that
 * no longer fails, so the ledger stays true.
 *
 * What a backend declares it cannot compute (`capabilities.unsupported`) is
 * not restated here: the suite reads it from the backend.
 *
 * Entries with `devices` hold only on those device profiles (devices.ts):
 * a GPU's arithmetic is the driver's, so a deviation measured on llvmpipe is
 * not assumed on an NVIDIA GPU. Every entry was found by the suite and
 * checked against tfjs 4.22's source (`node_modules/@tensorflow/*`); paths
 * are those of the tfjs repository. The three tfjs backends share
 * tfjs-core's gradients, so most departures of the gradients appear on all
 * three. Imports only types: the book page loads it in the browser.
 *
 * To add an entry for a new backend, write a finding (reason, source, class)
 * in `why` and one `waive(...)` line per check it fails; a third-party
 * author passes the same fields as JSON with `--waivers FILE`.
 *
 * @module
 */

import type { OpName } from "@nonlin/core";
import type { CaseParamValue } from "./cases.ts";
import type { CheckKind } from "./checks.ts";

/**
 * The classes of deviation the suite names, and detects by itself on a
 * device with no profile:
 * - `flushToZero`: subnormal inputs or results (or intermediates) replaced by zero;
 * - `nanDropped`: NaN lost, through max/min/clamp or a comparison branch;
 * - `infArithmetic`: ∞·0 or ∞/∞ where the result is a finite limit;
 * - `tailCancellation`: a formula that cancels (1 − y, eˣ − 1, …), so the
 *   relative error is large where the absolute error is small;
 * - `rightKink`: the right-hand derivative at a kink, not the pinned left-hand one;
 * - `unsupported`: a feature the backend declares it cannot compute;
 * - `signOfZero`: −0 for +0 or the reverse from an odd function;
 * - `accuracy`: more ULP than the tolerance allows, none of the above;
 * - `error`: a call threw or returned the wrong shape.
 */
export type DeviationClass =
  | "flushToZero"
  | "nanDropped"
  | "infArithmetic"
  | "tailCancellation"
  | "rightKink"
  | "unsupported"
  | "signOfZero"
  | "accuracy"
  | "error";

/** The short label of each class, as report cells show it. */
export const classLabels: { readonly [C in DeviationClass]: string } = {
  flushToZero: "FTZ",
  nanDropped: "NaN dropped",
  infArithmetic: "∞·0",
  tailCancellation: "cancellation",
  rightKink: "right kink",
  unsupported: "unsupported",
  signOfZero: "−0",
  accuracy: "ULP",
  error: "error",
};

/** One accepted departure of one backend. */
export interface KnownDeviation {
  /** The backend's name. */
  readonly backend: string;
  /** The op. */
  readonly op: OpName;
  /** The check that fails. */
  readonly check: CheckKind;
  /**
   * The parameter sets it applies to, each matched on the keys it gives; all
   * of the op's cases when omitted. Every case matched must fail.
   */
  readonly params?: readonly Readonly<Record<string, CaseParamValue>>[];
  /**
   * The device profiles (devices.ts) it holds on; every device when omitted.
   * Only a backend that computes on a device is scoped by it: a backend with
   * no device (on the CPU) matches every entry of its name.
   */
  readonly devices?: readonly string[];
  /** Its class. */
  readonly class?: DeviationClass;
  /** Why the backend does this. */
  readonly reason: string;
  /** Where the behaviour comes from: a source file, or an issue. */
  readonly source?: string;
  /**
   * Inputs at which the departure shows, added to every run (quick ones
   * included) so the entry is always put to the test.
   */
  readonly inputs?: readonly number[];
  /**
   * For a sum (a parameter gradient) whose error builds up from the error of
   * each term, so that which of the cases it lists leaves the sum's bound
   * depends on the run's inputs (the quick run's or the full run's): the
   * entry is used while at least one case it covers fails, and stale only
   * once every one of them passes. Without it an entry is stale as soon as
   * one case it covers passes.
   */
  readonly anyCase?: true;
  /**
   * Shown only on the adapters' contract grid (`adapters/contract_test.ts`),
   * point by point: a parameter gradient's per-element term that the
   * conformance run, which judges parameter gradients as sums over moderate
   * inputs, never sees apart. The conformance run neither waives with it
   * nor judges it ("not evaluated"); the contract suite fails when it no
   * longer covers a deviation there, so it cannot go stale unnoticed.
   */
  readonly shownBy?: "contract";
  /**
   * The run whose inputs show it, where a sum's error lands on one side of
   * its bound with the quick run's inputs and on the other with the full
   * run's: in the other run the entry is "not evaluated" (it neither waives
   * nor goes stale there). Absent: both runs.
   */
  readonly run?: "quick" | "full";
}

/** The former name of {@linkcode KnownDeviation}. */
export type Waiver = KnownDeviation;

/** A result to look an entry up for. */
export interface LedgerQuery {
  /** The backend's name. */
  readonly backend: string;
  /** The device profile the backend ran on; `undefined` for none. */
  readonly device?: string | undefined;
  /** Whether the backend computes on a device at all (a GPU). */
  readonly onDevice?: boolean;
  /** The op. */
  readonly op: string;
  /** The conformance check. */
  readonly check: string;
  /** The op's parameters as the case ran it. */
  readonly params: Readonly<Record<string, unknown>>;
}

/** A parameter value as reports and ledger entries spell it. */
export function formatParamValue(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(formatParamValue).join(",")}]`;
  if (typeof v === "number") return Object.is(v, -0) ? "-0" : String(v);
  return String(v);
}

/** Whether an entry's parameter set matches a result's parameters. */
export function paramsMatch(
  params: Readonly<Record<string, unknown>>,
  want: Readonly<Record<string, unknown>>,
): boolean {
  return Object.entries(want).every(([k, v]) =>
    params[k] !== undefined &&
    formatParamValue(params[k]) === formatParamValue(v)
  );
}

/**
 * Whether a ledger entry covers a result: by backend, device, op, check and
 * parameters. The one matcher: the suite, the contract test and the book
 * page all call it.
 *
 * @example
 * ```ts
 * import { deviationMatches, ledger } from "@nonlin/conformance";
 * import assert from "node:assert";
 *
 * const query = { backend: "tfjs-cpu", op: "relu", check: "special", params: {} };
 * assert.ok(ledger.some((e) => deviationMatches(e, query)));
 * assert.ok(!ledger.some((e) => deviationMatches(e, { ...query, backend: "native" })));
 * ```
 */
export function deviationMatches(e: KnownDeviation, q: LedgerQuery): boolean {
  return e.backend === q.backend && e.op === q.op && e.check === q.check &&
    (e.devices === undefined || !q.onDevice ||
      (q.device !== undefined && e.devices.includes(q.device))) &&
    (e.params === undefined || e.params.some((p) => paramsMatch(q.params, p)));
}

/** The first entry of a ledger that covers a result. */
export function findDeviation(
  entries: readonly KnownDeviation[],
  q: LedgerQuery,
): KnownDeviation | undefined {
  return entries.find((e) => deviationMatches(e, q));
}

/** Why: the reason, where it comes from, its class and where it shows. */
interface Finding {
  readonly reason: string;
  readonly source?: string;
  readonly class: DeviationClass;
  readonly devices?: readonly string[];
}

/** Both llvmpipe profiles. */
const LLVMPIPE = ["llvmpipe-vulkan", "llvmpipe-gl"] as const;
/** Every GPU profile checked in. */
const GPUS = [...LLVMPIPE, "nvidia", "swiftshader"] as const;

const cpu = "tfjs-cpu";
const wasm = "tfjs-wasm";
const gpu = "tfjs-webgpu";
const tfjs = [cpu, wasm, gpu] as const;
const nativeGpu = "native-webgpu";

const core = "tfjs-core/src/gradients";

/** The findings, each shared by the waivers it explains. */
// The peers: onnxruntime-web (ort-wasm, and ort-wasm-mt, the same kernels on
// more threads) and jax-js. Traced to onnxruntime 1.30.0 (paths of the
// onnxruntime repository) and @jax-js/jax 0.1.25 (its published
// dist/index.js, built from src/); where a failure comes from the ort-wasm
// adapter's own derivative graphs, the finding says so. The second
// derivative of ort-wasm is declared unsupported in its capabilities.
const ORT = ["ort-wasm", "ort-wasm-mt"] as const;
const JAX = ["jax-js"] as const;
const ortCpu = "onnxruntime/core/providers/cpu/activation/activations.h";
const ortGraphs =
  "adapters/ort_wasm/_ops.ts (this adapter's derivative graphs)";
const jaxNn = "@jax-js/jax 0.1.25 dist/index.js (src/library/nn.ts)";
const jaxNp = "@jax-js/jax 0.1.25 dist/index.js (src/library/numpy.ts)";

const why = {
  reluNaN: {
    reason:
      "relu''(NaN) is 0, not NaN: Relu's gradient is dy·step(x) and Step's gradient is zerosLike(dy), " +
      "so the nested gradient is 0 whatever x is",
    source: `${core}/Relu_grad.ts, ${core}/Step_grad.ts`,
    class: "nanDropped",
  },
  branchNaN: {
    reason:
      "f'(NaN) and dx at NaN are α·dy, not NaN: the gradient picks the slope with where(x > 0, dy, α·dy), " +
      "and NaN > 0 is false",
    source: `${core}/LeakyRelu_grad.ts, ${core}/Prelu_grad.ts`,
    class: "nanDropped",
  },
  leakyNaN: {
    reason:
      "f'(NaN) and dx at NaN are α·dy, not NaN (where(x > 0, dy, α·dy) with NaN > 0 false); with α = 0 " +
      "also leakyRelu(−∞) = 0·(−∞) = NaN, not the limit 0, since the kernel computes α·x for x < 0",
    source:
      `${core}/LeakyRelu_grad.ts, tfjs-backend-cpu/src/kernels/LeakyRelu.ts`,
    class: "nanDropped",
  },
  clampNaN: {
    reason:
      "relu6(NaN) is 0, not NaN: the kernel clamps with min/max instructions that return the other operand " +
      "for NaN (XNNPACK's clamp on wasm, WGSL clamp(a, 0.0, 6.0) on webgpu); hardSigmoid = relu6(x + 3)/6 inherits it",
    source:
      "tfjs-backend-webgpu/src/unary_op_util.ts (RELU6), tfjs-backend-wasm Relu6 (XNNPACK clamp)",
    class: "nanDropped",
    devices: GPUS,
  },
  glShrinkNaN: {
    reason:
      "softshrink(NaN) is 0, not NaN, through wgpu's GL backend on llvmpipe (through Vulkan it is NaN), for " +
      "every λ: the adapter's sign(x)·relu(|x| − λ) loses the NaN in tfjs's Sign or Relu shader there (the GL " +
      "driver's max/sign return a number for NaN; not traced to which)",
    source:
      "measured with VK_ICD_FILENAMES=/nonexistent deno task conformance --backend tfjs-webgpu --quick " +
      "(2026-12-05); tfjs-backend-webgpu/src/unary_op_util.ts (SIGN, RELU)",
    class: "nanDropped",
    devices: ["llvmpipe-gl"],
  },
  clipNaN: {
    reason:
      "hardTanh'(NaN) and dx at NaN are 0, not NaN: ClipByValue's gradient passes dy where " +
      "min ≤ x ≤ max, which is false for NaN",
    source: `${core}/ClipByValue_grad.ts`,
    class: "nanDropped",
  },
  clipNaNWasm: {
    reason:
      "hardTanh(NaN) is min (−1 or −2), not NaN, as the wasm ClipByValue kernel clamps with min/max " +
      "instructions; and hardTanh'(NaN) is 0 because ClipByValue's gradient passes dy only where min ≤ x ≤ max",
    source:
      `tfjs-backend-wasm ClipByValue (XNNPACK clamp), ${core}/ClipByValue_grad.ts`,
    class: "nanDropped",
  },
  clipKink: {
    reason:
      "at x = min the derivative is the right-hand 1, not the pinned left-hand 0: ClipByValue's gradient " +
      "passes dy where min ≤ x ≤ max, closed at both ends",
    source: `${core}/ClipByValue_grad.ts`,
    class: "rightKink",
  },
  hardKink: {
    reason:
      "the kink at 3 moves one float32 step up: relu6(x + 3) rounds x + 3 to float32 before Relu6's gradient " +
      "tests x + 3 ≤ 6, so at x = 3 + 2⁻²² (where x + 3 rounds to 6) the slope of the middle piece is taken, " +
      "not that of the flat (hardSigmoid) or linear (hardSwish) piece",
    source: `${core}/Relu6_grad.ts`,
    class: "rightKink",
  },
  expMinus1: {
    reason:
      "eˣ − 1 is computed as exp(x) − 1, not expm1: for |x| below 2⁻²⁴ the result is 0 (100% relative " +
      "error; −5.96·10⁻⁸ on webgpu, whose exp is not exact near 0), and between 2⁻²⁴ and about 0.1 it keeps " +
      "only the digits of x that survive the subtraction",
    source:
      "tfjs-backend-cpu/src/kernels/Elu.ts, Selu.ts; tfjs-backend-webgpu/src/unary_op_util.ts (ELU, SELU)",
    class: "tailCancellation",
  },
  eluGrad: {
    reason:
      "EluGrad computes dy·(y + 1) from the saved output y = eˣ − 1: y is within one float32 step (2⁻²⁴) " +
      "of −1 below x ≈ −16.6 and rounds to −1 below −17.3, so the derivative eˣ comes out 2⁻²⁴ and then 0 " +
      "(up to 100% relative error below −16.6; measured the same on every tfjs backend)",
    source: "tfjs-backend-cpu/src/kernels/EluGrad.ts, " + `${core}/Elu_grad.ts`,
    class: "tailCancellation",
  },
  sigmoidGrad: {
    reason:
      "σ'(x) is dy·y·(1 − y) of the saved output y = σ(x): y is within one float32 step (2⁻²⁴) of 1 above " +
      "x ≈ 16.6 and rounds to 1 above 17.3 (on tfjs-cpu and -wasm; tfjs-webgpu's σ' is 0 past 16.6), so " +
      "σ'(x) ≈ e⁻ˣ comes out 2⁻²⁴ and then 0 (up to 100% relative error above 16.6)",
    source: `${core}/Sigmoid_grad.ts`,
    class: "tailCancellation",
  },
  tanhGrad: {
    reason:
      "tanh'(x) is (1 − y²)·dy of the saved output y = tanh x: y rounds to ±1 for |x| > 9.01, so " +
      "sech²x comes out 0 (100% relative error beyond 9.01)",
    source: `${core}/Tanh_grad.ts`,
    class: "tailCancellation",
  },
  logSigmoidSecond: {
    reason:
      "logSigmoid'' is the gradient of σ(−x), dy·y·(1 − y) of the saved σ: 0 for x < −16.6 where it is " +
      "≈ −eˣ (100% relative error)",
    source: `${core}/Sigmoid_grad.ts`,
    class: "tailCancellation",
  },
  softplusSecond: {
    reason:
      "softplus'' is the gradient of σ(βx), dy·y·(1 − y): 0 for βx > 16.6 where it is ≈ βe^−βx, " +
      "including at the threshold kink x = 20/β (an accuracy loss, not the wrong side)",
    source: `${core}/Softplus_grad.ts, ${core}/Sigmoid_grad.ts`,
    class: "tailCancellation",
  },
  lostNotFlushed: {
    reason:
      "a subnormal result comes back as 0, lost to the same cancellation as the normal ones (eˣ − 1, " +
      "y(1 − y), 1 − y²), not by a hardware flush: tfjs-cpu keeps subnormals elsewhere",
    source:
      `${core}/Sigmoid_grad.ts, ${core}/Tanh_grad.ts, tfjs-backend-cpu/src/kernels/Elu.ts`,
    class: "tailCancellation",
  },
  wasmCutoff: {
    reason:
      "σ(x) is 0 for x < −87.3365, where σ(x) is subnormal: XNNPACK's sigmoid returns 0 below its " +
      "denormal cutoff (−0x1.5D589Ep+6), and softplus', logSigmoid', swish and silu go through it; with the " +
      "EluGrad cancellation below −16.6 this also zeroes elu' and celu' at subnormal results",
    source:
      "tfjs-backend-wasm Sigmoid (XNNPACK f32 vsigmoid, vdenorm_cutoff), tfjs-backend-cpu/src/kernels/EluGrad.ts",
    class: "flushToZero",
  },
  gpuFlush: {
    reason:
      "subnormal results and intermediates are flushed to zero: WGSL lets an implementation flush f32 " +
      "subnormals, and llvmpipe does (eˣ for x < −87.3 is 0, so σ'(x), softplus'(x), elu'(x)… are 0 there)",
    source:
      "WGSL specification, Floating Point Evaluation (subnormals may be flushed)",
    class: "flushToZero",
    devices: GPUS,
  },
  gpuExpFlush: {
    reason:
      "selu'(x) = λαeˣ is 0 for x just below −87.3 although its result is normal: llvmpipe flushes the " +
      "subnormal intermediate eˣ to zero before it is multiplied by λα ≈ 1.76",
    source:
      "WGSL specification, Floating Point Evaluation (subnormals may be flushed)",
    class: "flushToZero",
    devices: GPUS,
  },
  gpuTanh: {
    reason:
      "tfjs-webgpu computes tanh as sign(x)·(1 − e)/(1 + e) with e = exp(−2|x|): for |x| below about " +
      "10⁻⁸ llvmpipe's exp gives 1 − 2⁻²³ and tanh(x) comes out 2.98·10⁻⁸ (subnormal and tiny inputs alike), " +
      "and tanh(−0) is +0 because sign(−0) is 0",
    source: "tfjs-backend-webgpu/src/unary_op_util.ts (TANH)",
    class: "accuracy",
    devices: GPUS,
  },
  gpuMish: {
    reason:
      "mish(x) = x·tanh(softplus(x)) inherits webgpu's tanh of tiny arguments (2.98·10⁻⁸ for any " +
      "softplus(x) below about 10⁻⁸, i.e. x < −18): mish(−87.3) is −2.6·10⁻⁶ instead of −10⁻³⁶, and its " +
      "gradient, which multiplies by the same tanh, is as far off",
    source: "tfjs-backend-webgpu/src/unary_op_util.ts (TANH, SOFTPLUS)",
    class: "accuracy",
    devices: GPUS,
  },
  gpuSoftplus: {
    reason:
      "tfjs-webgpu computes softplus as log(exp(x) + 1) in f32 between the thresholds log(ε) + 2 ≈ −13.94 " +
      "and 13.94: 1 + eˣ rounds first, so near x = −13.9 the relative error reaches 7%; logSigmoid = " +
      "−softplus(−x) inherits it (tfjs-cpu evaluates the same expression in float64 and is exact there)",
    source: "tfjs-backend-webgpu/src/unary_op_util.ts (SOFTPLUS)",
    class: "tailCancellation",
    devices: GPUS,
  },
  softsignGrad: {
    reason:
      "softsign is x/(|x| + 1) in tfjs ops (as tfjs-layers writes it) and its gradient comes from the tape: " +
      "1/b − x·sign(x)/b² with b = |x| + 1 subtracts two terms of size 1/|x| to get 1/(1 + |x|)², so it loses " +
      "every digit past |x| ≈ 10⁴ (even the sign, at x = 1.7·10⁷), and b² overflows past |x| ≈ 1.8·10¹⁹, " +
      "giving ∞/∞ = NaN",
    source:
      `${core}/RealDiv_grad.ts, tfjs-layers/src/activations.ts (Softsign)`,
    class: "tailCancellation",
  },
  softsignInf: {
    reason:
      "softsign(±∞) is ∞/∞ = NaN, not ±1: tfjs computes x/(|x| + 1) directly; its derivative there is NaN too",
    source: "tfjs-layers/src/activations.ts (Softsign)",
    class: "infArithmetic",
  },
  softplusInf: {
    reason:
      "∂softplus/∂β at x = +∞ is NaN, not 0: tf.where's gradient sends 0 into the unselected smooth branch, " +
      "whose gradient then multiplies that 0 by x = ∞; at −∞ the smooth branch's own gradient is ∞·0",
    source: `${core}/Select_grad.ts, ${core}/Softplus_grad.ts`,
    class: "infArithmetic",
  },
  celuInf: {
    reason:
      "∂celu/∂α at x = −∞ is NaN, not −1: the α·elu(x/α) composition differentiates to " +
      "elu(x/α) − (x/α)·elu'(x/α), and elu'(−∞) = 0 from EluGrad times x/α = −∞ is NaN",
    source: "tfjs-backend-cpu/src/kernels/EluGrad.ts",
    class: "infArithmetic",
  },
  mulInf: {
    reason:
      "f(−∞) is −∞·0 = NaN, not the limit 0: the op is x times a factor that is 0 at −∞ (σ(βx), " +
      "tanh(softplus x), relu6(x + 3)/6, ½(1 + erf(x/√2))); f' and dx there are NaN too",
    source:
      "tfjs-layers/src/activations.ts (Swish, Mish, Gelu), the adapter's catalog formulas",
    class: "infArithmetic",
  },
  mulGradOverflow: {
    reason:
      "dx is NaN for |x| near the float32 maximum: Mul's gradient forms dy·x first, which overflows to ±∞ " +
      "when |dy·x| > 3.4·10³⁸, and the chain then multiplies ∞ by a derivative that is 0 there (σ'(βx), " +
      "relu6'(x + 3), …); gelu's x³ overflows the same way",
    source: `${core}/Multiply_grad.ts`,
    class: "infArithmetic",
  },
  geluErf: {
    reason:
      "gelu is 0.5·x·(1 + erf(x/√2)) as tfjs-layers writes it, with tfjs's erf the Abramowitz–Stegun " +
      "7.1.26 approximation (absolute error up to 1.5·10⁻⁷): 1 + erf(x/√2) cancels, so the relative error " +
      "passes 1% below x ≈ −3, is 10% at −5.2, and gelu is 0 below −5.5; the tanh form 0.5·x·(1 + tanh u) cancels the same " +
      "way and is 0 below −5.1",
    source:
      "tfjs-backend-cpu/src/kernels/Erf.ts, tfjs-backend-webgpu/src/unary_op_util.ts (ERF), " +
      "tfjs-layers/src/activations.ts (Gelu, GeluNew)",
    class: "tailCancellation",
  },
  geluGrad: {
    reason:
      "gelu's gradient comes from the tape of 0.5·x·(1 + erf(x/√2)) (or of the tanh form), so it keeps " +
      "the cancellation of 1 + erf below x ≈ −3, and for |x| above about 10¹³ the cube x³ and dy·x overflow, " +
      "giving ∞·0 = NaN",
    source:
      `tfjs-layers/src/activations.ts (Gelu, GeluNew), ${core}/Multiply_grad.ts`,
    class: "tailCancellation",
  },
  geluFd: {
    reason:
      "gelu's derivative disagrees with the finite differences of gelu itself where gelu cancels: the " +
      "forward is 0 or nearly so below x ≈ −5 (1 + erf cancels) while the gradient of the same tape is not",
    source:
      "tfjs-backend-cpu/src/kernels/Erf.ts, tfjs-layers/src/activations.ts (Gelu)",
    class: "tailCancellation",
  },
  betaRounding: {
    reason:
      "βx is rounded to float32 before σ(βx), which multiplies its relative error by |βx| (up to about " +
      "64 ULP for β = 10), and for βx < −87.3 σ(βx) is subnormal with fewer than 24 significant bits, " +
      "which x·σ(βx) inherits",
    source: "tfjs-layers/src/activations.ts (Swish)",
    class: "accuracy",
  },
  swishBetaTermGpu: {
    reason:
      "tfjs-webgpu's ∂swish/∂β term is x²·σ(βx)·(1 − σ(βx)) through tfjs's sigmoid gradient y·(1 − y) of the " +
      "saved σ: where σ(βx) is within a few float32 steps of 1 (βx ≈ 15 to 17) 1 − y keeps one or two bits, " +
      "so single terms are 17% off at βx = 15 and 0 or twice the reference at βx ≈ 16.6 (measured on the " +
      "contract grid at β = 0.5 and −1); the conformance run's β sums over moderate inputs stay within bounds",
    source: `${core}/Sigmoid_grad.ts, tfjs-layers/src/activations.ts (Swish)`,
    class: "tailCancellation",
  },
  swishCancel: {
    reason:
      "the tape's swish' = σ(βx) + βx·σ(βx)(1 − σ(βx)) cancels near its zero at βx ≈ −1.28, so the " +
      "relative error there is unbounded in float32 (thousands of ULP), and βx's rounding adds |βx| ULP elsewhere",
    source: `${core}/Multiply_grad.ts, ${core}/Sigmoid_grad.ts`,
    class: "tailCancellation",
  },
  swishCancelWasm: {
    reason:
      "the tape's swish' = σ(βx) + βx·σ(βx)(1 − σ(βx)) cancels near its zero at βx ≈ −1.28, and " +
      "XNNPACK's σ is 0 below −87.3365, so swish' is 0 there instead of ≈ βx·e^βx",
    source:
      `${core}/Sigmoid_grad.ts, tfjs-backend-wasm Sigmoid (XNNPACK vdenorm_cutoff)`,
    class: "tailCancellation",
  },
  swishFd: {
    reason:
      "f' and the finite differences of f disagree by more than 8 ULP of f allow: both carry the error " +
      "of βx rounded to float32, about |βx| ULP (up to 200 ULP at β = 10, x = −20)",
    source: "tfjs-layers/src/activations.ts (Swish)",
    class: "accuracy",
  },
  swishUnderflow: {
    reason:
      "at β = 2 the finite-difference grid has x = −52.3 (βx = −104.6), where σ(βx) ≈ 4·10⁻⁴⁶ is below " +
      "float32's smallest subnormal: the tape's swish' = σ(βx) + βx·σ(βx)(1 − σ(βx)) is 0 there, while f' is " +
      "a subnormal (−9·10⁻⁴⁴) that the finite differences of f see",
    source: `tfjs-layers/src/activations.ts (Swish), ${core}/Sigmoid_grad.ts`,
    class: "flushToZero",
  },
  subnormalIntermediate: {
    reason:
      "for x < −87.3 the intermediate σ(x) (or softplus(x)) is subnormal and keeps fewer than 24 " +
      "significant bits, and the product with x inherits the loss (a few hundred ULP on subnormal results)",
    source: "tfjs-layers/src/activations.ts (Swish, Mish)",
    class: "accuracy",
  },
  mishCancel: {
    reason:
      "the tape's mish' = tanh(sp) + x·sech²(sp)·σ(x) cancels near its zero at x ≈ −1.19, so the " +
      "relative error there is unbounded in float32 (thousands of ULP)",
    source: `${core}/Tanh_grad.ts, ${core}/Softplus_grad.ts`,
    class: "tailCancellation",
  },
  mishWasm: {
    reason:
      "mish' cancels near its zero at x ≈ −1.19, and XNNPACK's σ is 0 below −87.3365, so softplus' " +
      "and with it mish' lose their tail: mish'(−87.3) comes out 1.2·10⁻³⁸ for −10⁻³⁶",
    source: "tfjs-backend-wasm Sigmoid (XNNPACK vdenorm_cutoff)",
    class: "tailCancellation",
  },
  hardSwishOverflow: {
    reason:
      "hardSwish multiplies x·relu6(x + 3) before dividing by 6, so it overflows to ∞ for " +
      "x > 3.4·10³⁸/6 ≈ 5.7·10³⁷, where the result is still finite",
    source: "the adapter's x·relu6(x + 3)/6 in tfjs ops",
    class: "infArithmetic",
  },
  alphaRounding: {
    reason:
      "α·x and α·dy use α rounded to float32 (0.01 becomes 0.0099999998), and the product is rounded again: " +
      "1 ULP from the reference α·x rounded once (tfjs-cpu's LeakyRelu kernel multiplies in float64 and is " +
      "exact in the forward pass; the gradients go through float32 tensors on every backend)",
    source:
      `${core}/LeakyRelu_grad.ts, tfjs-backend-wasm LeakyRelu, tfjs-backend-webgpu LEAKYRELU`,
    class: "accuracy",
  },
  twoRoundings: {
    reason:
      "relu6(x + 3)/6 rounds x + 3 to float32 before dividing by 6, and x·relu6(x + 3) before /6: two " +
      "roundings, 1 ULP from the reference rounded once; the finite differences of that f then miss f' by " +
      "more than exact arithmetic allows",
    source: "the adapter's relu6(x + 3)/6 and x·relu6(x + 3)/6 in tfjs ops",
    class: "accuracy",
  },
  softsignRounding: {
    reason:
      "softsign is x/(|x| + 1): |x| + 1 is rounded to float32 before the division, two roundings, so " +
      "f is 1 ULP from the reference rounded once where |x| + 1 is inexact",
    source: "tfjs-layers/src/activations.ts (Softsign)",
    class: "accuracy",
  },
  softplusBetaWasm: {
    reason:
      "∂softplus/∂β = (x·σ(βx) − softplus(βx)/β)/β subtracts two terms of size |x|, and tfjs-wasm's " +
      "σ (XNNPACK's vsigmoid, a few ULP) leaves each term of the VJP's sum many ULP off, which the sum " +
      "keeps: dβ is 4557 ULP from the reference at β = 2 in the quick run and 734 ULP at β = 1 in the full run " +
      "(each term is up to 1e-5 off relative to its size between x = 5 and 15; which β's sum leaves its bound " +
      "depends on the run's inputs; tfjs-cpu's float64 JS kernels stay within bounds)",
    source:
      `${core}/Softplus_grad.ts, tfjs-backend-wasm Sigmoid (XNNPACK f32 vsigmoid)`,
    class: "tailCancellation",
  },
  nvidiaFlush: {
    reason:
      "the NVIDIA Vulkan driver runs WGSL with f32 subnormals flushed to zero in inputs as well as results: " +
      "relu(1e-40) = 0, relu'(1e-45) = 0 and leakyRelu'(1e-45) = α (x > 0 is false for a flushed x), " +
      "leakyRelu and prelu of a subnormal x < 0 give x (x ≥ 0 holds for the flushed x), " +
      "softsign(±3.4·10³⁸) = ±0 (the reciprocal of 1 + |x| flushes; elsewhere x/(|x| + 1) is 1 ULP off from " +
      "its two roundings, as on every device), and results that pass through a " +
      "subnormal intermediate (logSigmoid', softplus' near −88) are 0",
    source:
      "docs/gpu/README.md and docs/gpu/conformance_gpu.md (NVIDIA H200, driver 580.159.04, 2026-11-28); " +
      "WGSL specification, Floating Point Evaluation",
    class: "flushToZero",
    devices: ["nvidia"],
  },
  gpuSoftsignTie: {
    reason:
      "softsign′(x) = 1/(1 + |x|)² lies within 2⁻⁴⁸ of a float32 rounding midpoint at x = 1 − 2⁻²⁴ " +
      "(0.25·(1 + 2⁻²⁴ + 3·2⁻⁵⁰)): double-f32's 2⁻⁴⁸ cannot decide the tie, so the result is 1 ULP low there",
    source: "adapters/native/webgpu/_wgsl_math.ts (df_recip, df_mul)",
    class: "accuracy",
  },
  swiftshaderFlush: {
    reason:
      "SwiftShader runs WGSL on the CPU with float32 subnormals flushed to zero in inputs and results, as " +
      "NVIDIA's driver does: relu(1e-40) = 0, leakyRelu'(1e-45) = α (x > 0 is false for a flushed x), " +
      "relu and prelu of a subnormal x < 0 give x (x ≥ 0 holds for the flushed x), and results that pass " +
      "through a subnormal intermediate (logSigmoid', softplus' near −88) are 0",
    source:
      "measured in headless Chromium 150 with --enable-unsafe-webgpu (packages/book/app/conformance_test.ts); " +
      "WGSL specification, Floating Point Evaluation (flushing subnormals is allowed)",
    class: "flushToZero",
    devices: ["swiftshader"],
  },
  swiftshaderExpNaN: {
    reason:
      "SwiftShader's exp does not return NaN for NaN: elu(NaN) and selu(NaN) are ∞ (and ∂/∂α at NaN), " +
      "sigmoid(NaN) = 1/(1 + exp(−NaN)) is 0 and logSigmoid(NaN) is −∞, where tfjs's kernels compute " +
      "through exp and never test for NaN",
    source:
      "measured in headless Chromium 150 (packages/book/app/conformance_test.ts); tfjs-backend-webgpu/src/unary_op_util.ts (ELU, SELU, SIGMOID)",
    class: "nanDropped",
    devices: ["swiftshader"],
  },
  swiftshaderNativeFlush: {
    reason:
      "SwiftShader flushes float32 subnormals in inputs, intermediates and results (as for tfjs-webgpu above). " +
      "native-webgpu's relu, relu6 and hardTanh are integer selects on the bits and stay exact, and its special " +
      "values are chosen on the bits, but its other kernels compare and compute in floats: a subnormal x is 0 " +
      "to their branches (leakyRelu and prelu with one α of a subnormal x > 0 give αx and f′ = α; f″ of elu, " +
      "selu, celu and softsign at a subnormal x take the left-hand value at 0; hardshrink and softshrink with " +
      "λ = 0 and threshold give 0 or the threshold's value for a subnormal x > 0), results below 2⁻¹²⁶ are 0 " +
      "(gelu, swish, silu and mish of x near ±2⁻¹²⁵, sigmoid″, tanh″, squareplus″), and so are results that " +
      "pass through a subnormal intermediate: celu(x) with α = 2 at x ≈ −2.3·10⁻³⁸ (x/α flushes), squareplus′ " +
      "near x = −10¹⁹ for b = 1, 4 and 100 (b/(4x²) flushes; dy·f′ is then 0 where ~10⁻³⁸ is wanted)",
    source:
      "measured in headless Chromium 150 with --enable-unsafe-webgpu (packages/book/app/conformance_test.ts, " +
      "--quick); the same kernels pass on llvmpipe, which keeps subnormals. WGSL specification, Floating Point " +
      "Evaluation (flushing subnormals is allowed)",
    class: "flushToZero",
    devices: ["swiftshader"],
  },
  swiftshaderNativeSplit: {
    reason:
      "SwiftShader's fma is not fused (the engine's probe reports fmaFused: false), so native-webgpu's " +
      "double-f32 product is Dekker's: each factor is split into a high and a low half. For a factor below " +
      "about 2⁻¹¹⁴ the low half is subnormal and flushes, while the cross term a_hi·b − a·b stays normal, so " +
      "the product's error word is off by up to a few 2⁻¹²⁶ (at most 5.7·10⁻³⁸ measured): thousands of ULP for " +
      "results near 10⁻³⁵ (α·expm1(x) of elu with α = 2 and of selu, λα ≈ 1.76; mish's x·tanh(softplus(x)) " +
      "and tanhshrink's x³/3 there). elu with α = 1 and 0.5 passes on the same inputs (with α ≤ 1 the " +
      "misplaced term is itself subnormal, so it flushes too); not traced further than the measured errors",
    source:
      "measured in headless Chromium 150 (packages/book/app/conformance_test.ts, --quick); " +
      "adapters/native/webgpu/_wgsl_math.ts (the error-free product without a fused fma)",
    class: "flushToZero",
    devices: ["swiftshader"],
  },
  swiftshaderNativeTie: {
    reason:
      "hardSwish(3 − 2⁻²²) = 3 − 1.5·2⁻²² + 2⁻⁴⁴/6 lies 2⁻⁴⁸ (relative) above a float32 rounding midpoint; " +
      "double-f32 carries about 2⁻⁴⁴, so the tie is beyond what it can decide: with Dekker's product " +
      "(SwiftShader's fma is not fused) it rounds 1 ULP low, with llvmpipe's fused fma it happens to round right",
    source:
      "measured in headless Chromium 150 (packages/book/app/conformance_test.ts, --quick); " +
      "adapters/native/webgpu/_wgsl_math.ts (df_mul)",
    class: "accuracy",
    devices: ["swiftshader"],
  },
  // The peers.
  ortExpm1: {
    class: "tailCancellation",
    reason:
      "ONNX Runtime's Elu, Selu and Celu compute α(eˣ − 1), not expm1: for |x| below ~6e-8 eˣ rounds to 1 and the result is 0, and subnormal x give 0; just left of 0 eˣ − 1 keeps few digits, so central differences of f there miss f′ by more than float32 rounding allows",
    source: ortCpu,
  },
  ortSeluKink: {
    class: "accuracy",
    reason:
      "the derivative graph takes the left-hand slope λα at 0, while the finite difference of ONNX Runtime's Selu (float32 α and γ attributes, eˣ − 1 on the left) straddles the kink; not traced further",
    source: ortGraphs,
  },
  ortLogistic: {
    class: "accuracy",
    reason:
      "ONNX Sigmoid and Swish use MLAS's logistic, a rational approximation on an input clamped to about ±18 with ~1e-7 absolute accuracy: percent-level relative error in the left tail, 0 below it, and finite differences of it are noise",
    source: "onnxruntime/core/mlas/lib/logistic.cpp",
  },
  ortSlopeZero: {
    class: "tailCancellation",
    reason:
      "the derivative graph σ(z) + z·σ(z)·σ(−z) (mish: tanh(sp) + x·sech²(sp)·σ(x)) sums terms of opposite sign near the zero of f′ (z ≈ −1.28, x ≈ −1.19), where the result loses relative digits",
    source: ortGraphs,
  },
  ortSubnormalGraph: {
    class: "flushToZero",
    reason:
      "the derivative graph multiplies by σ(z) once it is subnormal (z below about −87), and a subnormal keeps only a few significant bits",
    source: ortGraphs,
  },
  ortTanh: {
    class: "accuracy",
    reason:
      "ONNX Tanh is MLAS's tanh, a rational approximation: ~1e-3 relative error for subnormal x (and some flushed), a few ULP elsewhere, so tanh(x) + 1 = 2σ(2x) holds only to its accuracy",
    source: "onnxruntime/core/mlas/lib/tanh.cpp",
  },
  ortSoftsignInf: {
    class: "infArithmetic",
    reason: "ONNX Runtime's Softsign is x / (1 + |x|), ∞/∞ at ±∞",
    source: ortCpu,
  },
  ortLeakyZeroAlpha: {
    class: "infArithmetic",
    reason:
      "ONNX Runtime's LeakyRelu computes α·x for x < 0: with α = 0, 0·(−∞) is NaN, not the limit 0",
    source: ortCpu,
  },
  ortTimesZero: {
    class: "infArithmetic",
    reason:
      "ONNX Runtime computes gelu, swish, silu, mish and hardSwish as x times a factor that is 0 at −∞ (Φ, σ, tanh∘softplus, hard σ): −∞·0 is NaN",
    source: `${ortCpu}, onnxruntime/contrib_ops/cpu/activations.h`,
  },
  ortGelu: {
    class: "tailCancellation",
    reason:
      "ONNX Runtime's Gelu is 0.5x(1 + erf(x/√2)) (tanh form: 0.5x(1 + tanh(u))): 1 + erf cancels for x below about −5, so the result is 0 where x·Φ(x) is still ~1e-7, and finite differences there are noise",
    source: "onnxruntime/core/providers/cpu/math/gelu.cc",
  },
  ortGeluGraph: {
    class: "tailCancellation",
    reason:
      "the derivative graph Φ(x) + x·φ(x) (tanh form: 0.5(1 + tanh u) + 0.5x·sech²(u)·u′) takes Φ as 0.5(1 + erf(x/√2)), which cancels for x below about −5",
    source: ortGraphs,
  },
  ortMishSubnormal: {
    class: "flushToZero",
    reason:
      "ONNX Runtime's Mish is x·tanh(softplus(x)) with softplus(x) subnormal below x ≈ −87: its few significant bits (and flushes) carry into the result",
    source: "onnxruntime/core/providers/cpu/activation/activations.h (Mish)",
  },
  ortHardAffine: {
    class: "tailCancellation",
    reason:
      "ONNX Runtime computes HardSigmoid (and HardSwish) as max(0, min(1, αx + β)) with α = 1/6 rounded to float32: αx + β cancels next to x = −3, so the small results there are off by up to a third",
    source: ortCpu,
  },
  jaxKink: {
    class: "rightKink",
    reason:
      "jax-js takes the right-hand derivative at a kink: relu is maximum(x, 0), relu6 and hardTanh are clip (gradient 1 on the closed interval), leakyRelu, elu and celu are where(less(x, 0), …, x), so at x = 0 (or at the lower bound, or where x + 3 rounds to 6) the gradient follows the x branch: relu′(0) = 1, where nonlin pins the left-hand derivative",
    source: jaxNn,
  },
  jaxSecondKink: {
    class: "rightKink",
    reason:
      "the second derivative at 0 is jax-js's right-hand one (0 for elu, selu and celu, −2 for softsign) where nonlin pins the left-hand one",
    source: jaxNn,
  },
  ortShrinkNaN: {
    class: "nanDropped",
    reason:
      "ONNX Runtime's Shrink compares x with ±λ and gives 0 where neither comparison holds, so hardshrink(NaN) and softshrink(NaN) are 0",
    source: "onnxruntime/core/providers/cpu/nn/shrink.cc",
  },
  jaxWhereNaN: {
    class: "nanDropped",
    reason:
      "hardshrink is where(|x| > λ, x, 0) and softshrink where(x > λ, x − λ, where(x < −λ, x + λ, 0)) in jax.numpy: " +
      "every comparison with NaN is false, so the result at NaN is 0",
    source: jaxNp,
  },
  jaxShrinkKink: {
    class: "rightKink",
    reason:
      "the gradient of where(|x| > λ, x, 0) (hardshrink) or where(x < −λ, x + λ, 0) (softshrink) is dy where the condition holds, else 0: " +
      "at x = −λ it is false, so the derivative is the right-hand 0 where nonlin pins the left-hand 1",
    source: jaxNp,
  },
  ortTanhshrink: {
    class: "tailCancellation",
    reason:
      "tanhshrink is x − Tanh(x) as PyTorch exports it: near 0, where it is x³/3, the subtraction cancels " +
      "(0 below |x| ≈ 4e-4, −0 − (−0) = +0 at −0)",
    source: `${ortGraphs}, onnxruntime/core/mlas/lib/tanh.cpp`,
  },
  jaxTanhshrink: {
    class: "tailCancellation",
    reason:
      "tanhshrink is x − tanh x in jax.numpy: near 0, where it is x³/3, the subtraction cancels " +
      "(−0 − (−0) = +0 at −0), and so does its gradient 1 − (1 − tanh²x) and the second derivative " +
      "through it; jax-js's tanh is 0 below |x| ≈ 3e-8",
    source: jaxNp,
  },
  ortSquareplus: {
    class: "tailCancellation",
    reason:
      "squareplus is (x + Sqrt(x² + b))/2 as written: for x < 0 it cancels once x² ≫ b (the value b/(4|x|) " +
      "loses digits, 1% off near x = −10³ and 0 below about −10⁴ with b = 4), and x² overflows float32 beyond |x| ≈ 1.8e19, " +
      "where f(x) is ∞ for negative x too; its own f' (this adapter's stable graph) then disagrees with the " +
      "finite differences of that f",
    source: ortGraphs,
  },
  ortSquareplusInf: {
    class: "infArithmetic",
    reason: "at x = −∞, x + Sqrt(x² + b) is −∞ + ∞ = NaN, where the limit is 0",
    source: ortGraphs,
  },
  jaxSquareplus: {
    class: "tailCancellation",
    reason:
      "squareplus is (x + √(x² + b))/2 in jax.numpy, as JAX's jax.nn.squareplus writes it: for x < 0 it " +
      "cancels once x² ≫ b (the value b/(4|x|) is lost), and so does the gradient (1 + x/√(x² + b))/2 and " +
      "the second derivative through it; x² overflows float32 beyond |x| ≈ 1.8e19 (f = ∞, f′ = 1/2 or NaN there)",
    source: jaxNp,
  },
  jaxSquareplusInf: {
    class: "infArithmetic",
    reason:
      "at x = −∞, x + √(x² + b) is −∞ + ∞ = NaN, where the limit is 0; the gradients at ±∞ are ∞/∞ = NaN",
    source: jaxNp,
  },
  jaxShrinkZeroLambda: {
    class: "accuracy",
    reason:
      "with λ = 0 softshrink is the identity, but at x = 0 neither x > λ nor x < −λ holds, so " +
      "where(x > λ, x − λ, where(x < −λ, x + λ, 0)) takes the 0 branch, whose gradient is 0 where both " +
      "one-sided slopes are 1; f'(0) then misses the finite differences of f, which straddle 0",
    source: jaxNp,
  },
  jaxSquareplusZeroB: {
    class: "infArithmetic",
    reason:
      "with b = 0 the gradient (1 + x/√(x² + b))/2 is (1 + 0/0)/2 = NaN at the kink x = 0, where the pinned " +
      "left-hand derivative is 0 (and the second derivative through it is NaN too)",
    source: jaxNp,
  },
  ortClipBound: {
    class: "accuracy",
    reason:
      "hardTanh's bounds are float32 inputs of ONNX Clip, so min = −0.7 becomes −0.699999988, the float32 x " +
      "next to the reference's kink: ORT's derivative graph takes the pinned left-hand slope 0 there, where " +
      "the reference (min in float64, x inside the interval) has slope 1",
    source: `${ortGraphs}, onnxruntime/core/providers/cpu/math/clip.cc`,
  },
  jaxMaskNaN: {
    class: "nanDropped",
    reason:
      "the gradient of maximum, clip and where is dy times a comparison mask, a plain 0 or 1 at NaN, so NaN does not reach the gradient",
    source: jaxNp,
  },
  jaxBranchOverflow: {
    class: "infArithmetic",
    reason:
      "where(less(x, 0), α(exp(x) − 1), x) evaluates both branches: above x ≈ 88 the unselected branch's exp(x) is ∞, and its gradient ∞ times the mask's 0 is NaN",
    source: jaxNn,
  },
  jaxExpm1: {
    class: "tailCancellation",
    reason:
      "jax-js's elu and celu compute α(exp(x) − 1), not expm1: for |x| below ~6e-8 the result is 0, and subnormal x give 0; just left of 0 exp(x) − 1 keeps few digits, so central differences of f there miss f′ by more than float32 rounding allows",
    source: jaxNn,
  },
  jaxExpUnderflow: {
    class: "flushToZero",
    reason:
      "jax-js's wasm exp flushes results below the normal float32 range to 0 and loses bits just above it (arguments below about −87)",
    source: "@jax-js/jax 0.1.25 dist/backend-*.js (wasm exp)",
  },
  jaxMath: {
    class: "accuracy",
    reason:
      "jax-js's wasm exp and expm1 are a few ULP from the correctly rounded result (measured)",
    source: "@jax-js/jax 0.1.25 dist/backend-*.js (wasm exp)",
  },
  jaxExpOverflow: {
    class: "infArithmetic",
    reason:
      "sigmoid is 1/(exp(−x) + 1) in jax-js: exp(−x) overflows to ∞ below x ≈ −88, and the gradient −exp(−x)/(exp(−x) + 1)² is then ∞/∞ (swish and silu inherit it)",
    source: jaxNn,
  },
  jaxLogSigmoidValues: {
    class: "infArithmetic",
    reason:
      "logSigmoid is −log(exp(−x) + 1) in jax-js: exp(−x) overflows below x ≈ −88 (−∞ instead of x), and without log1p the result loses digits near 0 and flushes for large x",
    source: jaxNn,
  },
  jaxSoftplusLog: {
    class: "tailCancellation",
    reason:
      "softplus is log(exp(x) + 1) in jax-js, without log1p: exp(x) is absorbed by the 1 below x ≈ −16.6 (result 0, not eˣ), and its wasm log is ~2e-5 off near log 2 (measured); mish and logSigmoid inherit it, and finite differences of it are noise",
    source: jaxNn,
  },
  jaxSoftplusSecond: {
    class: "tailCancellation",
    reason:
      "the second derivative of log(exp(x) + 1) by autodiff is e^x/(e^x + 1) − e^{2x}/(e^x + 1)², two terms near 1 that cancel (to 0, or the wrong sign) for x above about 8",
    source: jaxNn,
  },
  jaxBetaInf: {
    class: "infArithmetic",
    reason:
      "the gradient with respect to β flows through βx, whose ∂/∂β is x = ±∞, times a zero (the mask above the threshold, σ(βx) at −∞): NaN",
    source:
      "adapters/jax_js/_ops.ts (softplus with β and threshold on jax.nn.softplus)",
  },
  jaxTanh: {
    class: "tailCancellation",
    reason:
      "jax-js computes tanh(x) as −sign(x)·(e^{−2|x|} − 1)/(e^{−2|x|} + 1): for |x| below ~3e-8 e^{−2|x|} rounds to 1 and the result is 0 (−0 for x ≥ 0, +0 included), so tanh and its second derivative lose small and subnormal values",
    source: jaxNp,
  },
  jaxTanhTail: {
    class: "tailCancellation",
    reason:
      "1 − tanh²(x) is 0 once tanh rounds to ±1 (|x| above about 9), where the derivative is still a normal number down to |x| ≈ 44",
    source: jaxNp,
  },
  jaxTanhSubnormal: {
    class: "accuracy",
    reason:
      "where tanh′ is subnormal (|x| ≈ 44) jax-js's VJP builds it from e^{−2|x|} through products that each " +
      "round to the subnormal grid, so dx keeps fewer bits: at x = −43.818 it is 16 subnormal ULP " +
      "(1.8e-44) from the reference, and f″ = −2·tanh·tanh′ built from it is 31% low there " +
      "(6.97e-38 against 1.01e-37; measured in the full run, 2026-12-05)",
    source: jaxNp,
  },
  jaxSoftsign: {
    class: "infArithmetic",
    reason:
      "softSign is x/(|x| + 1) in jax-js: ∞/∞ at ±∞; its autodiff gradient 1/(|x| + 1) − |x|/(|x| + 1)² cancels for large |x| (to the wrong sign) and (|x| + 1)² overflows above 1.8e19",
    source: jaxNn,
  },
  jaxGeluOverflow: {
    class: "accuracy",
    reason:
      "exact gelu is 0.5x·erfc(−x/√2) in jax-js: near the largest float32 the compiled kernel overflows to ∞ (and the VJP to NaN) where 0.5x·2 is finite (observed)",
    source: jaxNn,
  },
  jaxErfcUnderflow: {
    class: "flushToZero",
    reason:
      "jax-js's erfc and exp lose relative accuracy and flush where gelu and its derivatives are subnormal (x below about −13), and finite differences there are noise",
    source: jaxNp,
  },
  jaxGeluTanhTail: {
    class: "tailCancellation",
    reason:
      "the tanh form 0.5x(1 + tanh(u)) cancels to 0 for x below about −5 where x·Φ is ~1e-7, and flushes further down; finite differences there are noise",
    source: jaxNn,
  },
  jaxGeluCube: {
    class: "infArithmetic",
    reason:
      "the tanh form's x³ overflows for |x| above ~7e12, and its gradient multiplies that ∞ by a zero: NaN",
    source: jaxNn,
  },
  jaxTimesZero: {
    class: "infArithmetic",
    reason:
      "jax-js computes gelu, swish, silu, mish and hardSwish as x times a factor that is 0 at −∞ (Φ, σ, tanh∘softplus, hard σ): −∞·0 is NaN",
    source: jaxNn,
  },
  jaxZeroBeta: {
    class: "infArithmetic",
    reason:
      "with β = 0, x·σ(βx) by autodiff has the term x·σ′(0)·0, NaN at ±∞ and at the overflowing |x| of the VJP, and a gradient 0.5 that NaN does not reach",
    source: "adapters/jax_js/_ops.ts (swish with β)",
  },
  jaxMishOverflow: {
    class: "infArithmetic",
    reason:
      "softplus(x) = log(exp(x) + 1) overflows for x above ~88, and the gradient exp(x)/(exp(x) + 1) is then ∞/∞: NaN",
    source: jaxNn,
  },
  jaxHardSwishOverflow: {
    class: "accuracy",
    reason:
      "hardSwish is x·hardSigmoid(x) in jax-js: near the largest float32 the compiled kernel overflows to ∞ where the result is finite (observed)",
    source: jaxNn,
  },
  peerAlphaRounding: {
    reason:
      "the engine holds α as a float32 (an ONNX float attribute; a jax-js float32 array), 0.01 becoming " +
      "0.0099999998, and rounds α·x (α·dy) again: 1 ULP from the reference α·x rounded once",
    source: `${ortCpu} (LeakyRelu), ${jaxNn} (leakyRelu)`,
    class: "accuracy",
  },
  peerSoftsignRounding: {
    reason:
      "softsign is x/(|x| + 1) in both engines: |x| + 1 is rounded to float32 before the division, two " +
      "roundings, so f is 1 ULP from the reference rounded once where |x| + 1 is inexact",
    source: `${ortCpu} (Softsign), ${jaxNn} (softSign)`,
    class: "accuracy",
  },
  jaxHardRounding: {
    reason:
      "jax-js computes hardSigmoid as relu6(x + 3)·(1/6) and hardSwish as x times that: x + 3, 1/6 and " +
      "each product are rounded to float32 separately, 1 ULP from the reference rounded once, and the " +
      "finite differences of that f then miss f′ by more than exact arithmetic allows",
    source: jaxNn,
    class: "accuracy",
  },
  ortGraphRounding: {
    reason:
      "this adapter's derivative graphs of the arithmetic-only ops round more than once: dy·(1/6) with 1/6 " +
      "rounded (hardSigmoid), (2x + 3)/6 (hardSwish), (1/(1 + |x|))² (softsign), each step a float32 " +
      "operation, 1 ULP from the reference rounded once; ONNX Runtime's forward kernels (αx + β with a " +
      "float32 α) make the finite differences miss f′ by more than exact arithmetic allows",
    source: ortGraphs,
    class: "accuracy",
  },
  stepKink: {
    reason:
      "at x = −λ the derivative is the right-hand 0, not the pinned left-hand 1: x·step(|x| − λ) is " +
      "differentiated as step(|x| − λ), which is 0 where |x| = λ",
    source: `${core}/Step_grad.ts, ${core}/Mul_grad.ts`,
    class: "rightKink",
  },
  reluShrinkKink: {
    reason:
      "at x = −λ the derivative is the right-hand 0, not the pinned left-hand 1: sign(x)·relu(|x| − λ) " +
      "is differentiated through relu's gradient, 0 where |x| − λ = 0",
    source: `${core}/Relu_grad.ts, ${core}/Abs_grad.ts`,
    class: "rightKink",
  },
  shrinkZeroLambda: {
    reason:
      "with λ = 0 softshrink is the identity, but sign(x)·relu(|x| − λ) differentiates to 0 at x = 0 " +
      "(relu'(0) = 0 and sign(0) = 0) where both one-sided slopes are 1, so f'(0) misses the finite " +
      "differences of f, which straddle 0",
    source: `${core}/Relu_grad.ts, ${core}/Sign_grad.ts, ${core}/Abs_grad.ts`,
    class: "accuracy",
  },
  wasmSign: {
    reason:
      "tfjs-wasm's Sign kernel returns 0 for 0 < |x| < 2⁻²³ (measured: sign(2⁻²³) = 1, sign of the float32 " +
      "below it 0, subnormals included), so sign(x)·relu(|x| − λ) and its gradient sign(x)·relu'(|x| − λ)·sign(x) " +
      "are 0 there; with λ > 0 those x lie in the dead zone anyway, so only λ = 0 shows it",
    source:
      "tfjs-backend-wasm Sign (its C++ unary kernel), adapters/_tfjs/_ops.ts (softshrink as sign(x)·relu(|x| − λ))",
    class: "flushToZero",
  },
  tanhshrinkCancels: {
    reason:
      "x − tanh x written as is cancels near 0, where it is x³/3: in float32 the difference keeps " +
      "few or no bits (0 for |x| below about 4e-4), and so does its derivative 1 − (1 − tanh²x)",
    source: `${core}/Tanh_grad.ts, ${core}/Sub_grad.ts`,
    class: "tailCancellation",
  },
  squareplusWritten: {
    reason:
      "squareplus written as (x + √(x² + b))/2 cancels for x < 0 once x² ≫ b (the value b/(4|x|) loses digits, " +
      "1% off near x = −10³ and 0 below about −10⁴ with b = 4), and so do its gradient (1 + x/√(x² + b))/2 and second " +
      "derivative; x² overflows float32 beyond |x| ≈ 1.8e19 (f = ∞ for negative x too, f′ = 1/2 or NaN), and " +
      "the tiny second derivatives of large |x| come out as 0",
    source:
      `adapters/_tfjs/_ops.ts (as a tfjs user writes it), ${core}/Sqrt_grad.ts, ${core}/Square_grad.ts`,
    class: "tailCancellation",
  },
  squareplusInf: {
    reason:
      "at x = −∞, x + √(x² + b) is −∞ + ∞ = NaN, where the limit is 0; the gradients at ±∞ are ∞/∞ = NaN",
    source: `${core}/Sqrt_grad.ts`,
    class: "infArithmetic",
  },
  squareplusZeroB: {
    reason:
      "with b = 0, √(x² + b) is √(x²), whose gradient at x = 0 is Sqrt's dy/(2·√0) = ∞ times Square's 2x = 0: " +
      "NaN at the kink, where the pinned left-hand derivative is 0 (and f'' is NaN there too)",
    source: `${core}/Sqrt_grad.ts, ${core}/Square_grad.ts`,
    class: "infArithmetic",
  },
  tanhshrinkZero: {
    reason:
      "−0 − tanh(−0) = −0 − (−0) = +0: the subtraction loses the sign of zero",
    source: "tfjs-core/src/ops/sub.ts",
    class: "signOfZero",
  },
  whereGradNaN: {
    reason:
      "the derivative at NaN is 1, not NaN: tf.where's gradient passes dy to the branch the mask " +
      "chose, and NaN ≤ threshold is false",
    source: `${core}/Select_grad.ts`,
    class: "nanDropped",
  },
} as const satisfies Record<string, Finding>;

/** One waiver per backend, sharing a finding. */
function waive(
  backends: readonly string[],
  op: OpName,
  check: CheckKind,
  finding: Finding,
  more: {
    params?: NonNullable<KnownDeviation["params"]>;
    inputs?: readonly number[];
    devices?: readonly string[];
    anyCase?: true;
    shownBy?: "contract";
    run?: "quick" | "full";
  } = {},
): KnownDeviation[] {
  return backends.map((backend) => ({
    backend,
    op,
    check,
    ...finding,
    ...more,
  }));
}

/** The leakyRelu slopes that float32 does not hold exactly. */
const roundedAlphas = [{ alpha: 0.01 }, { alpha: 0.2 }];

/** swish's β but 0: with β = 0 swish is x/2, with nothing to round, cancel or flush. */
const swishBetas = [
  { beta: 1 },
  { beta: 0.5 },
  { beta: 1.702 },
  { beta: 2 },
  { beta: 10 },
  { beta: -1 },
];

/** elu's α but 0: with α = 0 the left branch is 0, with nothing to cancel or flush. */
const eluAlphas = [{ alpha: 1 }, { alpha: 0.5 }, { alpha: 2 }];

/**
 * hardTanh's bounds whose lower kink is a float32: min = −0.7 is not, so the
 * float32 x next to it lies inside the interval, where every slope is 1.
 */
const float32Mins = [{ min: -1 }, { min: -2 }];

/**
 * squareplus's b > 0: with b = 0, √(x² + b) is |x| and f is max(x, 0),
 * nothing tiny to flush.
 */
const positiveB = [{ b: 4 }, { b: 1 }, { b: 100 }];

/** Every known deviation of every built-in backend. */
export const ledger: readonly KnownDeviation[] = [
  // ReLU and pReLU
  ...waive(tfjs, "relu", "special", why.reluNaN),
  ...waive(tfjs, "leakyRelu", "special", why.leakyNaN),
  ...waive(tfjs, "prelu", "special", why.branchNaN),
  ...waive([wasm, gpu], "relu6", "special", why.clampNaN),

  // ELU family
  ...waive([cpu, gpu], "elu", "values", why.expMinus1, {
    params: eluAlphas,
    inputs: [-5.512141681384734e-17, -2.354029239052467e-38],
  }),
  ...waive(tfjs, "elu", "vjp", why.eluGrad, {
    params: eluAlphas,
    inputs: [-17.422306060791016],
  }),
  ...waive(tfjs, "elu", "derivative", why.eluGrad, {
    params: eluAlphas,
    inputs: [-17.32915496826172],
  }),
  ...waive([cpu], "elu", "flushToZero", why.lostNotFlushed, {
    params: eluAlphas,
  }),
  ...waive([wasm], "elu", "flushToZero", why.wasmCutoff, {
    params: eluAlphas,
    inputs: [-88.45806884765625],
  }),
  ...waive([gpu], "elu", "flushToZero", why.gpuFlush, {
    params: eluAlphas,
    inputs: [-88.45806884765625],
  }),
  ...waive([gpu], "elu", "subnormal", why.expMinus1, {
    params: eluAlphas,
    devices: LLVMPIPE,
  }),
  ...waive(tfjs, "selu", "values", why.expMinus1, {
    inputs: [-5.5440744926239764e-17, -2.9752353469802983e-8],
  }),
  ...waive([cpu, wasm], "selu", "flushToZero", why.lostNotFlushed),
  ...waive([gpu], "selu", "flushToZero", why.gpuFlush, {
    inputs: [-87.96026611328125],
  }),
  ...waive([gpu], "selu", "vjp", why.gpuExpFlush, {
    inputs: [-87.85530853271484],
  }),
  ...waive([gpu], "selu", "derivative", why.gpuExpFlush, {
    inputs: [-87.33655548095703],
  }),
  ...waive([gpu], "selu", "subnormal", why.expMinus1),
  ...waive([cpu, gpu], "celu", "values", why.expMinus1, {
    inputs: [-5.5420326799999505e-17, -2.769688549680705e-17],
  }),
  ...waive(tfjs, "celu", "vjp", why.eluGrad, {
    inputs: [-17.398176193237305, -8.67630386352539, -34.828590393066406],
  }),
  ...waive(tfjs, "celu", "derivative", why.eluGrad, {
    inputs: [-17.330825805664062, -8.665169715881348, -34.72947311401367],
  }),
  ...waive(tfjs, "celu", "special", why.celuInf),
  ...waive([cpu], "celu", "flushToZero", why.lostNotFlushed),
  ...waive([wasm], "celu", "flushToZero", why.wasmCutoff, {
    inputs: [-43.66827392578125, -174.673095703125],
  }),
  ...waive([gpu], "celu", "flushToZero", why.gpuFlush, {
    inputs: [-43.66827392578125, -174.673095703125],
  }),
  ...waive([gpu], "celu", "subnormal", why.expMinus1, { devices: LLVMPIPE }),

  // Sigmoid and friends
  ...waive(tfjs, "sigmoid", "vjp", why.sigmoidGrad, {
    inputs: [17.359403610229492],
  }),
  ...waive(tfjs, "sigmoid", "derivative", why.sigmoidGrad, {
    inputs: [17.330434799194336],
  }),
  ...waive([cpu], "sigmoid", "flushToZero", why.lostNotFlushed, {
    inputs: [87.37089538574219],
  }),
  ...waive([wasm], "sigmoid", "flushToZero", why.wasmCutoff),
  ...waive([gpu], "sigmoid", "flushToZero", why.gpuFlush, {
    inputs: [87.37089538574219],
  }),
  ...waive(tfjs, "logSigmoid", "secondDerivative", why.logSigmoidSecond, {
    inputs: [-17.33193016052246],
  }),
  ...waive([cpu], "logSigmoid", "flushToZero", why.lostNotFlushed),
  ...waive([wasm], "logSigmoid", "flushToZero", why.wasmCutoff),
  ...waive([gpu], "logSigmoid", "flushToZero", why.gpuFlush),
  ...waive([wasm], "logSigmoid", "vjp", why.wasmCutoff, {
    inputs: [88.14929962158203],
  }),
  ...waive([gpu], "logSigmoid", "values", why.gpuSoftplus, {
    inputs: [13.928006172180176],
  }),
  ...waive([gpu], "logSigmoid", "finiteDifference", why.gpuSoftplus, {
    inputs: [13.817292213439941],
  }),
  ...waive([wasm], "logSigmoid", "finiteDifference", why.wasmCutoff),
  ...waive(tfjs, "hardSigmoid", "vjp", why.hardKink),
  ...waive(tfjs, "hardSigmoid", "derivative", why.hardKink),
  ...waive([wasm, gpu], "hardSigmoid", "special", why.clampNaN),

  // Tanh and friends
  ...waive(tfjs, "tanh", "vjp", why.tanhGrad, { inputs: [9.015677452087402] }),
  ...waive(tfjs, "tanh", "derivative", why.tanhGrad, {
    inputs: [9.011866569519043],
  }),
  ...waive([cpu, wasm], "tanh", "flushToZero", why.lostNotFlushed, {
    inputs: [44.361419677734375],
  }),
  ...waive([gpu], "tanh", "flushToZero", why.gpuFlush, {
    inputs: [44.361419677734375],
  }),
  ...waive([gpu], "tanh", "values", why.gpuTanh),
  ...waive([gpu], "tanh", "signOfZero", why.gpuTanh),
  ...waive([gpu], "tanh", "subnormal", why.gpuTanh, { devices: LLVMPIPE }),
  ...waive([cpu, gpu], "hardTanh", "special", why.clipNaN),
  ...waive([wasm], "hardTanh", "special", why.clipNaNWasm),
  ...waive(tfjs, "hardTanh", "kink", why.clipKink, { params: float32Mins }),
  ...waive(tfjs, "softsign", "vjp", why.softsignGrad),
  ...waive(tfjs, "softsign", "derivative", why.softsignGrad, {
    inputs: [16959520],
  }),
  ...waive(tfjs, "softsign", "secondDerivative", why.softsignGrad),
  ...waive(tfjs, "softsign", "special", why.softsignInf),
  ...waive(tfjs, "softsign", "subnormal", why.softsignGrad, {
    inputs: [33940727680794100000],
  }),
  ...waive(tfjs, "softsign", "flushToZero", why.softsignGrad, {
    inputs: [-9223525968482664000],
  }),
  ...waive(tfjs, "softsign", "finiteDifference", why.softsignGrad, {
    inputs: [-15.402477264404297],
  }),

  // Softplus
  ...waive(tfjs, "softplus", "secondDerivative", why.softplusSecond, {
    inputs: [17.330875396728516, 34.7771110534668, 8.664493560791016],
  }),
  ...waive([cpu, wasm], "softplus", "kink", why.softplusSecond),
  // With threshold 5, y(1 − y) at the kink (βx = 5) loses ~50 ULP: within
  // the tolerance of the llvmpipe profile, not of float32's.
  ...waive([gpu], "softplus", "kink", why.softplusSecond, {
    params: [{ threshold: 20 }],
  }),
  ...waive(tfjs, "softplus", "special", why.softplusInf),
  ...waive([wasm], "softplus", "vjp", why.wasmCutoff),
  ...waive([wasm], "softplus", "flushToZero", why.wasmCutoff, {
    inputs: [-174.673095703125, -43.66827392578125],
  }),
  ...waive([gpu], "softplus", "flushToZero", why.gpuFlush, {
    inputs: [-176.33277893066406, -44.48393630981445],
  }),
  ...waive([gpu], "softplus", "values", why.gpuSoftplus, {
    inputs: [-13.928325653076172, -6.963115692138672],
  }),
  ...waive([gpu], "softplus", "finiteDifference", why.gpuSoftplus, {
    inputs: [-13.599753379821777, -6.900000095367432],
  }),
  ...waive([wasm], "softplus", "finiteDifference", why.wasmCutoff, {
    params: [{ beta: 2 }],
  }),

  // GELU
  ...waive(tfjs, "gelu", "values", why.geluErf, {
    inputs: [-5.5432281494140625, -5.158663272857666],
  }),
  ...waive(tfjs, "gelu", "vjp", why.geluGrad),
  ...waive(tfjs, "gelu", "derivative", why.geluGrad, {
    inputs: [-5.5432281494140625, -13.222590446472168],
  }),
  ...waive(tfjs, "gelu", "secondDerivative", why.geluGrad, {
    params: [{ approximate: "none" }],
  }),
  ...waive(tfjs, "gelu", "special", why.mulInf),
  ...waive([cpu, wasm], "gelu", "subnormal", why.geluErf, {
    params: [{ approximate: "none" }],
    inputs: [-13.34194278717041],
  }),
  ...waive([cpu, wasm], "gelu", "flushToZero", why.geluErf, {
    inputs: [-13.148361206054688, -10.100759506225586],
  }),
  ...waive([gpu], "gelu", "flushToZero", why.gpuFlush, {
    inputs: [-13.34194278717041, -10.100759506225586],
  }),
  ...waive(tfjs, "gelu", "finiteDifference", why.geluFd, {
    inputs: [-5.300000190734863, -5.109853744506836],
  }),

  // Swish and SiLU
  ...waive([cpu], "swish", "values", why.betaRounding, {
    params: swishBetas,
    inputs: [
      -91.48590087890625,
      -184.17800903320312,
      -48.735538482666016,
      -45.56458282470703,
      -8.322210311889648,
    ],
  }),
  ...waive([wasm], "swish", "values", why.wasmCutoff, {
    params: swishBetas,
    inputs: [
      -87.3365478515625,
      -174.673095703125,
      -51.31406784057617,
      -8.733654975891113,
    ],
  }),
  ...waive([gpu], "swish", "values", why.gpuFlush, {
    params: swishBetas,
    inputs: [
      -88.72936248779297,
      -178.03697204589844,
      -52.31856155395508,
      -8.873515129089355,
    ],
  }),
  ...waive(tfjs, "swish", "vjp", why.mulGradOverflow),
  ...waive([cpu], "swish", "derivative", why.swishCancel, {
    params: swishBetas,
    inputs: [
      -1.2787400484085083,
      -2.556403636932373,
      -0.7500194311141968,
      -0.12774287164211273,
    ],
  }),
  ...waive([wasm], "swish", "derivative", why.swishCancelWasm, {
    params: swishBetas,
  }),
  ...waive([gpu], "swish", "derivative", why.gpuFlush, { params: swishBetas }),
  ...waive(tfjs, "swish", "special", why.mulInf),
  ...waive([cpu], "swish", "subnormal", why.subnormalIntermediate, {
    params: swishBetas,
    inputs: [
      -96.57872772216797,
      -203.4843292236328,
      -58.06734848022461,
      -10.047348022460938,
    ],
  }),
  ...waive([cpu], "swish", "flushToZero", why.subnormalIntermediate, {
    params: swishBetas,
    inputs: [
      -104.08740997314453,
      -207.9441680908203,
      -61.17275619506836,
      -10.413585662841797,
    ],
  }),
  ...waive([wasm], "swish", "flushToZero", why.wasmCutoff, {
    params: swishBetas,
    inputs: [
      -91.86725616455078,
      -183.98573303222656,
      -54.07262420654297,
      -9.028741836547852,
    ],
  }),
  ...waive([gpu], "swish", "flushToZero", why.gpuFlush, { params: swishBetas }),
  ...waive([cpu], "swish", "finiteDifference", why.swishFd, {
    params: [{ beta: 1.702 }, { beta: 10 }],
  }),
  ...waive([cpu], "swish", "finiteDifference", why.swishUnderflow, {
    params: [{ beta: 2 }],
    inputs: [-19.278217315673828, -8.578521728515625],
  }),
  ...waive([wasm], "swish", "finiteDifference", why.swishFd, {
    params: [{ beta: 1.702 }, { beta: 10 }],
    inputs: [-19.759429931640625, -8.74109935760498],
  }),
  ...waive([wasm], "swish", "finiteDifference", why.wasmCutoff, {
    params: [{ beta: 1 }],
  }),
  ...waive([gpu], "swish", "finiteDifference", why.gpuFlush, {
    params: [{ beta: 1 }, { beta: 1.702 }, { beta: 10 }],
    inputs: [-8.884400367736816],
  }),
  ...waive([cpu], "silu", "values", why.subnormalIntermediate, {
    inputs: [-91.7746353149414],
  }),
  ...waive([wasm], "silu", "values", why.wasmCutoff),
  ...waive([gpu], "silu", "values", why.gpuFlush, {
    inputs: [-88.84271240234375],
  }),
  ...waive(tfjs, "silu", "vjp", why.mulGradOverflow),
  ...waive([cpu], "silu", "derivative", why.swishCancel, {
    inputs: [-1.2722573280334473],
  }),
  ...waive([wasm], "silu", "derivative", why.swishCancelWasm),
  ...waive([gpu], "silu", "derivative", why.gpuFlush),
  ...waive(tfjs, "silu", "special", why.mulInf),
  ...waive([cpu], "silu", "subnormal", why.subnormalIntermediate, {
    inputs: [-101.25729370117188],
  }),
  ...waive([cpu], "silu", "flushToZero", why.subnormalIntermediate, {
    inputs: [-104.38426971435547],
  }),
  ...waive([wasm], "silu", "flushToZero", why.wasmCutoff, {
    inputs: [-91.20079803466797],
  }),
  ...waive([gpu], "silu", "flushToZero", why.gpuFlush, {
    inputs: [-91.20079803466797],
  }),
  ...waive([gpu], "silu", "finiteDifference", why.gpuFlush, {
    devices: LLVMPIPE,
  }),

  // Mish
  ...waive([cpu, wasm], "mish", "values", why.subnormalIntermediate, {
    inputs: [-90.48999786376953],
  }),
  ...waive([gpu], "mish", "values", why.gpuMish),
  ...waive(tfjs, "mish", "vjp", why.mulGradOverflow),
  ...waive([cpu], "mish", "derivative", why.mishCancel, {
    inputs: [-1.1916862726211548],
  }),
  ...waive([wasm], "mish", "derivative", why.mishWasm),
  ...waive([gpu], "mish", "derivative", why.gpuMish, {
    inputs: [-21.079137802124023],
  }),
  ...waive(tfjs, "mish", "special", why.mulInf),
  ...waive([cpu], "mish", "subnormal", why.subnormalIntermediate, {
    inputs: [-103.9720687866211],
  }),
  ...waive([wasm], "mish", "subnormal", why.mishWasm, {
    inputs: [-91.97019958496094],
  }),
  ...waive([cpu, wasm], "mish", "flushToZero", why.subnormalIntermediate, {
    inputs: [-104.03509521484375],
  }),
  ...waive([gpu], "mish", "flushToZero", why.gpuFlush, {
    inputs: [-91.97019958496094],
  }),
  ...waive([gpu], "mish", "finiteDifference", why.gpuMish, {
    inputs: [-15.842911720275879],
  }),
  ...waive([cpu], "mish", "finiteDifference", why.subnormalIntermediate),
  ...waive([wasm], "mish", "finiteDifference", why.mishWasm),

  // Hard swish
  ...waive(tfjs, "hardSwish", "values", why.hardSwishOverflow, {
    inputs: [5.673958958260187e+37],
  }),
  ...waive(tfjs, "hardSwish", "vjp", why.mulGradOverflow),
  ...waive(tfjs, "hardSwish", "derivative", why.hardKink),
  ...waive(tfjs, "hardSwish", "special", why.mulInf),
  ...waive(tfjs, "hardSwish", "identity", why.hardSwishOverflow),

  // NVIDIA (H200) only: flush to zero of inputs and results
  ...(["relu", "leakyRelu", "prelu", "relu6", "hardTanh", "hardSwish"] as const)
    .flatMap((op) => waive([gpu], op, "flushToZero", why.nvidiaFlush)),
  ...waive([gpu], "swish", "flushToZero", why.nvidiaFlush, {
    params: [{ beta: 0 }],
  }),
  ...waive([gpu], "prelu", "subnormal", why.nvidiaFlush),
  ...waive([gpu], "leakyRelu", "subnormal", why.nvidiaFlush),
  ...waive([gpu], "softsign", "values", why.nvidiaFlush),
  ...waive([gpu], "logSigmoid", "vjp", why.nvidiaFlush),
  ...waive([gpu], "softplus", "vjp", why.nvidiaFlush),
  ...waive([gpu], "softplus", "derivative", why.nvidiaFlush, {
    params: [{ beta: 2 }],
  }),

  // SwiftShader (headless Chromium) only: the same flush, and exp of NaN
  ...(["relu", "leakyRelu", "prelu", "relu6", "hardTanh", "hardSwish"] as const)
    .flatMap((op) => waive([gpu], op, "flushToZero", why.swiftshaderFlush)),
  ...waive([gpu], "swish", "flushToZero", why.swiftshaderFlush, {
    params: [{ beta: 0 }],
  }),
  ...waive([gpu], "relu", "subnormal", why.swiftshaderFlush),
  ...waive([gpu], "prelu", "subnormal", why.swiftshaderFlush),
  ...waive([gpu], "leakyRelu", "subnormal", why.swiftshaderFlush),
  ...waive([gpu], "logSigmoid", "vjp", why.swiftshaderFlush),
  ...waive([gpu], "softplus", "vjp", why.swiftshaderFlush),
  ...waive([gpu], "softplus", "derivative", why.swiftshaderFlush, {
    params: [{ beta: 2 }],
  }),
  ...(["elu", "selu", "sigmoid", "logSigmoid"] as const)
    .flatMap((op) => waive([gpu], op, "special", why.swiftshaderExpNaN)),
  // The catalog's edge sets whose branch is at 0: a flushed x takes the other side.
  ...waive([gpu], "elu", "flushToZero", why.swiftshaderFlush, {
    params: [{ alpha: 0 }],
  }),
  ...(["hardshrink", "softshrink"] as const).flatMap((op) => [
    ...waive([gpu], op, "subnormal", why.swiftshaderFlush, {
      params: [{ lambda: 0 }],
    }),
    ...waive([gpu], op, "flushToZero", why.swiftshaderFlush, {
      params: [{ lambda: 0 }],
    }),
  ]),
  ...waive([gpu], "threshold", "flushToZero", why.swiftshaderFlush, {
    params: [{ threshold: 0, value: 0 }],
  }),
  ...waive([gpu], "squareplus", "flushToZero", why.swiftshaderFlush, {
    params: [{ b: 0 }],
  }),

  // SwiftShader only: native-webgpu's float kernels flush too
  ...([
    "leakyRelu",
    "prelu",
    "elu",
    "selu",
    "celu",
    "sigmoid",
    "tanh",
    "softsign",
    "gelu",
    "swish",
    "silu",
    "mish",
    "tanhshrink",
    "squareplus",
  ] as const).flatMap((op) =>
    waive([nativeGpu], op, "flushToZero", why.swiftshaderNativeFlush)
  ),
  ...waive([nativeGpu], "leakyRelu", "subnormal", why.swiftshaderNativeFlush, {
    params: [...roundedAlphas, { alpha: -0.5 }],
  }),
  ...waive([nativeGpu], "prelu", "subnormal", why.swiftshaderNativeFlush, {
    params: [{ alpha: 0.25 }, { alpha: -0.5 }],
  }),
  ...(["hardshrink", "softshrink"] as const).flatMap((op) =>
    waive([nativeGpu], op, "flushToZero", why.swiftshaderNativeFlush, {
      params: [{ lambda: 0 }],
    })
  ),
  // threshold 1: a subnormal x gets the value either way.
  ...waive(
    [nativeGpu],
    "threshold",
    "flushToZero",
    why.swiftshaderNativeFlush,
    {
      params: [{ threshold: 0, value: 0 }, { threshold: -2, value: 3 }],
    },
  ),
  ...waive([nativeGpu], "celu", "values", why.swiftshaderNativeFlush, {
    params: [{ alpha: 2 }],
  }),
  ...waive([nativeGpu], "squareplus", "vjp", why.swiftshaderNativeFlush, {
    params: [{ b: 1 }, { b: 4 }, { b: 100 }],
  }),
  ...waive([nativeGpu], "elu", "values", why.swiftshaderNativeSplit, {
    params: [{ alpha: 2 }],
  }),
  ...waive([nativeGpu], "selu", "values", why.swiftshaderNativeSplit),
  ...waive([nativeGpu], "mish", "values", why.swiftshaderNativeSplit),
  ...waive([nativeGpu], "tanhshrink", "values", why.swiftshaderNativeSplit),
  ...waive([nativeGpu], "hardSwish", "values", why.swiftshaderNativeTie),

  // Arithmetic-only ops, held exact: where tfjs rounds twice
  ...waive([wasm, gpu], "leakyRelu", "values", why.alphaRounding, {
    params: roundedAlphas,
  }),
  ...waive(tfjs, "leakyRelu", "vjp", why.alphaRounding, {
    params: roundedAlphas,
  }),
  ...waive(tfjs, "leakyRelu", "kink", why.alphaRounding, {
    params: [{ alpha: 0.01 }],
  }),
  ...waive([cpu, wasm], "leakyRelu", "subnormal", why.alphaRounding, {
    params: roundedAlphas,
  }),
  // On NVIDIA and SwiftShader the flush explains these (above).
  ...waive([gpu], "leakyRelu", "subnormal", why.alphaRounding, {
    params: roundedAlphas,
    devices: LLVMPIPE,
  }),
  ...waive(tfjs, "hardSigmoid", "values", why.twoRoundings),
  ...waive(tfjs, "hardSigmoid", "finiteDifference", why.twoRoundings),
  ...waive(tfjs, "hardSwish", "subnormal", why.twoRoundings),
  ...waive(tfjs, "hardSwish", "finiteDifference", why.twoRoundings),
  ...waive([cpu, wasm], "softsign", "values", why.softsignRounding),
  // On NVIDIA the flush at ±3.4·10³⁸ comes on top (above).
  ...waive([gpu], "softsign", "values", why.softsignRounding, {
    devices: [...LLVMPIPE, "swiftshader"],
  }),
  // native-webgpu: a rounding tie beyond double-f32's precision
  ...waive([nativeGpu], "softsign", "derivative", why.gpuSoftsignTie, {
    inputs: [0.9999999403953552],
  }),
  ...waive([wasm], "softplus", "dparams", why.softplusBetaWasm, {
    params: [{ beta: 1, threshold: 20 }, { beta: 2, threshold: 20 }],
    anyCase: true,
  }),
  ...waive([gpu], "swish", "dparams", why.swishBetaTermGpu, {
    params: [{ beta: 0.5 }, { beta: -1 }],
    shownBy: "contract",
  }),
  ...waive([gpu], "swish", "dparams", why.betaRounding, {
    params: [{ beta: 10 }],
    // 9.3e-7 off against a bound of 9.15e-7 over the quick run's 416 terms;
    // 1.23e-6 against 1.97e-6 over the full run's 1184.
    run: "quick",
  }),

  // The peers: onnxruntime-web and jax-js
  ...waive(JAX, "relu", "special", why.jaxMaskNaN),
  ...waive(JAX, "relu", "kink", why.jaxKink),
  ...waive(JAX, "relu", "identity", why.jaxKink),
  ...waive(JAX, "leakyRelu", "special", why.jaxMaskNaN),
  ...waive(JAX, "leakyRelu", "kink", why.jaxKink),
  ...waive(ORT, "leakyRelu", "special", why.ortLeakyZeroAlpha, {
    params: [{ alpha: 0 }],
  }),
  ...waive(JAX, "prelu", "special", why.jaxMaskNaN),
  ...waive(JAX, "prelu", "kink", why.jaxKink),
  ...waive(JAX, "relu6", "special", why.jaxMaskNaN),
  ...waive(JAX, "relu6", "kink", why.jaxKink),
  ...waive(JAX, "elu", "values", why.jaxExpm1, { params: eluAlphas }),
  ...waive(JAX, "elu", "vjp", why.jaxBranchOverflow),
  ...waive(JAX, "elu", "derivative", why.jaxBranchOverflow),
  ...waive(JAX, "elu", "secondDerivative", why.jaxBranchOverflow, {
    params: eluAlphas,
  }),
  ...waive(JAX, "elu", "special", why.jaxBranchOverflow),
  ...waive(JAX, "elu", "kink", why.jaxSecondKink),
  ...waive(JAX, "elu", "subnormal", why.jaxExpUnderflow, {
    params: eluAlphas,
    inputs: [-86.89937591552734],
  }),
  ...waive(JAX, "elu", "flushToZero", why.jaxExpm1, { params: eluAlphas }),
  ...waive(ORT, "elu", "values", why.ortExpm1, { params: eluAlphas }),
  ...waive(ORT, "elu", "flushToZero", why.ortExpm1, { params: eluAlphas }),
  ...waive(ORT, "elu", "finiteDifference", why.ortExpm1, {
    params: eluAlphas,
    inputs: [-0.006458628922700882, -0.012043053284287453],
  }),
  ...waive(JAX, "elu", "finiteDifference", why.jaxSecondKink, {
    params: [{ alpha: 0.5 }],
  }),
  ...waive(JAX, "elu", "finiteDifference", why.jaxExpm1, {
    params: [{ alpha: 1 }, { alpha: 2 }],
    inputs: [-0.006458628922700882],
  }),
  ...waive(JAX, "selu", "values", why.jaxMath),
  ...waive(JAX, "selu", "vjp", why.jaxBranchOverflow),
  ...waive(JAX, "selu", "derivative", why.jaxBranchOverflow),
  ...waive(JAX, "selu", "secondDerivative", why.jaxBranchOverflow),
  ...waive(JAX, "selu", "special", why.jaxBranchOverflow),
  ...waive(JAX, "selu", "kink", why.jaxSecondKink),
  ...waive(JAX, "selu", "subnormal", why.jaxExpUnderflow),
  ...waive(JAX, "selu", "flushToZero", why.jaxExpUnderflow),
  ...waive(JAX, "selu", "finiteDifference", why.jaxExpUnderflow),
  ...waive(ORT, "selu", "values", why.ortExpm1),
  ...waive(ORT, "selu", "flushToZero", why.ortExpm1),
  ...waive(ORT, "selu", "finiteDifference", why.ortSeluKink),
  ...waive(JAX, "celu", "values", why.jaxExpm1),
  ...waive(JAX, "celu", "vjp", why.jaxBranchOverflow),
  ...waive(JAX, "celu", "derivative", why.jaxBranchOverflow),
  ...waive(JAX, "celu", "secondDerivative", why.jaxBranchOverflow),
  ...waive(JAX, "celu", "special", why.jaxBranchOverflow),
  ...waive(JAX, "celu", "kink", why.jaxSecondKink),
  ...waive(JAX, "celu", "subnormal", why.jaxExpUnderflow),
  ...waive(JAX, "celu", "flushToZero", why.jaxExpm1),
  ...waive(ORT, "celu", "values", why.ortExpm1),
  ...waive(ORT, "celu", "flushToZero", why.ortExpm1),
  ...waive(ORT, "celu", "finiteDifference", why.ortExpm1, {
    params: [{ alpha: 2 }],
    inputs: [-0.05182809382677078],
  }),
  ...waive(JAX, "celu", "finiteDifference", why.jaxExpUnderflow, {
    params: [{ alpha: 0.5 }],
  }),
  ...waive(JAX, "celu", "finiteDifference", why.jaxExpm1, {
    params: [{ alpha: 2 }],
    inputs: [-0.05182809382677078],
  }),
  ...waive(JAX, "sigmoid", "values", why.jaxMath),
  ...waive(JAX, "sigmoid", "vjp", why.jaxExpOverflow),
  ...waive(JAX, "sigmoid", "derivative", why.jaxExpOverflow),
  ...waive(JAX, "sigmoid", "secondDerivative", why.jaxExpOverflow),
  ...waive(JAX, "sigmoid", "special", why.jaxExpOverflow),
  ...waive(JAX, "sigmoid", "subnormal", why.jaxExpOverflow),
  ...waive(JAX, "sigmoid", "flushToZero", why.jaxExpUnderflow),
  ...waive(JAX, "sigmoid", "finiteDifference", why.jaxExpUnderflow),
  ...waive(JAX, "sigmoid", "identity", why.jaxExpOverflow),
  ...waive(ORT, "sigmoid", "values", why.ortLogistic),
  ...waive(ORT, "sigmoid", "flushToZero", why.ortLogistic),
  ...waive(ORT, "sigmoid", "finiteDifference", why.ortLogistic),
  ...waive(JAX, "logSigmoid", "values", why.jaxLogSigmoidValues),
  ...waive(JAX, "logSigmoid", "vjp", why.jaxExpOverflow),
  ...waive(JAX, "logSigmoid", "derivative", why.jaxExpOverflow),
  ...waive(JAX, "logSigmoid", "secondDerivative", why.jaxExpOverflow),
  ...waive(JAX, "logSigmoid", "special", why.jaxExpOverflow),
  ...waive(JAX, "logSigmoid", "subnormal", why.jaxExpOverflow),
  ...waive(JAX, "logSigmoid", "flushToZero", why.jaxExpUnderflow),
  ...waive(JAX, "logSigmoid", "finiteDifference", why.jaxSoftplusLog),
  ...waive(JAX, "hardSigmoid", "vjp", why.jaxKink),
  ...waive(JAX, "hardSigmoid", "derivative", why.jaxKink),
  ...waive(JAX, "hardSigmoid", "special", why.jaxMaskNaN),
  ...waive(JAX, "hardSigmoid", "kink", why.jaxKink),
  ...waive(ORT, "hardSigmoid", "values", why.ortHardAffine),
  ...waive(JAX, "tanh", "values", why.jaxTanh),
  ...waive(JAX, "tanh", "vjp", why.jaxTanhTail),
  ...waive(JAX, "tanh", "derivative", why.jaxTanhTail),
  ...waive(JAX, "tanh", "secondDerivative", why.jaxTanh),
  ...waive(JAX, "tanh", "signOfZero", why.jaxTanh),
  ...waive(JAX, "tanh", "flushToZero", why.jaxTanh),
  ...waive(JAX, "tanh", "subnormal", why.jaxTanhSubnormal, {
    inputs: [-43.81824493408203],
  }),
  ...waive(JAX, "tanh", "finiteDifference", why.jaxTanhSubnormal),
  ...waive(ORT, "tanh", "values", why.ortTanh),
  ...waive(ORT, "tanh", "subnormal", why.ortTanh),
  ...waive(ORT, "tanh", "flushToZero", why.ortTanh),
  ...waive(ORT, "tanh", "identity", why.ortTanh),
  ...waive(JAX, "hardTanh", "special", why.jaxMaskNaN),
  ...waive(JAX, "hardTanh", "kink", why.jaxKink, { params: float32Mins }),
  ...waive(ORT, "hardTanh", "kink", why.ortClipBound, {
    params: [{ min: -0.7 }],
  }),
  ...waive(JAX, "softsign", "vjp", why.jaxSoftsign),
  ...waive(JAX, "softsign", "derivative", why.jaxSoftsign),
  ...waive(JAX, "softsign", "secondDerivative", why.jaxSoftsign),
  ...waive(JAX, "softsign", "special", why.jaxSoftsign),
  ...waive(JAX, "softsign", "kink", why.jaxSecondKink),
  ...waive(JAX, "softsign", "subnormal", why.jaxSoftsign),
  ...waive(JAX, "softsign", "flushToZero", why.jaxSoftsign),
  ...waive(JAX, "softsign", "finiteDifference", why.jaxSoftsign),
  ...waive(ORT, "softsign", "special", why.ortSoftsignInf),
  ...waive(JAX, "softplus", "values", why.jaxSoftplusLog),
  ...waive(JAX, "softplus", "vjp", why.jaxExpUnderflow),
  ...waive(JAX, "softplus", "derivative", why.jaxExpUnderflow),
  ...waive(JAX, "softplus", "secondDerivative", why.jaxSoftplusSecond),
  ...waive(JAX, "softplus", "special", why.jaxBetaInf),
  ...waive(JAX, "softplus", "kink", why.jaxSoftplusSecond),
  ...waive(JAX, "softplus", "subnormal", why.jaxExpUnderflow),
  ...waive(JAX, "softplus", "flushToZero", why.jaxExpUnderflow),
  ...waive(JAX, "softplus", "finiteDifference", why.jaxSoftplusLog),
  ...waive(JAX, "gelu", "values", why.jaxGeluOverflow),
  ...waive(JAX, "gelu", "vjp", why.jaxGeluOverflow),
  ...waive(JAX, "gelu", "derivative", why.jaxErfcUnderflow),
  ...waive(JAX, "gelu", "secondDerivative", why.jaxErfcUnderflow),
  ...waive(JAX, "gelu", "special", why.jaxTimesZero),
  ...waive(JAX, "gelu", "subnormal", why.jaxErfcUnderflow, {
    params: [{ approximate: "none" }],
  }),
  ...waive(JAX, "gelu", "flushToZero", why.jaxErfcUnderflow),
  ...waive(JAX, "gelu", "finiteDifference", why.jaxErfcUnderflow),
  ...waive(ORT, "gelu", "values", why.ortGelu),
  ...waive(ORT, "gelu", "vjp", why.ortGeluGraph),
  ...waive(ORT, "gelu", "derivative", why.ortGeluGraph),
  ...waive(ORT, "gelu", "special", why.ortTimesZero),
  ...waive(ORT, "gelu", "subnormal", why.ortGeluGraph),
  ...waive(ORT, "gelu", "flushToZero", why.ortGelu),
  ...waive(ORT, "gelu", "finiteDifference", why.ortGelu),
  ...waive(JAX, "swish", "values", why.jaxExpUnderflow, {
    params: swishBetas,
  }),
  ...waive(JAX, "swish", "vjp", why.jaxExpOverflow),
  ...waive(JAX, "swish", "dparams", why.jaxExpOverflow, {
    params: [{ beta: 1 }, { beta: 1.702 }, { beta: 2 }, { beta: 10 }],
  }),
  ...waive(JAX, "swish", "derivative", why.jaxExpOverflow, {
    params: swishBetas,
  }),
  ...waive(JAX, "swish", "secondDerivative", why.jaxExpOverflow, {
    params: swishBetas,
  }),
  ...waive(JAX, "swish", "special", why.jaxTimesZero),
  ...waive(JAX, "swish", "subnormal", why.jaxExpOverflow, {
    params: swishBetas,
  }),
  ...waive(JAX, "swish", "flushToZero", why.jaxExpUnderflow, {
    params: swishBetas,
  }),
  ...waive(JAX, "swish", "finiteDifference", why.jaxExpOverflow, {
    params: swishBetas.filter((p) => p.beta > 0),
  }),
  // f′ and the finite differences of f meet within 6.25·10⁻¹⁰ at x = 18.2
  // (β = −1) only if f is within a few ULP: jax-js's f is ~8 ULP off there.
  ...waive(JAX, "swish", "finiteDifference", why.jaxMath, {
    params: [{ beta: -1 }],
    inputs: [18.228294372558594],
  }),
  ...waive(ORT, "swish", "values", why.ortLogistic, {
    params: swishBetas,
  }),
  ...waive(ORT, "swish", "vjp", why.ortSlopeZero, {
    params: swishBetas,
  }),
  ...waive(ORT, "swish", "derivative", why.ortSlopeZero, {
    params: swishBetas,
  }),
  ...waive(ORT, "swish", "special", why.ortTimesZero),
  ...waive(ORT, "swish", "subnormal", why.ortSubnormalGraph, {
    params: swishBetas,
  }),
  ...waive(ORT, "swish", "flushToZero", why.ortLogistic, {
    params: swishBetas,
  }),
  ...waive(ORT, "swish", "finiteDifference", why.ortLogistic, {
    params: swishBetas,
  }),
  ...waive(JAX, "silu", "values", why.jaxExpUnderflow),
  ...waive(JAX, "silu", "vjp", why.jaxExpOverflow),
  ...waive(JAX, "silu", "derivative", why.jaxExpOverflow),
  ...waive(JAX, "silu", "secondDerivative", why.jaxExpOverflow),
  ...waive(JAX, "silu", "special", why.jaxTimesZero),
  ...waive(JAX, "silu", "subnormal", why.jaxExpOverflow),
  ...waive(JAX, "silu", "flushToZero", why.jaxExpUnderflow),
  ...waive(JAX, "silu", "finiteDifference", why.jaxExpOverflow),
  ...waive(ORT, "silu", "values", why.ortLogistic),
  ...waive(ORT, "silu", "vjp", why.ortSlopeZero),
  ...waive(ORT, "silu", "derivative", why.ortSlopeZero),
  ...waive(ORT, "silu", "special", why.ortTimesZero),
  ...waive(ORT, "silu", "subnormal", why.ortSubnormalGraph),
  ...waive(ORT, "silu", "flushToZero", why.ortLogistic),
  ...waive(ORT, "silu", "finiteDifference", why.ortLogistic),
  ...waive(JAX, "mish", "values", why.jaxSoftplusLog),
  ...waive(JAX, "mish", "vjp", why.jaxMishOverflow),
  ...waive(JAX, "mish", "derivative", why.jaxMishOverflow),
  ...waive(JAX, "mish", "secondDerivative", why.jaxMishOverflow),
  ...waive(JAX, "mish", "special", why.jaxTimesZero),
  ...waive(JAX, "mish", "flushToZero", why.jaxExpUnderflow),
  ...waive(JAX, "mish", "finiteDifference", why.jaxSoftplusLog),
  ...waive(ORT, "mish", "values", why.ortMishSubnormal),
  ...waive(ORT, "mish", "vjp", why.ortSlopeZero),
  ...waive(ORT, "mish", "derivative", why.ortSlopeZero),
  ...waive(ORT, "mish", "special", why.ortTimesZero),
  ...waive(ORT, "mish", "subnormal", why.ortMishSubnormal),
  ...waive(ORT, "mish", "flushToZero", why.ortMishSubnormal),
  ...waive(ORT, "mish", "finiteDifference", why.ortMishSubnormal),
  ...waive(JAX, "hardSwish", "values", why.jaxHardSwishOverflow),
  ...waive(JAX, "hardSwish", "vjp", why.jaxKink),
  ...waive(JAX, "hardSwish", "derivative", why.jaxKink),
  ...waive(JAX, "hardSwish", "secondDerivative", why.jaxKink),
  ...waive(JAX, "hardSwish", "special", why.jaxTimesZero),
  ...waive(JAX, "hardSwish", "kink", why.jaxKink),
  ...waive(JAX, "hardSwish", "finiteDifference", why.jaxKink),
  ...waive(JAX, "hardSwish", "identity", why.jaxHardSwishOverflow),
  ...waive(ORT, "hardSwish", "values", why.ortHardAffine),
  ...waive(ORT, "hardSwish", "special", why.ortTimesZero),
  // The peers on the arithmetic-only ops, held exact
  ...waive(JAX, "leakyRelu", "values", why.peerAlphaRounding, {
    params: [{ alpha: 0.01 }, { alpha: 0.2 }],
  }),
  ...waive(JAX, "leakyRelu", "vjp", why.peerAlphaRounding, {
    params: [{ alpha: 0.01 }, { alpha: 0.2 }],
  }),
  ...waive(JAX, "leakyRelu", "subnormal", why.peerAlphaRounding, {
    params: [{ alpha: 0.01 }, { alpha: 0.2 }],
  }),
  ...waive(ORT, "leakyRelu", "values", why.peerAlphaRounding, {
    params: [{ alpha: 0.01 }, { alpha: 0.2 }],
  }),
  ...waive(ORT, "leakyRelu", "vjp", why.peerAlphaRounding, {
    params: [{ alpha: 0.01 }, { alpha: 0.2 }],
  }),
  ...waive(ORT, "leakyRelu", "kink", why.peerAlphaRounding, {
    params: [{ alpha: 0.01 }],
  }),
  ...waive(ORT, "leakyRelu", "subnormal", why.peerAlphaRounding, {
    params: [{ alpha: 0.01 }, { alpha: 0.2 }],
  }),
  ...waive(JAX, "hardSigmoid", "values", why.jaxHardRounding),
  ...waive(JAX, "hardSigmoid", "subnormal", why.jaxHardRounding),
  ...waive(JAX, "hardSigmoid", "finiteDifference", why.jaxHardRounding),
  ...waive(ORT, "hardSigmoid", "vjp", why.ortGraphRounding),
  ...waive(ORT, "hardSigmoid", "kink", why.ortGraphRounding),
  ...waive(ORT, "hardSigmoid", "subnormal", why.ortGraphRounding),
  ...waive(ORT, "hardSigmoid", "finiteDifference", why.ortGraphRounding),
  ...waive(JAX, "softsign", "values", why.peerSoftsignRounding),
  ...waive(ORT, "softsign", "values", why.peerSoftsignRounding),
  ...waive(ORT, "softsign", "vjp", why.ortGraphRounding),
  ...waive(ORT, "softsign", "derivative", why.ortGraphRounding),
  ...waive(ORT, "softsign", "subnormal", why.ortGraphRounding),
  ...waive(ORT, "softsign", "flushToZero", why.ortGraphRounding),
  ...waive(ORT, "softsign", "finiteDifference", why.ortGraphRounding),
  ...waive(JAX, "hardSwish", "subnormal", why.jaxHardRounding),
  ...waive(ORT, "hardSwish", "vjp", why.ortGraphRounding),
  ...waive(ORT, "hardSwish", "derivative", why.ortGraphRounding),
  ...waive(ORT, "hardSwish", "finiteDifference", why.ortGraphRounding),

  // hardshrink
  ...waive(tfjs, "hardshrink", "kink", why.stepKink),
  ...waive(tfjs, "hardshrink", "finiteDifference", why.stepKink),
  ...waive(ORT, "hardshrink", "special", why.ortShrinkNaN),
  ...waive(JAX, "hardshrink", "special", why.jaxWhereNaN),
  ...waive(JAX, "hardshrink", "kink", why.jaxShrinkKink),
  ...waive(JAX, "hardshrink", "finiteDifference", why.jaxShrinkKink),

  // softshrink
  ...waive(tfjs, "softshrink", "kink", why.reluShrinkKink),
  ...waive(tfjs, "softshrink", "finiteDifference", why.shrinkZeroLambda, {
    params: [{ lambda: 0 }],
  }),
  ...(["values", "vjp", "derivative", "subnormal", "flushToZero"] as const)
    .flatMap((check) =>
      waive([wasm], "softshrink", check, why.wasmSign, {
        params: [{ lambda: 0 }],
      })
    ),
  ...waive([gpu], "softshrink", "special", why.glShrinkNaN),
  ...waive(ORT, "softshrink", "special", why.ortShrinkNaN),
  ...waive(JAX, "softshrink", "special", why.jaxWhereNaN),
  ...waive(JAX, "softshrink", "kink", why.jaxShrinkKink),
  ...waive(JAX, "softshrink", "finiteDifference", why.jaxShrinkZeroLambda, {
    params: [{ lambda: 0 }],
  }),

  // tanhshrink
  ...waive(tfjs, "tanhshrink", "values", why.tanhshrinkCancels),
  ...waive(tfjs, "tanhshrink", "vjp", why.tanhshrinkCancels),
  ...waive(tfjs, "tanhshrink", "derivative", why.tanhshrinkCancels),
  ...waive(tfjs, "tanhshrink", "flushToZero", why.tanhshrinkCancels),
  ...waive(tfjs, "tanhshrink", "finiteDifference", why.tanhshrinkCancels),
  ...waive([cpu, wasm], "tanhshrink", "signOfZero", why.tanhshrinkZero),
  ...waive([gpu], "tanhshrink", "subnormal", why.tanhshrinkCancels, {
    devices: [...LLVMPIPE, "swiftshader"],
  }),
  ...waive(ORT, "tanhshrink", "values", why.ortTanhshrink),
  ...waive(ORT, "tanhshrink", "derivative", why.ortTanh, {
    inputs: [5.774549961090088, 5.782949924468994],
  }),
  ...waive(ORT, "tanhshrink", "vjp", why.ortTanh, {
    inputs: [5.774549961090088, 5.782949924468994],
  }),
  ...waive(ORT, "tanhshrink", "flushToZero", why.ortTanhshrink, {
    inputs: [2.4316109564249955e-13],
  }),
  ...waive(ORT, "tanhshrink", "signOfZero", why.ortTanhshrink),
  ...waive(ORT, "tanhshrink", "subnormal", why.ortTanhshrink),
  ...waive(ORT, "tanhshrink", "finiteDifference", why.ortTanhshrink),
  ...waive(JAX, "tanhshrink", "values", why.jaxTanhshrink),
  ...waive(JAX, "tanhshrink", "vjp", why.jaxTanhshrink),
  ...waive(JAX, "tanhshrink", "derivative", why.jaxTanhshrink),
  ...waive(JAX, "tanhshrink", "secondDerivative", why.jaxTanhshrink),
  ...waive(JAX, "tanhshrink", "signOfZero", why.jaxTanhshrink),
  ...waive(JAX, "tanhshrink", "subnormal", why.jaxTanhshrink),
  ...waive(JAX, "tanhshrink", "flushToZero", why.jaxTanhshrink),
  ...waive(JAX, "tanhshrink", "finiteDifference", why.jaxTanhshrink),

  // threshold
  ...waive(tfjs, "threshold", "special", why.whereGradNaN),
  ...waive(JAX, "threshold", "special", why.jaxMaskNaN),

  // squareplus
  ...waive(tfjs, "squareplus", "values", why.squareplusWritten),
  ...waive(tfjs, "squareplus", "vjp", why.squareplusWritten),
  ...waive(tfjs, "squareplus", "derivative", why.squareplusWritten),
  ...waive(tfjs, "squareplus", "secondDerivative", why.squareplusWritten),
  ...waive(tfjs, "squareplus", "subnormal", why.squareplusWritten),
  ...waive(tfjs, "squareplus", "flushToZero", why.squareplusWritten, {
    params: positiveB,
  }),
  ...waive(tfjs, "squareplus", "finiteDifference", why.squareplusWritten, {
    params: [{ b: 4 }, { b: 0 }, { b: 1 }],
  }),
  ...waive(tfjs, "squareplus", "special", why.squareplusInf),
  ...waive(tfjs, "squareplus", "kink", why.squareplusZeroB, {
    params: [{ b: 0 }],
  }),
  ...waive(ORT, "squareplus", "values", why.ortSquareplus),
  ...waive(ORT, "squareplus", "subnormal", why.ortSquareplus, {
    params: [{ b: 4 }, { b: 0 }, { b: 1 }],
  }),
  ...waive(ORT, "squareplus", "finiteDifference", why.ortSquareplus, {
    params: positiveB,
  }),
  ...waive(ORT, "squareplus", "special", why.ortSquareplusInf),
  ...waive(JAX, "squareplus", "values", why.jaxSquareplus),
  ...waive(JAX, "squareplus", "vjp", why.jaxSquareplus),
  ...waive(JAX, "squareplus", "derivative", why.jaxSquareplus),
  ...waive(JAX, "squareplus", "secondDerivative", why.jaxSquareplus),
  ...waive(JAX, "squareplus", "subnormal", why.jaxSquareplus),
  ...waive(JAX, "squareplus", "flushToZero", why.jaxSquareplus, {
    params: positiveB,
  }),
  ...waive(JAX, "squareplus", "finiteDifference", why.jaxSquareplus, {
    params: [{ b: 4 }, { b: 0 }, { b: 1 }],
  }),
  ...waive(JAX, "squareplus", "kink", why.jaxSquareplusZeroB, {
    params: [{ b: 0 }],
  }),
  ...waive(JAX, "squareplus", "special", why.jaxSquareplusInf),
];
