/**
 * The SIMD kernel table: every op's definition (`../_definitions.ts`) on
 * float64 lanes, and the loops that pay on float32 lanes. `_module.ts` wraps
 * each family's loops (forward, derivative, second derivative, VJP); each
 * loop runs on one of these lanes (`lanesOf`):
 * - `f32`: a loop of the family's `float32`, four lanes at a time, for the
 *   loops that are exact in float32: they select, compare, clamp or pass
 *   values through (relu, relu6, hardTanh, threshold and hardshrink whole;
 *   softshrink's slopes; the constant-valued derivatives of leakyRelu,
 *   hardSigmoid and hardSwish);
 * - `mixed`: a float32 loop that widens only a product with a float64
 *   value (dy·(1/6), αx, dy·α, the ∂/∂α terms) to float64 lanes and rounds
 *   it once, as the definition does (hardSigmoid's forward and VJP,
 *   leakyRelu's); its parameter sums are the float64 loop's, term for term;
 * - `either`: a float32 body for the parameters that make the loop exact
 *   in float32 (a float32 λ or α: softshrink's and leakyRelu's forward;
 *   bounds that do not round to a zero of the other sign: hardTanh's bare
 *   clamp), chosen once per call, else the loop's other body;
 * - `f64`: the definition (or a `tuned` loop), on float64 lanes (an f32x4
 *   vector is widened into two f64x2 vectors, and `_module.ts` computes the
 *   vectors of a loop step side by side), so each result is rounded to
 *   float32 once.
 * Every float32 loop gives its definition's (and the JavaScript kernel's)
 * bits on every input (`simd_kernels_test.ts`; `lanes_sweep.ts` over every
 * float32).
 *
 * A comparison against a float64 parameter is made exact on float32 lanes
 * with the parameter's float32 neighbours ({@linkcode above32},
 * {@linkcode atMost32}): for a float32 x, x > t is x ≥ (the least float32
 * above t) and x ≤ t is x ≤ (the greatest float32 not above t). A sum or
 * product with a float64 parameter is not exact in float32 unless the
 * parameter is a float32 (then, rounded once from float64, it is the
 * float32 operation's result: 53 ≥ 2·24 + 2).
 *
 * The loops a kernel lists in `delegates` (its definition's `finiteOnly`)
 * compute only finite inputs: the loop records any vector holding NaN or ±∞
 * and the JavaScript kernels finish those elements, so the special values
 * are exactly the JavaScript path's. The other loops give NaN and the
 * limits at ±∞ by construction (`simd_kernels_test.ts` holds both to the
 * JavaScript kernels' results, and the float32 loops to their bits).
 *
 * @module
 */

import {
  type Definition,
  definitions,
  geluSlopeNearRoot,
  type KernelName,
  type Loop,
} from "../_definitions.ts";
import {
  demotePairF64x2,
  type Expr,
  F32x4,
  F64x2,
  I32x4,
  I8x16,
  type Local,
  promoteHighF32x4,
  relaxedLaneselect32,
  V128,
} from "./_asm.ts";
import type { K, V, VectorMath } from "./_vmath.ts";

type L = Local<"v128">;

/** The kernel's scalar parameters, splatted to every lane. */
export type Params = Readonly<Record<string, L>>;

/** One elementwise loop body: `x` in, the result out. */
export type Unary = (k: K, x: L, p: Params) => V;

/**
 * A float32 VJP body: dx, or dx and, per learned parameter, its term as the
 * two f64x2 halves of the vector (lanes 0–1, 2–3), which the loop sums in
 * float64 as the float64 loop does.
 */
export type Float32Vjp = (
  k: K,
  x: L,
  dy: L,
  p: Params,
) => V | { readonly dx: V; readonly grads: readonly (readonly [V, V])[] };

export type { KernelName, Loop };

/**
 * The lanes a loop runs on: `mixed` is float32 lanes with products widened
 * to float64 (see `widened`), bound by arithmetic as a float64 loop is;
 * `either` is float32 lanes where the call's parameters make the loop
 * exact in float32 (see `float32When`), else its float64 (or mixed) body.
 */
export type LaneKind = "f32" | "f64" | "either" | "mixed";

/** A test on the float64 arguments (f64x2 splats), made once per call. */
export type Float32When = (k: K, p: Params) => Expr<"i32">;

/** A loop body exact in float32 for some parameters, and the test for them. */
export interface Float32If {
  readonly when: Float32When;
  readonly body: Unary;
}

/**
 * The loops of a family that run on four float32 lanes, each giving its
 * definition's bits on every input (NaN, ±∞, ±0 and subnormals included).
 */
