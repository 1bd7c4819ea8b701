/**
 * The numbers behind the page: the book's grid, the float64 reference on it,
 * each backend's tolerance and the comparison of a backend's output with the
 * reference. Pure functions, run in the browser by the page and in Deno by
 * the tests.
 *
 * @module
 */

import { ops, resolveParams, ulpDistance } from "@nonlin/core";
import type { Curve } from "./sections.ts";

/** How many points the grid has: arange(−8, 8, 0.1) has 160. */
export const GRID_LENGTH = 160;

/**
 * The book's grid `arange(-8.0, 8.0, 0.1)`: the float32 values nearest to
 * −8, −7.9, …, 7.9. Each is computed as (i − 80) / 10 and rounded once, so the
 * kinks 0, ±3 and 6 lie on the grid exactly (PyTorch's −8 + 0.1·i misses 0 by
 * a few ULP).
 *
 * @returns A new Float32Array of {@linkcode GRID_LENGTH} values.
 *
 * @example
 * ```ts
 * import { bookGrid } from "@nonlin/book";
 * import assert from "node:assert";
 *
 * const x = bookGrid();
 * assert.strictEqual(x.length, 160);
 * assert.strictEqual(x[0], -8);
 * assert.strictEqual(x[80], 0);
 * assert.strictEqual(x[159], Math.fround(7.9));
 * ```
 */
export function bookGrid(): Float32Array {
  return Float32Array.from({ length: GRID_LENGTH }, (_, i) => (i - 80) / 10);
}

/** The values and elementwise derivative of one curve. */
export interface CurveValues {
  /** f(x). */
  readonly value: Float32Array;
  /** ∂f/∂x. */
  readonly gradient: Float32Array;
}

/**
 * The float64 reference of a curve at each x, rounded once to float32.
 *
 * @param curve The op and its parameters.
 * @param x The inputs.
 * @returns f(x) and ∂f/∂x.
 * @throws {RangeError} For parameters out of range.
 *
 * @example
 * ```ts
 * import { referenceValues } from "@nonlin/book";
 * import assert from "node:assert";
 *
 * const { value, gradient } = referenceValues(
 *   { op: "relu", params: {}, label: "default" },
 *   new Float32Array([-1, 0, 2]),
 * );
 * assert.deepStrictEqual(value, new Float32Array([0, 0, 2]));
 * assert.deepStrictEqual(gradient, new Float32Array([0, 0, 1])); // relu'(0) = 0
 * ```
 */
export function referenceValues(curve: Curve, x: Float32Array): CurveValues {
  const spec = ops[curve.op];
  const p = resolveParams(curve.op, curve.params) as Readonly<
    Record<string, number | string>
  >;
  const value = new Float32Array(x.length);
  const gradient = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) {
    value[i] = spec.f(x[i]!, p);
    gradient[i] = spec.dfdx(x[i]!, p);
  }
  return { value, gradient };
}

/** How far a backend's number may lie from the reference before the page marks it. */
export interface Tolerance {
  /** Float32 ULPs from the reference rounded to float32. */
  readonly ulp: number;
  /**
   * Absolute difference, for points where cancellation makes ULPs
   * meaningless (near a zero of f or f'); 0 for none.
   */
  readonly abs: number;
}

/** A backend's tolerance for values and for gradients, and why. */
export interface BackendTolerance {
  /** For f(x). */
  readonly value: Tolerance;
  /** For ∂f/∂x. */
  readonly gradient: Tolerance;
  /** Where the numbers come from. */
  readonly why: string;
}

/**
 * Tolerances by backend. A point deviates when it is further than `ulp`
 * ULPs AND further than `abs` from the reference.
 */
const TOLERANCES: Readonly<Record<string, BackendTolerance>> = {
  native: {
    value: { ulp: 1, abs: 0 },
    gradient: { ulp: 2, abs: 0 },
    why:
      "the native engine's accuracy target: values within 1 ULP, gradients within 2",
  },
  "tfjs-cpu": {
    value: { ulp: 4, abs: 1e-6 },
    gradient: { ulp: 4, abs: 1e-6 },
    why:
      "float32 kernels composed by tfjs, each rounding, and tfjs's erf approximation",
  },
  "tfjs-wasm": {
    value: { ulp: 4, abs: 1e-6 },
    gradient: { ulp: 4, abs: 1e-6 },
    why:
      "float32 kernels composed by tfjs, each rounding, and tfjs's erf approximation",
  },
  "tfjs-webgpu": {
    value: { ulp: 16, abs: 1e-5 },
    gradient: { ulp: 16, abs: 1e-5 },
    why:
      "WGSL's exp, log and tanh are only accurate to a few ULP plus an absolute error",
  },
};

/** The tolerance of a backend not listed: as loose as the loosest listed. */
const OTHER: BackendTolerance = {
  value: { ulp: 16, abs: 1e-5 },
  gradient: { ulp: 16, abs: 1e-5 },
  why: "a backend from outside nonlin: the loosest built-in tolerance",
};

/**
 * The tolerance the page applies to a backend.
 *
 * @param backend The backend's name.
 * @returns Its tolerance for values and gradients.
 *
 * @example
 * ```ts
 * import { toleranceOf } from "@nonlin/book";
 * import assert from "node:assert";
 *
 * assert.strictEqual(toleranceOf("native").value.ulp, 1);
 * ```
 */
export function toleranceOf(backend: string): BackendTolerance {
  return Object.hasOwn(TOLERANCES, backend) ? TOLERANCES[backend]! : OTHER;
}

