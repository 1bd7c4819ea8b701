/**
 * Comparing a backend's float32 result with the float64 reference: ULP
 * distance to the reference rounded to float32, absolute and relative error
 * against the unrounded reference, and a tally of the worst element.
 *
 * @module
 */

import { ulpDistance, ulpOf } from "@nonlin/core";

/** How far a result may be from the reference, and why. */
export interface Tolerance {
  /** Float32 ULPs from the reference rounded to float32. */
  readonly ulp: number;
  /**
   * An absolute error that also passes, for results computed by a formula
   * that cancels near its zeros; absent when only ULPs count.
   */
  readonly abs?: number;
  /** Why this much. */
  readonly reason: string;
}

/** How one result departs from the reference. */
export interface Deviation {
  /** ULP distance to the reference rounded to float32 (`Infinity` for NaN against a number). */
  readonly ulp: number;
  /** |got − reference|, against the float64 reference. */
  readonly abs: number;
  /** The absolute error over |reference| (`Infinity` when the reference is 0 and the result not). */
  readonly rel: number;
}

/**
 * Measures a result against the float64 reference.
 *
 * @param got The backend's float32 result.
 * @param want The float64 reference.
 * @returns The deviation; all zero when `got` is the reference rounded.
 *
 * @example
 * ```ts
 * import { deviation } from "@nonlin/conformance";
 * import assert from "node:assert";
 *
 * assert.strictEqual(deviation(Math.fround(0.1), 0.1).ulp, 0);
 * assert.strictEqual(deviation(NaN, 1).ulp, Infinity);
 * assert.strictEqual(deviation(1 + 2 ** -23, 1).ulp, 1);
 * ```
 */
export function deviation(got: number, want: number): Deviation {
  const rounded = Math.fround(want);
  if (got === rounded) return EXACT;
  const ulp = ulpDistance(got, rounded);
  if (ulp === 0) return EXACT;
  // A result that rounds to the reference has no error beyond that rounding.
  const abs = ulp === Infinity ? Infinity : Math.abs(got - want);
  const rel = want === 0 ? Infinity : abs / Math.abs(want);
  return { ulp, abs, rel };
}

/**
 * Whether a deviation is within a tolerance.
 *
 * @param d The deviation.
 * @param tol The tolerance.
 * @returns `true` when within ULPs, or within the absolute error where one is allowed.
 */
export function within(d: Deviation, tol: Tolerance): boolean {
  return d.ulp <= tol.ulp || (tol.abs !== undefined && d.abs <= tol.abs);
}

/**
 * The largest error a result within `tol` of `want` can have, in absolute
 * terms: `(ulp + ½)` float32 ULPs at the reference (the half for its own
 * rounding), or the absolute allowance if larger.
 */
export function allowedError(want: number, tol: Tolerance): number {
  const ulps = (tol.ulp + 0.5) * ulpOf(want);
  return tol.abs === undefined ? ulps : Math.max(ulps, tol.abs);
}

/** Whether two numbers are the same value: NaN equals NaN, and +0 equals −0 unless `signed`. */
export function sameValue(a: number, b: number, signed = false): boolean {
  if (a !== a) return b !== b;
  return signed ? Object.is(a, b) : a === b;
}

/** The worst element of a check. */
export interface Worst {
  /** Its index in the case's input. */
  readonly index: number;
  /** The input x, or what a sum ran over. */
  readonly x: number | string;
  /** What the backend gave. */
  readonly got: number;
  /** The float64 reference. */
  readonly want: number;
  /** Which quantity: `"f"`, `"f'"`, `"f''"`, `"dx"`, `"dalpha"`, … */
  readonly quantity: string;
  /** The upstream gradient, for VJP results. */
  readonly dy?: number;
  /** The parameter value the element used, where it is a per-channel one. */
  readonly param?: number;
  /** Extra words on this element. */
  readonly note?: string;
}

/** Accumulates the elements of one check: counts, maxima, the worst, the failing. */
export class Tally {
  /** Elements compared. */
  count = 0;
  /** Elements outside the tolerance. */
  failures = 0;
  /** The largest ULP distance seen. */
  maxUlp = 0;
  /** The largest absolute error seen. */
  maxAbs = 0;
  /** The largest relative error seen. */
  maxRel = 0;
  /** The indices of failing elements (in the case's main input). */
  readonly failing: number[] = [];
  #worst: Worst | undefined;
  #worstFailed = false;
  #worstUlp = -1;

  /** The worst element: the first failing one with the most ULPs, else the one with the most ULPs. */
  get worst(): Worst | undefined {
    return this.#worst;
  }

  #count(d: Deviation, ok: boolean, index: number): boolean {
    this.count++;
    if (d.ulp > this.maxUlp) this.maxUlp = d.ulp;
    if (d.abs > this.maxAbs) this.maxAbs = d.abs;
    if (d.rel > this.maxRel) this.maxRel = d.rel;
    if (!ok) {
      this.failures++;
      this.failing.push(index);
    }
    const better = this.#worst === undefined ||
      (ok === !this.#worstFailed ? d.ulp > this.#worstUlp : !ok);
    if (better) {
      this.#worstUlp = d.ulp;
      this.#worstFailed = !ok;
    }
    return better;
  }

  /**
   * Adds one element of a case's input (the fast path: no object unless it
   * becomes the worst).
   */
  add(
    d: Deviation,
    ok: boolean,
    index: number,
    x: number,
    got: number,
    want: number,
    quantity: string,
  ): void {
    if (this.#count(d, ok, index)) {
      this.#worst = { index, x, got, want, quantity };
    }
  }

  /** Adds one element described in full. */
  addElement(w: Worst, d: Deviation, ok: boolean): void {
    if (this.#count(d, ok, w.index)) this.#worst = w;
  }
}

/** The deviation of an exact result. */
export const EXACT: Deviation = Object.freeze({ ulp: 0, abs: 0, rel: 0 });
