/**
 * The waivers: every known, accepted departure of a backend from the pinned
 * conventions or from its tolerance, with the reason and, for TensorFlow.js,
 * where in its source the behaviour comes from. This is the only file that
 * holds waivers. A failure not listed here fails the run, and so does a waiver
 * that no longer fails, so the list stays true.
 *
 * Every entry below was found by the suite and checked against tfjs 4.22's
 * source (`node_modules/@tensorflow/*`); paths are those of the tfjs
 * repository. The three tfjs backends share tfjs-core's gradients, so most
 * departures of the gradients appear on all three.
 *
 * @module
 */

import type { OpName } from "@nonlin/core";
import type { CaseParamValue } from "./cases.ts";
import type { CheckKind } from "./checks.ts";

/** One accepted departure. */
export interface Waiver {
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
  /** Why the backend does this. */
  readonly reason: string;
  /** Where the behaviour comes from: a source file, or an issue. */
  readonly source?: string;
  /**
   * Inputs at which the departure shows, added to every run (quick ones
   * included) so the waiver is always put to the test.
   */
  readonly inputs?: readonly number[];
}

/** Why: the reason and where it comes from. */
interface Finding {
  readonly reason: string;
  readonly source?: string;
}

const cpu = "tfjs-cpu";
const wasm = "tfjs-wasm";
const gpu = "tfjs-webgpu";
const tfjs = [cpu, wasm, gpu] as const;

const core = "tfjs-core/src/gradients";

