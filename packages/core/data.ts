/**
 * Validation of host data and shapes, shared by every adapter so that bad
 * input gets the same clear error on every backend.
 *
 * @module
 */

/**
 * Converts host data to a Float32Array. A Float32Array is returned as is (not
 * copied); a plain array of numbers is rounded to float32 element by element.
 * Anything else is a `TypeError`: other typed arrays (so float64 data is never
 * narrowed silently), arrays holding a non-number, non-arrays.
 *
 * @param data The host data.
 * @param name What it is, for the error message (`"x"`, `"dy"`).
 * @returns The data as float32.
 *
 * @example
 * ```ts
 * import { toFloat32 } from "@nonlin/core";
 * import assert from "node:assert";
 *
 * assert.deepStrictEqual(toFloat32([1, 0.1], "x"), new Float32Array([1, 0.1]));
 * assert.throws(() => toFloat32(new Float64Array(2) as never, "x"), TypeError);
 * ```
 */
export function toFloat32(data: unknown, name: string): Float32Array {
  if (data instanceof Float32Array) return data;
  if (Array.isArray(data)) {
    const out = new Float32Array(data.length);
    for (let i = 0; i < data.length; i++) {
      const v: unknown = data[i];
      if (typeof v !== "number") {
        throw new TypeError(
          `${name} must hold numbers only: element ${i} is ${describe(v)}`,
        );
      }
      out[i] = v;
    }
    return out;
  }
  if (ArrayBuffer.isView(data)) {
    throw new TypeError(
      `${name} must be a Float32Array or an array of numbers: got ${data.constructor.name} (convert it with Float32Array.from to round to float32 explicitly)`,
    );
  }
  throw new TypeError(
    `${name} must be a Float32Array, an array of numbers or a tensor: got ${
      describe(data)
    }`,
  );
}

/**
 * Checks a shape: an array of non-negative integers whose product is `size`.
 *
 * @param shape The shape to check.
 * @param size The number of elements it must describe.
 * @returns The shape as a frozen copy.
 *
 * @example
 * ```ts
 * import { checkShape } from "@nonlin/core";
 * import assert from "node:assert";
 *
 * assert.deepStrictEqual(checkShape([2, 3], 6), [2, 3]);
 * assert.throws(() => checkShape([2, 3], 5), RangeError);
 * ```
 */
export function checkShape(shape: unknown, size: number): readonly number[] {
  if (!Array.isArray(shape)) {
    throw new TypeError(
      `Shape must be an array of integers: got ${describe(shape)}`,
    );
  }
  let product = 1;
  for (const d of shape) {
    if (typeof d !== "number" || !Number.isSafeInteger(d) || d < 0) {
      throw new RangeError(
        `Shape must hold non-negative integers: got [${shape.join(", ")}]`,
      );
    }
    product *= d;
  }
  if (product !== size) {
    throw new RangeError(
      `Shape [${
        shape.join(", ")
      }] holds ${product} elements but the data has ${size}`,
    );
  }
  return Object.freeze([...shape] as number[]);
}

/**
 * Checks that a parameter of shape `paramShape` broadcasts to `xShape` by
 * NumPy's rules without enlarging x: dimensions align from the right, and each
 * of the parameter's is 1 or equal to x's.
 *
 * @param paramShape The parameter's shape.
 * @param xShape The input's shape.
 * @param what Names the parameter in the message, e.g. `"prelu alpha"`.
 *
 * @example
 * ```ts
 * import { checkBroadcast } from "@nonlin/core";
 * import assert from "node:assert";
 *
 * checkBroadcast([3, 1], [2, 3, 4], "prelu alpha");
 * assert.throws(() => checkBroadcast([3], [2, 4], "prelu alpha"), RangeError);
 * ```
 */
export function checkBroadcast(
  paramShape: readonly number[],
  xShape: readonly number[],
  what: string,
): void {
  const offset = xShape.length - paramShape.length;
  let ok = offset >= 0;
  for (let i = 0; ok && i < paramShape.length; i++) {
    const p = paramShape[i]!;
    if (p !== 1 && p !== xShape[offset + i]) ok = false;
  }
  if (!ok) {
    throw new RangeError(
      `${what} of shape [${
        paramShape.join(", ")
      }] is not broadcastable to x of shape [${xShape.join(", ")}]`,
    );
  }
}

/**
 * Checks that two shapes are equal (x and dy of a VJP).
 *
 * @param a The first shape.
 * @param b The second shape.
 * @param what Names the pair in the message.
 *
 * @example
 * ```ts
 * import { checkSameShape } from "@nonlin/core";
 * import assert from "node:assert";
 *
 * assert.throws(() => checkSameShape([2], [3], "x and dy"), RangeError);
 * ```
 */
export function checkSameShape(
  a: readonly number[],
  b: readonly number[],
  what: string,
): void {
  if (a.length !== b.length || a.some((d, i) => d !== b[i])) {
    throw new RangeError(
      `${what} must have the same shape: got [${a.join(", ")}] and [${
        b.join(", ")
      }]`,
    );
  }
}

/** A short description of a value's kind for error messages. */
export function describe(v: unknown): string {
  if (v === null || v === undefined) return String(v);
  if (Array.isArray(v)) return "an array";
  if (typeof v === "object") {
    return (v as object).constructor?.name ?? "an object";
  }
  if (typeof v === "string") return `the string ${JSON.stringify(v)}`;
  return `${typeof v} ${String(v)}`;
}
