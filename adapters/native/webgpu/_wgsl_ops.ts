// The WebGPU kernel families: every op's definition (../_definitions.ts)
// run on the WGSL lane algebra (_wgsl_emitter.ts), with the overrides that
// float32 needs and nothing else:
// - relu, relu6 and hardTanh as integer selects on the bits (`bits`), so
//   they are exact even for subnormals on a device that flushes floats;
// - `clamp`: x clamped for the formulas where an intermediate (x², x³, βx,
//   2|x|) would overflow float32 at large |x|, where float64 does not; the
//   forwards that are x times a saturating factor then use the unclamped x;
// - softsign's derivatives as (1/d)² and (1/d)³ (d² overflows float32), and
//   elu/selu's λx as a saturating product (±∞ where it overflows);
// - `scaledInput`: x with its exponent split off for the product-only
//   formulas (leakyRelu, prelu, hardSwish, softsign), rounded once at the
//   bottom of the float32 range.
// Special inputs (NaN, ±∞, ±0) never reach these formulas: the shader takes
// the JavaScript kernels' values there (_shaders.ts).

import { SELU_ALPHA, SELU_LAMBDA } from "@nonlin/core";
import { definitions, type KernelName } from "../_definitions.ts";
import type { V, Wgsl } from "./_wgsl_emitter.ts";

/** The kernel's scalar parameters, df values by name. */
export type Params = Readonly<Record<string, V>>;

/** One elementwise body: x in (a df), the result out. */
export type Unary = (k: Wgsl, x: V, p: Params) => V;

/** The VJP body with dy = 1: ∂f/∂x and ∂f/∂θ per learned parameter. */
export type VjpBody = (
  k: Wgsl,
  x: V,
  p: Params,
) => { readonly dx: V; readonly grads: readonly V[] };

/** A df family: the formulas of one kernel. */
export interface DfFamily {
  readonly kind: "df";
  /**
   * The bodies see x clamped to ±`clamp` (and the unclamped x as `p.raw`,
   * for the factors where x appears linearly), so that no intermediate
   * (x², βx, x³) overflows float32: beyond it every other factor has
   * saturated. Absent: x as it is.
   */
  readonly clamp?: number;
  /**
   * x enters with its exponent split off (an `sdf`, _wgsl_math.ts), for
   * the formulas that are products of x (α·x, x(x + 3)/6, (1/(1 + |x|))²):
   * their results near the bottom of the float32 range are then rounded
   * once, where a df's low word would have underflowed.
   */
  readonly scaledInput?: boolean;
  /** The scalar parameters (float64 values passed as df), in order. */
  readonly params: readonly string[];
  /** The learned parameters whose sums the VJP returns, in order. */
  readonly grads: readonly string[];
  readonly forward: Unary;
  readonly derivative: Unary;
  readonly secondDerivative: Unary;
  readonly vjp: VjpBody;
}

/**
 * A family exact in float32, written in WGSL on `xb = bitcast<u32>(x)`:
 * each loop is an expression of type u32 (the result's bits); `p0`… are
 * the f32 parameters' bits.
 */
export interface BitsFamily {
  readonly kind: "bits";
  readonly params: readonly string[];
  readonly grads: readonly string[];
  readonly forward: string;
  readonly derivative: string;
}

/** Any family. */
export type Family = DfFamily | BitsFamily;

/** The df overrides of a family: what float32 needs beyond the definition. */
export type DfOverride = Partial<Omit<DfFamily, "kind">>;

// ------------------------------------------------------------ bit families

// NaN bits kept (`nan`), +0 bits 0u, 1.0 is 0x3f800000u.
const NAN = "((xb & 0x7fffffffu) > 0x7f800000u)";
const NEG = "((xb & 0x80000000u) != 0u)";
const POS = `(!${NEG} && (xb & 0x7fffffffu) != 0u)`; // x > 0, NaN excluded below

