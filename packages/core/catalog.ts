/**
 * The op catalog: the one place nonlin describes an activation function.
 * Adapters, the conformance suite, the CLI, the figures and the benchmark all
 * iterate over {@linkcode ops}; nothing else lists the ops.
 *
 * Each entry holds the op's parameters (defaults, valid ranges, whether a
 * gradient is taken), its kink points, and the float64 reference: `f`,
 * `dfdx`, `d2fdx2` and `dfdp` for each learned parameter. The reference
 * computes in float64 with stable formulas; a float32 result is the reference
 * rounded once (`Math.fround`).
 *
 * Conventions, pinned and held exactly by the reference:
 * - at a kink the derivative is the left-hand derivative (relu'(0) = 0,
 *   leakyRelu'(0) = α, relu6'(6) = 1, hardSigmoid'(3) = 1/6, …);
 * - NaN in gives NaN out, for values and gradients;
 * - ±∞ give the mathematical limits, never NaN from ∞·0 or ∞/∞;
 * - the odd functions (`odd: true`) keep the sign of zero; elsewhere ±0
 *   compare equal;
 * - no flush to zero: subnormals are ordinary numbers.
 *
 * Accuracy in float64, measured against mpmath at 4000 bits (f, f', f'' and
 * ∂f/∂θ of every op, ~7300 points over [−700, 700]): a few ulps, except
 * where the problem itself is ill-conditioned. Near a zero of f' or f'' (gelu'
 * at −0.75, swish' at −1.28, gelu'' at √2) the error is absolute, not
 * relative. And where an exponential's argument z = βx, x/α or 2u had to be
 * rounded, the result carries that rounding magnified |z|-fold (e.g. ~300
 * ulps for celu' with α = 0.2 at x = −119, where the value is 1e-259): the
 * reference is then exact for an input one ulp away. Neither matters once
 * the result is rounded to float32.
 *
 * @module
 */

import { erfc } from "./erf.ts";
import { mulDecay, productError, sigmoid, softplus } from "./_math.ts";
import type { ParamSpec } from "./params.ts";

/** Resolved parameter values as the reference sees them (prelu α per element). */
export type ResolvedParams = Readonly<Record<string, number | string>>;

/** A float64 scalar function of x and the resolved parameters. */
export type ScalarFn = (x: number, p: ResolvedParams) => number;

/**
 * A set of parameter values for an op: numbers for real parameters, strings
 * for choices, a number or a per-channel list for a tensor parameter.
 */
export type ParamSet = Readonly<
  Record<string, number | string | readonly number[]>
>;

/**
 * Where the book page shows an op: `"§5.1"` for the ops §5.1 of *Dive into
 * Deep Learning* covers (in catalog order: ReLU, pReLU, sigmoid, tanh),
 * `"next"` for the two it leads to (GELU, Swish), `"more"` for the rest;
 * `parent` names the op whose section it sits under (pReLU under ReLU).
 */
export interface BookPlace {
  /** The part of the page. */
  readonly part: "§5.1" | "next" | "more";
  /** The op whose section it sits under, if any. */
  readonly parent?: string;
}

/** One catalog entry. */
export interface OpSpec<
  P extends Readonly<Record<string, ParamSpec>> = Readonly<
    Record<string, ParamSpec>
  >,
> {
  /** The op's name, as exported by every adapter. */
  readonly name: string;
  /** The display name, as the book writes it. */
  readonly title: string;
  /** f(x) in plain text. */
  readonly formula: string;
  /** f(x) in TeX, for the book page and figures. */
  readonly tex: string;
  /** f'(x) in plain text, with the kink convention. */
  readonly derivative: string;
  /** Where the op comes from. */
  readonly paper: string;
  /** Its parameters. */
  readonly params: P;
  /** Whether f is odd and keeps the sign of zero: f(−0) = −0. */
  readonly odd: boolean;
  /** Points where f, f' or f'' changes formula, for the given parameters. */
  readonly kinks: (p: ResolvedParams) => readonly number[];
  /** Saturation and overflow points worth testing, for the given parameters. */
  readonly notable: (p: ResolvedParams) => readonly number[];
  /**
   * Values for the parameters that have no default (prelu's α = 0.25, the
   * initial value of PyTorch's `nn.PReLU`), used wherever an example, a
   * demo, a figure or a benchmark needs the op called with something;
   * `{}` for ops whose parameters all have defaults.
   */
  readonly example: ParamSet;
  /**
   * Parameter sets tested besides the defaults (with {@linkcode example}):
   * each range's edges and the values the literature uses. A set is tested
   * as a whole; a tensor parameter is a number or a per-channel list.
   */
  readonly edges: readonly ParamSet[];
  /** Parameter sets worth a curve of their own in the book and the figures. */
  readonly curves: readonly ParamSet[];
  /**
   * Whether f, f′ and f″ take arithmetic and comparisons only (no exp, log,
   * tanh or erf): every backend can then be held to the reference rounded,
   * with no allowance for a transcendental's error.
   */
  readonly arithmeticOnly: boolean;
  /** Where the book page shows it. */
  readonly book: BookPlace;
  /** A constraint between parameters; returns the violation's message. */
  readonly check?: (p: ResolvedParams) => string | undefined;
  /** f(x). */
  readonly f: ScalarFn;
  /** ∂f/∂x, left-hand at kinks. */
  readonly dfdx: ScalarFn;
  /** ∂²f/∂x², left-hand at kinks. */
  readonly d2fdx2: ScalarFn;
  /** ∂f/∂θ for each learned parameter θ. */
  readonly dfdp: Readonly<Record<string, ScalarFn>>;
}

function defineOp<const P extends Readonly<Record<string, ParamSpec>>>(
  spec: OpSpec<P>,
): OpSpec<P> {
  return Object.freeze(spec);
}

const ALL = { min: -Infinity, max: Infinity } as const;
const POSITIVE = { min: 0, max: Infinity, minOpen: true } as const;
const NON_NEGATIVE = { min: 0, max: Infinity } as const;

/** SELU's fixed λ (Klambauer et al. 2017). */
export const SELU_LAMBDA = 1.0507009873554805;
/** SELU's fixed α (Klambauer et al. 2017). */
export const SELU_ALPHA = 1.6732632423543772;
/** √(2/π), the tanh-GELU constant. */
const SQRT_2_OVER_PI = 0.7978845608028654;
/** 1/√(2π), the normal density at 0. */
const INV_SQRT_2PI = 0.3989422804014327;
const GELU_CUBIC = 0.044715;

/** Points where float32 exp and friends saturate, shared by the smooth ops. */
const EXP_EDGES = [
  -103.97208,
  -87.33655,
  -16.635532,
  -9,
  9,
  16.635532,
  88.72284,
] as const;

const nan = (x: number): boolean => x !== x;

/** 1/√2 − Math.SQRT1_2: the part of 1/√2 that the double misses. */
const SQRT1_2_LO = -4.833646656726457e-17;
const SQRT_PI = 1.7724538509055159;