export interface Float32Loops {
  readonly forward?: Unary;
  readonly derivative?: Unary;
  readonly secondDerivative?: Unary;
  /** dx, and the learned parameters' terms where the family has any. */
  readonly vjp?: Float32Vjp;
}

/** One kernel family: its loops, each on float32 or float64 lanes. */
export interface KernelDef {
  /** The scalar parameters every loop takes (float64 arguments), in order. */
  readonly params: readonly string[];
  /** The learned parameters whose sums the VJP returns, in order. */
  readonly grads: readonly string[];
  /** The loops whose non-finite inputs go to the JavaScript kernels. */
  readonly delegates: readonly Loop[];
  /** The op's definition: the loops not in `float32`, on float64 lanes. */
  readonly definition: Definition;
  /** Loops of the definition this set computes its own way (see `tuned`). */
  readonly tuned: Tuned;
  /** The loops on float32 lanes. */
  readonly float32: Float32Loops;
  /**
   * The float32 loops' parameters, from the float64 arguments (f64x2
   * splats), computed once per call.
   * @default each argument rounded to float32
   */
  readonly float32Params?: (k: K, p: Params) => Params;
  /**
   * Loops with a body exact in float32 only for some parameters (a sum or
   * product with a parameter is, when the parameter is a float32): that
   * body when its test holds for the call, else the loop's `float32` body
   * or definition.
   */
  readonly float32When?: {
    readonly [L in Exclude<Loop, "vjp">]?: Float32If;
  };
  /**
   * Loops of `float32` that widen a product with a float64 value to
   * float64 lanes (hardSigmoid's (x + 3)·(1/6) and dy·(1/6), leakyRelu's
   * αx, dy·α and its ∂/∂α terms).
   */
  readonly widened?: readonly Loop[];
}

/** The lanes `loop` of `def` runs on. */
export function lanesOf(def: KernelDef, loop: Loop): LaneKind {
  if (loop !== "vjp" && def.float32When?.[loop] !== undefined) return "either";
  if (def.float32[loop] === undefined) return "f64";
  return def.widened?.includes(loop) ? "mixed" : "f32";
}

/**
 * An elementwise loop written for this set's math (`VectorMath`, which has
 * more than the lane algebra: Φ with its scalings folded in, say).
 */
export type TunedLoop = <T>(
  k: VectorMath<T>,
  x: T,
  p: Readonly<Record<string, T>>,
) => T;

/** Loops of a definition that this set computes its own way. */
export type Tuned = {
  readonly [L in Exclude<Loop, "vjp">]?: TunedLoop;
};

// ------------------------------------------------------------ float32 lanes

const ONE_F32 = 0x3f800000;
const SIX_F32 = 0x40c00000;
const THREE_F32 = 0x40400000;
const MINUS_THREE_F32 = 0xc0400000 | 0;
const SIGN_F32 = 0x80000000 | 0;
/** 1/6 and 1/3 rounded to float32: the values the float64 loops store. */
const SIXTH_F32 = 0x3e2aaaab;
const THIRD_F32 = 0x3eaaaaab;

/**
 * f32x4 lanes `mask ? a : b` for a mask from a comparison (all ones or all
 * zeros per lane): relaxed SIMD's lane select where the set uses relaxed
 * SIMD (one instruction, exact for such masks), else the bitwise select.
 */
function select32(k: K, mask: V, a: V, b: V): V {
  return k.fma ? relaxedLaneselect32(a, b, mask) : V128.bitselect(a, b, mask);
}

/** f32x4: 0, or NaN for NaN. */
function zeroOrNaN32(x: L): V {
  return V128.and(F32x4.ne(x, x), x);
}

/** f32x4 lanes `mask ? c : (NaN ? NaN : 0)`, c a float32's bits (1 unless given). */
function slope32(k: K, x: L, mask: V, c = ONE_F32): V {
  return V128.or(V128.and(mask, k.ci(c)), zeroOrNaN32(x));
}

/** f32x4 lanes `mask ? dy : dy·(NaN ? NaN : 0)`: dy times a 0/1 slope. */
function passOrZero32(k: K, x: L, dy: L, mask: V): V {
  return select32(k, mask, dy, F32x4.mul(dy, zeroOrNaN32(x)));
}

/** Splats lane 0 of an f32x4. */
const LANE0 = [0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3];

/** The f64x2 splat `t` rounded to float32, in all four lanes. */
function round32(k: K, t: V): L {
  const d = F32x4.demoteF64x2Zero(t);
  return k.let(I8x16.shuffle(d, d, LANE0));
}