const relu: BitsFamily = {
  kind: "bits",
  params: [],
  grads: [],
  // x > 0 ? x : 0 (−0 → +0), NaN kept.
  forward: `select(select(0u, xb, ${POS}), xb, ${NAN})`,
  derivative: `select(select(0u, 0x3f800000u, ${POS}), xb, ${NAN})`,
};

/** Ordered comparison of finite-or-infinite f32 bits a ≤ b (NaN excluded by callers). */
const LE = `fn bits_le(a: u32, b: u32) -> bool {
  let ka = select(a | 0x80000000u, ~a, (a & 0x80000000u) != 0u);
  let kb = select(b | 0x80000000u, ~b, (b & 0x80000000u) != 0u);
  return ka <= kb || ((a | b) & 0x7fffffffu) == 0u;
}`;

/** Helper WGSL the bit families use. */
export const bitsHelpers: string = LE;

const relu6: BitsFamily = {
  kind: "bits",
  params: [],
  grads: [],
  // min(max(x, 0), 6), +0 for ±0, NaN kept.
  forward:
    `select(select(select(xb, 0x40c00000u, !bits_le(xb, 0x40c00000u)), 0u, !${POS}), xb, ${NAN})`,
  // 1 on (0, 6], else 0.
  derivative:
    `select(select(0u, 0x3f800000u, ${POS} && bits_le(xb, 0x40c00000u)), xb, ${NAN})`,
};

/**
 * hardTanh in float32. Parameters (f32 bits): `lo`, `hi` (the bounds rounded
 * to float32: the results outside), `above`, `atMost` (so `x > min && x <=
 * max` is `above <= x <= atMost`), `atLeast` (so `x < min` is `x < atLeast`).
 * The forward compares against `atLeast` and `atMost`, not `lo` and `hi`:
 * a bound that rounds to a zero of the other sign (min in (0, 2⁻¹⁵⁰]: `lo`
 * is +0) would otherwise keep −0 at x = −0, which is below min, and so +0.
 */
const hardTanh: BitsFamily = {
  kind: "bits",
  params: ["lo", "hi", "above", "atMost", "atLeast"],
  grads: [],
  forward:
    `select(select(select(xb, p1, !bits_le(xb, p3)), p0, !bits_le(p4, xb)), xb, ${NAN})`,
  derivative:
    `select(select(0u, 0x3f800000u, bits_le(p2, xb) && bits_le(xb, p3)), xb, ${NAN})`,
};

// ------------------------------------------------------------- df families

/** A df family from an op's definition, with overrides. */
function fromDefinition(
  name: KernelName,
  override: DfOverride = {},
): DfFamily {
  const d = definitions[name];
  const one = (k: Wgsl) => k.c(1);
  return {
    kind: "df",
    params: d.params,
    grads: d.grads,
    forward: (k, x, p) => d.forward(k, x, p),
    derivative: (k, x, p) => d.derivative(k, x, p),
    secondDerivative: (k, x, p) => d.secondDerivative(k, x, p),
    // dy = 1: the shader multiplies by dy itself, rounding once and keeping
    // IEEE semantics for dy = ±∞ or NaN.
    vjp: (k, x, p) => d.vjp(k, x, one(k), p),
    ...override,
  };
}

/**
 * Forwards that are the identity far right (or left): where the clamped x
 * gives f(xc) = xc, the unclamped x is the value; elsewhere f(xc) is (0, a
 * constant, or f(x) itself when x was not clamped).
 */
function identityBeyondClamp(
  name: KernelName,
): (k: Wgsl, x: V, p: Params) => V {
  const d = definitions[name];
  return (k, x, p) => {
    const fx = k.let(d.forward(k, x, p));
    return k.select(k.eq(fx, x), p.raw!, fx);
  };
}

/** x·σ(βx) with σ from the clamped x and the unclamped x as the factor (β = 0: x/2). */
function swishForward(k: Wgsl, x: V, p: Params): V {
  return k.mul(p.raw!, k.logistic(k.mul(p.beta!, x)).sigmoid);
}

const SELU_LA = SELU_LAMBDA * SELU_ALPHA;

