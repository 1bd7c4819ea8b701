/**
 * The numbers behind the page: the float64 reference on the book's grid
 * (`bookGrid` of `@nonlin/core`), and a backend's numbers held to the conformance suite's tolerance policy
 * and waivers. Pure functions, run in the browser by the page and in Deno by
 * the tests.
 *
 * @module
 */

import { type OpName, ops, resolveParams } from "@nonlin/core";
import {
  deviation,
  type PointCheck,
  profileOf,
  type Tolerance,
  toleranceOf as policyTolerance,
  waiverFor,
  type WaiverNote,
  within,
} from "./_policy.ts";
import type { Curve } from "./sections.ts";

export type { PointCheck, Tolerance, WaiverNote };

/** A curve's f(x) and ∂f/∂x at each x. */
export interface CurveValues<
  T extends Float32Array | Float64Array = Float32Array,
> {
  /** f(x). */
  readonly value: T;
  /** ∂f/∂x. */
  readonly gradient: T;
}

/**
 * The float64 reference of a curve at each x, unrounded: the conformance
 * suite measures ULPs against it rounded to float32 and absolute errors
 * against it as it is.
 *
 * @param curve The op and its parameters.
 * @param x The inputs.
 * @returns f(x) and ∂f/∂x (left-hand at kinks), in float64.
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
 * assert.deepStrictEqual(value, new Float64Array([0, 0, 2]));
 * assert.deepStrictEqual(gradient, new Float64Array([0, 0, 1])); // relu'(0) = 0
 * ```
 */
export function referenceValues(
  curve: Curve,
  x: Float32Array,
): CurveValues<Float64Array> {
  const spec = ops[curve.op];
  const p = resolveParams(curve.op, curve.params) as Readonly<
    Record<string, number | string>
  >;
  const value = new Float64Array(x.length);
  const gradient = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    value[i] = spec.f(x[i]!, p);
    gradient[i] = spec.dfdx(x[i]!, p);
  }
  return { value, gradient };
}

/** A backend's tolerance for one op: for f(x) and for ∂f/∂x. */
export interface CurveTolerance {
  /** For f(x): the conformance suite's `values` tolerance. */
  readonly value: Tolerance;
  /** For ∂f/∂x: its `derivative` tolerance. */
  readonly gradient: Tolerance;
}

/**
 * The tolerance the page holds a backend's op to: the conformance suite's,
 * from the backend's precision profile (a backend the suite does not know
 * gets float32's, whatever precision it declares).
 *
 * @param backend The backend's name.
 * @param op The op.
 * @returns The tolerances for f(x) and ∂f/∂x, each with its reason.
 *
 * @example
 * ```ts
 * import { toleranceOf } from "@nonlin/book";
 * import assert from "node:assert";
 *
 * assert.strictEqual(toleranceOf("native", "gelu").value.ulp, 1);
 * assert.strictEqual(toleranceOf("native", "gelu").gradient.ulp, 2);
 * ```
 */
export function toleranceOf(
  backend: string,
  op: OpName,
): CurveTolerance {
  const profile = profileOf(backend);
  return {
    value: policyTolerance(profile, op, "values"),
    gradient: policyTolerance(profile, op, "derivative"),
  };
}

/** How a backend's numbers compare with the reference. */
export interface Comparison {
  /** The largest |got − reference|; `Infinity` where exactly one is NaN. */
  readonly maxAbs: number;
  /** The largest distance in float32 ULPs from the reference rounded to float32. */
  readonly maxUlp: number;
  /** The tolerance applied. */
  readonly tolerance: Tolerance;
  /** The points outside the tolerance that no waiver covers. */
  readonly deviations: readonly number[];
  /** The points outside the tolerance that a conformance waiver covers. */
  readonly waived: readonly number[];
  /** The waivers that cover them, once each. */
  readonly waivers: readonly WaiverNote[];
}

/** A curve's values and gradient compared with the reference. */
export interface CurveComparison {
  /** f(x). */
  readonly value: Comparison;
  /** ∂f/∂x. */
  readonly gradient: Comparison;
}

function compare(
  got: Float32Array,
  want: Float64Array,
  tolerance: Tolerance,
  waiverAt: (i: number) => WaiverNote | undefined,
): Comparison {
  if (got.length !== want.length) {
    throw new RangeError(
      `Cannot compare ${got.length} numbers with ${want.length}: lengths differ`,
    );
  }
  let maxAbs = 0;
  let maxUlp = 0;
  const deviations: number[] = [];
  const waived: number[] = [];
  const notes: WaiverNote[] = [];
  for (let i = 0; i < got.length; i++) {
    const d = deviation(got[i]!, want[i]!);
    maxAbs = Math.max(maxAbs, d.abs);
    maxUlp = Math.max(maxUlp, d.ulp);
    if (within(d, tolerance)) continue;
    const waiver = waiverAt(i);
    if (waiver === undefined) {
      deviations.push(i);
    } else {
      waived.push(i);
      if (!notes.some((n) => n.check === waiver.check)) notes.push(waiver);
    }
  }
  return { maxAbs, maxUlp, tolerance, deviations, waived, waivers: notes };
}

/**
 * Compares a backend's values and gradient of a curve with the float64
 * reference as the conformance suite does: f(x) under its `values` check,
 * ∂f/∂x under `derivative`, and at the op's kinks under `kink` (the pinned
 * left-hand derivative). A point outside the tolerance is waived when the
 * suite has a waiver for that backend, op, parameters and check, and a
 * deviation otherwise.
 *
 * @param backend The backend's name.
 * @param curve The op and its parameters.
 * @param x The inputs.
 * @param got The backend's f(x) and ∂f/∂x.
 * @returns The comparison of each.
 * @throws {RangeError} When the lengths differ or the parameters are out of range.
 *
 * @example
 * ```ts
 * import { compareCurve } from "@nonlin/book";
 * import assert from "node:assert";
 *
 * const curve = { op: "hardTanh", params: {}, label: "default" } as const;
 * const x = new Float32Array([-1, 0]);
 * const got = { value: new Float32Array([-1, 0]), gradient: new Float32Array([1, 1]) };
 * // tfjs's hardTanh'(−1) is 1, not the left-hand 0: a waived kink.
 * const tfjs = compareCurve("tfjs-cpu", curve, x, got);
 * assert.deepStrictEqual(tfjs.gradient.waived, [0]);
 * assert.strictEqual(tfjs.gradient.waivers[0]?.check, "kink");
 * // The same numbers from native are a deviation.
 * assert.deepStrictEqual(compareCurve("native", curve, x, got).gradient.deviations, [0]);
 * ```
 */
export function compareCurve(
  backend: string,
  curve: Curve,
  x: Float32Array,
  got: CurveValues,
): CurveComparison {
  const reference = referenceValues(curve, x);
  const tolerance = toleranceOf(backend, curve.op);
  const p = resolveParams(curve.op, curve.params) as Readonly<
    Record<string, number | string>
  >;
  const kinks = ops[curve.op].kinks(p);
  const waivers = new Map<PointCheck, WaiverNote | undefined>();
  const waiver = (check: PointCheck) => {
    if (!waivers.has(check)) {
      waivers.set(check, waiverFor(backend, curve.op, p, check));
    }
    return waivers.get(check);
  };
  return {
    value: compare(
      got.value,
      reference.value,
      tolerance.value,
      () => waiver("values"),
    ),
    gradient: compare(
      got.gradient,
      reference.gradient,
      tolerance.gradient,
      (i) => waiver(kinks.includes(x[i]!) ? "kink" : "derivative"),
    ),
  };
}
