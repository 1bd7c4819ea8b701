/**
 * The error function and its complement in float64, to within about one ulp.
 *
 * The method and the coefficients are those of fdlibm's `s_erf.c` (version
 * 5.1, 93/09/24), rewritten in TypeScript. Its notice, which it asks to be
 * preserved:
 *
 * ```text
 * Copyright (C) 1993 by Sun Microsystems, Inc. All rights reserved.
 *
 * Developed at SunPro, a Sun Microsystems, Inc. business.
 * Permission to use, copy, modify, and distribute this
 * software is freely granted, provided that this notice
 * is preserved.
 * ```
 *
 * The method, by the magnitude a = |x|:
 * - a < 0.84375: erf(x) = x + x·P(x²)/Q(x²), a rational approximation of
 *   (erf(x) − x)/x with error below 2⁻⁵⁷·⁹; erfc = 1 − erf, arranged to
 *   avoid cancellation for x ≥ 1/4.
 * - 0.84375 ≤ a < 1.25: erf(a) = c + P₁(s)/Q₁(s) with s = a − 1 and c =
 *   0.84506291151 rounded to float32 (error below 2⁻⁵⁹·⁰⁶).
 * - 1.25 ≤ a < 28: erfc(a) = exp(−a² − 0.5625 + R(1/a²)/S(1/a²))/a, with one
 *   rational approximation on [1.25, 1/0.35) and another on [1/0.35, 28)
 *   (errors below 2⁻⁶²·⁵⁷ and 2⁻⁶¹·⁵²); erf = 1 − erfc. The exponential is
 *   split so that −a² is never rounded (see {@linkcode erfcTail}).
 * - a ≥ 6: erf(x) = ±1 in float64; a ≥ 28: erfc(x) underflows to 0.
 *
 * @module
 */

/** The names of fdlibm's `s_erf.c` coefficients. */
export type FdlibmErfCoefficientName =
  | "ERX"
  | `PP${0 | 1 | 2 | 3 | 4}`
  | `QQ${1 | 2 | 3 | 4 | 5}`
  | `PA${0 | 1 | 2 | 3 | 4 | 5 | 6}`
  | `QA${1 | 2 | 3 | 4 | 5 | 6}`
  | `RA${0 | 1 | 2 | 3 | 4 | 5 | 6 | 7}`
  | `SA${1 | 2 | 3 | 4 | 5 | 6 | 7 | 8}`
  | `RB${0 | 1 | 2 | 3 | 4 | 5 | 6}`
  | `SB${1 | 2 | 3 | 4 | 5 | 6 | 7}`;

/**
 * The coefficients of fdlibm's `s_erf.c`, by fdlibm's names: ERX (0.84506291151
 * rounded to float32), PP/QQ for erf on [0, 0.84375], PA/QA on [0.84375, 1.25],
 * RA/SA for erfc on [1.25, 1/0.35), RB/SB on [1/0.35, 28). Exported so that the
 * native engine's vectorised erfc uses the same numbers, not a copy.
 *
 * @example
 * ```ts
 * import { fdlibmErfCoefficients } from "@nonlin/core";
 * import assert from "node:assert";
 *
 * assert.strictEqual(Math.fround(fdlibmErfCoefficients.ERX), fdlibmErfCoefficients.ERX);
 * ```
 */
export const fdlibmErfCoefficients: Readonly<
  Record<FdlibmErfCoefficientName, number>
