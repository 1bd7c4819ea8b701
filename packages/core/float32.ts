/**
 * The float32 format's limits and neighbours, for the tests, the kernels and
 * the CLI that need them: defined once here.
 *
 * @module
 */

/** The largest finite float32, (2 − 2⁻²³)·2¹²⁷. */
export const FLOAT32_MAX = 3.4028234663852886e38;
/** The smallest positive normal float32, 2⁻¹²⁶. */
export const FLOAT32_MIN_NORMAL = 2 ** -126;
/** The smallest positive subnormal float32, 2⁻¹⁴⁹. */
export const FLOAT32_MIN_SUBNORMAL = 2 ** -149;

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/**
 * The float32 next to `x` towards +∞ (`up`) or −∞: ±0 step to the smallest
 * subnormal, ±∞ and NaN stay as they are, and the largest finite float32
 * steps to ∞.
 *
 * @param x A float32 value (a number that `Math.fround` leaves unchanged).
 * @param up Whether to step towards +∞.
 * @returns The neighbouring float32.
 *
 * @example
 * ```ts
 * import { FLOAT32_MIN_SUBNORMAL, nextFloat32 } from "@nonlin/core";
 * import assert from "node:assert";
 *
 * assert.strictEqual(nextFloat32(1, true), 1 + 2 ** -23);
 * assert.strictEqual(nextFloat32(1, false), 1 - 2 ** -24);
 * assert.strictEqual(nextFloat32(-0, false), -FLOAT32_MIN_SUBNORMAL);
 * assert.strictEqual(nextFloat32(Infinity, true), Infinity);
 * ```
 */
export function nextFloat32(x: number, up: boolean): number {
  if (x !== x || x === (up ? Infinity : -Infinity)) return x;
  if (x === 0) return up ? FLOAT32_MIN_SUBNORMAL : -FLOAT32_MIN_SUBNORMAL;
  f32[0] = x;
  const away = (x > 0) === up;
  u32[0] = u32[0]! + (away ? 1 : -1);
  return f32[0]!;
}
