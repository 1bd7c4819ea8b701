/**
 * Where each backend is known to differ from the pinned conventions or from
 * the reference, with the reason. The contract suite holds every backend to
 * this table both ways: every deviation it finds on the grid must be listed
 * here, and every entry must still show at its witness inputs, so the table
 * stays true as the backends change. Nothing here is skipped.
 *
 * The tfjs entries were measured with tfjs 4.22 on its cpu and wasm backends
 * and on its webgpu backend over Mesa's llvmpipe; entries naming only
 * `tfjs-webgpu` are what llvmpipe's shader arithmetic does (a real GPU may
 * differ, so their witnesses are only asserted on llvmpipe).
 *
 * @module
 */

import { type OpName, type ResolvedParams } from "@nonlin/core";
import { MAX_FLOAT32, MIN_NORMAL, nextFloat32 } from "./grid.ts";
import type { Check, Deviation } from "./survey.ts";

/** One known difference of one op on some backends. */
export interface KnownDifference {
  /** The backends that show it. */
  readonly backends: readonly string[];
  /** The op. */
  readonly op: OpName;
  /** Only for this parameter variant of grid.ts; every variant when absent. */
  readonly params?: Readonly<Record<string, unknown>>;
  /** The results that show it. */
  readonly checks: readonly Check[];
  /** How the results depart. */
  readonly kind: Deviation;
  /** Where it may show, given the resolved parameters. */
  readonly at: (x: number, p: ResolvedParams) => boolean;
  /** Grid inputs where it must still show, for every check listed. */
  readonly witness: readonly number[];
  /** Why. */
  readonly reason: string;
}

const CPU = "tfjs-cpu";
const WASM = "tfjs-wasm";
const WEBGPU = "tfjs-webgpu";
const TFJS = [CPU, WASM, WEBGPU] as const;

const GRADIENTS: readonly Check[] = ["vjp", "derivative"];
const isNaN = (x: number) => x !== x;
const infinite = (x: number) => x === Infinity || x === -Infinity;
/** |x| at or beyond the largest float32 (where x² or x/α overflow). */
const huge = (x: number) => Math.abs(x) >= 1e38;
const tiny = (x: number) => x !== 0 && Math.abs(x) <= MIN_NORMAL;
/** A subnormal input in the grid, present in every variant. */
const SUBNORMAL = Math.fround(-1e-40);
/** The float32 just above 3, where x + 3 rounds to 6. */
const ABOVE_3 = nextFloat32(3, true);

const ELU_GRAD_UNDERFLOW =
  "tfjs differentiates Elu with EluGrad, dy·(y + 1) from the output y = eˣ − 1; for x below −87 the float32 y + 1 is 0, not the subnormal eˣ";
const EXPM1 =
  "the kernel computes eˣ − 1, not expm1: for subnormal x it returns 0 (cpu) or llvmpipe's exp error, −2⁻²⁴ (webgpu)";
const SIGMOID_GRAD =
  "tfjs's Sigmoid gradient is dy·y(1 − y) from the output y, which rounds to 1 for x > 17, so it is 0 where σ'(x) is subnormal";
const FLUSH = "the kernel flushes subnormal results to zero";

