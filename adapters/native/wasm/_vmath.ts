/**
 * Vectorised float64 math on f64x2 lanes, emitted as WebAssembly SIMD: the
 * exponential (two accuracies), expm1, log1p, tanh and erfc that the kernels
 * build on, and the kernel context {@linkcode K} that holds the constant pool
 * and the arithmetic shorthands.
 *
 * Error budgets (relative, before the one rounding to float32 that costs at
 * most half a float32 ulp): a float32 result is within 1 ULP of the float64
 * reference rounded to float32 whenever the float64 value is within one
 * float32 ulp of the exact one, i.e. a relative error below 2⁻²⁴. Two
 * accuracies serve that:
 * - `fast`: e^r − 1 on |r| ≤ ln2/2 from r times a degree-5 minimax
 *   polynomial (relative error 2⁻²⁶·⁵ for e^x − 1, 2⁻²⁷·⁸ for eˣ, as
 *   `vmath_test.ts` measures), used where the op's formula amplifies
 *   relative errors at most about twofold;
 * - `accurate`: a degree-13 Taylor polynomial with a two-part ln 2 (error
 *   about 2⁻⁵²), used where a formula cancels, e.g. the derivatives of the
 *   non-monotone ops near their roots, where the float64 terms must be good
 *   to a few float64 ulps, as in the JavaScript kernels.
 *
 * The math is written once, in {@linkcode VectorMath}, over the primitive
 * operations of a lane type, and runs on two: {@linkcode K}, one f64x2
 * vector, and {@linkcode KGroup}, several f64x2 vectors computed side by
 * side. The group is the speed: a transcendental is a long chain of
 * dependent operations (gelu's erfc: a division, a degree-12 polynomial, an
 * exponential), and a processor overlaps only the chains it finds within a
 * few hundred instructions; emitting four independent chains interleaved,
 * operation by operation, keeps its units busy where one chain would leave
 * them waiting (gelu forward about 1.5× faster on this project's machine).
 *
 * @module
 */

// fdlibm s_erf.c coefficients, the ones @nonlin/core's erf uses.
import { fdlibmErfCoefficients as E } from "@nonlin/core";
import {
  type Expr,
  F32x4,
  F64x2,
  type Fn,
  i32,
  I64x2,
  type Local,
  relaxedLaneselect64,
  V128,
} from "./_asm.ts";
import type { Accuracy, Lanes, Logistic, LogisticAbs } from "../_lanes.ts";

/** A v128 expression. */
export type V = Expr<"v128">;

/** Where the constant pool starts in the linear memory. */
export const POOL_BASE = 1024;
/** The pool's capacity in bytes. */
export const POOL_BYTES = 15 * 1024;

/**
 * The constants the kernels load, 16 bytes each (an f64 splatted to both
 * lanes, or four i32 lanes). Loading a constant from memory costs V8 one
 * instruction; materialising a v128 immediate costs it several.
 */
export class ConstPool {
  readonly #keys = new Map<string, number>();
  readonly #data = new Uint8Array(POOL_BYTES);
  #count = 0;

  #address(key: string, bytes: Uint8Array): number {
    let i = this.#keys.get(key);
    if (i === undefined) {
      i = this.#count++;
      if (16 * this.#count > POOL_BYTES) {
        throw new RangeError(`Constant pool full: ${this.#count} entries`);
      }
      this.#data.set(bytes, 16 * i);
      this.#keys.set(key, i);
    }
    return POOL_BASE + 16 * i;
  }

  /** The address of `value` in both f64 lanes. */
  f64(value: number): number {
    const b = new Float64Array([value, value]);
    return this.#address(`d${Object.is(value, -0) ? "-0" : value}`, u8(b));
  }

  /** The address of `value` in all four i32 lanes. */
  i32(value: number): number {
    const b = new Int32Array([value, value, value, value]);
    return this.#address(`i${value | 0}`, u8(b));
  }

  /** The pool's bytes, to be written at {@linkcode POOL_BASE}. */
  bytes(): Uint8Array {
    return this.#data.slice(0, 16 * this.#count);
  }
}

