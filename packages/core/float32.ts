/**
 * The float32 format's limits and neighbours, and float32 values written and
 * read as text (the shortest decimal that reads back, the special values as
 * words), for the tests, the kernels, the generated docs and the CLI that
 * need them: defined once here.
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

/**
 * Writes a float32 as the shortest decimal that reads back to the same
 * float32 (rounding the decimal to the nearest float32), in JavaScript's
 * number syntax (the exponent form from 10¹⁶ on, as Python's and numpy's repr,
 * where JavaScript would write up to 21 digits). Among decimals of that length
 * the one nearest the value is chosen. NaN, ±∞ and −0 are written `"NaN"`, `"Infinity"`, `"-Infinity"` and
 * `"-0"`. A number that is not a float32 is rounded to one first.
 *
 * @param value The value.
 * @returns Its text.
 *
 * @example
 * ```ts
 * import { formatFloat32 } from "@nonlin/core";
 * import assert from "node:assert";
 *
 * assert.strictEqual(formatFloat32(0.1), "0.1");
 * assert.strictEqual(formatFloat32(1 / 3), "0.33333334");
 * assert.strictEqual(formatFloat32(3.4028234663852886e38), "3.4028235e+38");
 * assert.strictEqual(formatFloat32(2 ** -149), "1e-45");
 * assert.strictEqual(formatFloat32(-1e20), "-1e+20");
 * assert.strictEqual(formatFloat32(-0), "-0");
 * assert.strictEqual(formatFloat32(NaN), "NaN");
 * ```
 */
export function formatFloat32(value: number): string {
  if (typeof value !== "number") {
    throw new TypeError(`Value must be a number: got ${typeof value}`);
  }
  const x = Math.fround(value);
  if (x !== x) return "NaN";
  if (x === 0) return Object.is(x, -0) ? "-0" : "0";
  const decimal = shortestDecimal(x);
  // JavaScript writes integers below 10²¹ digit by digit: −1e20 would read
  // -100000000000000000000. From 10¹⁶ on, the exponent form, as Python's and
  // numpy's repr switch there.
  return Math.abs(decimal) >= 1e16 && Number.isFinite(decimal)
    ? decimal.toExponential()
    : String(decimal);
}

/**
 * The double nearest the shortest decimal that rounds to float32 `x`, so that
 * `String` writes exactly that decimal. Infinities come back as they are.
 */
function shortestDecimal(x: number): number {
  if (x === Infinity || x === -Infinity) return x;
  for (let digits = 1; digits <= 9; digits++) {
    // The nearest decimal with this many significant digits, and its two
    // neighbours: where the rounding interval is lopsided (at a power of two)
    // a neighbour on the wide side may round back when the nearest does not.
    const [mantissa = "", exponent = ""] = x.toExponential(digits - 1).split(
      "e",
    );
    const m = Number(mantissa.replace(".", ""));
    const e = Number(exponent) - (digits - 1);
    let best: { n: number; value: number } | undefined;
    for (const n of [m - 1, m, m + 1]) {
      const value = Number(`${n}e${e}`);
      if (Math.fround(value) !== x) continue;
      if (best === undefined || closer(n, best.n, e, x)) best = { n, value };
    }
    if (best !== undefined) return best.value;
  }
  return x; // Unreachable: nine significant digits always read back.
}

/**
 * Whether decimal `a`·10^`e` is nearer `x` than `b`·10^`e`, exactly (the
 * doubles nearest the decimals may tie or swap where the decimals do not);
 * an exact tie goes to the even digit, as IEEE rounding does.
 */
function closer(a: number, b: number, e: number, x: number): boolean {
  const [xNum, xDen] = exactRational(x);
  const scale = e >= 0 ? [10n ** BigInt(e), 1n] : [1n, 10n ** BigInt(-e)];
  // |n·10^e − x| compared over the common denominator xDen·scale[1].
  const distance = (n: number): bigint => {
    const d = BigInt(n) * scale[0]! * xDen - xNum * scale[1]!;
    return d < 0n ? -d : d;
  };
  const da = distance(a);
  const db = distance(b);
  return da < db || (da === db && a % 2 === 0);
}

/** A finite double as an exact fraction [numerator, denominator]. */
function exactRational(x: number): [bigint, bigint] {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const sign = bits >> 63n ? -1n : 1n;
  const biased = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & 0xfffffffffffffn;
  const mantissa = biased === 0 ? fraction : fraction | (1n << 52n);
  const exponent = (biased === 0 ? 1 : biased) - 1075;
  return exponent >= 0
    ? [sign * mantissa * 2n ** BigInt(exponent), 1n]
    : [sign * mantissa, 2n ** BigInt(-exponent)];
}