/** The findings, each shared by the waivers it explains. */
const why = {
  reluNaN: {
    reason:
      "relu''(NaN) is 0, not NaN: Relu's gradient is dy·step(x) and Step's gradient is zerosLike(dy), " +
      "so the nested gradient is 0 whatever x is",
    source: `${core}/Relu_grad.ts, ${core}/Step_grad.ts`,
  },
  branchNaN: {
    reason:
      "f'(NaN) and dx at NaN are α·dy, not NaN: the gradient picks the slope with where(x > 0, dy, α·dy), " +
      "and NaN > 0 is false",
    source: `${core}/LeakyRelu_grad.ts, ${core}/Prelu_grad.ts`,
  },
  leakyNaN: {
    reason:
      "f'(NaN) and dx at NaN are α·dy, not NaN (where(x > 0, dy, α·dy) with NaN > 0 false); with α = 0 " +
      "also leakyRelu(−∞) = 0·(−∞) = NaN, not the limit 0, since the kernel computes α·x for x < 0",
    source:
      `${core}/LeakyRelu_grad.ts, tfjs-backend-cpu/src/kernels/LeakyRelu.ts`,
  },
  clampNaN: {
    reason:
      "relu6(NaN) is 0, not NaN: the kernel clamps with min/max instructions that return the other operand " +
      "for NaN (XNNPACK's clamp on wasm, WGSL clamp(a, 0.0, 6.0) on webgpu); hardSigmoid = relu6(x + 3)/6 inherits it",
    source:
      "tfjs-backend-webgpu/src/unary_op_util.ts (RELU6), tfjs-backend-wasm Relu6 (XNNPACK clamp)",
  },
  clipNaN: {
    reason:
      "hardTanh'(NaN) and dx at NaN are 0, not NaN: ClipByValue's gradient passes dy where " +
      "min ≤ x ≤ max, which is false for NaN",
    source: `${core}/ClipByValue_grad.ts`,
  },
  clipNaNWasm: {
    reason:
      "hardTanh(NaN) is min (−1 or −2), not NaN, as the wasm ClipByValue kernel clamps with min/max " +
      "instructions; and hardTanh'(NaN) is 0 because ClipByValue's gradient passes dy only where min ≤ x ≤ max",
    source:
      `tfjs-backend-wasm ClipByValue (XNNPACK clamp), ${core}/ClipByValue_grad.ts`,
  },
  clipKink: {
    reason:
      "at x = min the derivative is the right-hand 1, not the pinned left-hand 0: ClipByValue's gradient " +
      "passes dy where min ≤ x ≤ max, closed at both ends",
    source: `${core}/ClipByValue_grad.ts`,
  },
  hardKink: {
    reason:
      "the kink at 3 moves one float32 step up: relu6(x + 3) rounds x + 3 to float32 before Relu6's gradient " +
      "tests x + 3 ≤ 6, so at x = 3 + 2⁻²² (where x + 3 rounds to 6) the slope of the middle piece is taken, " +
      "not that of the flat (hardSigmoid) or linear (hardSwish) piece",
    source: `${core}/Relu6_grad.ts`,
  },
  secondLeaky: {
    reason:
      "no second derivative: LeakyRelu's and Prelu's gradients pick the slope with tf.greater, and tfjs has " +
      "no gradient for Greater (the adapter declares it in capabilities.unsupported)",
    source: `${core}/LeakyRelu_grad.ts, ${core}/Prelu_grad.ts`,
  },
  secondRelu6: {
    reason:
      "no second derivative: Relu6's gradient masks with tf.lessEqual, and tfjs has no gradient for " +
      "LessEqual (declared in capabilities.unsupported)",
    source: `${core}/Relu6_grad.ts`,
  },
  secondElu: {
    reason:
      "no second derivative: Elu's gradient is the EluGrad kernel of the saved output, and EluGrad has no " +
      "gradient (declared in capabilities.unsupported)",
    source: `${core}/Elu_grad.ts`,
  },
  secondSelu: {
    reason:
      "no second derivative: Selu's gradient picks its branch with tf.greater, which has no gradient " +
      "(declared in capabilities.unsupported)",
    source: `${core}/Selu_grad.ts`,
  },
  secondSaved: {
    reason:
      "no second derivative: the gradient is a function of the op's saved output y (y(1 − y) for Sigmoid, " +
      "1 − y² for Tanh), which tfjs's tape does not connect back to x, so nested tf.grad finds no path " +
      "(declared in capabilities.unsupported)",
    source: `${core}/Sigmoid_grad.ts, ${core}/Tanh_grad.ts`,
  },
  secondSilent: {
    reason:
      "no second derivative: nested tf.grad returns a wrong value without an error, because the Sigmoid or " +
      "Tanh gradient inside reads the saved output and the term through it is dropped; the adapter refuses rather " +
      "than return it (declared in capabilities.unsupported)",
    source: `${core}/Sigmoid_grad.ts, ${core}/Tanh_grad.ts`,
  },
  secondClip: {
    reason:
      "no second derivative: ClipByValue's gradient masks with logicalAnd(greaterEqual, lessEqual), none " +
      "of which has a gradient (declared in capabilities.unsupported)",
    source: `${core}/ClipByValue_grad.ts`,
  },
  expMinus1: {
    reason:
      "eˣ − 1 is computed as exp(x) − 1, not expm1: for |x| below 2⁻²⁴ the result is 0 (100% relative " +
      "error; −5.96·10⁻⁸ on webgpu, whose exp is not exact near 0), and between 2⁻²⁴ and about 0.1 it keeps " +
      "only the digits of x that survive the subtraction",
    source:
      "tfjs-backend-cpu/src/kernels/Elu.ts, Selu.ts; tfjs-backend-webgpu/src/unary_op_util.ts (ELU, SELU)",
  },
  eluGrad: {
    reason:
      "EluGrad computes dy·(y + 1) from the saved output y = eˣ − 1; y rounds to −1 for x < −16.6, so " +
      "the derivative eˣ comes out 0 (100% relative error below −16.6; the same on every tfjs backend)",
    source: "tfjs-backend-cpu/src/kernels/EluGrad.ts, " + `${core}/Elu_grad.ts`,
  },
  sigmoidGrad: {
    reason:
      "σ'(x) is dy·y·(1 − y) of the saved output y = σ(x): y rounds to 1 for x > 16.6, so σ'(x) ≈ e⁻ˣ " +
      "comes out 0 (100% relative error above 16.6)",
    source: `${core}/Sigmoid_grad.ts`,
  },
  tanhGrad: {
    reason:
      "tanh'(x) is (1 − y²)·dy of the saved output y = tanh x: y rounds to ±1 for |x| > 9.01, so " +
      "sech²x comes out 0 (100% relative error beyond 9.01)",
    source: `${core}/Tanh_grad.ts`,
  },
  logSigmoidSecond: {
    reason:
      "logSigmoid'' is the gradient of σ(−x), dy·y·(1 − y) of the saved σ: 0 for x < −16.6 where it is " +
      "≈ −eˣ (100% relative error)",
    source: `${core}/Sigmoid_grad.ts`,
  },
  softplusSecond: {
    reason:
      "softplus'' is the gradient of σ(βx), dy·y·(1 − y): 0 for βx > 16.6 where it is ≈ βe^−βx, " +
      "including at the threshold kink x = 20/β (an accuracy loss, not the wrong side)",
    source: `${core}/Softplus_grad.ts, ${core}/Sigmoid_grad.ts`,
  },
  lostNotFlushed: {
    reason:
      "a subnormal result comes back as 0, lost to the same cancellation as the normal ones (eˣ − 1, " +
      "y(1 − y), 1 − y²), not by a hardware flush: tfjs-cpu keeps subnormals elsewhere",
    source:
      `${core}/Sigmoid_grad.ts, ${core}/Tanh_grad.ts, tfjs-backend-cpu/src/kernels/Elu.ts`,
  },
  wasmCutoff: {
    reason:
      "σ(x) is 0 for x < −87.3365, where σ(x) is subnormal: XNNPACK's sigmoid returns 0 below its " +
      "denormal cutoff (−0x1.5D589Ep+6), and softplus', logSigmoid', swish and silu go through it; with the " +
      "EluGrad cancellation below −16.6 this also zeroes elu' and celu' at subnormal results",
    source:
      "tfjs-backend-wasm Sigmoid (XNNPACK f32 vsigmoid, vdenorm_cutoff), tfjs-backend-cpu/src/kernels/EluGrad.ts",
  },
  gpuFlush: {
    reason:
      "subnormal results and intermediates are flushed to zero: WGSL lets an implementation flush f32 " +
      "subnormals, and llvmpipe does (eˣ for x < −87.3 is 0, so σ'(x), softplus'(x), elu'(x)… are 0 there)",
    source:
      "WGSL specification, Floating Point Evaluation (subnormals may be flushed)",
  },
  gpuExpFlush: {
    reason:
      "selu'(x) = λαeˣ is 0 for x just below −87.3 although its result is normal: llvmpipe flushes the " +
      "subnormal intermediate eˣ to zero before it is multiplied by λα ≈ 1.76",
    source:
      "WGSL specification, Floating Point Evaluation (subnormals may be flushed)",
  },
  gpuTanh: {
    reason:
      "tfjs-webgpu computes tanh as sign(x)·(1 − e)/(1 + e) with e = exp(−2|x|): for |x| below about " +
      "10⁻⁸ llvmpipe's exp gives 1 − 2⁻²³ and tanh(x) comes out 2.98·10⁻⁸ (subnormal and tiny inputs alike), " +
      "and tanh(−0) is +0 because sign(−0) is 0",
    source: "tfjs-backend-webgpu/src/unary_op_util.ts (TANH)",
  },
  gpuMish: {
    reason:
      "mish(x) = x·tanh(softplus(x)) inherits webgpu's tanh of tiny arguments (2.98·10⁻⁸ for any " +
      "softplus(x) below about 10⁻⁸, i.e. x < −18): mish(−87.3) is −2.6·10⁻⁶ instead of −10⁻³⁶, and its " +
      "gradient, which multiplies by the same tanh, is as far off",
    source: "tfjs-backend-webgpu/src/unary_op_util.ts (TANH, SOFTPLUS)",
  },
  gpuSoftplus: {
    reason:
      "tfjs-webgpu computes softplus as log(exp(x) + 1) in f32 between the thresholds log(ε) + 2 ≈ −13.94 " +
      "and 13.94: 1 + eˣ rounds first, so near x = −13.9 the relative error reaches 7%; logSigmoid = " +
      "−softplus(−x) inherits it (tfjs-cpu evaluates the same expression in float64 and is exact there)",
    source: "tfjs-backend-webgpu/src/unary_op_util.ts (SOFTPLUS)",
  },
  softsignGrad: {
    reason:
      "softsign is x/(|x| + 1) in tfjs ops (as tfjs-layers writes it) and its gradient comes from the tape: " +
      "1/b − x·sign(x)/b² with b = |x| + 1 subtracts two terms of size 1/|x| to get 1/(1 + |x|)², so it loses " +
      "every digit past |x| ≈ 10⁴ (even the sign, at x = 1.7·10⁷), and b² overflows past |x| ≈ 1.8·10¹⁹, " +
      "giving ∞/∞ = NaN",
    source:
      `${core}/RealDiv_grad.ts, tfjs-layers/src/activations.ts (Softsign)`,
  },
  softsignInf: {
    reason:
      "softsign(±∞) is ∞/∞ = NaN, not ±1: tfjs computes x/(|x| + 1) directly; its derivative there is NaN too",
    source: "tfjs-layers/src/activations.ts (Softsign)",
  },
  softplusInf: {
    reason:
      "∂softplus/∂β at x = +∞ is NaN, not 0: tf.where's gradient sends 0 into the unselected smooth branch, " +
      "whose gradient then multiplies that 0 by x = ∞; at −∞ the smooth branch's own gradient is ∞·0",
    source: `${core}/Select_grad.ts, ${core}/Softplus_grad.ts`,
  },
  celuInf: {
    reason:
      "∂celu/∂α at x = −∞ is NaN, not −1: the α·elu(x/α) composition differentiates to " +
      "elu(x/α) − (x/α)·elu'(x/α), and elu'(−∞) = 0 from EluGrad times x/α = −∞ is NaN",
    source: "tfjs-backend-cpu/src/kernels/EluGrad.ts",
  },
  mulInf: {
    reason:
      "f(−∞) is −∞·0 = NaN, not the limit 0: the op is x times a factor that is 0 at −∞ (σ(βx), " +
      "tanh(softplus x), relu6(x + 3)/6, ½(1 + erf(x/√2))); f' and dx there are NaN too",
    source:
      "tfjs-layers/src/activations.ts (Swish, Mish, Gelu), the adapter's catalog formulas",
  },
  mulGradOverflow: {
    reason:
      "dx is NaN for |x| near the float32 maximum: Mul's gradient forms dy·x first, which overflows to ±∞ " +
      "when |dy·x| > 3.4·10³⁸, and the chain then multiplies ∞ by a derivative that is 0 there (σ'(βx), " +
      "relu6'(x + 3), …); gelu's x³ overflows the same way",
    source: `${core}/Multiply_grad.ts`,
  },
  geluErf: {
    reason:
      "gelu is 0.5·x·(1 + erf(x/√2)) as tfjs-layers writes it, with tfjs's erf the Abramowitz–Stegun " +
      "7.1.26 approximation (absolute error up to 1.5·10⁻⁷): 1 + erf(x/√2) cancels, so the relative error " +
      "passes 1% below x ≈ −3 and gelu is 0 below −5.2; the tanh form 0.5·x·(1 + tanh u) cancels the same " +
      "way and is 0 below −5.1",
    source:
      "tfjs-backend-cpu/src/kernels/Erf.ts, tfjs-backend-webgpu/src/unary_op_util.ts (ERF), " +
      "tfjs-layers/src/activations.ts (Gelu, GeluNew)",
  },
  geluGrad: {
    reason:
      "gelu's gradient comes from the tape of 0.5·x·(1 + erf(x/√2)) (or of the tanh form), so it keeps " +
      "the cancellation of 1 + erf below x ≈ −3, and for |x| above about 10¹³ the cube x³ and dy·x overflow, " +
      "giving ∞·0 = NaN",
    source:
      `tfjs-layers/src/activations.ts (Gelu, GeluNew), ${core}/Multiply_grad.ts`,
  },
  geluFd: {
    reason:
      "gelu's derivative disagrees with the finite differences of gelu itself where gelu cancels: the " +
      "forward is 0 or nearly so below x ≈ −5 (1 + erf cancels) while the gradient of the same tape is not",
    source:
      "tfjs-backend-cpu/src/kernels/Erf.ts, tfjs-layers/src/activations.ts (Gelu)",
  },
  betaRounding: {
    reason:
      "βx is rounded to float32 before σ(βx), which multiplies its relative error by |βx| (up to about " +
      "64 ULP for β = 10), and for βx < −87.3 σ(βx) is subnormal with fewer than 24 significant bits, " +
      "which x·σ(βx) inherits",
    source: "tfjs-layers/src/activations.ts (Swish)",
  },
  swishCancel: {
    reason:
      "the tape's swish' = σ(βx) + βx·σ(βx)(1 − σ(βx)) cancels near its zero at βx ≈ −1.28, so the " +
      "relative error there is unbounded in float32 (thousands of ULP), and βx's rounding adds |βx| ULP elsewhere",
    source: `${core}/Multiply_grad.ts, ${core}/Sigmoid_grad.ts`,
  },
  swishCancelWasm: {
    reason:
      "the tape's swish' = σ(βx) + βx·σ(βx)(1 − σ(βx)) cancels near its zero at βx ≈ −1.28, and " +
      "XNNPACK's σ is 0 below −87.3365, so swish' is 0 there instead of ≈ βx·e^βx",
    source:
      `${core}/Sigmoid_grad.ts, tfjs-backend-wasm Sigmoid (XNNPACK vdenorm_cutoff)`,
  },
  swishFd: {
    reason:
      "f' and the finite differences of f disagree by more than 8 ULP of f allow: both carry the error " +
      "of βx rounded to float32, about |βx| ULP (up to 200 ULP at β = 10, x = −20)",
    source: "tfjs-layers/src/activations.ts (Swish)",
  },
  subnormalIntermediate: {
    reason:
      "for x < −87.3 the intermediate σ(x) (or softplus(x)) is subnormal and keeps fewer than 24 " +
      "significant bits, and the product with x inherits the loss (a few hundred ULP on subnormal results)",
    source: "tfjs-layers/src/activations.ts (Swish, Mish)",
  },
  mishCancel: {
    reason:
      "the tape's mish' = tanh(sp) + x·sech²(sp)·σ(x) cancels near its zero at x ≈ −1.19, so the " +
      "relative error there is unbounded in float32 (thousands of ULP)",
    source: `${core}/Tanh_grad.ts, ${core}/Softplus_grad.ts`,
  },
  mishWasm: {
    reason:
      "mish' cancels near its zero at x ≈ −1.19, and XNNPACK's σ is 0 below −87.3365, so softplus' " +
      "and with it mish' lose their tail: mish'(−87.3) comes out 1.2·10⁻³⁸ for −10⁻³⁶",
    source: "tfjs-backend-wasm Sigmoid (XNNPACK vdenorm_cutoff)",
  },
  hardSwishOverflow: {
    reason:
      "hardSwish multiplies x·relu6(x + 3) before dividing by 6, so it overflows to ∞ for " +
      "x > 3.4·10³⁸/6 ≈ 5.7·10³⁷, where the result is still finite",
    source: "the adapter's x·relu6(x + 3)/6 in tfjs ops",
  },
  wasmEmptySum: {
    reason:
      "the VJP of an empty x returns garbage for the parameter's gradient (3.6·10⁻⁴¹, −4.7·10⁻³⁹, … " +
      "instead of 0): tfjs-wasm's Sum over an empty tensor leaves its output uninitialised",
    source: "tfjs-backend-wasm Sum kernel",
  },
  gpuEmptyVjp: {
    reason:
      'the VJP of an empty x throws "Dispatch size exceeds WebGPU limits in Y or Z dimension": ' +
      "tfjs-webgpu's reduction for the parameter's gradient computes an invalid dispatch for 0 elements",
    source: "tfjs-backend-webgpu reduction program (Sum)",
  },
} as const satisfies Record<string, Finding>;

