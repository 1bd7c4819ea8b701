/**
 * The parameter sets every test, benchmark and demo runs an op with, read
 * from the catalog: its example (the defaults, plus a value for each
 * required parameter), then each of its edge sets over the example.
 *
 * @module
 */

import { type OpName, ops, type OpSpec, type ParamSet } from "./catalog.ts";
import { resolveParams } from "./resolve.ts";

/** Which parameter sets {@linkcode paramSetsOf} returns. */
export interface ParamSetsOptions {
  /**
   * Leave out the sets with a per-channel list (prelu's α as a vector), for
   * callers that pass the parameters with an x of any shape.
   * @default false
   */
  readonly scalarOnly?: boolean;
}

/**
 * The catalog's parameter sets of an op: the example first (`{}` where every
 * parameter has a default), then each edge set merged over the example.
 * Sets that resolve to the same values (gelu's `approximate: "none"` and
 * its default) are given once; defaults are not filled in.
 *
 * @param op The op's name.
 * @param options Whether to leave out per-channel sets.
 * @returns The sets, the example first.
 * @throws {TypeError} For a name that is not a catalog op.
 *
 * @example
 * ```ts
 * import { paramSetsOf } from "@nonlin/core";
 * import assert from "node:assert";
 *
 * assert.deepStrictEqual(paramSetsOf("relu"), [{}]);
 * assert.deepStrictEqual(paramSetsOf("hardshrink"), [{}, { lambda: 0 }, { lambda: 2 }]);
 * assert.ok(paramSetsOf("prelu", { scalarOnly: true }).every((s) => typeof s.alpha === "number"));
 * ```
 */
export function paramSetsOf(
  op: OpName,
  options: ParamSetsOptions = {},
): ParamSet[] {
  if (!Object.hasOwn(ops, op)) {
    throw new TypeError(`paramSetsOf: "${op}" is not a catalog op`);
  }
  const spec = ops[op] as unknown as OpSpec;
  const seen = new Set<string>();
  const out: ParamSet[] = [];
  for (const edge of [{}, ...spec.edges]) {
    const set: ParamSet = { ...spec.example, ...edge };
    const values = Object.values(set);
    if (options.scalarOnly && values.some((v) => Array.isArray(v))) continue;
    const resolved = resolveParams(op, set) as Record<string, unknown>;
    const key = JSON.stringify(
      Object.keys(resolved).sort().map((k) => [k, resolved[k]]),
    );
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(set);
  }
  return out;
}