/** How a backend's numbers compare with the reference. */
export interface Comparison {
  /** The largest |got − want|, conventions aside; `Infinity` where exactly one is NaN. */
  readonly maxAbs: number;
  /** The largest distance in float32 ULPs, conventions aside. */
  readonly maxUlp: number;
  /** The indices of the points outside the tolerance. */
  readonly deviations: readonly number[];
  /**
   * The indices of kinks where the backend's derivative is the right-hand
   * one (tfjs's hardTanh'(−1) = 1) instead of the pinned left-hand one: a
   * different convention, not an error, shown apart from the deviations.
   */
  readonly conventions: readonly number[];
}

function absDiff(g: number, w: number): number {
  if (g === w || (g !== g && w !== w)) return 0;
  return g !== g || w !== w ? Infinity : Math.abs(g - w);
}

function isWithin(g: number, w: number, tolerance: Tolerance): boolean {
  return ulpDistance(g, w) <= tolerance.ulp || absDiff(g, w) <= tolerance.abs;
}

/**
 * Compares a backend's numbers with the reference, point by point. NaN
 * matches NaN only; ±0 match each other. A point deviates when it is more
 * than `tolerance.ulp` ULPs and more than `tolerance.abs` away.
 *
 * @param got The backend's numbers.
 * @param want The reference, same length.
 * @param tolerance Where a point starts to deviate.
 * @param alternatives Per index, a second accepted value (the right-hand
 * derivative at a kink); a point matching it is a convention, not a deviation.
 * @returns The largest differences, the deviating points and the conventions.
 * @throws {RangeError} When the lengths differ.
 *
 * @example
 * ```ts
 * import { compareValues } from "@nonlin/book";
 * import assert from "node:assert";
 *
 * const got = new Float32Array([1, 1 + 2 ** -23, NaN]);
 * const want = new Float32Array([1, 1, 0]);
 * const c = compareValues(got, want, { ulp: 1, abs: 0 });
 * assert.strictEqual(c.maxUlp, Infinity);
 * assert.deepStrictEqual(c.deviations, [2]);
 * ```
 */
export function compareValues(
  got: Float32Array,
  want: Float32Array,
  tolerance: Tolerance,
  alternatives: ReadonlyMap<number, number> = new Map(),
): Comparison {
  if (got.length !== want.length) {
    throw new RangeError(
      `Cannot compare ${got.length} numbers with ${want.length}: lengths differ`,
    );
  }
  let maxAbs = 0;
  let maxUlp = 0;
  const deviations: number[] = [];
  const conventions: number[] = [];
  for (let i = 0; i < got.length; i++) {
    const g = got[i]!;
    const w = want[i]!;
    if (!isWithin(g, w, tolerance)) {
      const other = alternatives.get(i);
      if (other !== undefined && isWithin(g, other, tolerance)) {
        conventions.push(i);
        continue;
      }
      deviations.push(i);
    }
    maxUlp = Math.max(maxUlp, ulpDistance(g, w));
    maxAbs = Math.max(maxAbs, absDiff(g, w));
  }
  return { maxAbs, maxUlp, deviations, conventions };
}

/** A curve's values and gradient compared with the reference. */
export interface CurveComparison {
  /** f(x). */
  readonly value: Comparison;
  /** ∂f/∂x; at kinks the right-hand derivative counts as a convention. */
  readonly gradient: Comparison;
}

/**
 * Compares a backend's values and gradient of a curve with the reference,
 * with the backend's tolerance. At a kink of the op (from the catalog) the
 * pinned derivative is the left-hand one; a backend that returns the
 * right-hand one there is reported under `conventions`.
 *
 * @param curve The op and its parameters.
 * @param x The inputs.
 * @param got The backend's f(x) and f'(x).
 * @param tolerance The backend's tolerance.
 * @returns The comparison of each.
 *
 * @example
 * ```ts
 * import { compareCurve, toleranceOf } from "@nonlin/book";
 * import assert from "node:assert";
 *
 * const curve = { op: "hardTanh", params: {}, label: "default" } as const;
 * const x = new Float32Array([-1, 0]);
 * // hardTanh'(−1): 0 from the left (pinned), 1 from the right.
 * const c = compareCurve(curve, x, {
 *   value: new Float32Array([-1, 0]),
 *   gradient: new Float32Array([1, 1]),
 * }, toleranceOf("tfjs-cpu"));
 * assert.deepStrictEqual(c.gradient.deviations, []);
 * assert.deepStrictEqual(c.gradient.conventions, [0]);
 * ```
 */
export function compareCurve(
  curve: Curve,
  x: Float32Array,
  got: CurveValues,
  tolerance: BackendTolerance,
): CurveComparison {
  const reference = referenceValues(curve, x);
  const spec = ops[curve.op];
  const p = resolveParams(curve.op, curve.params) as Readonly<
    Record<string, number | string>
  >;
  const kinks = spec.kinks(p);
  const rightHand = new Map<number, number>();
  for (let i = 0; i < x.length; i++) {
    const k = x[i]!;
    if (!kinks.includes(k)) continue;
    // The derivative just right of the kink, where the next piece applies.
    rightHand.set(
      i,
      Math.fround(spec.dfdx(k + Math.max(Math.abs(k), 1) * 2 ** -40, p)),
    );
  }
  return {
    value: compareValues(got.value, reference.value, tolerance.value),
    gradient: compareValues(
      got.gradient,
      reference.gradient,
      tolerance.gradient,
      rightHand,
    ),
  };
}