/**
 * Φ(x), the standard normal CDF, as erfc(−x/√2)/2 so that the left tail keeps
 * its digits (1 − erf would cancel). erfc magnifies an error in its argument
 * t by 2t² in relative terms, so the rounding error δ of t = x/√2 (recovered
 * exactly, 1/√2's own included) is put back to first order:
 * Φ(x) = erfc(−t)/2 + δe^(−t²)/√π. That takes the error at x = −30 from
 * ~200 ulps to ~2. For t > 0, Φ = 1 − erfc(t)/2, which rounds once at the end.
 */
function normalCdf(x: number): number {
  const t = x * Math.SQRT1_2;
  // Beyond |x| = 40, Φ is 0 or 1 in float64 (and NaN stays NaN).
  if (!(Math.abs(x) < 40)) return 0.5 * erfc(-t);
  const delta = productError(x, Math.SQRT1_2, t) + x * SQRT1_2_LO;
  const slope = delta * Math.exp(-t * t) / SQRT_PI;
  return t > 0 ? 1 - (0.5 * erfc(t) - slope) : 0.5 * erfc(-t) + slope;
}

/**
 * φ(x), the standard normal density. e^(−x²/2) would magnify the rounding of
 * x² x²/2-fold, so x is split as in erf.ts: x = h + (x − h) with h = x rounded
 * to float32, h² exact, and (x − h)(x + h) small enough for its rounding not
 * to matter.
 */
function normalPdf(x: number): number {
  // e^(−x²/2) underflows from |x| ≈ 38.6 on (and NaN stays NaN).
  if (!(Math.abs(x) < 40)) return x !== x ? x : 0;
  const h = Math.fround(x);
  return INV_SQRT_2PI * Math.exp(-0.5 * h * h) *
    Math.exp(-0.5 * (x - h) * (x + h));
}

function leakyF(x: number, a: number): number {
  if (x > 0 || nan(x)) return x;
  return a === 0 ? 0 : a * x;
}

function leakyDx(x: number, a: number): number {
  return nan(x) ? x : x > 0 ? 1 : a;
}

function leakyDa(x: number): number {
  return nan(x) ? x : x > 0 ? 0 : x;
}

function zeroD2(x: number): number {
  return nan(x) ? x : 0;
}

function eluF(x: number, a: number): number {
  // The unused branch is never evaluated, so expm1 never overflows.
  if (x > 0 || nan(x)) return x;
  return a * Math.expm1(x);
}

function eluDx(x: number, a: number): number {
  if (nan(x)) return x;
  return x > 0 ? 1 : a * Math.exp(x);
}

function eluD2(x: number, a: number): number {
  if (nan(x)) return x;
  return x > 0 ? 0 : a * Math.exp(x);
}

/** The tanh-GELU's inner argument u = √(2/π)(x + 0.044715x³) and its derivatives. */
function geluTanhParts(x: number): { u: number; du: number; d2u: number } {
  return {
    u: SQRT_2_OVER_PI * (x + GELU_CUBIC * x * x * x),
    du: SQRT_2_OVER_PI * (1 + 3 * GELU_CUBIC * x * x),
    d2u: SQRT_2_OVER_PI * 6 * GELU_CUBIC * x,
  };
}

/** z = βx with β = 0 meaning z = 0 even for infinite x (swish with β = 0 is x/2). */
function scaled(beta: number, x: number): number {
  return beta === 0 && !nan(x) ? 0 : beta * x;
}

function swishF(x: number, b: number): number {
  return mulDecay(x, sigmoid(scaled(b, x)));
}

function swishDx(x: number, b: number): number {
  if (nan(x)) return x;
  const z = scaled(b, x);
  const s = sigmoid(z) * sigmoid(-z);
  return sigmoid(z) + mulDecay(z, s);
}

function swishD2(x: number, b: number): number {
  if (nan(x)) return x;
  const z = scaled(b, x);
  const s = sigmoid(z) * sigmoid(-z);
  if (s === 0) return 0;
  return b * s * (2 - z * Math.tanh(z / 2));
}

function swishDb(x: number, b: number): number {
  if (nan(x)) return x;
  const z = scaled(b, x);
  const s = sigmoid(z) * sigmoid(-z);
  return mulDecay(x * x, s);
}

function softplusParts(
  x: number,
  p: ResolvedParams,
): { b: number; z: number; linear: boolean } {
  const b = p.beta as number;
  const z = b * x;
  return { b, z, linear: z > (p.threshold as number) };
}

/**
 * x − tanh x = x³·Σ cₖx²ᵏ near 0: the coefficients cₖ (1/3, −2/15, 17/315,
 * …, from tanh's series in the Bernoulli numbers). On |x| < 1/2 each term is
 * under a tenth of the one before; eighteen reach float64's last bit.
 */
export const TANHSHRINK_SERIES: readonly number[] = [
  0.3333333333333333,
  -0.13333333333333333,
  0.05396825396825397,
  -0.021869488536155203,
  0.008863235529902197,
  -0.003592128036572481,
  0.0014558343870513183,
  -0.000590027440945586,
  0.00023912911424355248,
  -9.691537956929451e-5,
  3.927832388331683e-5,
  -1.5918905069328964e-5,
  6.451689215655431e-6,
  -2.6147711512907546e-6,
  1.0597268320104654e-6,
  -4.294911078273806e-7,
  1.7406618963571648e-7,
  -7.054636946400968e-8,
];

/** x − tanh x, by the series where the subtraction would cancel. */
function tanhshrink(x: number): number {
  if (!(Math.abs(x) < 0.5)) return x - Math.tanh(x);
  const x2 = x * x;
  let p = 0;
  for (let k = TANHSHRINK_SERIES.length - 1; k >= 0; k--) {
    p = p * x2 + TANHSHRINK_SERIES[k]!;
  }
  return x * x2 * p;
}

/**
 * squareplus's parts: s = √(x² + b) by `hypot` (no overflow or underflow in
 * x²), and g = (1 − |x|/s)/2 = b/(2s(s + |x|)), which is f′(−|x|) without
 * the cancellation of 1 − |x|/s for large |x| (halves first, so that
 * s + |x| cannot overflow).
 */
function squareplusParts(x: number, b: number): { s: number; g: number } {
  const s = Math.hypot(x, Math.sqrt(b));
  return { s, g: b / s / (s / 2 + Math.abs(x) / 2) / 4 };
}

/**
 * The catalog. Keys are the op names every adapter exports, in the order of
 * the book's §5.1 followed by the rest.
 */
