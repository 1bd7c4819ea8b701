/**
 * The error function and its complement in float64.
 *
 * TEMPORARY implementation (series and continued fraction); to be replaced by
 * fdlibm's rational approximations.
 *
 * @module
 */

const TWO_OVER_SQRT_PI = 1.1283791670955126;

/**
 * The error function erf(x) = 2/√π ∫₀ˣ e^(−t²) dt in float64.
 *
 * @param x Any number.
 * @returns erf(x); erf(±∞) = ±1, erf(NaN) = NaN, erf(−0) = −0.
 *
 * @example
 * ```ts
 * import { erf } from "@nonlin/core";
 * import assert from "node:assert";
 *
 * assert.ok(Math.abs(erf(1) - 0.8427007929497149) < 1e-15);
 * ```
 */
export function erf(x: number): number {
  if (x !== x) return x;
  const a = Math.abs(x);
  if (a < 2) {
    let term = x;
    let sum = x;
    const x2 = x * x;
    for (let n = 1; n < 80; n++) {
      term *= -x2 / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-18 * Math.abs(sum)) break;
    }
    return TWO_OVER_SQRT_PI * sum;
  }
  const c = erfc(a);
  return x > 0 ? 1 - c : c - 1;
}

/**
 * The complementary error function erfc(x) = 1 − erf(x) in float64, accurate
 * in relative terms for large x where 1 − erf(x) would cancel.
 *
 * @param x Any number.
 * @returns erfc(x); erfc(−∞) = 2, erfc(+∞) = 0, erfc(NaN) = NaN.
 *
 * @example
 * ```ts
 * import { erfc } from "@nonlin/core";
 * import assert from "node:assert";
 *
 * assert.ok(Math.abs(erfc(5) / 1.5374597944280349e-12 - 1) < 1e-14);
 * ```
 */
export function erfc(x: number): number {
  if (x !== x) return x;
  if (x < 2) {
    if (x < -6) return 2;
    return 1 - erf(x);
  }
  if (x === Infinity) return 0;
  // Lentz's continued fraction for erfc.
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let n = 1; n < 500; n++) {
    const an = n / 2;
    d = x + an * d;
    d = d === 0 ? tiny : d;
    c = x + an / c;
    c = c === 0 ? tiny : c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-17) break;
  }
  return Math.exp(-x * x) / (f * Math.sqrt(Math.PI));
}