/** elu/selu forward with λx saturating to ±∞ (selu(3.4·10³⁸) = ∞). */
function eluForward(
  scale: (k: Wgsl, p: Params) => V,
  la: (k: Wgsl, p: Params) => V,
): (k: Wgsl, x: V, p: Params) => V {
  return (k, x, p) =>
    k.select(
      k.gt(x, k.c(0)),
      k.mulSat(scale(k, p), x),
      k.mul(la(k, p), k.expm1(k.min(x, k.c(0)))),
    );
}

/** softsign's slopes from q = 1/(1 + |x|): no d² to overflow. */
function softsignQ(k: Wgsl, x: V): V {
  return k.let(k.div(k.c(1), k.add(k.c(1), k.abs(x))));
}

const softsignOverride: DfOverride = {
  scaledInput: true,
  derivative: (k, x) => {
    const q = softsignQ(k, x);
    return k.mul(q, q);
  },
  secondDerivative: (k, x) => {
    const q = softsignQ(k, x);
    const num = k.select(k.le(x, k.c(0)), k.c(2), k.c(-2));
    return k.mul(k.mul(k.mul(num, q), q), q);
  },
  vjp: (k, x) => {
    const q = softsignQ(k, x);
    return { dx: k.mul(q, q), grads: [] };
  },
};

/**
 * tanhshrink beyond the clamp: x − sign(x) (tanh is ±1 there in any
 * precision), from the unclamped x; inside, the definition's formula.
 */
function tanhshrinkForward(k: Wgsl, x: V, p: Params): V {
  const fx = k.let(definitions.tanhshrink.forward(k, x, p));
  return k.select(
    k.eq(x, p.raw!),
    fx,
    k.sub(p.raw!, k.copySign(k.c(1), x)),
  );
}

/**
 * A squareplus loop: the definition's formula on the clamped x, and beyond
 * the clamp (|x| > 10¹⁵, where x² ≫ b and x² would overflow float32) its
 * asymptote from the unclamped x, written with no square: x, or b/(4|x|),
 * for f; g = (b/4)/|x|/|x|, the slope below 0, and 1 − g above; and
 * b/(2|x|³).
 */
function squareplusLoop(
  inside: Unary,
  beyond: (k: Wgsl, raw: V, a: V, b: V) => V,
): Unary {
  return (k, x, p) => {
    const fx = k.let(inside(k, x, p));
    const a = k.let(k.abs(p.raw!));
    return k.select(k.eq(x, p.raw!), fx, beyond(k, p.raw!, a, p.b!));
  };
}

function squareplusG(k: Wgsl, a: V, b: V): V {
  return k.let(k.div(k.div(k.mul(b, k.c(0.25)), a), a));
}

const squareplusSlope = squareplusLoop(
  (k, x, p) => definitions.squareplus.derivative(k, x, p),
  (k, raw, a, b) => {
    const g = squareplusG(k, a, b);
    return k.select(k.gt(raw, k.c(0)), k.sub(k.c(1), g), g);
  },
);

const squareplusOverride: DfOverride = {
  clamp: 1e15, // x² finite in float32, b/x² below its epsilon
  forward: squareplusLoop(
    (k, x, p) => definitions.squareplus.forward(k, x, p),
    (k, raw, a, b) =>
      k.select(k.gt(raw, k.c(0)), raw, k.div(k.mul(b, k.c(0.25)), a)),
  ),
  derivative: squareplusSlope,
  secondDerivative: squareplusLoop(
    (k, x, p) => definitions.squareplus.secondDerivative(k, x, p),
    (k, _raw, a, b) => k.div(k.div(k.div(k.mul(b, k.c(0.5)), a), a), a),
  ),
  vjp: (k, x, p) => ({ dx: squareplusSlope(k, x, p), grads: [] }),
};

/** Families whose formulas need x clamped, and their bounds. */
const CLAMP = 1e15;