function u8(a: Float64Array | Int32Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

const LOG2E = 1.4426950408889634;
/** 1.5·2⁵² + 1023: adding it rounds to an integer k and leaves k + 1023 in the low bits. */
const SHIFT = 6755399441056767;
const LN2 = 0.6931471805599453;
/** ln 2 in two parts; LN2_HI has 32 trailing zero bits, so k·LN2_HI is exact. */
const LN2_HI = 6.93147180369123816490e-01;
const LN2_LO = 1.90821492927058770002e-10;
/** Below this, eˣ is under 2⁻¹⁰²¹: every use rounds it to 0 in float32. */
const EXP_MIN = -708;

/**
 * (e^r − 1)/r on |r| ≤ ln2/2: degree-5 minimax for relative error (fitted
 * by Remez exchange against the Taylor series; 2⁻²⁶·⁵).
 */
const FAST_P = [
  1.0000000106597766,
  0.49999998119177042,
  0.16666505898981243,
  0.041667137145236594,
  0.0083691042944866040,
  0.0013888872972383243,
];

/**
 * (e^r − 1)/r on |r| ≤ ln2/2: degree 7, interpolated at the Chebyshev
 * nodes (relative error 2⁻³⁷·⁵), between `fast` and `accurate`, for
 * {@linkcode VectorMath.expm1Mid}.
 */
const MID_P = [
  0.999999999995509,
  0.4999999999995511,
  0.16666666786308587,
  0.04166666678626573,
  0.008333283538708528,
  0.0013888839110572009,
  0.00019907569310848288,
  2.4867870179687727e-05,
];

/** (e^r − 1)/r = Σ r^k/(k + 1)!, k ≤ 12: the next term is below 2⁻⁵⁶ of the sum. */
const ACCURATE_P = Array.from({ length: 13 }, (_, k) => {
  let f = 1;
  for (let j = 2; j <= k + 1; j++) f *= j;
  return 1 / f;
});

export type { Accuracy, Logistic, LogisticAbs };

/**
 * The math of this module over a lane type `T`: the primitive operations are
 * the lane type's ({@linkcode K}: one f64x2 vector; {@linkcode KGroup}:
 * several side by side), the transcendentals are written once here on top
 * of them. It is the WebAssembly SIMD target of the lane algebra
 * ({@linkcode Lanes}): two float64 lanes per vector, masks from the f64x2
 * comparisons.
 */
export abstract class VectorMath<T> implements Lanes<T> {
  /** A float64 constant in every lane. */
  abstract c(value: number): T;
  /** Binds `e` to new locals. */
  abstract let(e: T): T;
  /** Assigns `e` to locals made by `let`. */
  abstract set(variable: T, e: T): void;
  /** Runs `body` for the vectors where any lane of `mask` holds. */
  abstract when(mask: T, body: () => void): void;
  abstract add(a: T, b: T): T;
  abstract sub(a: T, b: T): T;
  abstract mul(a: T, b: T): T;
  abstract div(a: T, b: T): T;
  /** a·b + c. */
  abstract madd(a: T, b: T, c: T): T;
  /** `mask ? a : b`, lane by lane. */
  abstract select(mask: T, a: T, b: T): T;
  /** `mask ? a : 0`. */
  abstract keep(mask: T, a: T): T;
  /** −|a|: the sign bit set. */
  abstract negAbs(a: T): T;
  abstract abs(a: T): T;
  abstract sqrt(a: T): T;
  abstract neg(a: T): T;
  /** |a| with the sign of `s`. */
  abstract copySign(a: T, s: T): T;
  /** max(a, b) for a that may be NaN (kept), b a constant. */
  abstract max(a: T, b: T): T;
  /** min(a, b) for a that may be NaN (kept), b a constant. */
  abstract min(a: T, b: T): T;
  abstract gt(a: T, b: T): T;
  abstract ge(a: T, b: T): T;
  abstract lt(a: T, b: T): T;
  abstract le(a: T, b: T): T;
  abstract eq(a: T, b: T): T;
  abstract ne(a: T, b: T): T;
  /** Both masks. */
  abstract and(a: T, b: T): T;
  /** 2ᵏ from kd = k + SHIFT as f64 bits (k + 1023 in the low bits). */
  abstract pow2(kd: T): T;
  /** Each lane rounded to the nearest float32, exactly as `Math.fround`. */
  abstract roundToF32(a: T): T;
  /**
   * a/b for finite b in [1, 2¹²⁸) and finite a: a group shares one
   * division between the two halves of each float32 vector (see
   * {@linkcode KGroup.divPairs}); one vector divides.
   */
  abstract divPairs(a: T, b: T): T;
  /**
   * 1/b² for finite b in [1, 2¹²⁸): a group shares one division between
   * the two halves of each float32 vector (see
   * {@linkcode KGroup.recipSquarePairs}); one vector divides 1 by b·b.
   */
  abstract recipSquarePairs(b: T): T;

  /** Horner: Σ coeffs[k]·xᵏ (`x` from `let`). */
  poly(x: T, coeffs: readonly number[]): T {
    let p: T = this.c(coeffs[coeffs.length - 1]!);
    for (let k = coeffs.length - 2; k >= 0; k--) {
      p = this.madd(p, x, this.c(coeffs[k]!));
    }
    return p;
  }

  /**
   * Σ coeffs[k]·xᵏ (`x` from `let`) by Estrin's scheme: pairs
   * c₂ᵢ + c₂ᵢ₊₁x combined with x², x⁴, …, a chain of about log₂ n
   * multiply–adds instead of Horner's n, for a few more operations and a
   * little more rounding (used where the polynomial's own error is far
   * below the budget: erfcFast's).
   */
  estrin(x: T, coeffs: readonly number[]): T {
    let terms: T[] = [];
    for (let k = 0; k < coeffs.length; k += 2) {
      terms.push(
        k + 1 < coeffs.length
          ? this.madd(this.c(coeffs[k + 1]!), x, this.c(coeffs[k]!))
          : this.c(coeffs[k]!),
      );
    }
    let power = x;
    while (terms.length > 1) {
      const square = this.let(this.mul(power, power));
      const next: T[] = [];
      for (let k = 0; k < terms.length; k += 2) {
        next.push(
          k + 1 < terms.length
            ? this.madd(terms[k + 1]!, square, terms[k]!)
            : terms[k]!,
        );
      }
      terms = next.length > 1 ? next.map((t) => this.let(t)) : next;
      power = square;
    }
    return terms[0]!;
  }

  // ----------------------------------------------------------- exponential

  /**
   * e^t as 2ᵏ·(1 + q) with q = e^r − 1, |r| ≤ ln2/2: the parts from which
   * eᵗ and eᵗ − 1 are both formed accurately. t is taken within
   * [−708, 0] (or [−708, 708] when `upTo708`): below, eᵗ rounds to 0 in
   * float32 wherever it is used; above, only 1/(1 + eᵗ) is formed, which
   * is then as small.
   */
  expParts(
    t: T,
    accuracy: Accuracy,
    upTo708 = false,
    coeffs?: readonly number[],
  ): { scale: T; q: T } {
    const low = this.max(t, this.c(EXP_MIN));
    const tc = this.let(upTo708 ? this.min(low, this.c(-EXP_MIN)) : low);
    const kd = this.let(this.madd(tc, this.c(LOG2E), this.c(SHIFT)));
    const k = this.let(this.sub(kd, this.c(SHIFT)));
    const r = this.let(
      accuracy === "fast"
        ? this.madd(k, this.c(-LN2), tc)
        : this.madd(k, this.c(-LN2_LO), this.madd(k, this.c(-LN2_HI), tc)),
    );
    const p = coeffs ?? (accuracy === "fast" ? FAST_P : ACCURATE_P);
    const q = this.let(this.mul(r, this.poly(r, p)));
    const scale = this.let(this.pow2(kd));
    return { scale, q };
  }

  /** eᵗ for t ≤ 0. */
  exp(t: T, accuracy: Accuracy): T {
    const { scale, q } = this.expParts(t, accuracy);
    return this.let(this.madd(scale, q, scale));
  }

  /** eᵗ and eᵗ − 1 for t ≤ 0, each with a small relative error. */
  expAndExpm1(
    t: T,
    accuracy: Accuracy,
  ): { e: T; m: T } {
    const { scale, q } = this.expParts(t, accuracy);
    return {
      e: this.let(this.madd(scale, q, scale)),
      m: this.let(this.madd(scale, q, this.sub(scale, this.c(1)))),
    };
  }

  /** eᵗ − 1 for t ≤ 0. */
  expm1(t: T, accuracy: Accuracy): T {
    return this.expAndExpm1(t, accuracy).m;
  }

  /**
   * The logistic function of z from one exponential E = e^−z (its argument
   * held within ±708): σ(z) = 1/(1 + E), σ(−z) = E·σ(z) and
   * s = σ(z)σ(−z), all without overflow or 1 − σ cancellation; a relative
   * error δ of E moves each by at most δ.
   */
  /**
   * σ(z)σ(−z) = E/(1 + E)² for finite z from E = e^−|z| ≤ 1: the product
   * is even in z, so one clamp (the exponential's at −708) and one division
   * serve, and nothing overflows. A relative error δ of E moves it by at
   * most 3δ.
   */
  logisticSlope(z: T, accuracy: Accuracy): T {
    const e = this.exp(this.negAbs(z), accuracy);
    const d = this.let(this.add(this.c(1), e));
    return this.div(e, this.mul(d, d));
  }

  logistic(z: T, accuracy: Accuracy): Logistic<T> {
    const { scale, q } = this.expParts(this.neg(z), accuracy, true);
    const e = this.let(this.madd(scale, q, scale));
    const sigmoid = this.let(this.div(this.c(1), this.add(this.c(1), e)));
    const sigmoidNeg = this.let(this.mul(e, sigmoid));
    return { sigmoid, sigmoidNeg, s: this.let(this.mul(sigmoidNeg, sigmoid)) };
  }

  /**
   * The logistic parts with e = e^−|z| < 1 as well, for formulas that also
   * need log(1 + e^−|z|): q = 1/(1 + e), σ(z) = z ≥ 0 ? q : e·q.
   */
  logisticAbs(z: T, accuracy: Accuracy): LogisticAbs<T> {
    const zl = this.let(z);
    const e = this.exp(this.negAbs(zl), accuracy);
    const q = this.let(this.div(this.c(1), this.add(this.c(1), e)));
    const eq = this.let(this.mul(e, q));
    const pos = this.let(this.ge(zl, this.c(0)));
    return {
      e,
      sigmoid: this.let(this.select(pos, q, eq)),
      sigmoidNeg: this.let(this.select(pos, eq, q)),
      s: this.let(this.mul(eq, q)),
    };
  }

  /**
   * tanh y from m = expm1(−2|y|): tanh|y| = −m/(2 + m), with y's sign (so
   * tanh(−0) = −0).
   */
  tanh(y: T, accuracy: Accuracy): T {
    const yl = this.let(y);
    const m = this.expm1(this.mul(this.c(-2), this.abs(yl)), accuracy);
    return this.let(
      this.copySign(this.div(this.neg(m), this.add(this.c(2), m)), yl),
    );
  }

  /**
   * eᵗ − 1 for t ≤ 0 with e^r − 1 from a degree-7 fit (2⁻³⁷·⁵): for
   * tanhshrink's |x| − tanh|x| at |x| ≥ 0.35 (tanh|x| = −m/(2 + m),
   * m = e^−2|x| − 1), which magnifies tanh's error at most 50-fold (the
   * `accurate` exponential costs six more multiply–adds than it needs
   * there).
   */
  expm1Mid(t: T): T {
    const { scale, q } = this.expParts(t, "fast", false, MID_P);
    return this.let(this.madd(scale, q, this.sub(scale, this.c(1))));
  }

  // ----------------------------------------------------------- logarithm

  /**
   * log(1 + u) for 0 ≤ u ≤ 1 (u = e^−|z|): 2·atanh(s) with s = u/(2 + u),
   * or, above √2 − 1, ln 2 + 2·atanh(s) with s = (u − 1)/(u + 3), so
   * |s| ≤ 0.1716 and the series in s² converges fast. No 1 + u is formed,
   * so a tiny u keeps its digits.
   */
  log1p(u: T): T {
    const ul = this.let(u);
    const upper = this.let(this.gt(ul, this.c(Math.SQRT2 - 1)));
    const num = this.select(upper, this.sub(ul, this.c(1)), ul);
    const den = this.select(
      upper,
      this.add(ul, this.c(3)),
      this.add(ul, this.c(2)),
    );
    const s = this.let(this.div(num, den));
    const w = this.let(this.mul(s, s));
    // 2·atanh(s) = 2s + 2s³(1/3 + w/5 + w²/7 + w³/9 + w⁴/11): the next
    // term is below 2⁻³⁴ of the sum.
    const series = this.poly(w, [1 / 3, 1 / 5, 1 / 7, 1 / 9, 1 / 11]);
    const s2 = this.let(this.add(s, s));
    const atanh2 = this.madd(this.mul(s2, w), series, s2);
    return this.let(this.add(this.keep(upper, this.c(LN2)), atanh2));
  }

  // --------------------------------------------------------- error function

  /**
   * erfc(w) for finite w, to a few float64 ulps: fdlibm's `s_erf.c` method
   * (see `@nonlin/core`'s erf.ts) with its three regions computed on every
   * lane and selected.
   */
  erfc(w: T): T {
    const wl = this.let(w);
    const a = this.let(this.abs(wl));
    // Region 1, |w| < 0.84375: y = (erf(w) − w)/w = P(w²)/Q(w²).
    const z = this.let(this.mul(wl, wl));
    const y = this.let(
      this.div(
        this.poly(z, [E.PP0, E.PP1, E.PP2, E.PP3, E.PP4]),
        this.poly(z, [1, E.QQ1, E.QQ2, E.QQ3, E.QQ4, E.QQ5]),
      ),
    );
    const wy = this.let(this.mul(wl, y));
    const small = this.select(
      this.lt(wl, this.c(0.25)),
      this.sub(this.c(1), this.add(wl, wy)),
      this.sub(this.c(0.5), this.add(wy, this.sub(wl, this.c(0.5)))),
    );
    // Region 2, 0.84375 ≤ |w| < 1.25: erf(|w|) = ERX + P₁(s)/Q₁(s), s = |w| − 1.
    const s = this.let(this.sub(a, this.c(1)));
    const e1 = this.let(
      this.div(
        this.poly(s, [E.PA0, E.PA1, E.PA2, E.PA3, E.PA4, E.PA5, E.PA6]),
        this.poly(s, [1, E.QA1, E.QA2, E.QA3, E.QA4, E.QA5, E.QA6]),
      ),
    );
    const wPos = this.let(this.gt(wl, this.c(0)));
    const nearOne = this.select(
      wPos,
      this.sub(this.c(1 - E.ERX), e1),
      this.add(this.c(1), this.add(this.c(E.ERX), e1)),
    );
    // Region 3, |w| ≥ 1.25: erfc(|w|) = exp(−h² − 0.5625)·exp((h − a)(h + a) + R/S)/a
    // with h = a rounded to float32 (so h² + 0.5625 is exact), a capped at 28.
    const at = this.let(this.min(this.max(a, this.c(1.25)), this.c(28)));
    const inv = this.let(this.div(this.c(1), this.mul(at, at)));
    const lowTail = this.let(this.lt(at, this.c(1 / 0.35)));
    const ra = this.poly(inv, [
      E.RA0,
      E.RA1,
      E.RA2,
      E.RA3,
      E.RA4,
      E.RA5,
      E.RA6,
      E.RA7,
    ]);
    const sa = this.poly(inv, [
      1,
      E.SA1,
      E.SA2,
      E.SA3,
      E.SA4,
      E.SA5,
      E.SA6,
      E.SA7,
      E.SA8,
    ]);
    const rb = this.poly(inv, [
      E.RB0,
      E.RB1,
      E.RB2,
      E.RB3,
      E.RB4,
      E.RB5,
      E.RB6,
    ]);
    const sb = this.poly(inv, [
      1,
      E.SB1,
      E.SB2,
      E.SB3,
      E.SB4,
      E.SB5,
      E.SB6,
      E.SB7,
    ]);
    const ratio = this.div(
      this.select(lowTail, ra, rb),
      this.select(lowTail, sa, sb),
    );
    const h = this.let(this.roundToF32(at));
    const big = this.exp(
      this.sub(this.neg(this.mul(h, h)), this.c(0.5625)),
      "accurate",
    );
    const rest = this.exp(
      this.madd(this.sub(h, at), this.add(h, at), ratio),
      "accurate",
    );
    const tail = this.let(this.div(this.mul(big, rest), at));
    const far = this.select(wPos, tail, this.sub(this.c(2), tail));
    const inSmall = this.lt(a, this.c(0.84375));
    const inNear = this.lt(a, this.c(1.25));
    return this.let(
      this.select(inSmall, small, this.select(inNear, nearOne, far)),
    );
  }

  /**
   * erfc(w) for 0.25 ≤ w < 0.84375 to a few float64 ulps: fdlibm's first
   * region alone, 0.5 − (w·y + (w − 0.5)) with y = P(w²)/Q(w²).
   */
  erfcNearHalf(w: T): T {
    const wl = this.let(w);
    const z = this.let(this.mul(wl, wl));
    const y = this.div(
      this.poly(z, [E.PP0, E.PP1, E.PP2, E.PP3, E.PP4]),
      this.poly(z, [1, E.QQ1, E.QQ2, E.QQ3, E.QQ4, E.QQ5]),
    );
    return this.let(
      this.sub(this.c(0.5), this.madd(wl, y, this.sub(wl, this.c(0.5)))),
    );
  }

  /**
   * erfc(w) for finite w to about 2⁻²⁷ (relative), for float32 results:
   * erfc(a) = t·exp(−a² + P(t)) with t = 1/(1 + a/2), a = |w|, P a degree-12
   * polynomial fitted at Chebyshev nodes on a ≤ 11 (error 2⁻³¹·⁸); from
   * a = 11 on, erfc(a) < 2⁻¹⁷⁸ is taken as 0 (times any float32 it rounds
   * to 0); erfc(w) = 2 − erfc(|w|) below 0.
   */
  erfcFast(w: T): T {
    const wl = this.let(w);
    const abs = this.let(this.abs(wl));
    const a = this.let(this.min(abs, this.c(11)));
    const t = this.let(
      this.div(this.c(1), this.madd(a, this.c(0.5), this.c(1))),
    );
    const u = this.let(this.madd(t, this.c(26 / 11), this.c(-15 / 11)));
    const p = this.estrin(u, ERFC_FAST);
    const e = this.exp(this.madd(this.neg(a), a, p), "fast");
    const tail = this.let(this.keep(this.lt(abs, this.c(11)), this.mul(t, e)));
    return this.let(
      this.select(this.ge(wl, this.c(0)), tail, this.sub(this.c(2), tail)),
    );
  }

  /**
   * Φ(x) = erfc(−x/√2)/2 and g = e^(−x²/2) for finite x, each to about 2⁻²⁷
   * (relative), for gelu's loops (gelu′ = Φ + xg/√(2π) shares g). With
   * a = |x|/√2, t = 1/(1 + a/2) and h = t/2 = 1/(2 + |x|/√2), the upper
   * tail is Q = h·R(u)·g, u = (52h − 15)/11, R(u) = erfc(a)e^(a²)/t fitted
   * as a polynomial; Φ = x ≤ 0 ? Q : 1 − Q. x²/2 is exact for float32 x.
   * No cap: R extrapolates to within 10⁻⁵ (relative) out to a = 10⁶
   * (u → −15/11), and g's clamp at e^−708 takes over below x ≈ −37.6,
   * where Q times any float32 rounds to 0. R by Horner: a loop step
   * computes four vectors side by side, so its longer chain is hidden and
   * its fewer operations count (gelu forward 0.92–0.96× the time of
   * Estrin's scheme here, the same float32 results on 2²⁰ inputs).
   */
  normalParts(x: T): { cdf: T; g: T } {
    const xl = this.let(x);
    const h = this.let(
      this.div(
        this.c(1),
        this.madd(this.abs(xl), this.c(Math.SQRT1_2), this.c(2)),
      ),
    );
    const u = this.let(this.madd(h, this.c(52 / 11), this.c(-15 / 11)));
    const r = this.poly(u, NORMAL_TAIL);
    const g = this.exp(this.mul(this.mul(xl, this.c(-0.5)), xl), "fast");
    const tail = this.let(this.mul(this.mul(h, r), g));
    const cdf = this.let(
      this.select(this.le(xl, this.c(0)), tail, this.sub(this.c(1), tail)),
    );
    return { cdf, g };
  }

  /** Φ(x) to about 2⁻²⁷ (relative): {@linkcode VectorMath.normalParts}. */
  normalCdf(x: T): T {
    return this.normalParts(x).cdf;
  }
}

/**
 * The kernel context of one f64x2 vector: one function being built, its
 * constant pool and the f64x2 arithmetic, written as methods so the
 * formulas read as math.
 */
export class K extends VectorMath<V> {
  readonly f: Fn;
  readonly pool: ConstPool;
  /** Whether a·b + c may use relaxed SIMD's fused multiply–add. */
  readonly fma: boolean;

  constructor(f: Fn, pool: ConstPool, fma: boolean) {
    super();
    this.f = f;
    this.pool = pool;
    this.fma = fma;
  }

  /** An f64 constant in both lanes. */
  c(value: number): V {
    return V128.load(i32(this.pool.f64(value)));
  }

  /** An i32 constant in all four lanes. */
  ci(value: number): V {
    return V128.load(i32(this.pool.i32(value)));
  }

  /** Binds `e` to a new local. */
  let(e: V): Local<"v128"> {
    return this.f.let(e);
  }
  /** Assigns `e` to a local made by `let`. */
  set(variable: V, e: V): void {
    this.f.set(variable as Local<"v128">, e);
  }
  /** Runs `body` for the vectors where any lane of `mask` holds. */
  when(mask: V, body: () => void): void {
    this.f.when(V128.anyTrue(mask), body);
  }

  add(a: V, b: V): V {
    return F64x2.add(a, b);
  }
  sub(a: V, b: V): V {
    return F64x2.sub(a, b);
  }
  mul(a: V, b: V): V {
    return F64x2.mul(a, b);
  }
  div(a: V, b: V): V {
    return F64x2.div(a, b);
  }
  /** a·b + c. */
  madd(a: V, b: V, c: V): V {
    return this.fma
      ? F64x2.relaxedMadd(a, b, c)
      : F64x2.add(F64x2.mul(a, b), c);
  }
  /**
   * `mask ? a : b`, lane by lane, for a mask from an f64x2 comparison (all
   * ones or all zeros per lane, where relaxed SIMD's lane select is exact).
   */
  select(mask: V, a: V, b: V): V {
    return this.fma
      ? relaxedLaneselect64(a, b, mask)
      : V128.bitselect(a, b, mask);
  }
  /** `mask ? a : 0`. */
  keep(mask: V, a: V): V {
    return V128.and(a, mask);
  }
  /** −|a|: the sign bit set. */
  negAbs(a: V): V {
    return V128.or(a, this.c(-0));
  }
  abs(a: V): V {
    return F64x2.abs(a);
  }
  sqrt(a: V): V {
    return F64x2.sqrt(a);
  }
  neg(a: V): V {
    return F64x2.neg(a);
  }
  /** |a| with the sign of `s`. */
  copySign(a: V, s: V): V {
    const sign = this.c(-0);
    return V128.or(V128.andnot(a, sign), V128.and(s, sign));
  }
  /** max(a, b) for a that may be NaN (kept), b a constant. */
  max(a: V, b: V): V {
    return F64x2.pmax(a, b);
  }
  /** min(a, b) for a that may be NaN (kept), b a constant. */
  min(a: V, b: V): V {
    return F64x2.pmin(a, b);
  }
  gt(a: V, b: V): V {
    return F64x2.gt(a, b);
  }
  ge(a: V, b: V): V {
    return F64x2.ge(a, b);
  }
  lt(a: V, b: V): V {
    return F64x2.lt(a, b);
  }
  le(a: V, b: V): V {
    return F64x2.le(a, b);
  }
  eq(a: V, b: V): V {
    return F64x2.eq(a, b);
  }
  ne(a: V, b: V): V {
    return F64x2.ne(a, b);
  }
  /** Both masks (either lane kind). */
  and(a: V, b: V): V {
    return V128.and(a, b);
  }
  pow2(kd: V): V {
    return I64x2.shl(kd, i32(52));
  }
  roundToF32(a: V): V {
    // demote then promote: lanes 0–1 of the demoted vector are the two values.
    return F64x2.promoteLowF32x4(F32x4.demoteF64x2Zero(a));
  }
  divPairs(a: V, b: V): V {
    return F64x2.div(a, b);
  }
  recipSquarePairs(b: V): V {
    return F64x2.div(this.c(1), F64x2.mul(b, b));
  }
}

/** Several f64x2 vectors, one per member, computed side by side. */
export type Group = readonly V[];

/**
 * The kernel context of a group of f64x2 vectors (two halves of each f32x4
 * vector of a loop step, say): every operation is emitted once per member,
 * member after member, so that the members' independent chains of
 * dependent operations sit next to each other in the code (see the module
 * doc). A group of one is {@linkcode K} with one more array per value.
 */
export class KGroup extends VectorMath<Group> {
  /** The one-vector context every operation is emitted through. */
  readonly k: K;
  /** How many vectors the group holds. */
  readonly width: number;

  constructor(k: K, width: number) {
    super();
    this.k = k;
    this.width = width;
  }

  /** Inside `when`: the one member the code being emitted is for. */
  #only: number | undefined;

  #map(f: (i: number) => V): Group {
    const out: V[] = [];
    for (let i = 0; i < this.width; i++) {
      // Outside the member being corrected, a hole: emitting it would throw.
      out.push(
        this.#only === undefined || this.#only === i
          ? f(i)
          : undefined as unknown as V,
      );
    }
    return out;
  }

  /** The same value in every member (a parameter, say). */
  splat(v: V): Group {
    return this.#map(() => v);
  }

  c(value: number): Group {
    return this.#map(() => this.k.c(value));
  }
  let(e: Group): Group {
    return this.#map((i) => this.k.let(e[i]!));
  }
  set(variable: Group, e: Group): void {
    for (let i = 0; i < this.width; i++) {
      if (this.#only === undefined || this.#only === i) {
        this.k.set(variable[i]!, e[i]!);
      }
    }
  }
  /**
   * Runs `body` for each member where any lane of its mask holds: the body
   * is emitted once per member and computes that member alone, so a costly
   * correction runs as often as on one vector (not whenever any of the
   * group's lanes needs it).
   */
  when(mask: Group, body: () => void): void {
    if (this.#only !== undefined) {
      throw new TypeError("Nested when is not supported in a group");
    }
    try {
      for (let i = 0; i < this.width; i++) {
        this.#only = i;
        this.k.f.when(V128.anyTrue(mask[i]!), body);
      }
    } finally {
      this.#only = undefined;
    }
  }
  add(a: Group, b: Group): Group {
    return this.#map((i) => this.k.add(a[i]!, b[i]!));
  }
  sub(a: Group, b: Group): Group {
    return this.#map((i) => this.k.sub(a[i]!, b[i]!));
  }
  mul(a: Group, b: Group): Group {
    return this.#map((i) => this.k.mul(a[i]!, b[i]!));
  }
  div(a: Group, b: Group): Group {
    return this.#map((i) => this.k.div(a[i]!, b[i]!));
  }
  madd(a: Group, b: Group, c: Group): Group {
    return this.#map((i) => this.k.madd(a[i]!, b[i]!, c[i]!));
  }
  select(mask: Group, a: Group, b: Group): Group {
    return this.#map((i) => this.k.select(mask[i]!, a[i]!, b[i]!));
  }
  keep(mask: Group, a: Group): Group {
    return this.#map((i) => this.k.keep(mask[i]!, a[i]!));
  }
  negAbs(a: Group): Group {
    return this.#map((i) => this.k.negAbs(a[i]!));
  }
  abs(a: Group): Group {
    return this.#map((i) => this.k.abs(a[i]!));
  }
  sqrt(a: Group): Group {
    return this.#map((i) => this.k.sqrt(a[i]!));
  }
  neg(a: Group): Group {
    return this.#map((i) => this.k.neg(a[i]!));
  }
  copySign(a: Group, s: Group): Group {
    return this.#map((i) => this.k.copySign(a[i]!, s[i]!));
  }
  max(a: Group, b: Group): Group {
    return this.#map((i) => this.k.max(a[i]!, b[i]!));
  }
  min(a: Group, b: Group): Group {
    return this.#map((i) => this.k.min(a[i]!, b[i]!));
  }
  gt(a: Group, b: Group): Group {
    return this.#map((i) => this.k.gt(a[i]!, b[i]!));
  }
  ge(a: Group, b: Group): Group {
    return this.#map((i) => this.k.ge(a[i]!, b[i]!));
  }
  lt(a: Group, b: Group): Group {
    return this.#map((i) => this.k.lt(a[i]!, b[i]!));
  }
  le(a: Group, b: Group): Group {
    return this.#map((i) => this.k.le(a[i]!, b[i]!));
  }
  eq(a: Group, b: Group): Group {
    return this.#map((i) => this.k.eq(a[i]!, b[i]!));
  }
  ne(a: Group, b: Group): Group {
    return this.#map((i) => this.k.ne(a[i]!, b[i]!));
  }
  and(a: Group, b: Group): Group {
    return this.#map((i) => this.k.and(a[i]!, b[i]!));
  }
  pow2(kd: Group): Group {
    return this.#map((i) => this.k.pow2(kd[i]!));
  }
  roundToF32(a: Group): Group {
    return this.#map((i) => this.k.roundToF32(a[i]!));
  }
  /**
   * a/b with one division for each pair of members (the two halves of a
   * float32 vector, so lanes j and j + 2 of it): with r = 1/(b₀b₁), a₀/b₀ = a₀·b₁·r and a₁/b₁ =
   * a₁·b₀·r, four float64 roundings (the product, the reciprocal, the two
   * products: a relative error below 4.01·2⁻⁵³, fused or not, as nothing
   * here is a multiply–add), none of which overflows or underflows for a
   * finite float32 a and b in [1, 2¹²⁸) (|a·b| < 2²⁵⁶, b₀b₁ < 2²⁵⁶). A
   * lane with a non-finite b would spoil its partner's quotient (∞·0), so
   * every lane must be finite: a loop that delegates non-finite inputs
   * zeroes them before its body (`_module.ts`).
   */
  divPairs(a: Group, b: Group): Group {
    if (this.#only !== undefined || this.width % 2 !== 0) {
      throw new TypeError("divPairs needs whole pairs of members");
    }
    const k = this.k;
    const out: V[] = [];
    for (let i = 0; i < this.width; i += 2) {
      const b0 = k.let(b[i]!);
      const b1 = k.let(b[i + 1]!);
      const r = k.let(F64x2.div(k.c(1), F64x2.mul(b0, b1)));
      out.push(F64x2.mul(F64x2.mul(a[i]!, b1), r));
      out.push(F64x2.mul(F64x2.mul(a[i + 1]!, b0), r));
    }
    return out;
  }
  /**
   * 1/b² with one division for each pair of members (lanes j and j + 2 of
   * a float32 vector): with B = b² rounded and r = 1/(B₀B₁), 1/b₀² = B₁·r
   * and 1/b₁² = B₀·r. B₁ is the same rounded value in the numerator and
   * the denominator, so 1/b₀² comes out as 1/b₀² · (1 + e)(1 + f) /
   * ((1 + β)(1 + c)) — four float64 roundings (B₀, the product, the
   * reciprocal, the last product), a relative error below 4.01·2⁻⁵³, fused
   * or not (nothing here is a multiply–add). For b in [1, 2¹²⁸): B < 2²⁵⁶,
   * B₀B₁ < 2⁵¹² (float64 reaches 2¹⁰²⁴), r > 2⁻⁵¹² and B₁·r in (2⁻²⁵⁶, 1],
   * all normal: nothing overflows or underflows. Where B₀ is a power of
   * two, B₁·r is 1/B₀ times B₁ ⊗ (1 ⊘ B₁), which rounds to 1 or 1 − 2⁻⁵³,
   * never above. A lane with a non-finite b would spoil its partner (∞·0), so every lane must be finite: a loop
   * that delegates non-finite inputs zeroes them first (`_module.ts`).
   */
  recipSquarePairs(b: Group): Group {
    if (this.#only !== undefined || this.width % 2 !== 0) {
      throw new TypeError("recipSquarePairs needs whole pairs of members");
    }
    const k = this.k;
    const out: V[] = [];
    for (let i = 0; i < this.width; i += 2) {
      const s0 = k.let(F64x2.mul(b[i]!, b[i]!));
      const s1 = k.let(F64x2.mul(b[i + 1]!, b[i + 1]!));
      const r = k.let(F64x2.div(k.c(1), F64x2.mul(s0, s1)));
      out.push(F64x2.mul(s1, r));
      out.push(F64x2.mul(s0, r));
    }
    return out;
  }
}