/** The next float32 up from each lane of `r` (after +0 from ±0; NaN from +∞). */
function nextUp32(k: K, r: V): V {
  const z = k.let(F32x4.add(r, k.ci(0)));
  // +1 on the bits of a lane ≥ +0, −1 below (a mask is −1 in each lane).
  const negative = k.let(F32x4.lt(z, k.ci(0)));
  return I32x4.add(z, I32x4.add(I32x4.add(negative, negative), k.ci(1)));
}

/** All bits set (a NaN) where `r` is NaN, so that no comparison holds there. */
function nanIfNaN(r: L, v: V): V {
  return V128.or(v, F32x4.ne(r, r));
}

/**
 * The least float32 above the float64 `t` (an f64x2 splat), in four lanes:
 * for a float32 x, `x > t` is `x ≥ above32(t)`. NaN for t = +∞ or NaN,
 * where no x is above.
 */
export function above32(k: K, t: V): L {
  const r = round32(k, t);
  const over = F64x2.gt(F64x2.promoteLowF32x4(r), t);
  return k.let(nanIfNaN(r, V128.bitselect(r, nextUp32(k, r), over)));
}

/**
 * The greatest float32 not above the float64 `t` (an f64x2 splat), in four
 * lanes: for a float32 x, `x ≤ t` is `x ≤ atMost32(t)`. NaN for NaN.
 */
export function atMost32(k: K, t: V): L {
  const r = round32(k, t);
  const within = F64x2.le(F64x2.promoteLowF32x4(r), t);
  const down = F32x4.neg(nextUp32(k, F32x4.neg(r)));
  return k.let(nanIfNaN(r, V128.bitselect(r, down, within)));
}

/** The four float32 lanes of `v` as two f64x2 (lanes 0–1, 2–3), exactly. */
function widen(k: K, v: L): [L, L] {
  return [k.let(F64x2.promoteLowF32x4(v)), k.let(promoteHighF32x4(v))];
}

/**
 * v·c rounded once to float32, for a float64 c (an f64x2 splat): the
 * product a float64 loop stores, on float64 lanes for the multiply only.
 */
function mulRounded(k: K, v: L, c: V): V {
  const [lo, hi] = widen(k, v);
  return demotePairF64x2(F64x2.mul(lo, c), F64x2.mul(hi, c));
}

/** The definition's loops, with `float32` and `tuned` ones where given. */
function family(
  def: Definition,
  options: {
    readonly float32?: Float32Loops;
    readonly float32Params?: (k: K, p: Params) => Params;
    readonly float32When?: KernelDef["float32When"];
    readonly widened?: readonly Loop[];
    readonly tuned?: Tuned;
  } = {},
): KernelDef {
  const float32 = options.float32 ?? {};
  for (const loop of def.finiteOnly) {
    // A float32 loop computes every input itself: nothing is delegated.
    const guarded = loop !== "vjp" && options.float32When?.[loop] !== undefined;
    if (float32[loop] !== undefined || guarded) {
      throw new TypeError(`A float32 loop is delegated: ${loop}`);
    }
  }
  return {
    params: def.params,
    grads: def.grads,
    delegates: def.finiteOnly,
    definition: def,
    tuned: options.tuned ?? {},
    float32,
    ...(options.float32Params === undefined
      ? {}
      : { float32Params: options.float32Params }),
    ...(options.float32When === undefined
      ? {}
      : { float32When: options.float32When }),
    ...(options.widened === undefined ? {} : { widened: options.widened }),
  };
}

/** relu on float32 lanes, every loop. */
const relu: Float32Loops = {
  // max(x, 0) with NaN kept (pmax keeps its first operand's NaN); + 0 turns −0 into +0.
  forward: (k, x) => F32x4.add(F32x4.pmax(x, k.ci(0)), k.ci(0)),
  derivative: (k, x) => slope32(k, x, F32x4.gt(x, k.ci(0))),
  secondDerivative: (_k, x) => zeroOrNaN32(x),
  vjp: (k, x, dy) => passOrZero32(k, x, dy, F32x4.gt(x, k.ci(0))),
};

/** relu6 on float32 lanes, every loop. */
const relu6: Float32Loops = {
  forward: (k, x) =>
    F32x4.add(
      F32x4.pmin(F32x4.pmax(x, k.ci(0)), k.ci(SIX_F32)),
      k.ci(0),
    ),
  derivative: (k, x) => slope32(k, x, relu6Inside(k, x)),
  secondDerivative: (_k, x) => zeroOrNaN32(x),
  vjp: (k, x, dy) => passOrZero32(k, x, dy, relu6Inside(k, x)),
};

function relu6Inside(k: K, x: L): V {
  return V128.and(F32x4.gt(x, k.ci(0)), F32x4.le(x, k.ci(SIX_F32)));
}

