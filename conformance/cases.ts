/**
 * The cases of the suite: every catalog op under its default parameters and
 * the catalog's edge sets. Ops, defaults, examples and edges all come from
 * the catalog; this file only lays them out as cases.
 *
 * @module
 */

import {
  type OpName,
  opNames,
  ops,
  paramSetsOf,
  type ResolvedParams,
} from "@nonlin/core";

/** A parameter value as the suite passes it: prelu's α may be a per-channel list. */
export type CaseParamValue = number | string | readonly number[];

/** One op under one set of parameters. */
export interface Case {
  /** A stable id, e.g. `"elu alpha=0.5"`. */
  readonly id: string;
  /** The op. */
  readonly op: OpName;
  /** Every parameter's value, defaults filled in. */
  readonly params: Readonly<Record<string, CaseParamValue>>;
  /**
   * For a per-channel parameter (prelu's α of length C): x is laid out as
   * `[n / C, C]` so that α broadcasts along the last axis.
   */
  readonly channels?: number;
}

/** Formats a parameter value for ids and reports. */
export function formatParam(value: CaseParamValue): string {
  return Array.isArray(value) ? `[${value.join(",")}]` : String(value);
}

function caseOf(op: OpName, params: Record<string, CaseParamValue>): Case {
  const parts = Object.entries(params).map(([k, v]) =>
    `${k}=${formatParam(v)}`
  );
  const id = parts.length === 0 ? op : `${op} ${parts.join(" ")}`;
  const alpha = Object.values(params).find((v) => Array.isArray(v)) as
    | readonly number[]
    | undefined;
  return alpha === undefined
    ? { id, op, params }
    : { id, op, params, channels: alpha.length };
}

/**
 * Every case for one op: its defaults (with the catalog's example for the
 * parameters that have none), then each of the catalog's edge sets over
 * them. A per-channel α lays x out in channels. Duplicates are dropped.
 *
 * @param op The op.
 * @returns Its cases, defaults first.
 */
export function casesOf(op: OpName): Case[] {
  const spec = ops[op];
  const defaults: Record<string, CaseParamValue> = {};
  for (const [name, param] of Object.entries(spec.params)) {
    defaults[name] = "default" in param
      ? param.default
      : spec.example[name] as CaseParamValue;
  }
  const seen = new Set<string>();
  const out: Case[] = [];
  for (const set of paramSetsOf(op)) {
    const c = caseOf(op, { ...defaults, ...set });
    if (seen.has(c.id)) continue;
    seen.add(c.id);
    out.push(c);
  }
  return out;
}

/**
 * Every case of the suite, in catalog order.
 *
 * @param only Restricts to these ops; all when omitted.
 * @returns The cases.
 *
 * @example
 * ```ts
 * import { allCases } from "@nonlin/conformance";
 * import assert from "node:assert";
 *
 * const swish = allCases(["swish"]).map((c) => c.params.beta);
 * assert.deepStrictEqual(swish, [1, 0, 0.5, 1.702, 2, 10, -1]);
 * ```
 */
export function allCases(only?: readonly OpName[]): Case[] {
  return (only ?? opNames).flatMap((op) => casesOf(op));
}

/**
 * The parameters the catalog's reference sees for element `i` of a case's
 * input: prelu's per-channel α picks its channel, `i mod C`.
 *
 * @param c The case.
 * @returns A function from element index to resolved parameters.
 */
export function referenceParams(c: Case): (i: number) => ResolvedParams {
  const scalars: Record<string, number | string> = {};
  let vector: { name: string; values: readonly number[] } | undefined;
  for (const [name, value] of Object.entries(c.params)) {
    if (Array.isArray(value)) vector = { name, values: value };
    else scalars[name] = value as number | string;
  }
  if (vector === undefined) return () => scalars;
  const { name, values } = vector;
  const channels = values.map((v) => ({ ...scalars, [name]: Math.fround(v) }));
  return (i) => channels[i % channels.length]!;
}