/**
 * log(erfc(a)/t) + a² as a polynomial in u = (26t − 15)/11 (t = 1/(1 + a/2)
 * on a ∈ [0, 11] maps to u ∈ [−1, 1]): interpolation at 13 Chebyshev nodes
 * of @nonlin/core's erfc.
 */
const ERFC_FAST = [
  -0.56736547346733424,
  0.57856796658052467,
  0.017633794412371850,
  -0.030776157757636379,
  -0.0014136845663045136,
  0.0040331210282497009,
  -0.00024699293099673643,
  -0.00062850055805617152,
  0.00015590170000500306,
  0.000084469217740326726,
  -0.000044103516110827355,
  -0.0000066848292743139757,
  0.0000063449598939840493,
];

/**
 * erfc(a)·e^(a²)/t as a polynomial in u = (26t − 15)/11, t = 1/(1 + a/2),
 * a ∈ [0, 11]: interpolation at 13 Chebyshev nodes (relative error
 * 2⁻³¹·⁴, computed with mpmath).
 */
const NORMAL_TAIL = [
  0.5670172947770176,
  0.328058041157462,
  0.10490060179197976,
  0.006636759635096318,
  -0.006488955263296607,
  -0.000725741223823431,
  0.000652984875065858,
  8.461084649320957e-06,
  -7.672234723272057e-05,
  1.2878652347200282e-05,
  6.9599545857934015e-06,
  -2.332366711880394e-06,
  -2.3080300489148137e-07,
];