/**
 * hardTanh on float32 lanes, every loop, with `hardTanhParams`: the clamp
 * to the bounds rounded (`lo`, `hi`) is the float64 clamp rounded, except
 * at ±0 where a bound rounds to a zero of the other sign (`hardTanhClamp`),
 * so this forward sets the sign (`keep`, `sign`). `min < x ≤ max` is
 * `above ≤ x ≤ atMost`, as the JavaScript kernel compares in float64.
 */
const hardTanh: Float32Loops = {
  forward: (_k, x, p) => V128.or(V128.and(clamp32(x, p), p.keep!), p.sign!),
  derivative: (k, x, p) => slope32(k, x, hardTanhInside(x, p)),
  secondDerivative: (_k, x) => zeroOrNaN32(x),
  vjp: (k, x, dy, p) => passOrZero32(k, x, dy, hardTanhInside(x, p)),
};

function clamp32(x: L, p: Params): V {
  return F32x4.pmin(F32x4.pmax(x, p.lo!), p.hi!);
}

function hardTanhInside(x: L, p: Params): V {
  return V128.and(F32x4.ge(x, p.above!), F32x4.le(x, p.atMost!));
}

/** The largest float64 that rounds to 0 in float32 (the tie goes to even 0). */
const ROUNDS_TO_ZERO = 2 ** -150;

/**
 * hardTanh's forward as the bare clamp, for bounds that do not round to a
 * zero of the other sign. One that does (min in (0, 2⁻¹⁵⁰], max in
 * [−2⁻¹⁵⁰, 0)) clamps ∓0 to itself where the JavaScript kernel gives the
 * bound rounded, ±0: −0 < 1e-46, but pmax keeps −0 against +0.
 */
const hardTanhClamp: Float32If = {
  when: (k, p) =>
    V128.anyTrue(
      V128.and(
        V128.or(
          F64x2.le(p.min!, k.ci(0)),
          F64x2.gt(p.min!, k.c(ROUNDS_TO_ZERO)),
        ),
        V128.or(
          F64x2.ge(p.max!, k.ci(0)),
          F64x2.lt(p.max!, k.c(-ROUNDS_TO_ZERO)),
        ),
      ),
    ),
  body: (_k, x, p) => clamp32(x, p),
};

/**
 * hardTanh's float32 parameters from the float64 min and max (min < max,
 * as the catalog requires): with min > 0 every result but NaN is ≥ +0, so
 * `keep` clears the sign bit; with max < 0 every one is ≤ −0, so `sign`
 * sets it; else they leave the clamp as it is.
 */
function hardTanhParams(k: K, p: Params): Params {
  const signBit = k.ci(SIGN_F32);
  return {
    lo: round32(k, p.min!),
    hi: round32(k, p.max!),
    above: above32(k, p.min!),
    atMost: atMost32(k, p.max!),
    keep: k.let(V128.not(V128.and(F64x2.gt(p.min!, k.ci(0)), signBit))),
    sign: k.let(V128.and(F64x2.lt(p.max!, k.ci(0)), signBit)),
  };
}

/**
 * threshold on float32 lanes, every loop: x > threshold is
 * x ≥ `above` (its float32 neighbour), and `value` is stored rounded, as
 * the float64 loop stores it.
 */
const threshold: Float32Loops = {
  forward: (k, x, p) =>
    select32(
      k,
      F32x4.ge(x, p.above!),
      x,
      select32(k, F32x4.eq(x, x), p.value!, x),
    ),
  derivative: (k, x, p) => slope32(k, x, F32x4.ge(x, p.above!)),
  secondDerivative: (_k, x) => zeroOrNaN32(x),
  vjp: (k, x, dy, p) => passOrZero32(k, x, dy, F32x4.ge(x, p.above!)),
};

function thresholdParams(k: K, p: Params): Params {
  return {
    above: above32(k, p.threshold!),
    value: round32(k, p.value!),
  };
}

/**
 * hardshrink's and softshrink's slope, 1 where x > λ or x ≤ −λ: x ≥
 * `above` (λ's float32 neighbour above) or x ≤ `atMost` (−λ's below or at).
 */
function shrinkOutside(x: L, p: Params): V {
  return V128.or(F32x4.ge(x, p.above!), F32x4.le(x, p.atMost!));
}

function shrinkParams(k: K, p: Params): Params {
  const lambda = round32(k, p.lambda!);
  return {
    above: above32(k, p.lambda!),
    atMost: atMost32(k, F64x2.neg(p.lambda!)),
    lambda,
    minusLambda: k.let(F32x4.neg(lambda)),
  };
}

/**
 * Whether the parameter `name` is a float32: then a sum or product of it
 * with a float32 x, rounded once to float32 from float64, is the float32
 * operation's result (float64's 53 bits ≥ 2·24 + 2: double rounding is
 * innocuous for one operation).
 */
