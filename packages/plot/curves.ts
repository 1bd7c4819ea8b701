/**
 * The data behind the figures: the book's grid, the op variants drawn, each
 * backend's real f(x) and f'(x) on that grid, the float64 reference rounded
 * to float32, and the differences between them.
 *
 * @module
 */

import {
  type ArrayInput,
  type BackendModule,
  getOp,
  type OpName,
  opNames,
  ops,
  resolveParams,
  ulpDistance,
} from "@nonlin/core";

/**
 * `start, start + step, …` below `stop`, in float32, each element computed
 * from its index (`start + i·step` in float64, rounded once) so that errors
 * do not accumulate — as `torch.arange` does.
 *
 * @param start The first value.
 * @param stop The bound, excluded.
 * @param step The spacing, positive.
 * @returns `ceil((stop − start) / step)` values.
 * @throws {RangeError} When a bound is not finite or the step not positive.
 *
 * @example
 * ```ts
 * import { arange } from "@nonlin/plot";
 * import assert from "node:assert";
 *
 * const x = arange(-8, 8, 0.1); // the book's grid
 * assert.strictEqual(x.length, 160);
 * assert.strictEqual(x[0], -8);
 * assert.strictEqual(x[80], 0);
 * assert.strictEqual(x[159], Math.fround(7.9));
 * ```
 */
export function arange(
  start: number,
  stop: number,
  step: number,
): Float32Array {
  if (!Number.isFinite(start) || !Number.isFinite(stop)) {
    throw new RangeError(
      `Grid bounds must be finite: got ${start} and ${stop}`,
    );
  }
  if (!(step > 0) || !Number.isFinite(step)) {
    throw new RangeError(
      `Grid step must be a positive finite number: got ${step}`,
    );
  }
  const size = Math.max(0, Math.ceil((stop - start) / step));
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) out[i] = start + i * step;
  return out;
}

/** One op with one choice of parameters, as drawn in a figure. */
export interface Variant {
  /** Used in file names: the op's name, then each non-default parameter (`swish-beta-0.5`). */
  readonly id: string;
  /** The op. */
  readonly op: OpName;
  /** The parameters passed to the backend (prelu's α as a number). */
  readonly params: Readonly<Record<string, number | string>>;
  /** Every parameter's value, written for people (`β = 0.5`); empty when there are none. */
  readonly label: string;
}

/** prelu's α has no default; the figures use the catalog's example value. */
export const PRELU_ALPHA: number = getOp("prelu").example.alpha as number;

const SYMBOLS: Readonly<Record<string, string>> = { alpha: "α", beta: "β" };

/**
 * Every variant the figures draw, in catalog order: each op with its default
 * parameters (prelu with α = {@linkcode PRELU_ALPHA}), each further choice of
 * a choice parameter (gelu's tanh form) and swish with β = 0.5 and β = 10.
 *
 * @returns The variants.
 *
 * @example
 * ```ts
 * import { figureVariants } from "@nonlin/plot";
 * import assert from "node:assert";
 *
 * const ids = figureVariants().map((v) => v.id);
 * assert.ok(ids.includes("relu"));
 * assert.ok(ids.includes("gelu-approximate-tanh"));
 * assert.ok(ids.includes("swish-beta-10"));
 * ```
 */
export function figureVariants(): Variant[] {
  const variants: Variant[] = [];
  for (const op of opNames) {
    const base: Record<string, number | string> = {};
    const others: [string, number | string][] = [];
    for (const [name, spec] of Object.entries(getOp(op).params)) {
      if (!("default" in spec)) {
        base[name] = getOp(op).example[name] as number;
      } else {
        base[name] = spec.default;
        if (spec.kind === "choice") {
          for (const c of spec.choices) {
            if (c !== spec.default) others.push([name, c]);
          }
        }
      }
      // The catalog's further curves, one parameter each (swish's β).
      for (const curve of getOp(op).curves) {
        const v = curve[name];
        if (typeof v === "number") others.push([name, v]);
      }
    }
    variants.push(makeVariant(op, base, ""));
    for (const [name, value] of others) {
      variants.push(
        makeVariant(op, { ...base, [name]: value }, `-${name}-${value}`),
      );
    }
  }
  return variants;
}

function makeVariant(
  op: OpName,
  params: Record<string, number | string>,
  suffix: string,
): Variant {
  const label = Object.entries(params)
    .map(([name, value]) => `${SYMBOLS[name] ?? name} = ${value}`)
    .join(", ");
  return Object.freeze({
    id: `${op}${suffix}`,
    op,
    params: Object.freeze(params),
    label,
  });
}

/** f(x) and f'(x) on a grid. */
export interface Curves {
  /** The grid. */
  readonly x: Float32Array;
  /** f(x). */
  readonly y: Float32Array;
  /** f'(x), the elementwise derivative. */
  readonly dy: Float32Array;
}

type ConvenienceOp = (
  x: ArrayInput,
  options?: unknown,
) => Promise<Float32Array>;
type ConvenienceDerivative = (
  op: OpName,
  x: ArrayInput,
  options?: unknown,
) => Promise<Float32Array>;