/** One waiver per backend, sharing a finding. */
function waive(
  backends: readonly string[],
  op: OpName,
  check: CheckKind,
  finding: Finding,
  more: { params?: NonNullable<Waiver["params"]>; inputs?: readonly number[] } =
    {},
): Waiver[] {
  return backends.map((backend) => ({
    backend,
    op,
    check,
    ...finding,
    ...more,
  }));
}

const swishBetas = [{ beta: 1 }, { beta: 0.5 }, { beta: 1.702 }, { beta: 10 }];

/** Every waiver. */
export const waivers: readonly Waiver[] = [
  // ReLU and pReLU
  ...waive(tfjs, "relu", "special", why.reluNaN),
  ...waive(tfjs, "leakyRelu", "special", why.leakyNaN),
  ...waive(tfjs, "leakyRelu", "secondDerivative", why.secondLeaky),
  ...waive([wasm], "leakyRelu", "shapes", why.wasmEmptySum, {
    params: [{ alpha: 0.01 }],
  }),
  ...waive([gpu], "leakyRelu", "shapes", why.gpuEmptyVjp, {
    params: [{ alpha: 0.01 }],
  }),
  ...waive(tfjs, "prelu", "special", why.branchNaN),
  ...waive(tfjs, "prelu", "secondDerivative", why.secondLeaky),
  ...waive([wasm], "prelu", "shapes", why.wasmEmptySum, {
    params: [{ alpha: 0.25 }],
  }),
  ...waive([gpu], "prelu", "shapes", why.gpuEmptyVjp, {
    params: [{ alpha: 0.25 }],
  }),
  ...waive(tfjs, "relu6", "secondDerivative", why.secondRelu6),
  ...waive([wasm, gpu], "relu6", "special", why.clampNaN),

  // ELU family
  ...waive([cpu, gpu], "elu", "values", why.expMinus1, {
    inputs: [-5.512141681384734e-17, -2.354029239052467e-38],
  }),
  ...waive(tfjs, "elu", "vjp", why.eluGrad, { inputs: [-17.422306060791016] }),
  ...waive(tfjs, "elu", "derivative", why.eluGrad, {
    inputs: [-17.32915496826172],
  }),
  ...waive(tfjs, "elu", "secondDerivative", why.secondElu),
  ...waive([cpu], "elu", "flushToZero", why.lostNotFlushed),
  ...waive([wasm], "elu", "flushToZero", why.wasmCutoff, {
    inputs: [-88.45806884765625],
  }),
  ...waive([gpu], "elu", "flushToZero", why.gpuFlush, {
    inputs: [-88.45806884765625],
  }),
  ...waive([gpu], "elu", "subnormal", why.expMinus1),
  ...waive([wasm], "elu", "shapes", why.wasmEmptySum, {
    params: [{ alpha: 1 }],
  }),
  ...waive([gpu], "elu", "shapes", why.gpuEmptyVjp, { params: [{ alpha: 1 }] }),
  ...waive(tfjs, "selu", "values", why.expMinus1, {
    inputs: [-5.5440744926239764e-17, -2.9752353469802983e-8],
  }),
  ...waive(tfjs, "selu", "secondDerivative", why.secondSelu),
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
  ...waive(tfjs, "celu", "secondDerivative", why.secondElu),
  ...waive(tfjs, "celu", "special", why.celuInf),
  ...waive([cpu], "celu", "flushToZero", why.lostNotFlushed),
  ...waive([wasm], "celu", "flushToZero", why.wasmCutoff, {
    inputs: [-43.66827392578125, -174.673095703125],
  }),
  ...waive([gpu], "celu", "flushToZero", why.gpuFlush, {
    inputs: [-43.66827392578125, -174.673095703125],
  }),
  ...waive([gpu], "celu", "subnormal", why.expMinus1),
  ...waive([wasm], "celu", "shapes", why.wasmEmptySum, {
    params: [{ alpha: 1 }],
  }),
  ...waive([gpu], "celu", "shapes", why.gpuEmptyVjp, {
    params: [{ alpha: 1 }],
  }),

  // Sigmoid and friends
  ...waive(tfjs, "sigmoid", "vjp", why.sigmoidGrad, {
    inputs: [17.359403610229492],
  }),
  ...waive(tfjs, "sigmoid", "derivative", why.sigmoidGrad, {
    inputs: [17.330434799194336],
  }),
  ...waive(tfjs, "sigmoid", "secondDerivative", why.secondSaved),
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
  ...waive(tfjs, "hardSigmoid", "secondDerivative", why.secondRelu6),
  ...waive([wasm, gpu], "hardSigmoid", "special", why.clampNaN),

  // Tanh and friends
  ...waive(tfjs, "tanh", "vjp", why.tanhGrad, { inputs: [9.015677452087402] }),
  ...waive(tfjs, "tanh", "derivative", why.tanhGrad, {
    inputs: [9.011866569519043],
  }),
  ...waive(tfjs, "tanh", "secondDerivative", why.secondSaved),
  ...waive([cpu, wasm], "tanh", "flushToZero", why.lostNotFlushed, {
    inputs: [44.361419677734375],
  }),
  ...waive([gpu], "tanh", "flushToZero", why.gpuFlush, {
    inputs: [44.361419677734375],
  }),
  ...waive([gpu], "tanh", "values", why.gpuTanh),
  ...waive([gpu], "tanh", "signOfZero", why.gpuTanh),
  ...waive([gpu], "tanh", "subnormal", why.gpuTanh),
  ...waive(tfjs, "hardTanh", "secondDerivative", why.secondClip),
  ...waive([cpu, gpu], "hardTanh", "special", why.clipNaN),
  ...waive([wasm], "hardTanh", "special", why.clipNaNWasm),
  ...waive(tfjs, "hardTanh", "kink", why.clipKink),
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
  ...waive(tfjs, "softplus", "kink", why.softplusSecond),
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
  ...waive([wasm], "softplus", "shapes", why.wasmEmptySum, {
    params: [{ beta: 1 }],
  }),
  ...waive([gpu], "softplus", "shapes", why.gpuEmptyVjp, {
    params: [{ beta: 1 }],
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
  ...waive(tfjs, "gelu", "secondDerivative", why.secondSilent, {
    params: [{ approximate: "tanh" }],
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
  ...waive(tfjs, "swish", "secondDerivative", why.secondSilent),
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
  ...waive([wasm], "swish", "shapes", why.wasmEmptySum, {
    params: [{ beta: 1 }],
  }),
  ...waive([gpu], "swish", "shapes", why.gpuEmptyVjp, {
    params: [{ beta: 1 }],
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
  ...waive(tfjs, "silu", "secondDerivative", why.secondSilent),
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
  ...waive([gpu], "silu", "finiteDifference", why.gpuFlush),

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
  ...waive(tfjs, "mish", "secondDerivative", why.secondSilent),
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
  ...waive(tfjs, "hardSwish", "secondDerivative", why.secondRelu6),
  ...waive(tfjs, "hardSwish", "special", why.mulInf),
  ...waive(tfjs, "hardSwish", "identity", why.hardSwishOverflow),
];