function isFloat32(name: string): Float32When {
  return (_k, p) => {
    const d = F32x4.demoteF64x2Zero(p[name]!);
    return V128.anyTrue(F64x2.eq(F64x2.promoteLowF32x4(d), p[name]!));
  };
}

/** The slope loops of hardshrink and softshrink. */
const shrinkSlopes: Float32Loops = {
  derivative: (k, x, p) => slope32(k, x, shrinkOutside(x, p)),
  secondDerivative: (_k, x) => zeroOrNaN32(x),
  vjp: (k, x, dy, p) => passOrZero32(k, x, dy, shrinkOutside(x, p)),
};

/** hardshrink on float32 lanes, every loop: x where |x| > λ, else 0 (NaN kept). */
const hardshrink: Float32Loops = {
  ...shrinkSlopes,
  forward: (k, x, p) =>
    select32(k, F32x4.ge(F32x4.abs(x), p.above!), x, zeroOrNaN32(x)),
};

/**
 * softshrink's forward for a float32 λ: x ∓ λ outside [−λ, λ] (else 0, NaN
 * kept); float64 lanes for any other λ.
 */
const softshrinkForward: Float32If = {
  when: isFloat32("lambda"),
  body: (k, x, p) =>
    select32(
      k,
      F32x4.gt(x, p.lambda!),
      F32x4.sub(x, p.lambda!),
      select32(
        k,
        F32x4.lt(x, p.minusLambda!),
        F32x4.add(x, p.lambda!),
        zeroOrNaN32(x),
      ),
    ),
};

/** leakyRelu's forward for a float32 α: x or αx, in float32. */
const leakyReluForward: Float32If = {
  when: isFloat32("alpha"),
  body: (k, x, p) =>
    select32(k, F32x4.gt(x, k.ci(0)), x, F32x4.mul(p.alpha!, x)),
};

/**
 * leakyRelu's derivative, 1 above 0 and α (rounded, as the float64 loop
 * stores it) at or below. Its forward (for an α that is not a float32:
 * `leakyReluForward` otherwise) and VJP select on float32 lanes and widen
 * for αx and dy·α (each rounded once) and for the ∂/∂α term
 * dy·(x > 0 ? 0 : x), exact in float64 and summed there.
 */
const leakyRelu: Float32Loops = {
  vjp: (k, x, dy, p) => {
    const positive = k.let(F32x4.gt(x, k.ci(0)));
    const [dyLo, dyHi] = widen(k, dy);
    const [xLo, xHi] = widen(k, k.let(V128.andnot(x, positive)));
    const alpha = p.alpha64!;
    const slope = demotePairF64x2(
      F64x2.mul(dyLo, alpha),
      F64x2.mul(dyHi, alpha),
    );
    return {
      // x > 0: dy; NaN: NaN (x); else dy·α.
      dx: select32(
        k,
        positive,
        dy,
        select32(k, F32x4.eq(x, x), slope, x),
      ),
      grads: [[F64x2.mul(dyLo, xLo), F64x2.mul(dyHi, xHi)]],
    };
  },
  forward: (k, x, p) =>
    select32(k, F32x4.gt(x, k.ci(0)), x, mulRounded(k, x, p.alpha64!)),
  derivative: (k, x, p) =>
    select32(
      k,
      F32x4.gt(x, k.ci(0)),
      k.ci(ONE_F32),
      select32(k, F32x4.eq(x, x), p.alpha!, x),
    ),
  secondDerivative: (_k, x) => zeroOrNaN32(x),
};

/** −3 < x ≤ 3: where hardSigmoid′ is 1/6 and hardSwish″ is 1/3. */
function hardInside(k: K, x: L): V {
  return V128.and(
    F32x4.gt(x, k.ci(MINUS_THREE_F32)),
    F32x4.le(x, k.ci(THREE_F32)),
  );
}

/**
 * hardSigmoid′: 1/6 (rounded) inside (−3, 3]. Its VJP, dy times the
 * float64 1/6 inside (not exact in float32: only that product is widened)
 * and dy·0 (or NaN) outside. Its forward: 0 at or below −3, 1 at or above
 * 3, else (x + 3)·(1/6) widened, the float64 loop's two roundings (NaN
 * comes through it).
 */
