/**
 * The inputs the contract suite runs every op on: parameter variants, and a
 * grid of x values with the catalog's kinks and notable points, their
 * float32 neighbours, and the special values the pinned conventions cover.
 *
 * @module
 */

import {
  FLOAT32_MAX,
  FLOAT32_MIN_NORMAL,
  FLOAT32_MIN_SUBNORMAL,
  nextFloat32,
  type OpName,
  ops,
  paramSetsOf,
  resolveParams,
} from "@nonlin/core";

/**
 * The parameter variants the contract suite runs an op with: the catalog's
 * example, then each of its edge sets (see {@linkcode paramSetsOf}). Sets
 * with a per-channel α are left out: the suite passes the parameters with x
 * of any shape (prelu's per-channel α has its own broadcast test).
 */
export function variantsOf(op: OpName): readonly Record<string, unknown>[] {
  return paramSetsOf(op, { scalarOnly: true });
}

/** The special values of the pinned conventions. */
export const specials: readonly number[] = [
  NaN,
  Infinity,
  -Infinity,
  0,
  -0,
  FLOAT32_MIN_SUBNORMAL,
  -FLOAT32_MIN_SUBNORMAL,
  1e-40,
  -1e-40,
  FLOAT32_MIN_NORMAL,
  -FLOAT32_MIN_NORMAL,
];

const ordinary: readonly number[] = (() => {
  const xs: number[] = [];
  // The book's plotting range, every 0.25.
  for (let i = -32; i <= 32; i++) xs.push(i / 4);
  for (
    const m of [
      1e-30,
      1e-7,
      1e-3,
      0.1,
      12,
      15,
      17,
      20,
      25,
      30,
      50,
      100,
      1e4,
      1e10,
      1e30,
      FLOAT32_MAX,
    ]
  ) {
    xs.push(m, -m);
  }
  return xs;
})();

/**
 * The x grid of one op with given parameters, as float32 values without
 * repeats: ordinary values, kinks and notable points with their float32
 * neighbours, and the specials.
 */
export function gridOf(
  op: OpName,
  options: Record<string, unknown>,
): Float32Array {
  const p = resolveParams(op, options) as Record<string, number | string>;
  const spec = ops[op];
  const points = [...ordinary];
  for (const k of [...spec.kinks(p), ...spec.notable(p)]) {
    const x = Math.fround(k);
    if (!Number.isFinite(x)) continue;
    points.push(x, nextFloat32(x, true), nextFloat32(x, false));
  }
  const seen = new Set<string>();
  const out: number[] = [];
  for (const x of [...points.map(Math.fround), ...specials]) {
    const key = Object.is(x, -0) ? "-0" : String(x);
    if (!seen.has(key)) {
      seen.add(key);
      out.push(x);
    }
  }
  return Float32Array.from(out);
}