> = Object.freeze({
  ERX: 8.45062911510467529297e-01,
  PP0: 1.28379167095512558561e-01,
  PP1: -3.25042107247001499370e-01,
  PP2: -2.84817495755985104766e-02,
  PP3: -5.77027029648944159157e-03,
  PP4: -2.37630166566501626084e-05,
  QQ1: 3.97917223959155352819e-01,
  QQ2: 6.50222499887672944485e-02,
  QQ3: 5.08130628187576562776e-03,
  QQ4: 1.32494738004321644526e-04,
  QQ5: -3.96022827877536812320e-06,
  PA0: -2.36211856075265944077e-03,
  PA1: 4.14856118683748331666e-01,
  PA2: -3.72207876035701323847e-01,
  PA3: 3.18346619901161753674e-01,
  PA4: -1.10894694282396677476e-01,
  PA5: 3.54783043256182359371e-02,
  PA6: -2.16637559486879084300e-03,
  QA1: 1.06420880400844228286e-01,
  QA2: 5.40397917702171048937e-01,
  QA3: 7.18286544141962662868e-02,
  QA4: 1.26171219808761642112e-01,
  QA5: 1.36370839120290507362e-02,
  QA6: 1.19844998467991074170e-02,
  RA0: -9.86494403484714822705e-03,
  RA1: -6.93858572707181764372e-01,
  RA2: -1.05586262253232909814e+01,
  RA3: -6.23753324503260060396e+01,
  RA4: -1.62396669462573470355e+02,
  RA5: -1.84605092906711035994e+02,
  RA6: -8.12874355063065934246e+01,
  RA7: -9.81432934416914548592e+00,
  SA1: 1.96512716674392571292e+01,
  SA2: 1.37657754143519042600e+02,
  SA3: 4.34565877475229228821e+02,
  SA4: 6.45387271733267880336e+02,
  SA5: 4.29008140027567833386e+02,
  SA6: 1.08635005541779435134e+02,
  SA7: 6.57024977031928170135e+00,
  SA8: -6.04244152148580987438e-02,
  RB0: -9.86494292470009928597e-03,
  RB1: -7.99283237680523006574e-01,
  RB2: -1.77579549177547519889e+01,
  RB3: -1.60636384855821916062e+02,
  RB4: -6.37566443368389627722e+02,
  RB5: -1.02509513161107724954e+03,
  RB6: -4.83519191608651397019e+02,
  SB1: 3.03380607434824582924e+01,
  SB2: 3.25792512996573918826e+02,
  SB3: 1.53672958608443695994e+03,
  SB4: 3.19985821950859553908e+03,
  SB5: 2.55305040643316442583e+03,
  SB6: 4.74528541206955367215e+02,
  SB7: -2.24409524465858183362e+01,
});

const {
  ERX,
  PP0,
  PP1,
  PP2,
  PP3,
  PP4,
  QQ1,
  QQ2,
  QQ3,
  QQ4,
  QQ5,
  PA0,
  PA1,
  PA2,
  PA3,
  PA4,
  PA5,
  PA6,
  QA1,
  QA2,
  QA3,
  QA4,
  QA5,
  QA6,
  RA0,
  RA1,
  RA2,
  RA3,
  RA4,
  RA5,
  RA6,
  RA7,
  SA1,
  SA2,
  SA3,
  SA4,
  SA5,
  SA6,
  SA7,
  SA8,
  RB0,
  RB1,
  RB2,
  RB3,
  RB4,
  RB5,
  RB6,
  SB1,
  SB2,
  SB3,
  SB4,
  SB5,
  SB6,
  SB7,
} = fdlibmErfCoefficients;

/** 2/√π − 1: erf(x) = x + EFX·x for |x| < 2⁻²⁸. */
const EFX = 1.28379167095512586316e-01;
/** 8·EFX, for subnormal x (keeps the product away from the subnormal range). */
const EFX8 = 1.02703333676410069053e+00;

/** Below this |x|, erf(x) = x + EFX·x (the next term is below 2⁻⁸⁴ relative). */
const TINY = 2 ** -28;
/** The smallest normal double. */
const MIN_NORMAL = 2 ** -1022;

/** (erf(x) − x)/x for |x| < 0.84375, as a function of z = x². */
function smallRatio(z: number): number {
  const r = PP0 + z * (PP1 + z * (PP2 + z * (PP3 + z * PP4)));
  const s = 1 + z * (QQ1 + z * (QQ2 + z * (QQ3 + z * (QQ4 + z * QQ5))));
  return r / s;
}

/** erf(1 + s) − ERX for 0.84375 ≤ 1 + s < 1.25. */
function nearOneRatio(s: number): number {
  const p = PA0 +
    s * (PA1 + s * (PA2 + s * (PA3 + s * (PA4 + s * (PA5 + s * PA6)))));
  const q = 1 +
    s * (QA1 + s * (QA2 + s * (QA3 + s * (QA4 + s * (QA5 + s * QA6)))));
  return p / q;
}

/**
 * erfc(a) for 1.25 ≤ a < 28, as exp(−a² − 0.5625 + R/S)/a.
 *
 * −a² itself is not representable, and exp amplifies the absolute error of
 * its argument into a relative error of the result: at a = 26 the half-ulp of
 * a² alone would cost about 700 ulps. As fdlibm does, a is split as
 * a = h + (a − h) with h = a rounded to 24 bits: h² is exact (48 bits, and
 * h² + 0.5625 still fits in 53), and −a² = −h² + (h − a)(h + a) where the
 * second term is tiny, so its rounding no longer matters.
 */