const hardSigmoid: Float32Loops = {
  forward: (k, x) => {
    const [lo, hi] = widen(k, x);
    const sixth = k.let(k.c(1 / 6));
    const three = k.let(k.c(3));
    const inner = demotePairF64x2(
      F64x2.mul(F64x2.add(lo, three), sixth),
      F64x2.mul(F64x2.add(hi, three), sixth),
    );
    return select32(
      k,
      F32x4.le(x, k.ci(MINUS_THREE_F32)),
      k.ci(0),
      select32(k, F32x4.ge(x, k.ci(THREE_F32)), k.ci(ONE_F32), inner),
    );
  },
  derivative: (k, x) => slope32(k, x, hardInside(k, x), SIXTH_F32),
  secondDerivative: (_k, x) => zeroOrNaN32(x),
  vjp: (k, x, dy) =>
    select32(
      k,
      hardInside(k, x),
      mulRounded(k, dy, k.let(k.c(1 / 6))),
      F32x4.mul(dy, zeroOrNaN32(x)),
    ),
};

/** (2x + 3)·(1/6) in float64 from the widened halves: hardSwish′ inside. */
function hardSwishSlope64(k: K, lo: V, hi: V): [V, V] {
  const sixth = k.let(k.c(1 / 6));
  const three = k.let(k.c(3));
  return [
    F64x2.mul(F64x2.add(F64x2.add(lo, lo), three), sixth),
    F64x2.mul(F64x2.add(F64x2.add(hi, hi), three), sixth),
  ];
}

/**
 * hardSwish: 0 at or below −3 (float32 selects), x at or above 3 (its
 * slope 1 above 3), else x(x + 3)·(1/6) and (2x + 3)·(1/6) on the widened
 * halves with the float64 loop's roundings (NaN comes through them), which
 * give the JavaScript kernel's (v(v + 3))/6 and (2v + 3)/6 on every float32
 * of [−3, 3] (`lanes_sweep.ts`); hardSwish″: 1/3 (rounded) inside (−3, 3].
 * Its VJP stays on float64 lanes: dy·(2x + 3)·(1/6) is not JavaScript's
 * dy·((2v + 3)/6) where the product ties (x = 2, dy = 8692.0693359375:
 * 10140.7470703125 against 10140.748046875), as before these loops, and a
 * division costs more than the lanes save.
 */
const hardSwish: Float32Loops = {
  forward: (k, x) => {
    const [lo, hi] = widen(k, x);
    const sixth = k.let(k.c(1 / 6));
    const three = k.let(k.c(3));
    const inner = demotePairF64x2(
      F64x2.mul(F64x2.mul(lo, F64x2.add(lo, three)), sixth),
      F64x2.mul(F64x2.mul(hi, F64x2.add(hi, three)), sixth),
    );
    return select32(
      k,
      F32x4.le(x, k.ci(MINUS_THREE_F32)),
      k.ci(0),
      select32(k, F32x4.ge(x, k.ci(THREE_F32)), x, inner),
    );
  },
  derivative: (k, x) => {
    const [lo, hi] = widen(k, x);
    return select32(
      k,
      F32x4.le(x, k.ci(MINUS_THREE_F32)),
      k.ci(0),
      select32(
        k,
        F32x4.gt(x, k.ci(THREE_F32)),
        k.ci(ONE_F32),
        demotePairF64x2(...hardSwishSlope64(k, lo, hi)),
      ),
    );
  },
  secondDerivative: (k, x) => slope32(k, x, hardInside(k, x), THIRD_F32),
};

/** A definition's loops on float64 lanes, with the loops `tuned` gives. */
function float64(def: Definition, tuned: Tuned = {}): KernelDef {
  return family(def, { tuned });
}

