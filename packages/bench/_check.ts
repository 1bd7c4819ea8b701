// The check every kernel passes before it is timed: its output against the
// float64 reference rounded to float32, so that a fast wrong kernel fails the
// bench instead of winning it.

/**
 * How far an output may be from the reference: |got − want| ≤ atol +
 * rtol·|want|. Non-finite values must match exactly.
 */
export interface Tolerance {
  /** Relative part. */
  readonly rtol: number;
  /** Absolute part, for outputs near zero. */
  readonly atol: number;
}

/** The element of an output that is furthest out of tolerance. */
export interface Worst {
  /** Its index. */
  readonly index: number;
  /** The input there. */
  readonly x: number;
  /** The upstream gradient there (VJP only). */
  readonly dy?: number;
  /** What the backend gave. */
  readonly got: number;
  /** The reference rounded to float32. */
  readonly want: number;
}

/** The outcome of comparing one output with the reference. */
export interface CheckSummary {
  /** Whether every element is within tolerance. */
  readonly ok: boolean;
  /** How many values were compared. */
  readonly checked: number;
  /** How many were out of tolerance. */
  readonly failures: number;
  /** The largest |got − want| over finite pairs. */
  readonly maxAbsError: number;
  /** The largest |got − want| / |want| over finite pairs with want ≠ 0. */
  readonly maxRelError: number;
  /** The element furthest out of tolerance (or the largest error when ok). */
  readonly worst?: Worst;
  /** What was wrong, in words, when not ok. */
  readonly message?: string;
}

/**
 * Compares a backend's output with the reference, element by element.
 *
 * @param got The backend's output.
 * @param want The reference rounded to float32.
 * @param tolerance The backend's tolerance.
 * @param x The inputs, for the report of the worst element.
 * @param dy The upstream gradient, for a VJP.
 */
export function compareArrays(
  got: Float32Array,
  want: Float32Array,
  tolerance: Tolerance,
  x: Float32Array,
  dy?: Float32Array,
): CheckSummary {
  if (!(got instanceof Float32Array)) {
    return fail(0, `expected a Float32Array, got ${describeValue(got)}`);
  }
  if (got.length !== want.length) {
    return fail(0, `expected ${want.length} elements, got ${got.length}`);
  }
  const { rtol, atol } = tolerance;
  let failures = 0;
  let maxAbs = 0;
  let maxRel = 0;
  let worstIndex = -1;
  let worstScore = -1;
  for (let i = 0; i < got.length; i++) {
    const g = got[i]!;
    const w = want[i]!;
    let score: number;
    if (Number.isFinite(g) && Number.isFinite(w)) {
      const err = Math.abs(g - w);
      if (err > maxAbs) maxAbs = err;
      if (w !== 0 && err / Math.abs(w) > maxRel) maxRel = err / Math.abs(w);
      score = err / (atol + rtol * Math.abs(w));
    } else {
      // NaN must meet NaN and ±∞ the same infinity: never NaN = ∞.
      score = (g !== g && w !== w) || g === w ? 0 : Infinity;
    }
    if (score > 1) failures++;
    if (score > worstScore) {
      worstScore = score;
      worstIndex = i;
    }
  }
  const worst = worstIndex < 0 ? undefined : {
    index: worstIndex,
    x: x[worstIndex]!,
    ...(dy === undefined ? {} : { dy: dy[worstIndex]! }),
    got: got[worstIndex]!,
    want: want[worstIndex]!,
  };
  const summary = {
    ok: failures === 0,
    checked: got.length,
    failures,
    maxAbsError: maxAbs,
    maxRelError: maxRel,
    ...(worst === undefined ? {} : { worst }),
  };
  if (failures === 0) return summary;
  const w = worst!;
  return {
    ...summary,
    message:
      `${failures} of ${got.length} elements out of tolerance (rtol ${rtol}, atol ${atol}): at x = ${w.x}${
        w.dy === undefined ? "" : `, dy = ${w.dy}`
      } got ${w.got}, want ${w.want}`,
  };
}

/** The failed check of a parameter gradient the VJP did not return. */
export function missingGradient(name: string): CheckSummary {
  return {
    ok: false,
    checked: 0,
    failures: 1,
    maxAbsError: Infinity,
    maxRelError: Infinity,
    message: `the VJP returned no gradient for ${name}`,
  };
}

/**
 * Compares a parameter gradient (a sum over every element) with the reference
 * sum. Float32 summation order differs between backends, so the tolerance is
 * relative to Σ|terms|, the scale of the rounding errors a sum can make.
 *
 * @param got The backend's value (one element).
 * @param want The reference sum, in float64.
 * @param absSum Σ|terms| in float64.
 * @param rtol The relative tolerance against `absSum`.
 */
export function compareSum(
  got: Float32Array,
  want: number,
  absSum: number,
  rtol: number,
): CheckSummary {
  if (!(got instanceof Float32Array) || got.length !== 1) {
    return fail(
      0,
      `expected one element, got ${
        got instanceof Float32Array
          ? `${got.length} elements`
          : describeValue(got)
      }`,
    );
  }
  const g = got[0]!;
  const err = Math.abs(g - want);
  const ok = Number.isFinite(g) ? err <= rtol * absSum + 1e-30 : false;
  const worst = { index: 0, x: NaN, got: g, want: Math.fround(want) };
  const summary = {
    ok,
    checked: 1,
    failures: ok ? 0 : 1,
    maxAbsError: Number.isFinite(err) ? err : Infinity,
    maxRelError: want === 0 ? 0 : err / Math.abs(want),
    worst,
  };
  return ok ? summary : {
    ...summary,
    message: `sum out of tolerance (${rtol} × Σ|terms| = ${
      rtol * absSum
    }): got ${g}, want ${want}`,
  };
}

function fail(checked: number, message: string): CheckSummary {
  return {
    ok: false,
    checked,
    failures: 1,
    maxAbsError: Infinity,
    maxRelError: Infinity,
    message,
  };
}

function describeValue(v: unknown): string {
  if (v === null || v === undefined) return String(v);
  if (typeof v === "object") {
    return (v as object).constructor?.name ?? "an object";
  }
  return typeof v;
}