function erfcTail(a: number): number {
  const s = 1 / (a * a);
  let r: number;
  let q: number;
  if (a < 1 / 0.35) {
    r = RA0 +
      s *
        (RA1 +
          s * (RA2 + s * (RA3 + s * (RA4 + s * (RA5 + s * (RA6 + s * RA7))))));
    q = 1 +
      s *
        (SA1 +
          s *
            (SA2 +
              s *
                (SA3 +
                  s * (SA4 + s * (SA5 + s * (SA6 + s * (SA7 + s * SA8)))))));
  } else {
    r = RB0 +
      s * (RB1 + s * (RB2 + s * (RB3 + s * (RB4 + s * (RB5 + s * RB6)))));
    q = 1 +
      s *
        (SB1 +
          s * (SB2 + s * (SB3 + s * (SB4 + s * (SB5 + s * (SB6 + s * SB7))))));
  }
  const h = Math.fround(a);
  return Math.exp(-h * h - 0.5625) * Math.exp((h - a) * (h + a) + r / q) / a;
}

/**
 * The error function erf(x) = 2/√π ∫₀ˣ e^(−t²) dt in float64, to within about
 * one ulp (fdlibm's rational approximations; see the module doc).
 *
 * @param x Any number.
 * @returns erf(x); erf(±∞) = ±1, erf(NaN) = NaN, erf(−0) = −0, and a
 * subnormal x gives the subnormal 2x/√π, not zero.
 *
 * @example
 * ```ts
 * import { erf } from "@nonlin/core";
 * import assert from "node:assert";
 *
 * assert.strictEqual(erf(1), 0.8427007929497149);
 * assert.strictEqual(erf(-Infinity), -1);
 * assert.ok(Object.is(erf(-0), -0));
 * ```
 */
export function erf(x: number): number {
  if (x !== x) return x;
  const a = Math.abs(x);
  if (a < 0.84375) {
    if (a < TINY) {
      // Scaling by 8 keeps EFX·x's rounding error relative for subnormal x.
      return a < MIN_NORMAL ? (8 * x + EFX8 * x) / 8 : x + EFX * x;
    }
    return x + x * smallRatio(x * x);
  }
  if (a < 1.25) {
    const e = ERX + nearOneRatio(a - 1);
    return x < 0 ? -e : e;
  }
  if (a >= 6) return x < 0 ? -1 : 1;
  const c = erfcTail(a);
  return x < 0 ? c - 1 : 1 - c;
}

/**
 * The complementary error function erfc(x) = 1 − erf(x) in float64, accurate
 * in relative terms (about one ulp) where 1 − erf(x) would cancel: for large
 * x, where erfc is tiny (subnormal from x ≈ 26.6 on, 0 from x ≈ 27.3).
 *
 * @param x Any number.
 * @returns erfc(x); erfc(−∞) = 2, erfc(+∞) = 0, erfc(NaN) = NaN.
 *
 * @example
 * ```ts
 * import { erfc } from "@nonlin/core";
 * import assert from "node:assert";
 *
 * assert.strictEqual(erfc(0), 1);
 * assert.ok(Math.abs(erfc(5) / 1.5374597944280349e-12 - 1) < 1e-15);
 * assert.strictEqual(erfc(-Infinity), 2);
 * ```
 */
export function erfc(x: number): number {
  if (x !== x) return x;
  const a = Math.abs(x);
  if (a < 0.84375) {
    if (a < 2 ** -56) return 1 - x;
    const y = smallRatio(x * x);
    // For x ≥ 1/4, 1 − erf(x) would lose bits: regroup around 1/2.
    return x < 0.25 ? 1 - (x + x * y) : 0.5 - (x * y + (x - 0.5));
  }
  if (a < 1.25) {
    const e = nearOneRatio(a - 1);
    return x > 0 ? (1 - ERX) - e : 1 + (ERX + e);
  }
  if (x > 0) return x < 28 ? erfcTail(x) : 0;
  // erfc(x) = 2 − erfc(−x); below −6, erfc(−x) < 2⁻⁵⁴ vanishes beside 2.
  return x > -6 ? 2 - erfcTail(a) : 2;
}