/**
 * Loops the SIMD set computes from the same formula in fewer operations
 * than the definition's lane algebra allows (`simd_kernels_test.ts` and the
 * accuracy sweep hold them to the same bounds):
 * - gelu forward, x·Φ(x) with Φ from `VectorMath.normalParts`: erfcFast's
 *   method with −x/√2, the factor ½ and the cap at 11 folded away (about
 *   15% fewer operations), and gelu′ = Φ + xφ with φ from Φ's own
 *   exponential (one exponential instead of two).
 *
 * - sigmoid′, σ(x)σ(−x) as E/(1 + E)² from E = e^−|x| (`logisticSlope`).
 *
 * - softsign forward, x/(1 + |x|) with one division for the four lanes of
 *   a float32 vector (`divPairs`: x₀(1 + |x₁|)/((1 + |x₀|)(1 + |x₁|)), …)
 *   instead of two: five float64 roundings with 1 + |x| (relative error
 *   below 5.01·2⁻⁵³, no multiply–add), so within 0.5 + 2⁻²⁶ float32 ulps
 *   of x/(1 + |x|) and 1 ULP of the reference rounded (2 of the 2³²
 *   float32 differ from it, ±0.0085146632: 0.008442775 against
 *   0.008442776). Its loops delegate ±∞ and NaN, which the loop zeroes
 *   before the body, so every lane's partner is finite.
 *
 * - softsign′, 1/(1 + |x|)², and so the VJP's dy·softsign′, with one
 *   division for the four lanes of a float32 vector
 *   (`recipSquarePairs`: B₁/(B₀B₁) and B₀/(B₀B₁), B = (1 + |x|)² rounded)
 *   instead of two: with 1 + |x| six float64 roundings (relative error
 *   below 6.01·2⁻⁵³, no multiply–add; seven with dy's product), so within
 *   0.5 + 2⁻²⁶ float32 ulps of 1/(1 + |x|)² and of dy/(1 + |x|)². Where
 *   1/(1 + |x|)² is 2⁻¹⁵⁰ (x = ±2⁷⁵, a tie the reference rounds to +0) the
 *   pairing gives 2⁻¹⁵⁰·(B₁ ⊗ (1 ⊘ B₁)), and y ⊗ (1 ⊘ y) rounds to 1 or
 *   1 − 2⁻⁵³, never above: +0 too. Non-finite x is delegated as for the
 *   forward; a non-finite dy meets only its own lane's f′ (finite, > 0).
 *
 * - squareplus forward, (x + s)/2 for every x, and the definition's
 *   b/(2(s − x)) (a division, which costs as much as the square root) only
 *   for vectors with a lane where x + s cancels: with s = √(x² + b) within
 *   1.5·2⁻⁵³, (x + s)/2 is within 6·2⁻⁵³·(x² + b)/b relatively, under 2⁻³⁸
 *   while x² ≤ 2¹²·b (|x| ≤ 128 at b = 4: a float32 rounding off by it
 *   needs a tie within 2⁻¹⁴ of an ulp); beyond, and at −∞ (where x + s is
 *   NaN), the division. At b = 0, s = |x| and every x < 0 takes the
 *   division (b/… = 0).
 *
 * A tuned derivative also gives the VJP of an op without learned
 * parameters (dx = dy·f′, as the definitions' `chain`).
 */
const tunedLoops: { readonly [N in KernelName]?: Tuned } = {
  // σ′ = σ(x)σ(−x) in one division, from e^−|x|.
  sigmoid: { derivative: (k, x) => k.logisticSlope(x, "fast") },
  // x/(1 + |x|), one division for two f64x2 halves.
  softsign: {
    forward: (k, x) => k.divPairs(x, k.let(k.add(k.c(1), k.abs(x)))),
    // 1/(1 + |x|)², one division for two f64x2 halves (the VJP's f′ too).
    derivative: (k, x) => k.recipSquarePairs(k.let(k.add(k.c(1), k.abs(x)))),
  },
  // tanh x = −m/(2 + m), m = e^−2|x| − 1 from the definition's `fast`
  // exponential: its −m·(1/(1 + e)) without e's multiply–add and with one
  // product fewer. Bit for bit the definition's on all 2³² float32 (both
  // multiply–add modes), so its bound stands; 0.91×. One division per
  // float32 vector (`divPairs`) instead was slower (1.10×).
  tanh: {
    forward: (k, x) => {
      const m = k.expm1(k.mul(k.c(-2), k.abs(x)), "fast");
      return k.copySign(k.div(k.neg(m), k.add(k.c(2), m)), x);
    },
  },
  squareplus: {
    forward: (k, x, p) => {
      // √(x² + b) with no case for b = 0: x² of a float32 is exact in
      // float64 (neither underflows nor overflows), so √(x²) is |x|.
      const x2 = k.let(k.mul(x, x));
      const s = k.let(k.sqrt(k.add(x2, p.b!)));
      const y = k.let(k.mul(k.add(x, s), k.c(0.5)));
      const far = k.let(
        k.and(k.lt(x, k.c(0)), k.gt(x2, k.mul(p.b!, k.c(2 ** 12)))),
      );
      k.when(far, () => {
        k.set(
          y,
          k.select(far, k.div(p.b!, k.mul(k.c(2), k.sub(s, x))), y),
        );
      });
      return y;
    },
  },
  // x − tanh x: near 0 a degree-5 fit of the series (x − tanh x)/x³ in x²
  // on |x| < 0.35 (2⁻³⁵·²) instead of the definition's ten terms on
  // |x| < 1/2; above, tanh from a degree-7 exponential (2⁻³⁷·⁵) instead of
  // the accurate one: x − tanh x magnifies tanh's error at most 2·49-fold
  // there (at 0.35), so within 2⁻³⁰. Both forms on a = |x| (|x| + m/(2 + m),
  // m = e^−2a − 1, and a·x²·P), x's sign given last: the same roundings as
  // x − tanh x with the sign inside (bit for bit, all 2³² float32, both
  // multiply–add modes), one |x| and one negation fewer (0.91×). One
  // division per float32 vector (`divPairs`) was slower here (1.05–1.12×):
  // this loop is bound by its other arithmetic, not the division.
  tanhshrink: {
    forward: (k, x) => {
      const a = k.let(k.abs(x));
      const x2 = k.let(k.mul(x, x));
      const series = k.mul(k.mul(a, x2), k.poly(x2, TANHSHRINK_NEAR_0));
      const m = k.expm1Mid(k.mul(k.c(-2), a));
      return k.copySign(
        k.select(
          k.lt(a, k.c(0.35)),
          series,
          k.add(a, k.div(m, k.add(k.c(2), m))),
        ),
        x,
      );
    },
  },
  gelu: {
    forward: (k, x) => k.mul(x, k.normalCdf(x)),
    // Φ + xφ with φ = g/√(2π) from Φ's own exponential, then the
    // definition's accurate window around the root.
    derivative: (k, x) => {
      const { cdf, g } = k.normalParts(x);
      const d = k.let(k.madd(k.mul(x, g), k.c(INV_SQRT_2PI), cdf));
      return geluSlopeNearRoot(k, x, d);
    },
  },
};

