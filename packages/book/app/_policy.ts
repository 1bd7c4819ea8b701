// The conformance suite's tolerance policy and waivers, so that the page
// marks a point exactly when `deno task conformance` would fail it, and names
// the waiver when the suite accepts it. The files are imported one by one, not
// through `@nonlin/conformance`: that entry point also loads the suite's
// Deno-only runner (node:util, workers), which a browser bundle cannot load.
// These four files import nothing but `@nonlin/core` and types.

export {
  deviation,
  type Tolerance,
  within,
} from "../../../conformance/compare.ts";
export { profileOf, toleranceOf } from "../../../conformance/tolerances.ts";
import { formatParam } from "../../../conformance/cases.ts";
import { type Waiver, waivers } from "../../../conformance/waivers.ts";

/**
 * The conformance checks a point of the page belongs to: f(x) to `values`;
 * f'(x) to `derivative`, or to `kink` at a kink of the op (the derivative
 * check leaves kinks to the kink check).
 */
export type PointCheck = "values" | "derivative" | "kink";

/** A waiver as the page shows it. */
export interface WaiverNote {
  /** The conformance check it waives. */
  readonly check: PointCheck;
  /** Why the backend does this. */
  readonly reason: string;
  /** Where in the backend's source it comes from. */
  readonly source?: string;
}

/**
 * The conformance waiver covering a backend's op under resolved parameters
 * for a check, matched as the suite matches it: by backend, op, check and
 * every parameter the waiver names.
 */
export function waiverFor(
  backend: string,
  op: string,
  params: Readonly<Record<string, unknown>>,
  check: PointCheck,
): WaiverNote | undefined {
  const w = waivers.find((w: Waiver) =>
    w.backend === backend && w.op === op && w.check === check &&
    (w.params === undefined ||
      w.params.some((p) =>
        Object.entries(p).every(([k, v]) =>
          params[k] !== undefined &&
          formatParam(params[k] as never) === formatParam(v)
        )
      ))
  );
  if (w === undefined) return undefined;
  return {
    check,
    reason: w.reason,
    ...(w.source === undefined ? {} : { source: w.source }),
  };
}