/**
 * The value of a float32 in a JSON document: a JSON number where it is finite
 * and not −0 (written as {@linkcode formatFloat32} writes it), else the
 * string `"NaN"`, `"Infinity"`, `"-Infinity"` or `"-0"`.
 *
 * @param value The value, rounded to float32 first.
 * @returns A number whose `JSON.stringify` is the shortest decimal, or a string.
 *
 * @example
 * ```ts
 * import { jsonFloat32 } from "@nonlin/core";
 * import assert from "node:assert";
 *
 * assert.strictEqual(JSON.stringify([Math.fround(0.1), -0, NaN].map(jsonFloat32)), '[0.1,"-0","NaN"]');
 * ```
 */
export function jsonFloat32(value: number): number | string {
  const x = Math.fround(value);
  if (x !== x || x === Infinity || x === -Infinity || Object.is(x, -0)) {
    return formatFloat32(x);
  }
  return shortestDecimal(x);
}

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/**
 * Reads one number written in decimal (`1`, `-0.5`, `1e-45`, `-0`) or as a
 * special value: `NaN`, `Infinity`, `-Infinity`, and case-insensitively
 * `nan`, `inf`, `+inf`, `-inf`, `infinity`. The result is a float64; see
 * {@linkcode parseFloat32} for the float32 reading.
 *
 * @param text The text.
 * @param what Names the value in the error message.
 * @returns The number.
 * @throws {TypeError} When the text is not a number.
 *
 * @example
 * ```ts
 * import { parseNumber } from "@nonlin/core";
 * import assert from "node:assert";
 *
 * assert.strictEqual(parseNumber("-inf", "x"), -Infinity);
 * assert.ok(Object.is(parseNumber("-0", "x"), -0));
 * assert.throws(() => parseNumber("x", "x"), TypeError);
 * ```
 */
export function parseNumber(text: string, what: string): number {
  const t = text.trim();
  switch (t.toLowerCase()) {
    case "nan":
    case "+nan":
    case "-nan":
      return NaN;
    case "inf":
    case "+inf":
    case "infinity":
    case "+infinity":
      return Infinity;
    case "-inf":
    case "-infinity":
      return -Infinity;
  }
  if (!DECIMAL.test(t)) {
    throw new TypeError(
      `${what} must be a number, NaN, Infinity or -Infinity: got ${
        JSON.stringify(text)
      }`,
    );
  }
  return Number(t);
}

/**
 * Reads one number as {@linkcode parseNumber} does and rounds it to the
 * nearest float32 (so `1e39` is `Infinity`, `1e-46` is `0`).
 *
 * @param text The text.
 * @param what Names the value in the error message.
 * @returns The float32 value.
 * @throws {TypeError} When the text is not a number.
 *
 * @example
 * ```ts
 * import { parseFloat32 } from "@nonlin/core";
 * import assert from "node:assert";
 *
 * assert.strictEqual(parseFloat32("0.1", "x"), Math.fround(0.1));
 * assert.strictEqual(parseFloat32("INF", "x"), Infinity);
 * ```
 */
export function parseFloat32(text: string, what: string): number {
  return Math.fround(parseNumber(text, what));
}

/**
 * Reads a comma-separated list of numbers (`"-1,0,1"`, `"nan,-inf,-0"`) as
 * float32. The empty string is the empty list; an empty item is an error.
 *
 * @param text The list.
 * @param what Names the list in the error message, e.g. `"--x"`.
 * @returns The values.
 * @throws {TypeError} Naming the first item that is not a number.
 *
 * @example
 * ```ts
 * import { parseFloat32List } from "@nonlin/core";
 * import assert from "node:assert";
 *
 * assert.deepStrictEqual(parseFloat32List("-1, 0.5,inf", "--x"), new Float32Array([-1, 0.5, Infinity]));
 * assert.throws(() => parseFloat32List("1,x", "--x"), TypeError);
 * ```
 */
export function parseFloat32List(text: string, what: string): Float32Array {
  if (text.trim() === "") return new Float32Array(0);
  const items = text.split(",");
  const out = new Float32Array(items.length);
  items.forEach((item, i) => {
    if (item.trim() === "") {
      throw new TypeError(
        `${what} item ${i + 1} is empty: got ${JSON.stringify(text)}`,
      );
    }
    out[i] = parseFloat32(item, `${what} item ${i + 1}`);
  });
  return out;
}
