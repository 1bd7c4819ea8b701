// The conformance suite's tolerance policy and waivers, so that the page
// marks a point exactly when `deno task conformance` would fail it, and names
// the waiver when the suite accepts it. Imported through
// `@nonlin/conformance/policy`, not the package's main entry point: that one
// also loads the suite's Deno-only runner (node:util, workers), which a
// browser bundle cannot load.

export {
  deviation,
  profileOf,
  type Tolerance,
  toleranceOf,
  within,
} from "@nonlin/conformance/policy";
import { findDeviation, ledger } from "@nonlin/conformance/policy";

/**
 * The conformance checks a point of the page belongs to: f(x) to `values`;
 * f'(x) to `derivative`, or to `kink` at a kink of the op (the derivative
 * check leaves kinks to the kink check).
 */
export type PointCheck = "values" | "derivative" | "kink";

/** A ledger entry as the page shows it. */
export interface WaiverNote {
  /** The conformance check it waives. */
  readonly check: PointCheck;
  /** Why the backend does this. */
  readonly reason: string;
  /** Where in the backend's source it comes from. */
  readonly source?: string;
}

/**
 * The ledger entry covering a backend's op under resolved parameters for a
 * check, found by the ledger's own matcher (the one the suite uses). The
 * page does not know which device profile its WebGPU adapter matches, so
 * device-scoped entries count on every device here.
 */
export function waiverFor(
  backend: string,
  op: string,
  params: Readonly<Record<string, unknown>>,
  check: PointCheck,
): WaiverNote | undefined {
  const w = findDeviation(ledger, { backend, op, check, params });
  if (w === undefined) return undefined;
  return {
    check,
    reason: w.reason,
    ...(w.source === undefined ? {} : { source: w.source }),
  };
}