const INV_SQRT_2PI = 0.3989422804014327;

/**
 * (x − tanh x)/x³ as a polynomial in x² on |x| < 0.35: 1/3, then the
 * rest, ((x − tanh x)/x³ − 1/3)/x², interpolated at the Chebyshev nodes of
 * [0, 0.35²] (relative error 2⁻³⁵·², and near 0 within float64 rounding).
 */
const TANHSHRINK_NEAR_0 = [
  1 / 3,
  -0.13333333326389565,
  0.053968225598197896,
  -0.021867626137696373,
  0.008820174430918397,
  -0.0031799817117260203,
];

/** The families with loops on float32 lanes (the rest: float64 lanes). */
const withFloat32: { readonly [N in KernelName]?: KernelDef } = {
  relu: family(definitions.relu, { float32: relu }),
  relu6: family(definitions.relu6, { float32: relu6 }),
  hardTanh: family(definitions.hardTanh, {
    float32: hardTanh,
    float32Params: hardTanhParams,
    float32When: { forward: hardTanhClamp },
  }),
  leakyRelu: family(definitions.leakyRelu, {
    float32: leakyRelu,
    // α rounded for the derivative and the forward, as given for the VJP.
    float32Params: (k, p) => ({
      alpha: round32(k, p.alpha!),
      alpha64: p.alpha!,
    }),
    widened: ["forward", "vjp"],
    float32When: { forward: leakyReluForward },
  }),
  hardSigmoid: family(definitions.hardSigmoid, {
    float32: hardSigmoid,
    widened: ["forward", "vjp"],
  }),
  hardSwish: family(definitions.hardSwish, {
    float32: hardSwish,
    widened: ["forward", "derivative"],
  }),
  hardshrink: family(definitions.hardshrink, {
    float32: hardshrink,
    float32Params: shrinkParams,
  }),
  softshrink: family(definitions.softshrink, {
    float32: shrinkSlopes,
    float32Params: shrinkParams,
    float32When: { forward: softshrinkForward },
  }),
  threshold: family(definitions.threshold, {
    float32: threshold,
    float32Params: thresholdParams,
  }),
};

/**
 * Every kernel, by kernel name: the family with float32 loops where there
 * is one, else the definition on float64 lanes. Names whose definition is
 * another's (prelu: leakyRelu's) get that kernel itself, so the module
 * builds it once.
 */
export const kernelDefs: { readonly [N in KernelName]: KernelDef } = (() => {
  const built = new Map<Definition, KernelDef>();
  const table = {} as Record<KernelName, KernelDef>;
  for (const name of Object.keys(definitions) as KernelName[]) {
    const def = definitions[name];
    let kernel = built.get(def);
    if (kernel === undefined) {
      kernel = withFloat32[name] ?? float64(def, tunedLoops[name]);
      built.set(def, kernel);
    }
    table[name] = kernel;
  }
  return Object.freeze(table);
})();

/**
 * The kernels the module builds, each once, under the first name that has
 * it (leakyRelu's serves prelu).
 */
export const kernelFamilies: readonly (readonly [KernelName, KernelDef])[] =
  (() => {
    const seen = new Set<KernelDef>();
    const out: (readonly [KernelName, KernelDef])[] = [];
    for (const name of Object.keys(kernelDefs) as KernelName[]) {
      const def = kernelDefs[name];
      if (!seen.has(def)) out.push([name, def]);
      seen.add(def);
    }
    return Object.freeze(out);
  })();
