/**
 * Whether a deviation the contract grid finds is a known one: the contract
 * suite reads the conformance suite's ledger (conformance/ledger.ts), the
 * one source of known deviations, rather than a table of its own. A point of
 * the grid maps to the conformance check that would judge it (NaN and ±∞ to
 * `special`, a kink to `kink`, a subnormal to `flushToZero` or `subnormal`,
 * the sign of zero to `signOfZero`, anything else to its own quantity), and
 * is known when the ledger has an entry for that backend, device, op,
 * parameters and check. Whether every entry still shows is the conformance
 * suite's business (it fails on a stale entry).
 *
 * @module
 */

import { type OpName, ops, resolveParams } from "@nonlin/core";
import { deviceOf, deviceProfileOf } from "../../conformance/devices.ts";
import {
  findDeviation,
  type KnownDeviation,
  ledger,
} from "../../conformance/ledger.ts";
import type { Check, Deviation } from "./survey.ts";

/** The conformance checks that would judge one point of the grid. */
export function conformanceChecksOf(
  op: OpName,
  params: Readonly<Record<string, unknown>>,
  check: Check,
  x: number,
  kind: Deviation,
): readonly string[] {
  if (x !== x || x === Infinity || x === -Infinity) return ["special"];
  if (kind === "zero") return ["signOfZero"];
  // ∞·0 at the largest finite inputs is the same departure as at ±∞.
  if (kind === "nan" && Math.abs(x) >= 1e38) return ["special", check];
  if (kind === "tiny") return ["flushToZero", "subnormal"];
  // The conformance suite sums parameter gradients over moderate inputs
  // only; a NaN term at a large finite x is the VJP's own departure there
  // (the same ∞·0 in dy·∂f/∂θ as in dy·∂f/∂x), so the VJP's entry covers it.
  if (check.startsWith("dparam:")) {
    return kind === "nan"
      ? ["dparams", "finiteDifference", "vjp"]
      : ["dparams", "finiteDifference"];
  }
  // (a NaN at the largest finite x falls through to ["special", check] above)
  const kinks = ops[op].kinks(params as never).map((k) => Math.fround(k));
  if (check !== "values" && kinks.includes(x)) return ["kink"];
  return [check];
}

/** A backend as the lookup needs it: its name and its capabilities' properties. */
export interface KnownBackend {
  readonly name: string;
  readonly capabilities: {
    readonly properties: Readonly<Record<string, unknown>>;
  };
}

/**
 * The ledger entry that covers a deviation found on the contract grid.
 *
 * @returns The entry, or `undefined` when the deviation is unknown.
 */
export function knownDeviationOf(
  backend: KnownBackend,
  op: OpName,
  variant: Readonly<Record<string, unknown>>,
  check: Check,
  x: number,
  kind: Deviation,
): KnownDeviation | undefined {
  const device = deviceOf(backend.capabilities.properties);
  const params = resolveParams(op, variant) as Record<string, unknown>;
  for (const c of conformanceChecksOf(op, params, check, x, kind)) {
    const e = findDeviation(ledger, {
      backend: backend.name,
      op,
      check: c,
      params,
      onDevice: device !== undefined,
      device: deviceProfileOf(device),
    });
    if (e !== undefined) return e;
  }
  return undefined;
}

/**
 * The ledger entries only the contract grid shows (`shownBy: "contract"`)
 * for this backend on its device: the contract suite fails when one of them
 * covers none of the deviations it finds.
 */
export function contractEntriesOf(
  backend: KnownBackend,
): readonly KnownDeviation[] {
  const profile = deviceProfileOf(
    deviceOf(backend.capabilities.properties),
  );
  return ledger.filter((e) =>
    e.shownBy === "contract" && e.backend === backend.name &&
    (e.devices === undefined ||
      (profile !== undefined && e.devices.includes(profile)))
  );
}
