/**
 * Runs one backend over the contract grid and compares every result with the
 * float64 reference of the catalog: values, VJP, derivative, second
 * derivative and the gradient of each learned parameter, element by element.
 *
 * @module
 */

import {
  type BackendModule,
  FLOAT32_MIN_NORMAL,
  NotSupportedError,
  type OpName,
  ops,
  resolveParams,
  type Tensor,
  ulpDistance,
} from "@nonlin/core";
import { gridOf } from "./grid.ts";

/** What is compared: a quantity, or the gradient of one learned parameter. */
export type Check =
  | "values"
  | "vjp"
  | "derivative"
  | "secondDerivative"
  | `dparam:${string}`;

/**
 * How a result departs from the pinned conventions or the reference:
 * - `"nan"`: NaN where the reference is a number, or the reverse (NaN
 *   propagation, and ∞·0 or ∞/∞ at infinite or huge inputs);
 * - `"zero"`: the wrong sign of zero from an odd op at ±0;
 * - `"tiny"`: a subnormal input or result (no flush to zero) more than a few
 *   ULP off, typically flushed to zero;
 * - `"far"`: any other result more than {@linkcode LOOSE_ULP} ULP and
 *   {@linkcode LOOSE_ABS} away from the reference.
 */
export type Deviation = "nan" | "zero" | "tiny" | "far";

/**
 * The agreement the contract suite asks of every backend away from special
 * values: a loose bound that catches a wrong formula, a wrong parameter or a
 * wrong branch, not lost digits (the conformance suite measures those in
 * ULPs). 64 ULP, or an absolute 2⁻²⁰ for results near zero from a formula
 * that cancels there.
 */
export const LOOSE_ULP = 64;
/** See {@linkcode LOOSE_ULP}. */
export const LOOSE_ABS = 2 ** -20;

/** ULP tolerances at subnormal inputs and results, where no absolute floor applies. */
function tinyUlp(check: Check): number {
  return check === "values" ? 4 : check === "secondDerivative" ? 16 : 8;
}

/**
 * Classifies one result; `undefined` when it agrees.
 *
 * @param odd Whether the op keeps the sign of zero.
 * @param check What was computed.
 * @param x The input.
 * @param got The backend's result.
 * @param want The float64 reference.
 */
export function classify(
  odd: boolean,
  check: Check,
  x: number,
  got: number,
  want: number,
): Deviation | undefined {
  const w = Math.fround(want);
  if ((w !== w) !== (got !== got)) return "nan";
  if (w !== w) return undefined;
  if (odd && check === "values" && x === 0) {
    return Object.is(got, w) ? undefined : "zero";
  }
  const ulp = ulpDistance(got, w);
  // A parameter's gradient per element is a difference of terms of size
  // about |x|·|f'| (∂softplus/∂β = (x·σ(βx) − softplus(βx)/β)/β), so its
  // absolute error grows with |x|: the loose bound scales with it.
  if (
    check.startsWith("dparam:") &&
    Math.abs(got - want) <= LOOSE_ABS * Math.max(1, Math.abs(x))
  ) return undefined;
  const tiny = (v: number) => v !== 0 && Math.abs(v) <= FLOAT32_MIN_NORMAL;
  if (tiny(x) || tiny(w)) return ulp <= tinyUlp(check) ? undefined : "tiny";
  if (ulp <= LOOSE_ULP || Math.abs(got - want) <= LOOSE_ABS) return undefined;
  return "far";
}

/** One element's result. */
export interface Point {
  /** The input. */
  readonly x: number;
  /** The backend's result. */
  readonly got: number;
  /** The float64 reference. */
  readonly want: number;
  /** ULP distance from the reference rounded to float32. */
  readonly ulp: number;
}

/** One check of one op and parameter variant on one backend. */
export interface CheckResult {
  /** The check. */
  readonly check: Check;
  /** Every grid element, or none when the backend does not support the check. */
  readonly points: readonly Point[];
  /** The backend's reason when it throws `NotSupportedError`. */
  readonly unsupported?: string;
}

/** The upstream gradient of the VJP check: exact in float32, both signs. */
export const DY_PATTERN: readonly number[] = [0.75, -1.5, 1, 2.5];

function points(
  xs: Float32Array,
  got: Float32Array,
  want: (x: number, i: number) => number,
): Point[] {
  return Array.from(xs, (x, i) => {
    const w = want(x, i);
    return {
      x,
      got: got[i]!,
      want: w,
      ulp: ulpDistance(got[i]!, Math.fround(w)),
    };
  });
}

async function orUnsupported(
  check: Check,
  run: () => Promise<Point[]>,
): Promise<CheckResult> {
  try {
    return { check, points: await run() };
  } catch (error) {
    if (error instanceof NotSupportedError) {
      return { check, points: [], unsupported: error.reason };
    }
    throw error;
  }
}

/**
 * Runs every check of one op with one parameter variant.
 *
 * @param m The backend module.
 * @param op The op.
 * @param options Its parameters, as the caller gives them.
 * @param xs The inputs; the op's grid by default.
 */
export async function surveyOp(
  m: BackendModule,
  op: OpName,
  options: Record<string, unknown>,
  xs: Float32Array = gridOf(op, options),
): Promise<CheckResult[]> {
  const spec = ops[op];
  const p = resolveParams(op, options) as Record<string, number | string>;
  const call = m as unknown as Record<
    string,
    (...args: unknown[]) => Promise<Float32Array>
  >;
  const dy = Float32Array.from(
    xs,
    (_, i) => DY_PATTERN[i % DY_PATTERN.length]!,
  );
  const results: CheckResult[] = [
    {
      check: "values",
      points: points(xs, await call[op]!(xs, options), (x) => spec.f(x, p)),
    },
  ];
  const g = await (m.vjp as (...a: unknown[]) => Promise<{ dx: Float32Array }>)(
    op,
    xs,
    { dy, params: options },
  );
  results.push({
    check: "vjp",
    points: points(xs, g.dx, (x, i) => dy[i]! * spec.dfdx(x, p)),
  });
  const d = await (m.derivative as (...a: unknown[]) => Promise<Float32Array>)(
    op,
    xs,
    options,
  );
  results.push({
    check: "derivative",
    points: points(xs, d, (x) => spec.dfdx(x, p)),
  });
  results.push(
    await orUnsupported("secondDerivative", async () => {
      const d2 = await (m.secondDerivative as (
        ...a: unknown[]
      ) => Promise<Float32Array>)(
        op,
        xs,
        options,
      );
      return points(xs, d2, (x) => spec.d2fdx2(x, p));
    }),
  );
  for (const [name, dfdp] of Object.entries(spec.dfdp)) {
    // A learned parameter's gradient is a sum over x; one element at a time
    // shows each term. Resident tensors, read all at once, keep it quick on
    // backends whose reads wait for a device.
    const one = m.tensor([1]);
    const grads = Array.from(xs, (x) => {
      const xt = m.tensor([x]);
      const g = (m.vjp as (
        ...a: unknown[]
      ) => { dx: Tensor; dparams: Record<string, Tensor> })(
        op,
        xt,
        { dy: one, params: options },
      );
      xt.dispose();
      g.dx.dispose();
      return g.dparams[name]!;
    });
    one.dispose();
    const got = new Float32Array(xs.length);
    try {
      const values = await Promise.all(grads.map((t) => t.read()));
      values.forEach((v, i) => (got[i] = v[0]!));
    } finally {
      for (const t of grads) t.dispose();
    }
    results.push({
      check: `dparam:${name}`,
      points: points(xs, got, (x) => dfdp(x, p)),
    });
  }
  return results;
}