/**
 * swish's x clamped to ±10¹⁵/|β| (|β| taken as at least 10⁻²³, so the bound
 * stays finite): z = βx is then within ±10¹⁵, where σ has saturated, and is
 * βx itself wherever it has not. A bound on x alone (±10¹⁵, as the other
 * families have) changed z for |β| below about 10⁻¹³: at β = 0, ∂f/∂β =
 * x²/4 came out 2.5·10²⁹ for every |x| ≥ 10¹⁵, where it is x²/4 (∞ beyond
 * 3.7·10¹⁹), and swish′ at β = 10⁻³⁰, x = 10³⁰ came out 1/2 for σ(1) + σ′(1).
 */
function swishInput(k: Wgsl, x: V, p: Params): V {
  const bound = k.let(`(${CLAMP}.0f / max(abs(${p.beta!}.x), 1e-23f))`);
  return k.let(`df(clamp(${x}.x, -${bound}, ${bound}), 0.0f)`);
}

/** swish's bodies on the x of {@linkcode swishInput}; x² of ∂f/∂β split (no overflow). */
const swishOverride: DfOverride = {
  forward: (k, x, p) => swishForward(k, swishInput(k, x, p), p),
  derivative: (k, x, p) =>
    definitions.swish.derivative(k, swishInput(k, x, p), p),
  secondDerivative: (k, x, p) =>
    definitions.swish.secondDerivative(k, swishInput(k, x, p), p),
  vjp: (k, x, p) => {
    const xc = swishInput(k, x, p);
    const dx = definitions.swish.derivative(k, xc, p);
    // ∂/∂β = x²σ(z)σ(−z) with x's exponent split off: x² is finite (and ∞
    // only when rounded), and 0 where σ(z)σ(−z) is 0, not ∞·0.
    const s = k.logistic(k.let(k.mul(p.beta!, xc)), "fast").s;
    const xs = k.letScaled(`sdf_split(${x})`);
    return { dx, grads: [k.mul(k.mul(xs, xs), s)] };
  },
};

/**
 * The families that are not their definition as it is: the bit families,
 * and the df families' overrides. Any kernel not listed (a new op, say)
 * runs its definition unchanged.
 */
const overrides: {
  readonly [N in KernelName]?: BitsFamily | DfOverride;
} = {
  relu,
  relu6,
  hardTanh,
  leakyRelu: { scaledInput: true },
  prelu: { scaledInput: true },
  elu: { forward: eluForward((k) => k.c(1), (_k, p) => p.alpha!) },
  selu: {
    forward: eluForward((k) => k.c(SELU_LAMBDA), (k) => k.c(SELU_LA)),
  },
  celu: { clamp: CLAMP, forward: identityBeyondClamp("celu") },
  tanh: { clamp: 1e4 },
  softsign: softsignOverride,
  softplus: { clamp: CLAMP, forward: identityBeyondClamp("softplus") },
  gelu: { clamp: 1e4, forward: identityBeyondClamp("gelu") },
  geluTanh: { clamp: 1e4, forward: identityBeyondClamp("geluTanh") },
  swish: swishOverride,
  silu: { clamp: CLAMP, forward: swishForward },
  mish: { clamp: CLAMP, forward: identityBeyondClamp("mish") },
  tanhshrink: { clamp: 1e4, forward: tanhshrinkForward },
  squareplus: squareplusOverride,
  hardSwish: { scaledInput: true },
};

function familyOf(name: KernelName): Family {
  const o = overrides[name];
  if (o !== undefined && "kind" in o) return o;
  return fromDefinition(name, o);
}

/**
 * Every kernel family, by kernel name (../_definitions.ts), derived from
 * the definitions: prelu with one α runs leakyRelu's, gelu's tanh form is
 * `geluTanh`, silu runs swish's with β = 1. prelu with α per element has
 * its own shader (_shaders.ts).
 */
export const families: { readonly [N in KernelName]: Family } = Object
  .fromEntries(
    (Object.keys(definitions) as KernelName[]).map((
      name,
    ) => [name, familyOf(name)]),
  ) as { readonly [N in KernelName]: Family };