// The type is the literal's: each op's parameter specs, written once, are what
// ParamsOf reads (publish with --allow-slow-types).
// deno-lint-ignore no-slow-types
export const ops = {
  /**
   * ReLU: relu(x) = max(x, 0).
   *
   * relu'(x) = 1 for x > 0, 0 for x ≤ 0 (left-hand at the kink: relu'(0) = 0,
   * as the book and PyTorch take it). relu'' = 0.
   *
   * Paper: Nair & Hinton, "Rectified Linear Units Improve Restricted Boltzmann
   * Machines", ICML 2010.
   */
  relu: defineOp({
    name: "relu",
    title: "ReLU",
    formula: "max(x, 0)",
    tex: String.raw`\operatorname{ReLU}(x) = \max(x, 0)`,
    derivative: "1 if x > 0 else 0 (relu'(0) = 0)",
    paper: "Nair & Hinton, ICML 2010",
    params: {},
    odd: false,
    example: {},
    edges: [],
    curves: [],
    arithmeticOnly: true,
    book: { part: "§5.1" },
    kinks: () => [0],
    notable: () => [],
    f: (x) => leakyF(x, 0),
    dfdx: (x) => leakyDx(x, 0),
    d2fdx2: zeroD2,
    dfdp: {},
  }),

  /**
   * Leaky ReLU: leakyRelu(x) = x for x > 0, αx otherwise.
   *
   * ∂/∂x = 1 for x > 0, α for x ≤ 0 (leakyRelu'(0) = α). ∂/∂α = 0 for x > 0,
   * x otherwise. With α = 0, leakyRelu(−∞) = 0 (the limit, not 0·∞).
   *
   * Paper: Maas, Hannun & Ng, "Rectifier Nonlinearities Improve Neural
   * Network Acoustic Models", ICML 2013.
   */
  leakyRelu: defineOp({
    name: "leakyRelu",
    title: "Leaky ReLU",
    formula: "x if x > 0 else αx",
    tex: String
      .raw`\operatorname{LeakyReLU}(x) = \begin{cases} x & x > 0 \\ \alpha x & x \le 0 \end{cases}`,
    derivative: "1 if x > 0 else α (leakyRelu'(0) = α)",
    paper: "Maas, Hannun & Ng, ICML 2013",
    params: {
      alpha: {
        kind: "real",
        default: 0.01,
        range: ALL,
        learned: true,
        doc: "slope for x ≤ 0",
      },
    },
    odd: false,
    example: {},
    edges: [{ alpha: 0 }, { alpha: 0.2 }, { alpha: -0.5 }],
    curves: [],
    arithmeticOnly: true,
    book: { part: "more" },
    kinks: () => [0],
    notable: () => [],
    f: (x, p) => leakyF(x, p.alpha as number),
    dfdx: (x, p) => leakyDx(x, p.alpha as number),
    d2fdx2: zeroD2,
    dfdp: { alpha: (x) => leakyDa(x) },
  }),

  /**
   * Parametric ReLU: prelu(x) = x for x > 0, αx otherwise, with α a learned
   * tensor broadcast to x (per channel, say).
   *
   * ∂/∂x = 1 for x > 0, α for x ≤ 0 (prelu'(0) = α). ∂/∂α = x for x ≤ 0,
   * summed over the dimensions along which α is broadcast.
   *
   * Paper: He et al., "Delving Deep into Rectifiers", ICCV 2015.
   */
  prelu: defineOp({
    name: "prelu",
    title: "pReLU",
    formula: "x if x > 0 else αx, α a learned tensor",
    tex: String.raw`\operatorname{pReLU}(x) = \max(0, x) + \alpha \min(0, x)`,
    derivative: "1 if x > 0 else α (prelu'(0) = α); ∂/∂α = min(x, 0)",
    paper: "He, Zhang, Ren & Sun, ICCV 2015",
    params: {
      alpha: {
        kind: "tensor",
        required: true,
        range: ALL,
        learned: true,
        doc: "slope for x ≤ 0, broadcastable to x",
      },
    },
    odd: false,
    example: { alpha: 0.25 },
    edges: [
      { alpha: -0.5 },
      { alpha: [0.1, 0.25, 0.5, 2] },
      { alpha: [-0.25, -1, -0.01, -2] },
      { alpha: [0.1, -0.3, 0, 2] },
    ],
    curves: [],
    arithmeticOnly: true,
    book: { part: "§5.1", parent: "relu" },
    kinks: () => [0],
    notable: () => [],
    f: (x, p) => leakyF(x, p.alpha as number),
    dfdx: (x, p) => leakyDx(x, p.alpha as number),
    d2fdx2: zeroD2,
    dfdp: { alpha: (x) => leakyDa(x) },
  }),

  /**
   * ReLU6: relu6(x) = min(max(x, 0), 6).
   *
   * relu6'(x) = 1 for 0 < x ≤ 6, else 0 (left-hand: relu6'(0) = 0,
   * relu6'(6) = 1).
   *
   * Paper: Krizhevsky, "Convolutional Deep Belief Networks on CIFAR-10", 2010.
   */
  relu6: defineOp({
    name: "relu6",
    title: "ReLU6",
    formula: "min(max(x, 0), 6)",
    tex: String.raw`\operatorname{ReLU6}(x) = \min(\max(x, 0), 6)`,
    derivative: "1 if 0 < x ≤ 6 else 0 (relu6'(0) = 0, relu6'(6) = 1)",
    paper: "Krizhevsky 2010",
    params: {},
    odd: false,
    example: {},
    edges: [],
    curves: [],
    arithmeticOnly: true,
    book: { part: "more" },
    kinks: () => [0, 6],
    notable: () => [],
    f: (x) => (nan(x) ? x : x > 6 ? 6 : x > 0 ? x : 0),
    dfdx: (x) => (nan(x) ? x : x > 0 && x <= 6 ? 1 : 0),
    d2fdx2: zeroD2,
    dfdp: {},
  }),

  /**
   * ELU: elu(x) = x for x > 0, α(eˣ − 1) otherwise.
   *
   * ∂/∂x = 1 for x > 0, αeˣ for x ≤ 0 (elu'(0) = α). ∂²/∂x² = 0 for x > 0,
   * αeˣ otherwise. ∂/∂α = eˣ − 1 for x ≤ 0. Stability: eˣ − 1 as expm1, and the
   * exponential is only evaluated on the branch that uses it, so it never
   * overflows.
   *
   * Paper: Clevert, Unterthiner & Hochreiter, "Fast and Accurate Deep Network
   * Learning by Exponential Linear Units", ICLR 2016.
   */
  elu: defineOp({
    name: "elu",
    title: "ELU",
    formula: "x if x > 0 else α(eˣ − 1)",
    tex: String
      .raw`\operatorname{ELU}(x) = \begin{cases} x & x > 0 \\ \alpha (e^x - 1) & x \le 0 \end{cases}`,
    derivative: "1 if x > 0 else αeˣ (elu'(0) = α)",
    paper: "Clevert, Unterthiner & Hochreiter, ICLR 2016",
    params: {
      alpha: {
        kind: "real",
        default: 1,
        range: NON_NEGATIVE,
        learned: true,
        doc: "value approached as x → −∞ is −α",
      },
    },
    odd: false,
    example: {},
    edges: [{ alpha: 0.5 }, { alpha: 2 }, { alpha: 0 }],
    curves: [],
    arithmeticOnly: false,
    book: { part: "more" },
    kinks: () => [0],
    notable: () => EXP_EDGES.filter((e) => e < 0),
    f: (x, p) => eluF(x, p.alpha as number),
    dfdx: (x, p) => eluDx(x, p.alpha as number),
    d2fdx2: (x, p) => eluD2(x, p.alpha as number),
    dfdp: { alpha: (x) => (nan(x) ? x : x > 0 ? 0 : Math.expm1(x)) },
  }),

  /**
   * SELU: selu(x) = λ·elu_α(x) with the fixed λ = 1.0507009873554805 and
   * α = 1.6732632423543772 that make it self-normalising.
   *
   * selu'(x) = λ for x > 0, λαeˣ for x ≤ 0 (selu'(0) = λα).
   *
   * Paper: Klambauer, Unterthiner, Mayr & Hochreiter, "Self-Normalizing
   * Neural Networks", NeurIPS 2017.
   */
  selu: defineOp({
    name: "selu",
    title: "SELU",
    formula: "λ·(x if x > 0 else α(eˣ − 1)), λ ≈ 1.0507, α ≈ 1.6733",
    tex: String
      .raw`\operatorname{SELU}(x) = \lambda \begin{cases} x & x > 0 \\ \alpha (e^x - 1) & x \le 0 \end{cases}`,
    derivative: "λ if x > 0 else λαeˣ (selu'(0) = λα)",
    paper: "Klambauer et al., NeurIPS 2017",
    params: {},
    odd: false,
    example: {},
    edges: [],
    curves: [],
    arithmeticOnly: false,
    book: { part: "more" },
    kinks: () => [0],
    notable: () => EXP_EDGES.filter((e) => e < 0),
    f: (x) => SELU_LAMBDA * eluF(x, SELU_ALPHA),
    dfdx: (x) => SELU_LAMBDA * eluDx(x, SELU_ALPHA),
    d2fdx2: (x) => SELU_LAMBDA * eluD2(x, SELU_ALPHA),
    dfdp: {},
  }),

  /**
   * CELU: celu(x) = max(0, x) + min(0, α(e^{x/α} − 1)), α > 0.
   *
   * ∂/∂x = 1 for x > 0, e^{x/α} for x ≤ 0 (celu'(0) = 1, continuous).
   * ∂²/∂x² = e^{x/α}/α for x ≤ 0 (left-hand at 0). ∂/∂α = e^{x/α} − 1 −
   * (x/α)e^{x/α} for x ≤ 0, with limit −1 at x = −∞.
   *
   * Paper: Barron, "Continuously Differentiable Exponential Linear Units",
   * 2017.
   */
  celu: defineOp({
    name: "celu",
    title: "CELU",
    formula: "max(0, x) + min(0, α(e^{x/α} − 1))",
    tex: String
      .raw`\operatorname{CELU}(x) = \max(0, x) + \min\bigl(0, \alpha (e^{x/\alpha} - 1)\bigr)`,
    derivative: "1 if x > 0 else e^{x/α} (celu'(0) = 1)",
    paper: "Barron 2017, arXiv:1704.07483",
    params: {
      alpha: {
        kind: "real",
        default: 1,
        range: POSITIVE,
        learned: true,
        doc: "scale of the negative part",
      },
    },
    odd: false,
    example: {},
    edges: [{ alpha: 0.5 }, { alpha: 2 }],
    curves: [],
    arithmeticOnly: false,
    book: { part: "more" },
    kinks: () => [0],
    notable: (p) =>
      EXP_EDGES.filter((e) => e < 0).map((e) => e * (p.alpha as number)),
    f: (x, p) => {
      if (x > 0 || nan(x)) return x;
      const a = p.alpha as number;
      return a * Math.expm1(x / a);
    },
    dfdx: (
      x,
      p,
    ) => (nan(x) ? x : x > 0 ? 1 : Math.exp(x / (p.alpha as number))),
    d2fdx2: (x, p) => {
      if (nan(x)) return x;
      const a = p.alpha as number;
      return x > 0 ? 0 : Math.exp(x / a) / a;
    },
    dfdp: {
      alpha: (x, p) => {
        if (nan(x)) return x;
        if (x > 0) return 0;
        const t = x / (p.alpha as number);
        // eᵗ − 1 − teᵗ ≈ −t²/2 cancels as t → 0 (both terms ≈ t): there sum
        // its series −Σ_{k≥2} (k − 1)tᵏ/k! instead.
        if (t > -0.5) {
          let term = t; // tᵏ/k!, from k = 1
          let sum = 0;
          for (let k = 2; k < 30; k++) {
            term *= t / k;
            const add = (k - 1) * term;
            sum -= add;
            if (Math.abs(add) <= 1e-17 * Math.abs(sum)) break;
          }
          return sum;
        }
        return Math.expm1(t) - mulDecay(t, Math.exp(t));
      },
    },
  }),

  /**
   * Sigmoid: σ(x) = 1 / (1 + e⁻ˣ).
   *
   * σ'(x) = σ(x)σ(−x), largest (0.25) at x = 0. σ''(x) = −σ(x)σ(−x)tanh(x/2).
   * Stability: e⁻ˣ is only taken for x ≥ 0 (eˣ/(1 + eˣ) otherwise), and
   * σ(x)σ(−x) replaces σ(1 − σ), which loses every digit for large x.
   *
   * Paper: the logistic function; as a unit, Rumelhart, Hinton & Williams,
   * "Learning representations by back-propagating errors", Nature 1986.
   */
  sigmoid: defineOp({
    name: "sigmoid",
    title: "Sigmoid",
    formula: "1 / (1 + e⁻ˣ)",
    tex: String.raw`\operatorname{sigmoid}(x) = \frac{1}{1 + e^{-x}}`,
    derivative: "σ(x)σ(−x) = σ(x)(1 − σ(x))",
    paper: "Rumelhart, Hinton & Williams, Nature 1986",
    params: {},
    odd: false,
    example: {},
    edges: [],
    curves: [],
    arithmeticOnly: false,
    book: { part: "§5.1" },
    kinks: () => [],
    notable: () => EXP_EDGES,
    f: (x) => sigmoid(x),
    dfdx: (x) => sigmoid(x) * sigmoid(-x),
    d2fdx2: (x) => -sigmoid(x) * sigmoid(-x) * Math.tanh(x / 2),
    dfdp: {},
  }),

  /**
   * Log-sigmoid: logSigmoid(x) = log σ(x) = −softplus(−x).
   *
   * logSigmoid'(x) = σ(−x); logSigmoid''(x) = −σ(x)σ(−x). Stability:
   * min(x, 0) − log1p(e^−|x|), as JAX writes it.
   *
   * Paper: the log-likelihood of the logistic model.
   */
  logSigmoid: defineOp({
    name: "logSigmoid",
    title: "Log-sigmoid",
    formula: "log σ(x) = −softplus(−x)",
    tex: String.raw`\log \operatorname{sigmoid}(x) = -\log(1 + e^{-x})`,
    derivative: "σ(−x)",
    paper: "logistic log-likelihood",
    params: {},
    odd: false,
    example: {},
    edges: [],
    curves: [],
    arithmeticOnly: false,
    book: { part: "more" },
    kinks: () => [],
    notable: () => EXP_EDGES,
    f: (x) => -softplus(-x),
    dfdx: (x) => sigmoid(-x),
    d2fdx2: (x) => -sigmoid(x) * sigmoid(-x),
    dfdp: {},
  }),

  /**
   * Hard sigmoid: hardSigmoid(x) = relu6(x + 3)/6.
   *
   * hardSigmoid'(x) = 1/6 for −3 < x ≤ 3, else 0 (left-hand:
   * hardSigmoid'(−3) = 0, hardSigmoid'(3) = 1/6).
   *
   * Paper: Howard et al., "Searching for MobileNetV3", ICCV 2019.
   */
  hardSigmoid: defineOp({
    name: "hardSigmoid",
    title: "Hard sigmoid",
    formula: "relu6(x + 3) / 6",
    tex: String
      .raw`\operatorname{hardSigmoid}(x) = \frac{\operatorname{ReLU6}(x + 3)}{6}`,
    derivative: "1/6 if −3 < x ≤ 3 else 0",
    paper: "Howard et al., ICCV 2019",
    params: {},
    odd: false,
    example: {},
    edges: [],
    curves: [],
    arithmeticOnly: true,
    book: { part: "more" },
    kinks: () => [-3, 3],
    notable: () => [],
    f: (x) => (nan(x) ? x : x <= -3 ? 0 : x >= 3 ? 1 : (x + 3) / 6),
    dfdx: (x) => (nan(x) ? x : x > -3 && x <= 3 ? 1 / 6 : 0),
    d2fdx2: zeroD2,
    dfdp: {},
  }),

  /**
   * Hyperbolic tangent: tanh(x) = (1 − e⁻²ˣ) / (1 + e⁻²ˣ).
   *
   * tanh'(x) = 1 − tanh²(x) = sech²(x), largest (1) at 0. tanh''(x) =
   * −2 tanh(x) sech²(x). Stability: sech² as 1/cosh/cosh, not 1 − tanh², which
   * cancels for large |x|, nor 1/cosh², which overflows early. Odd:
   * tanh(−0) = −0.
   *
   * Book identity: tanh(x) + 1 = 2σ(2x).
   */
  tanh: defineOp({
    name: "tanh",
    title: "Tanh",
    formula: "(1 − e⁻²ˣ) / (1 + e⁻²ˣ)",
    tex: String.raw`\tanh(x) = \frac{1 - e^{-2x}}{1 + e^{-2x}}`,
    derivative: "1 − tanh²(x)",
    paper: "the hyperbolic tangent; LeCun et al., Efficient BackProp, 1998",
    params: {},
    odd: true,
    example: {},
    edges: [],
    curves: [],
    arithmeticOnly: false,
    book: { part: "§5.1" },
    kinks: () => [],
    notable: () => [-9.01, -8.67, 8.67, 9.01, ...EXP_EDGES.map((e) => e / 2)],
    f: (x) => Math.tanh(x),
    // Divided by cosh twice, not by cosh²: cosh² overflows from |x| ≈ 355
    // while sech² ≈ 4e^−2|x| is still a normal or subnormal number.
    dfdx: (x) => {
      const c = Math.cosh(x);
      return 1 / c / c;
    },
    d2fdx2: (x) => {
      const c = Math.cosh(x);
      return (-2 * Math.tanh(x)) / c / c;
    },
    dfdp: {},
  }),

  /**
   * Hard tanh: hardTanh(x) = clamp(x, min, max).
   *
   * hardTanh'(x) = 1 for min < x ≤ max, else 0 (left-hand at both kinks).
   * Odd for the default symmetric bounds: hardTanh(−0) = −0.
   *
   * Paper: Collobert, "Large Scale Machine Learning", PhD thesis, 2004.
   */
  hardTanh: defineOp({
    name: "hardTanh",
    title: "Hard tanh",
    formula: "clamp(x, min, max)",
    tex: String
      .raw`\operatorname{hardTanh}(x) = \min(\max(x, \mathrm{min}), \mathrm{max})`,
    derivative: "1 if min < x ≤ max else 0",
    paper: "Collobert 2004",
    params: {
      min: {
        kind: "real",
        default: -1,
        range: ALL,
        learned: false,
        doc: "lower bound",
      },
      max: {
        kind: "real",
        default: 1,
        range: ALL,
        learned: false,
        doc: "upper bound",
      },
    },
    odd: true,
    example: {},
    edges: [
      { min: -2, max: 3 },
      { min: -2, max: 0.5 },
      // Bounds with no float32 value: each backend clamps to its rounding.
      { min: -0.7, max: 1.3 },
    ],
    curves: [],
    arithmeticOnly: true,
    book: { part: "more" },
    kinks: (p) => [p.min as number, p.max as number],
    notable: () => [],
    check: (p) =>
      (p.min as number) < (p.max as number)
        ? undefined
        : `hardTanh min must be less than max: got min = ${p.min}, max = ${p.max}`,
    f: (x, p) => {
      if (nan(x)) return x;
      const lo = p.min as number;
      const hi = p.max as number;
      return x < lo ? lo : x > hi ? hi : x;
    },
    dfdx: (
      x,
      p,
    ) => (nan(x) ? x : x > (p.min as number) && x <= (p.max as number) ? 1 : 0),
    d2fdx2: zeroD2,
    dfdp: {},
  }),

  /**
   * Softsign: softsign(x) = x / (1 + |x|).
   *
   * softsign'(x) = 1/(1 + |x|)². softsign''(x) = −2 sign(x)/(1 + |x|)³,
   * which jumps at 0: the left-hand value, +2, is taken there. softsign(±∞)
   * = ±1 (the limit, not ∞/∞). Odd: softsign(−0) = −0.
   *
   * Paper: Bergstra et al., "Quadratic polynomials learn better image
   * features", 2009.
   */
  softsign: defineOp({
    name: "softsign",
    title: "Softsign",
    formula: "x / (1 + |x|)",
    tex: String.raw`\operatorname{softsign}(x) = \frac{x}{1 + |x|}`,
    derivative: "1 / (1 + |x|)²",
    paper: "Bergstra et al. 2009",
    params: {},
    odd: true,
    example: {},
    edges: [],
    curves: [],
    arithmeticOnly: true,
    book: { part: "more" },
    kinks: () => [0],
    notable: () => [16777216, -16777216, 3.4028234663852886e38],
    f: (x) => (Math.abs(x) === Infinity ? Math.sign(x) : x / (1 + Math.abs(x))),
    // Divided by d repeatedly: d² overflows from |x| ≈ 1.3e154 (d³ from
    // 5.6e102) while the quotient is still representable.
    dfdx: (x) => {
      const d = 1 + Math.abs(x);
      return 1 / d / d;
    },
    d2fdx2: (x) => {
      if (nan(x)) return x;
      const d = 1 + Math.abs(x);
      return (x <= 0 ? 2 : -2) / d / d / d;
    },
    dfdp: {},
  }),

  /**
   * Softplus: softplus(x) = (1/β)·log(1 + e^{βx}), and x itself where
   * βx > threshold (PyTorch's convention, for speed and to stop overflow).
   *
   * ∂/∂x = σ(βx) (1 on the linear part). ∂²/∂x² = βσ(βx)σ(−βx).
   * ∂/∂β = (βxσ(βx) − log(1 + e^{βx}))/β², 0 on the linear part; for βx > 0
   * written −(βxσ(−βx) + log1p(e^{−βx}))/β² so it does not cancel.
   * Stability: log(1 + eᶻ) as max(z, 0) + log1p(e^−|z|).
   *
   * Paper: Dugas et al., "Incorporating Second-Order Functional Knowledge for
   * Better Option Pricing", NeurIPS 2000.
   */
  softplus: defineOp({
    name: "softplus",
    title: "Softplus",
    formula: "(1/β)·log(1 + e^{βx}); x where βx > threshold",
    tex: String
      .raw`\operatorname{softplus}(x) = \frac{1}{\beta} \log\bigl(1 + e^{\beta x}\bigr)`,
    derivative: "σ(βx); 1 where βx > threshold",
    paper: "Dugas et al., NeurIPS 2000",
    params: {
      beta: {
        kind: "real",
        default: 1,
        range: POSITIVE,
        learned: true,
        doc: "sharpness; softplus → relu as β grows",
      },
      threshold: {
        kind: "real",
        default: 20,
        range: ALL,
        learned: false,
        doc: "above this βx the function is taken as linear",
      },
    },
    odd: false,
    example: {},
    edges: [
      { beta: 0.5 },
      { beta: 2 },
      { beta: 1, threshold: 5 },
      { beta: 2, threshold: 5 },
    ],
    curves: [],
    arithmeticOnly: false,
    book: { part: "more" },
    kinks: (p) => [(p.threshold as number) / (p.beta as number)],
    notable: (p) => EXP_EDGES.map((e) => e / (p.beta as number)),
    f: (x, p) => {
      const { b, z, linear } = softplusParts(x, p);
      return linear ? x : softplus(z) / b;
    },
    dfdx: (x, p) => {
      const { z, linear } = softplusParts(x, p);
      return linear ? 1 : sigmoid(z);
    },
    d2fdx2: (x, p) => {
      const { b, z, linear } = softplusParts(x, p);
      if (nan(x)) return x;
      return linear ? 0 : b * sigmoid(z) * sigmoid(-z);
    },
    dfdp: {
      beta: (x, p) => {
        const { b, z, linear } = softplusParts(x, p);
        if (nan(x)) return x;
        if (linear) return 0;
        const num = z > 0
          ? -(z * sigmoid(-z) + Math.log1p(Math.exp(-z)))
          : mulDecay(z, sigmoid(z)) - Math.log1p(Math.exp(z));
        return num / b / b; // b² alone may overflow or underflow
      },
    },
  }),

  /**
   * GELU: gelu(x) = xΦ(x), Φ the standard normal CDF; or, with
   * approximate = "tanh", 0.5x(1 + tanh(√(2/π)(x + 0.044715x³))).
   *
   * Exact: gelu'(x) = Φ(x) + xφ(x), gelu''(x) = φ(x)(2 − x²). Tanh form, with
   * u = √(2/π)(x + 0.044715x³): since 1 + tanh u = 2σ(2u), gelu(x) = xσ(2u),
   * gelu'(x) = σ(2u) + 2xu'σ(2u)σ(−2u). Stability: Φ(x) = erfc(−x/√2)/2, never
   * 1 − erf, so the left tail keeps its digits; the tanh form as xσ(2u) so
   * 1 + tanh u does not cancel. gelu(−∞) = 0. Odd at zero: gelu(−0) = −0.
   *
   * Paper: Hendrycks & Gimpel, "Gaussian Error Linear Units (GELUs)", 2016.
   */
  gelu: defineOp({
    name: "gelu",
    title: "GELU",
    formula: "xΦ(x); tanh form 0.5x(1 + tanh(√(2/π)(x + 0.044715x³)))",
    tex: String.raw`\operatorname{GELU}(x) = x \, \Phi(x)`,
    derivative: "Φ(x) + xφ(x)",
    paper: "Hendrycks & Gimpel 2016, arXiv:1606.08415",
    params: {
      approximate: {
        kind: "choice",
        default: "none",
        choices: ["none", "tanh"],
        learned: false,
        doc: '"none" for xΦ(x), "tanh" for the tanh approximation',
      },
    },
    odd: true,
    example: {},
    edges: [{ approximate: "none" }, { approximate: "tanh" }],
    curves: [],
    arithmeticOnly: false,
    book: { part: "next" },
    kinks: () => [],
    notable: () => [-13.19, -9.8, -5.2, 5.2, 9.8, -38.5, -1e20, 1e20],
    f: (x, p) => {
      if (p.approximate === "tanh") {
        return mulDecay(x, sigmoid(2 * geluTanhParts(x).u));
      }
      return mulDecay(x, normalCdf(x));
    },
    dfdx: (x, p) => {
      if (nan(x)) return x;
      if (p.approximate === "tanh") {
        const { u, du } = geluTanhParts(x);
        const s = sigmoid(2 * u) * sigmoid(-2 * u);
        return sigmoid(2 * u) + (s === 0 ? 0 : 2 * x * du * s);
      }
      return normalCdf(x) + mulDecay(x, normalPdf(x));
    },
    d2fdx2: (x, p) => {
      if (nan(x)) return x;
      if (p.approximate === "tanh") {
        const { u, du, d2u } = geluTanhParts(x);
        const s = sigmoid(2 * u) * sigmoid(-2 * u);
        if (s === 0) return 0;
        return s * (4 * du + 2 * x * d2u - 4 * x * du * du * Math.tanh(u));
      }
      return mulDecay(2 - x * x, normalPdf(x));
    },
    dfdp: {},
  }),

  /**
   * Swish: swish(x) = x·σ(βx), β learned.
   *
   * ∂/∂x = σ(βx) + βxσ(βx)σ(−βx). ∂²/∂x² = βσ(βx)σ(−βx)(2 − βx·tanh(βx/2)).
   * ∂/∂β = x²σ(βx)σ(−βx). Limits: swish(−∞) = 0 for β > 0; β = 0 gives x/2
   * everywhere (also at ±∞). Odd at zero: swish(−0) = −0.
   *
   * Paper: Ramachandran, Zoph & Le, "Searching for Activation Functions", 2017.
   */
  swish: defineOp({
    name: "swish",
    title: "Swish",
    formula: "x·σ(βx)",
    tex: String.raw`\operatorname{swish}(x) = x \, \sigma(\beta x)`,
    derivative: "σ(βx) + βxσ(βx)σ(−βx)",
    paper: "Ramachandran, Zoph & Le 2017, arXiv:1710.05941",
    params: {
      beta: {
        kind: "real",
        default: 1,
        range: ALL,
        learned: true,
        doc: "sharpness; swish → relu as β → ∞, x/2 at β = 0",
      },
    },
    odd: true,
    example: {},
    edges: [
      { beta: 0 },
      { beta: 0.5 },
      { beta: 1.702 },
      { beta: 2 },
      { beta: 10 },
      { beta: -1 },
    ],
    curves: [{ beta: 0.5 }, { beta: 10 }],
    arithmeticOnly: false,
    book: { part: "next" },
    kinks: () => [],
    notable: (p) => {
      const b = p.beta as number;
      return b === 0 ? [] : EXP_EDGES.map((e) => e / b);
    },
    f: (x, p) => swishF(x, p.beta as number),
    dfdx: (x, p) => swishDx(x, p.beta as number),
    d2fdx2: (x, p) => swishD2(x, p.beta as number),
    dfdp: { beta: (x, p) => swishDb(x, p.beta as number) },
  }),

  /**
   * SiLU: silu(x) = x·σ(x), swish with β = 1.
   *
   * silu'(x) = σ(x)(1 + xσ(−x)). Odd at zero: silu(−0) = −0.
   *
   * Paper: Elfwing, Uchibe & Doya, "Sigmoid-Weighted Linear Units", 2017;
   * Hendrycks & Gimpel 2016.
   */
  silu: defineOp({
    name: "silu",
    title: "SiLU",
    formula: "x·σ(x)",
    tex: String.raw`\operatorname{SiLU}(x) = x \, \sigma(x)`,
    derivative: "σ(x) + xσ(x)σ(−x)",
    paper: "Elfwing, Uchibe & Doya 2017, arXiv:1702.03118",
    params: {},
    odd: true,
    example: {},
    edges: [],
    curves: [],
    arithmeticOnly: false,
    book: { part: "more" },
    kinks: () => [],
    notable: () => EXP_EDGES,
    f: (x) => swishF(x, 1),
    dfdx: (x) => swishDx(x, 1),
    d2fdx2: (x) => swishD2(x, 1),
    dfdp: {},
  }),

  /**
   * Mish: mish(x) = x·tanh(softplus(x)).
   *
   * With t = tanh(softplus x), s = σ(x) and sech² = 1/cosh²(softplus x):
   * mish'(x) = t + x·sech²·s; mish''(x) = sech²·s·(2 − 2xts + xσ(−x)).
   * mish(−∞) = 0. Odd at zero: mish(−0) = −0.
   *
   * Paper: Misra, "Mish: A Self Regularized Non-Monotonic Activation
   * Function", BMVC 2020.
   */
  mish: defineOp({
    name: "mish",
    title: "Mish",
    formula: "x·tanh(softplus(x))",
    tex: String.raw`\operatorname{mish}(x) = x \tanh\bigl(\log(1 + e^x)\bigr)`,
    derivative: "tanh(sp(x)) + x·sech²(sp(x))·σ(x)",
    paper: "Misra, BMVC 2020, arXiv:1908.08681",
    params: {},
    odd: true,
    example: {},
    edges: [],
    curves: [],
    arithmeticOnly: false,
    book: { part: "more" },
    kinks: () => [],
    notable: () => EXP_EDGES,
    f: (x) => mulDecay(x, Math.tanh(softplus(x))),
    dfdx: (x) => {
      if (nan(x)) return x;
      const sp = softplus(x);
      const c = Math.cosh(sp);
      const sech2 = 1 / c / c; // as in tanh: cosh² overflows too early
      return Math.tanh(sp) + mulDecay(x, sech2 * sigmoid(x));
    },
    d2fdx2: (x) => {
      if (nan(x)) return x;
      const sp = softplus(x);
      const c = Math.cosh(sp);
      const k = sigmoid(x) / c / c;
      if (k === 0) return 0;
      const t = Math.tanh(sp);
      return k * (2 - 2 * x * t * sigmoid(x) + x * sigmoid(-x));
    },
    dfdp: {},
  }),

  /**
   * Hard swish: hardSwish(x) = x·relu6(x + 3)/6.
   *
   * hardSwish'(x) = 0 for x ≤ −3, (2x + 3)/6 for −3 < x ≤ 3, 1 above
   * (left-hand: hardSwish'(−3) = 0, hardSwish'(3) = 1.5). hardSwish'' = 1/3
   * on (−3, 3]. Odd at zero: hardSwish(−0) = −0.
   *
   * Paper: Howard et al., "Searching for MobileNetV3", ICCV 2019.
   */
  hardSwish: defineOp({
    name: "hardSwish",
    title: "Hard swish",
    formula: "x·relu6(x + 3) / 6",
    tex: String
      .raw`\operatorname{hardSwish}(x) = x \, \frac{\operatorname{ReLU6}(x + 3)}{6}`,
    derivative: "0 if x ≤ −3, (2x + 3)/6 if −3 < x ≤ 3, else 1",
    paper: "Howard et al., ICCV 2019",
    params: {},
    odd: true,
    example: {},
    edges: [],
    curves: [],
    arithmeticOnly: true,
    book: { part: "more" },
    kinks: () => [-3, 3],
    notable: () => [],
    f: (x) => (nan(x) ? x : x <= -3 ? 0 : x >= 3 ? x : (x * (x + 3)) / 6),
    dfdx: (x) => (nan(x) ? x : x <= -3 ? 0 : x > 3 ? 1 : (2 * x + 3) / 6),
    d2fdx2: (x) => (nan(x) ? x : x > -3 && x <= 3 ? 1 / 3 : 0),
    dfdp: {},
  }),
  /**
   * Hard shrinkage: hardshrink(x) = x if |x| > λ else 0.
   *
   * hardshrink'(x) = 1 for |x| > λ, else 0, left-hand at both kinks:
   * hardshrink'(λ) = 0, hardshrink'(−λ) = 1. hardshrink'' = 0. λ is not
   * learned.
   *
   * Paper: Donoho & Johnstone, "Ideal spatial adaptation by wavelet
   * shrinkage", Biometrika 1994 (PyTorch's `nn.Hardshrink`).
   */
  hardshrink: defineOp({
    name: "hardshrink",
    title: "Hard shrink",
    formula: "x if |x| > λ else 0",
    tex: String
      .raw`\operatorname{hardshrink}(x) = \begin{cases} x & |x| > \lambda \\ 0 & |x| \le \lambda \end{cases}`,
    derivative:
      "1 if x > λ or x ≤ −λ else 0 (hardshrink'(λ) = 0, hardshrink'(−λ) = 1)",
    paper: "Donoho & Johnstone, Biometrika 1994",
    params: {
      lambda: {
        kind: "real",
        default: 0.5,
        range: ALL,
        learned: false,
        doc: "half-width of the band set to 0",
      },
    },
    odd: false,
    example: {},
    edges: [{ lambda: 0 }, { lambda: 2 }],
    curves: [],
    arithmeticOnly: true,
    book: { part: "more" },
    kinks: (p) => [-(p.lambda as number), p.lambda as number],
    notable: () => [],
    f: (x, p) => (nan(x) ? x : Math.abs(x) > (p.lambda as number) ? x : 0),
    dfdx: (x, p) => {
      const l = p.lambda as number;
      return nan(x) ? x : x > l || x <= -l ? 1 : 0;
    },
    d2fdx2: zeroD2,
    dfdp: {},
  }),
  /**
   * Soft shrinkage: softshrink(x) = x − λ if x > λ, x + λ if x < −λ, else 0
   * (λ ≥ 0).
   *
   * softshrink'(x) = 1 for |x| > λ, else 0, left-hand at both kinks:
   * softshrink'(λ) = 0, softshrink'(−λ) = 1. softshrink'' = 0. λ is not
   * learned.
   *
   * Paper: Donoho, "De-noising by soft-thresholding", IEEE Trans. Inf.
   * Theory 1995 (PyTorch's `nn.Softshrink`).
   */
  softshrink: defineOp({
    name: "softshrink",
    title: "Soft shrink",
    formula: "x − λ if x > λ, x + λ if x < −λ, else 0",
    tex: String
      .raw`\operatorname{softshrink}(x) = \begin{cases} x - \lambda & x > \lambda \\ x + \lambda & x < -\lambda \\ 0 & \text{otherwise} \end{cases}`,
    derivative:
      "1 if x > λ or x ≤ −λ else 0 (softshrink'(λ) = 0, softshrink'(−λ) = 1)",
    paper: "Donoho, IEEE Trans. Inf. Theory 1995",
    params: {
      lambda: {
        kind: "real",
        default: 0.5,
        range: NON_NEGATIVE,
        learned: false,
        doc: "half-width of the band set to 0, and the shift outside it",
      },
    },
    odd: false,
    example: {},
    edges: [{ lambda: 0 }, { lambda: 2 }],
    curves: [],
    arithmeticOnly: true,
    book: { part: "more" },
    kinks: (p) => [-(p.lambda as number), p.lambda as number],
    notable: () => [],
    f: (x, p) => {
      const l = p.lambda as number;
      return nan(x) ? x : x > l ? x - l : x < -l ? x + l : 0;
    },
    dfdx: (x, p) => {
      const l = p.lambda as number;
      return nan(x) ? x : x > l || x <= -l ? 1 : 0;
    },
    d2fdx2: zeroD2,
    dfdp: {},
  }),
  /**
   * Tanh shrinkage: tanhshrink(x) = x − tanh x.
   *
   * tanhshrink'(x) = 1 − sech²x = tanh²x; tanhshrink''(x) = 2 tanh x·sech²x.
   * Stability: near 0, x − tanh x cancels (it is x³/3 − 2x⁵/15 + …), so
   * below |x| = 1/2 it is the series x³·P(x²), whose terms fall tenfold
   * each; above, the subtraction loses at most a few bits. Odd:
   * tanhshrink(−0) = −0.
   *
   * Paper: PyTorch's `nn.Tanhshrink`.
   */
  tanhshrink: defineOp({
    name: "tanhshrink",
    title: "Tanh shrink",
    formula: "x − tanh x",
    tex: String.raw`\operatorname{tanhshrink}(x) = x - \tanh x`,
    derivative: "tanh²x",
    paper: "PyTorch nn.Tanhshrink",
    params: {},
    odd: true,
    example: {},
    edges: [],
    curves: [],
    arithmeticOnly: false,
    book: { part: "more" },
    kinks: () => [],
    notable: () => [-0.5, 0.5, -9.01, 9.01],
    f: (x) => tanhshrink(x),
    dfdx: (x) => {
      const t = Math.tanh(x);
      return t * t;
    },
    d2fdx2: (x) => {
      const c = Math.cosh(x);
      return (2 * Math.tanh(x)) / c / c;
    },
    dfdp: {},
  }),
  /**
   * Threshold: threshold(x) = x if x > threshold else value, both required
   * (as PyTorch's `nn.Threshold`) and not learned.
   *
   * threshold'(x) = 1 for x > threshold, else 0 (left-hand at the kink:
   * threshold'(threshold) = 0). threshold'' = 0.
   *
   * Paper: PyTorch's `nn.Threshold`.
   */
  threshold: defineOp({
    name: "threshold",
    title: "Threshold",
    formula: "x if x > threshold else value",
    tex: String
      .raw`\operatorname{threshold}(x) = \begin{cases} x & x > \theta \\ v & x \le \theta \end{cases}`,
    derivative: "1 if x > threshold else 0 (threshold'(threshold) = 0)",
    paper: "PyTorch nn.Threshold",
    params: {
      threshold: {
        kind: "real",
        required: true,
        range: ALL,
        learned: false,
        doc: "x above it passes",
      },
      value: {
        kind: "real",
        required: true,
        range: ALL,
        learned: false,
        doc: "what replaces x at or below the threshold",
      },
    },
    odd: false,
    example: { threshold: 1, value: -1 },
    edges: [{ threshold: 0, value: 0 }, { threshold: -2, value: 3 }],
    curves: [],
    arithmeticOnly: true,
    book: { part: "more" },
    kinks: (p) => [p.threshold as number],
    notable: () => [],
    f: (
      x,
      p,
    ) => (nan(x) ? x : x > (p.threshold as number) ? x : p.value as number),
    dfdx: (x, p) => (nan(x) ? x : x > (p.threshold as number) ? 1 : 0),
    d2fdx2: zeroD2,
    dfdp: {},
  }),
  /**
   * Squareplus: squareplus(x) = (x + √(x² + b))/2, b ≥ 0 (not learned), a
   * softplus-like rectifier from arithmetic and one square root; b = 0 is
   * relu.
   *
   * For x < 0 it is computed as b/(2(√(x² + b) − x)), which does not cancel:
   * (x + √(x² + b)) loses every digit once x² ≫ b.
   *
   * squareplus'(x) = (1 + x/√(x² + b))/2, for x < 0 as b/(2s(s − x)) with
   * s = √(x² + b); squareplus''(x) = b/(2(x² + b)^{3/2}). With b = 0 the
   * kink at 0 takes relu's left-hand derivative 0.
   *
   * Paper: Barron, "Squareplus: A Softplus-Like Algebraic Rectifier",
   * arXiv:2112.11687, 2021.
   */
  squareplus: defineOp({
    name: "squareplus",
    title: "Squareplus",
    formula: "(x + √(x² + b)) / 2",
    tex: String
      .raw`\operatorname{squareplus}(x) = \frac{x + \sqrt{x^2 + b}}{2}`,
    derivative: "(1 + x/√(x² + b)) / 2 (with b = 0, squareplus'(0) = 0)",
    paper: "Barron, arXiv:2112.11687, 2021",
    params: {
      b: {
        kind: "real",
        default: 4,
        range: NON_NEGATIVE,
        learned: false,
        doc: "curvature at 0: squareplus(0) = √b/2; b = 0 is relu",
      },
    },
    odd: false,
    example: {},
    edges: [{ b: 0 }, { b: 1 }, { b: 100 }],
    curves: [],
    // A square root of a sum: no exp, log, tanh or erf, but not exact in
    // float32 either (x² + b rounds).
    arithmeticOnly: false,
    book: { part: "more" },
    // The formulas change at 0: a kink for b = 0, and for small b a bend of
    // width √b that finite differences cannot resolve.
    kinks: () => [0],
    // Where x² overflows float32 (2⁶⁴), and ±√b, where the curve bends.
    notable: (p) => {
      const r = Math.sqrt(p.b as number);
      return [-(2 ** 64), -r, r, 2 ** 64];
    },
    f: (x, p) => {
      if (nan(x)) return x;
      const { s } = squareplusParts(x, p.b as number);
      if (x >= 0) {
        const sum = x + s;
        return sum < Infinity ? sum / 2 : x / 2 + s / 2;
      }
      // b/(2(s − x)), halves first: s − x may overflow.
      return (p.b as number) / 4 / (s / 2 - x / 2);
    },
    dfdx: (x, p) => {
      if (nan(x)) return x;
      if (p.b === 0) return x > 0 ? 1 : 0;
      const { g } = squareplusParts(x, p.b as number);
      return x > 0 ? 1 - g : g;
    },
    d2fdx2: (x, p) => {
      if (nan(x)) return x;
      const b = p.b as number;
      if (b === 0) return 0;
      const { s } = squareplusParts(x, b);
      return b / s / s / s / 2;
    },
    dfdp: {},
  }),
} as const;

/** The name of a catalog op. */
export type OpName = keyof typeof ops;

/** Every op name, in catalog order. */
export const opNames: readonly OpName[] = Object.freeze(
  Object.keys(ops) as OpName[],
);