/** Every known difference of every built-in backend. The native backend has none. */
export const knownDifferences: readonly KnownDifference[] = [
  // relu
  {
    backends: TFJS,
    op: "relu",
    checks: ["secondDerivative"],
    kind: "nan",
    at: isNaN,
    witness: [NaN],
    reason:
      "tfjs's Relu gradient is dy·step(x) and Step's gradient is zeros, so relu''(NaN) = 0",
  },
  // leakyRelu, prelu
  ...(["leakyRelu", "prelu"] as const).map((op): KnownDifference => ({
    backends: TFJS,
    op,
    checks: GRADIENTS,
    kind: "nan",
    at: isNaN,
    witness: [NaN],
    reason:
      "tfjs's LeakyRelu and Prelu gradients take dy where x > 0 and α·dy elsewhere; NaN > 0 is false, so the gradient at NaN is α·dy",
  })),
  // relu6 and the ops built on it
  ...(["relu6", "hardSigmoid"] as const).map((op): KnownDifference => ({
    backends: [WASM, WEBGPU],
    op,
    checks: ["values"],
    kind: "nan",
    at: isNaN,
    witness: [NaN],
    reason:
      "the Relu6 kernel clamps with min and max, which drop NaN: relu6(NaN) = 0",
  })),
  ...(["hardSigmoid", "hardSwish"] as const).map((op): KnownDifference => ({
    backends: TFJS,
    op,
    checks: GRADIENTS,
    kind: "far",
    at: (x) => x > 3 && x < 3.000001,
    witness: [ABOVE_3],
    reason:
      "x + 3 rounds to 6 in float32 for x just above 3, and relu6'(6) = 1, so the kink at 3 moves up by one float32 step",
  })),
  {
    backends: TFJS,
    op: "hardSwish",
    checks: ["values"],
    kind: "nan",
    at: (x) => x === -Infinity,
    witness: [-Infinity],
    reason: "x·relu6(x + 3)/6 is −∞·0 at −∞",
  },
  {
    backends: TFJS,
    op: "hardSwish",
    checks: GRADIENTS,
    kind: "nan",
    at: infinite,
    witness: [Infinity, -Infinity],
    reason:
      "autodiff of x·relu6(x + 3)/6 adds x·relu6'(x + 3)/6, which is ∞·0 at ±∞",
  },
  // elu, selu, celu
  ...(["elu", "celu"] as const).flatMap((op): KnownDifference[] => [
    {
      backends: [CPU, WEBGPU],
      op,
      checks: ["values", "dparam:alpha"],
      kind: "tiny",
      at: (x) => tiny(x) && x < 0,
      witness: [SUBNORMAL],
      reason: EXPM1,
    },
    {
      backends: TFJS,
      op,
      params: op === "celu" ? { alpha: 2 } : {},
      checks: GRADIENTS,
      kind: "tiny",
      at: (x, p) => x / (p.alpha as number) < -80,
      witness: [op === "celu" ? Math.fround(-174.673095703125) : -100],
      reason: ELU_GRAD_UNDERFLOW,
    },
  ]),
  {
    backends: TFJS,
    op: "elu",
    params: { alpha: 0.5 },
    checks: GRADIENTS,
    kind: "tiny",
    at: (x) => x < -80,
    witness: [-100],
    reason: ELU_GRAD_UNDERFLOW,
  },
  {
    backends: TFJS,
    op: "celu",
    params: {},
    checks: GRADIENTS,
    kind: "tiny",
    at: (x) => x < -80,
    witness: [-100],
    reason: ELU_GRAD_UNDERFLOW,
  },
  {
    backends: TFJS,
    op: "celu",
    checks: ["dparam:alpha"],
    kind: "nan",
    at: (x) => x === -Infinity,
    witness: [-Infinity],
    reason:
      "autodiff of α·elu(min(x, 0)/α) multiplies elu's zero slope at −∞ by ∂(x/α)/∂α = −x/α² = ∞",
  },
  {
    backends: TFJS,
    op: "selu",
    checks: ["values"],
    kind: "tiny",
    at: (x) => tiny(x) && x < 0,
    witness: [SUBNORMAL],
    reason:
      "the Selu kernel computes λα(eˣ − 1), not expm1, so subnormal x give 0 (llvmpipe: its exp error)",
  },
  {
    backends: [WEBGPU],
    op: "selu",
    checks: GRADIENTS,
    kind: "tiny",
    at: (x) => x < -80,
    witness: [-100],
    reason: `tfjs's Selu gradient λα·eˣ: ${FLUSH}`,
  },
  // sigmoid, logSigmoid
  {
    backends: TFJS,
    op: "sigmoid",
    checks: GRADIENTS,
    kind: "tiny",
    at: (x) => x > 80,
    witness: [100],
    reason: SIGMOID_GRAD,
  },
  {
    backends: [WASM, WEBGPU],
    op: "sigmoid",
    checks: ["values", ...GRADIENTS],
    kind: "tiny",
    at: (x) => x < -80,
    witness: [-100],
    reason: `the Sigmoid kernel: ${FLUSH}`,
  },
  {
    backends: TFJS,
    op: "logSigmoid",
    checks: ["secondDerivative"],
    kind: "tiny",
    at: (x) => x < -80,
    witness: [-100],
    reason:
      "logSigmoid'' is the Sigmoid gradient y(1 − y) of y = σ(−x), which rounds to 1 for x < −17, so it is 0 where the reference is subnormal",
  },
  {
    backends: [WASM, WEBGPU],
    op: "logSigmoid",
    checks: [...GRADIENTS, "secondDerivative"],
    kind: "tiny",
    at: (x) => x > 80,
    witness: [100],
    reason: `logSigmoid' is σ(−x) from the Sigmoid kernel: ${FLUSH}`,
  },
  {
    backends: [WEBGPU],
    op: "logSigmoid",
    checks: ["values"],
    kind: "tiny",
    at: (x) => x > 80,
    witness: [100],
    reason: `logSigmoid is −softplus(−x) and the Softplus shader: ${FLUSH}`,
  },
  // tanh, hardTanh, softsign
  {
    backends: TFJS,
    op: "tanh",
    checks: GRADIENTS,
    kind: "tiny",
    at: (x) => Math.abs(x) > 40,
    witness: [50, -50],
    reason:
      "tfjs's Tanh gradient is dy·(1 − y²) from the output y, which rounds to ±1 for |x| > 9, so it is 0 where sech²x is subnormal",
  },
  {
    backends: [WEBGPU],
    op: "tanh",
    checks: ["values"],
    kind: "tiny",
    at: tiny,
    witness: [SUBNORMAL, -SUBNORMAL],
    reason: "llvmpipe's tanh returns ±2⁻²⁵ for subnormal x",
  },
  {
    backends: [WEBGPU],
    op: "tanh",
    checks: ["values"],
    kind: "zero",
    at: (x) => Object.is(x, -0),
    witness: [-0],
    reason: "llvmpipe's tanh(−0) is +0",
  },
  {
    backends: [WASM],
    op: "hardTanh",
    checks: ["values"],
    kind: "nan",
    at: isNaN,
    witness: [NaN],
    reason:
      "the wasm ClipByValue kernel clamps with min and max, which drop NaN: hardTanh(NaN) = min",
  },
  {
    backends: TFJS,
    op: "hardTanh",
    checks: GRADIENTS,
    kind: "far",
    at: (x, p) => x === p.min,
    witness: [-1],
    params: {},
    reason:
      "tfjs's ClipByValue gradient passes dy where min ≤ x ≤ max, so hardTanh'(min) = 1, not the left-hand 0",
  },
  {
    backends: TFJS,
    op: "hardTanh",
    checks: GRADIENTS,
    kind: "far",
    at: (x, p) => x === p.min,
    witness: [-2],
    params: { min: -2, max: 3 },
    reason:
      "tfjs's ClipByValue gradient passes dy where min ≤ x ≤ max, so hardTanh'(min) = 1, not the left-hand 0",
  },
  {
    backends: TFJS,
    op: "hardTanh",
    checks: GRADIENTS,
    kind: "nan",
    at: isNaN,
    witness: [NaN],
    reason:
      "tfjs's ClipByValue gradient masks with min ≤ x ≤ max, false for NaN, so the gradient at NaN is 0",
  },
  {
    backends: TFJS,
    op: "softsign",
    checks: ["values", ...GRADIENTS, "secondDerivative"],
    kind: "nan",
    at: (x) => huge(x) || infinite(x),
    witness: [Infinity, -Infinity],
    reason:
      "x/(1 + |x|) is ∞/∞ at ±∞; its gradients divide by (1 + |x|)², which overflows to ∞ near the largest float32",
  },
  // softplus
  {
    backends: TFJS,
    op: "softplus",
    checks: ["dparam:beta"],
    kind: "nan",
    at: (x) => infinite(x) || huge(x),
    witness: [Infinity, -Infinity],
    reason:
      "autodiff of where(βx > threshold, x, softplus(βx)/β) sends a zero gradient through βx and softplus(βx)/β, and 0·x or 0·∞ is NaN at ±∞",
  },
  {
    backends: TFJS,
    op: "softplus",
    checks: ["dparam:beta"],
    kind: "tiny",
    at: (x, p) => (p.beta as number) * x < -80,
    witness: [-103.97208404541016],
    params: {},
    reason:
      "the β-gradient x·σ(βx)/β − softplus(βx)/β² cancels or underflows to 0 where the reference is subnormal",
  },
  {
    backends: TFJS,
    op: "softplus",
    checks: ["dparam:beta"],
    kind: "tiny",
    at: (x, p) => (p.beta as number) * x < -80,
    witness: [-51.98604202270508],
    params: { beta: 2, threshold: 5 },
    reason:
      "the β-gradient x·σ(βx)/β − softplus(βx)/β² cancels or underflows to 0 where the reference is subnormal",
  },
  {
    backends: [CPU, WASM],
    op: "softplus",
    checks: ["dparam:beta"],
    kind: "far",
    at: (x) => x > 15.9 && x <= 20,
    witness: [17],
    params: {},
    reason:
      "tf.softplus returns x itself above its own threshold (about 15.9), so x·σ(x) − softplus(x) keeps only the rounding error of σ(x), a multiple of x's ULP",
  },
  {
    backends: [WEBGPU],
    op: "softplus",
    checks: ["dparam:beta"],
    kind: "far",
    at: (x) => x > 15.9 && x <= 20,
    witness: [16.635534286499023],
    params: {},
    reason:
      "tf.softplus returns x itself above its own threshold (about 15.9), so x·σ(x) − softplus(x) keeps only the rounding error of σ(x), a multiple of x's ULP",
  },
  {
    backends: [WASM, WEBGPU],
    op: "softplus",
    checks: [...GRADIENTS, "secondDerivative"],
    kind: "tiny",
    at: (x, p) => (p.beta as number) * x < -80,
    witness: [-100],
    params: {},
    reason: `softplus' is σ(βx) from the Sigmoid kernel: ${FLUSH}`,
  },
  {
    backends: [WASM, WEBGPU],
    op: "softplus",
    checks: [...GRADIENTS, "secondDerivative"],
    kind: "tiny",
    at: (x, p) => (p.beta as number) * x < -80,
    witness: [-50],
    params: { beta: 2, threshold: 5 },
    reason: `softplus' is σ(βx) from the Sigmoid kernel: ${FLUSH}`,
  },
  {
    backends: [WEBGPU],
    op: "softplus",
    checks: ["values"],
    kind: "tiny",
    at: (x, p) => (p.beta as number) * x < -80,
    witness: [-100],
    params: {},
    reason: `the Softplus shader: ${FLUSH}`,
  },
  {
    backends: [WEBGPU],
    op: "softplus",
    checks: ["values"],
    kind: "tiny",
    at: (x, p) => (p.beta as number) * x < -80,
    witness: [-50],
    params: { beta: 2, threshold: 5 },
    reason: `the Softplus shader: ${FLUSH}`,
  },
  // gelu
  {
    backends: TFJS,
    op: "gelu",
    checks: ["values"],
    kind: "nan",
    at: (x) => x === -Infinity,
    witness: [-Infinity],
    reason:
      "tfjs-layers' x·0.5(1 + erf(x/√2)) (and 0.5x(1 + tanh u)) is −∞·0 at −∞",
  },
  {
    backends: TFJS,
    op: "gelu",
    params: {},
    checks: ["values"],
    kind: "tiny",
    at: (x) => x < -9,
    witness: [Math.fround(-13.19)],
    reason:
      "1 + erf(x/√2) cancels to 0 for x < −5.5, so the left tail is −0 where the reference is a subnormal",
  },
  {
    backends: TFJS,
    op: "gelu",
    params: {},
    checks: GRADIENTS,
    kind: "nan",
    at: (x) => infinite(x) || huge(x),
    witness: [Infinity, -Infinity],
    reason: "autodiff of x·Φ(x) adds x·φ(x), which is ∞·0 at ±∞",
  },
  {
    backends: TFJS,
    op: "gelu",
    params: {},
    checks: ["secondDerivative"],
    kind: "nan",
    at: (x) => infinite(x) || huge(x),
    witness: [Infinity, -Infinity, MAX_FLOAT32],
    reason:
      "the second derivative has x·φ(x) and x²·φ(x) terms: ∞·0, and x² overflows at the largest float32",
  },
  {
    backends: TFJS,
    op: "gelu",
    params: { approximate: "tanh" },
    checks: GRADIENTS,
    kind: "nan",
    at: (x) => infinite(x) || Math.abs(x) > 1e12,
    witness: [Infinity, -Infinity, Math.fround(1e20)],
    reason:
      "x³ overflows for |x| > 7e12, and the tanh gradient (1 − tanh²u)·∂u/∂x is then 0·∞",
  },
  {
    backends: TFJS,
    op: "gelu",
    params: { approximate: "tanh" },
    checks: ["vjp"],
    kind: "far",
    at: (x) => x < -4 && x > -6,
    witness: [Math.fround(-5.2)],
    reason:
      "1 + tanh(u) cancels to 0 for x < −5, and its gradient (1 − tanh²u) with it",
  },
  // swish, silu, mish
  ...(["swish", "silu", "mish"] as const).flatMap((op): KnownDifference[] => [
    {
      backends: TFJS,
      op,
      checks: ["values"],
      kind: "nan",
      at: (x) => x === -Infinity,
      witness: [-Infinity],
      reason: `${
        op === "mish" ? "x·tanh(softplus(x))" : "x·σ(βx)"
      } is −∞·0 at −∞`,
    },
    {
      backends: TFJS,
      op,
      checks: GRADIENTS,
      kind: "nan",
      at: (x) => infinite(x) || huge(x),
      witness: [Infinity, -Infinity],
      reason: `autodiff of the product ${
        op === "mish" ? "x·tanh(softplus(x))" : "x·σ(βx)"
      } adds x times the slope of its second factor, which is ∞·0 at ±∞`,
    },
  ]),
  ...(["swish", "silu", "mish"] as const).map((op): KnownDifference => ({
    backends: TFJS,
    op,
    params: {},
    checks: ["values", ...GRADIENTS],
    kind: "tiny",
    at: (x) => x < -80,
    witness: [-103.97208404541016],
    reason:
      "the product with x of a factor that is itself subnormal below x = −87 keeps only its few bits; wasm and llvmpipe flush it to zero",
  })),
  {
    backends: TFJS,
    op: "swish",
    params: { beta: 2 },
    checks: ["values", ...GRADIENTS],
    kind: "tiny",
    at: (x) => x < -40,
    witness: [-51.98604202270508],
    reason:
      "the product with x of σ(βx), itself subnormal below βx = −87, keeps only its few bits; wasm and llvmpipe flush it to zero",
  },
  {
    backends: TFJS,
    op: "swish",
    checks: ["dparam:beta"],
    kind: "nan",
    at: infinite,
    witness: [Infinity, -Infinity],
    reason: "the β-gradient x·x·σ'(βx) is ∞·0 at ±∞",
  },
  {
    backends: TFJS,
    op: "swish",
    params: {},
    checks: ["dparam:beta"],
    kind: "tiny",
    at: (x) => Math.abs(x) > 80,
    witness: [100],
    reason: `the β-gradient goes through ${SIGMOID_GRAD}`,
  },
  {
    backends: TFJS,
    op: "swish",
    params: { beta: 2 },
    checks: ["dparam:beta"],
    kind: "tiny",
    at: (x) => Math.abs(x) > 40,
    witness: [50],
    reason: `the β-gradient goes through ${SIGMOID_GRAD}`,
  },
  {
    backends: TFJS,
    op: "swish",
    params: {},
    checks: ["dparam:beta"],
    kind: "far",
    at: (x) => x >= 5 && x <= 20,
    witness: [9, 15],
    reason:
      "the β-gradient x²σ(βx)σ(−βx) goes through the Sigmoid gradient y(1 − y), which loses σ(−βx)'s digits as y → 1",
  },
  {
    backends: TFJS,
    op: "swish",
    params: { beta: 2 },
    checks: ["dparam:beta"],
    kind: "far",
    at: (x) => x >= 5 && x <= 10,
    witness: [6.25, 7.25],
    reason:
      "the β-gradient x²σ(βx)σ(−βx) goes through the Sigmoid gradient y(1 − y), which loses σ(−βx)'s digits as y → 1",
  },
  {
    backends: [WEBGPU],
    op: "mish",
    checks: ["values"],
    kind: "far",
    at: (x) => x <= -10,
    witness: [-50],
    reason:
      "llvmpipe's tanh of a tiny softplus(x) is off by up to 2⁻²⁵ absolute, so mish(−50) is −1.5·10⁻⁶, not −9.6·10⁻²¹",
  },
];