/**
 * Computes a variant on a backend: the backend's own f(x) (the op's
 * convenience form) and f'(x) (its `derivative`, the VJP with dy = 1), read
 * back as float32. Nothing is recomputed or corrected here.
 *
 * @param backend The backend module.
 * @param variant The op and its parameters.
 * @param x The grid.
 * @returns The backend's curves.
 * @throws Whatever the backend throws (`NotSupportedError` for an op it lacks).
 * @throws {TypeError} When the backend returns something other than a
 * Float32Array of x's length.
 *
 * @example
 * ```ts
 * import { backendCurves, figureVariants } from "@nonlin/plot";
 * import { loadBackend } from "@nonlin/backends";
 * import assert from "node:assert";
 *
 * const relu = figureVariants().find((v) => v.id === "relu")!;
 * const curves = await backendCurves(await loadBackend("native"), relu, new Float32Array([-1, 0, 2]));
 * assert.deepStrictEqual(curves.y, new Float32Array([0, 0, 2]));
 * assert.deepStrictEqual(curves.dy, new Float32Array([0, 0, 1]));
 * ```
 */
export async function backendCurves(
  backend: BackendModule,
  variant: Variant,
  x: Float32Array,
): Promise<Curves> {
  const name = backend.backend.name;
  const f = backend[variant.op] as unknown as ConvenienceOp;
  const derivative = backend.derivative as unknown as ConvenienceDerivative;
  const y = checkOutput(
    await f(x, variant.params),
    x.length,
    `${variant.op} on ${name}`,
  );
  const dy = checkOutput(
    await derivative(variant.op, x, variant.params),
    x.length,
    `derivative of ${variant.op} on ${name}`,
  );
  return { x, y, dy };
}

function checkOutput(out: unknown, length: number, what: string): Float32Array {
  if (!(out instanceof Float32Array) || out.length !== length) {
    const got = out instanceof Float32Array
      ? `${out.length} elements`
      : String(out);
    throw new TypeError(
      `Backend result of ${what} must be a Float32Array of ${length} elements: got ${got}`,
    );
  }
  return out;
}

/**
 * The float64 reference of a variant, rounded once to float32: the
 * catalog's `f` and `dfdx`.
 *
 * @param variant The op and its parameters.
 * @param x The grid.
 * @returns The reference curves.
 *
 * @example
 * ```ts
 * import { figureVariants, referenceCurves } from "@nonlin/plot";
 * import assert from "node:assert";
 *
 * const sigmoid = figureVariants().find((v) => v.id === "sigmoid")!;
 * const ref = referenceCurves(sigmoid, new Float32Array([0]));
 * assert.strictEqual(ref.y[0], 0.5);
 * assert.strictEqual(ref.dy[0], 0.25);
 * ```
 */
export function referenceCurves(variant: Variant, x: Float32Array): Curves {
  const spec = ops[variant.op];
  const params = resolveParams(variant.op, variant.params) as Readonly<
    Record<string, number | string>
  >;
  const y = new Float32Array(x.length);
  const dy = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) {
    y[i] = spec.f(x[i]!, params);
    dy[i] = spec.dfdx(x[i]!, params);
  }
  return { x, y, dy };
}

/** How far a backend's values lie from the reference, point by point. */
export interface Difference {
  /**
   * |got − want| at each point: 0 where they are equal (±0 alike, NaN and
   * NaN alike), `Infinity` where one is NaN or infinite and the other is not
   * the same value.
   */
  readonly abs: Float64Array;
  /** The distance in float32 ULPs at each point (`ulpDistance`). */
  readonly ulp: Float64Array;
  /** The largest finite |got − want|; 0 when every point is exact. */
  readonly maxAbs: number;
  /** The largest ULP distance among the finite differences. */
  readonly maxUlp: number;
  /** How many points are exact (difference 0). */
  readonly exact: number;
  /** How many points disagree on NaN or infinity (`abs` is `Infinity`). */
  readonly mismatched: number;
}

/**
 * Compares a backend's float32 values with the reference's, point by point.
 *
 * @param got The backend's values.
 * @param want The reference, rounded to float32.
 * @returns The differences and their summary.
 * @throws {RangeError} When the lengths differ.
 *
 * @example
 * ```ts
 * import { difference } from "@nonlin/plot";
 * import assert from "node:assert";
 *
 * const d = difference(new Float32Array([1, 0.5, NaN]), new Float32Array([1, Math.fround(0.5 + 2 ** -24), NaN]));
 * assert.deepStrictEqual([...d.abs], [0, 2 ** -24, 0]);
 * assert.deepStrictEqual([...d.ulp], [0, 1, 0]);
 * assert.strictEqual(d.exact, 2);
 * ```
 */
export function difference(got: Float32Array, want: Float32Array): Difference {
  if (got.length !== want.length) {
    throw new RangeError(
      `Values and reference must have the same length: got ${got.length} and ${want.length}`,
    );
  }
  const abs = new Float64Array(got.length);
  const ulp = new Float64Array(got.length);
  let maxAbs = 0;
  let maxUlp = 0;
  let exact = 0;
  let mismatched = 0;
  for (let i = 0; i < got.length; i++) {
    const g = got[i]!;
    const w = want[i]!;
    ulp[i] = ulpDistance(g, w);
    if (ulp[i] === 0) {
      exact++;
      continue;
    }
    const d = Math.abs(g - w);
    if (Number.isFinite(d)) {
      abs[i] = d;
      maxAbs = Math.max(maxAbs, d);
      maxUlp = Math.max(maxUlp, ulp[i]!);
    } else {
      // NaN against a number, or an infinity against anything else.
      abs[i] = Infinity;
      ulp[i] = Infinity;
      mismatched++;
    }
  }
  return { abs, ulp, maxAbs, maxUlp, exact, mismatched };
}
