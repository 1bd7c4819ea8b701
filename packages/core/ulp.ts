/**
 * Float32 ULP distance and rounding helpers.
 *
 * @module
 */

const f32 = new Float32Array(1);
const i32 = new Int32Array(f32.buffer);

/** Maps a float32 onto a monotone integer line where ±0 share one point. */
function ordinal(x: number): number {
  f32[0] = x;
  const bits = i32[0]!;
  return bits < 0 ? -(bits & 0x7fffffff) : bits;
}

/**
 * The number of float32 values between `a` and `b` after rounding both to
 * float32: 0 for equal values (and for +0 against −0, and NaN against NaN),
 * `Infinity` when exactly one is NaN. +∞ is one step above the largest finite
 * float32, so a finite result against an infinite one is a finite distance.
 *
 * @param a A number, rounded to float32 first.
 * @param b A number, rounded to float32 first.
 * @returns The distance in float32 units in the last place.
 *
 * @example
 * ```ts
 * import { ulpDistance } from "@nonlin/core";
 * import assert from "node:assert";
 *
 * assert.strictEqual(ulpDistance(1, 1 + 2 ** -23), 1);
 * assert.strictEqual(ulpDistance(0, -0), 0);
 * assert.strictEqual(ulpDistance(NaN, NaN), 0);
 * assert.strictEqual(ulpDistance(NaN, 1), Infinity);
 * ```
 */
export function ulpDistance(a: number, b: number): number {
  const aNaN = a !== a;
  const bNaN = b !== b;
  if (aNaN || bNaN) return aNaN && bNaN ? 0 : Infinity;
  return Math.abs(ordinal(a) - ordinal(b));
}

/**
 * The spacing of float32 values at `x`: the distance from |x| rounded to
 * float32 to the next float32 away from zero (2⁻¹⁴⁹ for zero and subnormals).
 *
 * @param x A finite number.
 * @returns The float32 ULP at `x`; `NaN` for NaN, `Infinity` for ±∞.
 *
 * @example
 * ```ts
 * import { ulpOf } from "@nonlin/core";
 * import assert from "node:assert";
 *
 * assert.strictEqual(ulpOf(1), 2 ** -23);
 * assert.strictEqual(ulpOf(0), 2 ** -149);
 * ```
 */
export function ulpOf(x: number): number {
  if (x !== x) return NaN;
  const a = Math.abs(Math.fround(x));
  if (a === Infinity) return Infinity;
  if (a === 3.4028234663852886e38) return 2 ** 104;
  f32[0] = a;
  i32[0] = i32[0]! + 1;
  return f32[0]! - a;
}
