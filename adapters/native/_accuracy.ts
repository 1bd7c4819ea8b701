// The accuracy sweep of the native engine against the float64 reference:
// shared by mod_test.ts (which asserts the bounds) and accuracy_table.ts
// (which prints the worst ULP per op).

import {
  bookGrid,
  nextFloat32,
  type OpName,
  opNames,
  ops,
  type OpSpec,
  type ResolvedParams,
  resolveParams,
  seededRandom,
  seedOf,
  type Tensor,
  ulpDistance,
} from "@nonlin/core";
import * as native from "./mod.ts";
import { prepare } from "./_engine.ts";

type Resident = (x: Tensor, options?: unknown) => Tensor;

function resident(
  fn: unknown,
  x: Tensor,
  options: unknown,
): Promise<Float32Array> {
  return (fn as Resident)(x, options).read();
}

function derivativeOf(op: OpName): Resident {
  return (x, options) =>
    (native.derivative as (op: OpName, x: Tensor, o?: unknown) => Tensor)(
      op,
      x,
      options,
    );
}

function secondDerivativeOf(op: OpName): Resident {
  return (x, options) =>
    (native.secondDerivative as (op: OpName, x: Tensor, o?: unknown) => Tensor)(
      op,
      x,
      options,
    );
}

/** One op with one parameter set. */
export interface ParamCase {
  readonly op: OpName;
  /** e.g. `"swish β=1.702"`. */
  readonly label: string;
  /** The options passed to the engine. */
  readonly params: Readonly<Record<string, number | string>>;
  /** prelu only: α per channel (the last dimension of x); one value = scalar. */
  readonly alpha?: readonly number[];
}

/** Every op with its default parameters and the catalog's edge sets. */
export function paramCases(): ParamCase[] {
  const cases: ParamCase[] = [];
  for (const op of opNames) {
    const spec = ops[op] as unknown as OpSpec;
    // The catalog's example and edge sets: where a parameter changes the
    // code path or a limit (α = 0, β = 0, large β, both gelu forms,
    // asymmetric hardTanh bounds, a low softplus threshold, prelu's scalar,
    // per-channel and negative α).
    const sets = [spec.example, ...spec.edges];
    if (op === "prelu") {
      for (const set of sets) {
        const alpha = typeof set.alpha === "number"
          ? [set.alpha]
          : set.alpha as readonly number[];
        cases.push({
          op,
          label: `prelu α=${
            alpha.length === 1 ? alpha[0] : `[${alpha.join(", ")}]`
          }`,
          params: {},
          alpha,
        });
      }
      continue;
    }
    const seen = new Set<string>();
    const given = [
      spec.example,
      ...spec.edges.map((e) => ({
        ...spec.example,
        ...e,
      })),
    ];
    for (const params of given as ParamCase["params"][]) {
      const resolved = resolveParams(op, params);
      const key = JSON.stringify(resolved);
      if (seen.has(key)) continue;
      seen.add(key);
      const named = Object.entries(params).map(([k, v]) => `${k}=${v}`).join(
        " ",
      );
      cases.push({ op, label: named ? `${op} ${named}` : op, params });
    }
  }
  return cases;
}

/** The float32 neighbours of a float32 value. */
function neighbours(v: number): number[] {
  return [nextFloat32(v, false), nextFloat32(v, true)].filter((n) => n !== v);
}

const LOG_MIN = Math.log(1e-45);
const LOG_MAX = Math.log(3e38);

/** `count` float32 values, log-uniform in magnitude over 1e-45…3e38, both signs. */
export function logUniform(rand: () => number, count: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const m = Math.exp(LOG_MIN + rand() * (LOG_MAX - LOG_MIN));
    out.push(Math.fround(rand() < 0.5 ? -m : m));
  }
  return out;
}

/** Inputs whose results are pinned exactly: NaN, ±∞, ±0 and the kinks. */
export function pinnedInputs(spec: OpSpec, p: ResolvedParams): number[] {
  return [NaN, Infinity, -Infinity, 0, -0, ...spec.kinks(p).map(Math.fround)];
}

/** The other special inputs: subnormals, extremes, notable points, kink neighbours. */
export function specialInputs(spec: OpSpec, p: ResolvedParams): number[] {
  const points = [...spec.kinks(p), ...spec.notable(p)].map(Math.fround);
  return [
    1e-45,
    -1e-45,
    1e-40,
    -1e-40,
    1.1754942e-38,
    -1.1754942e-38,
    1.1754944e-38,
    -1.1754944e-38,
    3.4028235e38,
    -3.4028235e38,
    1e-7,
    -1e-7,
    ...spec.notable(p).map(Math.fround),
    ...points.flatMap(neighbours),
  ];
}

/** How many random inputs each case gets, log-uniform and again uniform on [−20, 20]. */
export const RANDOM_COUNT = 10_000;

/** Where the worst error of one check was found. */
export interface Worst {
  /** The ULP distance (Infinity for NaN against a number). */
  ulp: number;
  /** The input. */
  x: number;
  /** The engine's value. */
  got: number;
  /** The reference rounded to float32. */
  want: number;
}

/** The outcome of one case. */
export interface CaseResult {
  /** The case. */
  readonly case: ParamCase;
  /** Number of inputs. */
  readonly count: number;
  /** Worst ULP per check: values, dx (VJP), derivative, d2x, dparam:<name>. */
  readonly worst: Record<string, Worst>;
  /**
   * Pinned inputs (NaN, ±∞, ±0, kinks) where a result was not exact, and odd
   * ops that lost the sign of zero; each entry describes one miss.
   */
  readonly pinnedMisses: string[];
  /** Learned-parameter sums outside their tolerance, described. */
  readonly sumMisses: string[];
  /** The largest |got − want| / tolerance of the parameter sums. */
  readonly sumRatio: number;
}

function record(
  worst: Record<string, Worst>,
  check: string,
  x: number,
  got: number,
  want: number,
) {
  const ulp = ulpDistance(got, want);
  const w = worst[check];
  if (w === undefined || ulp > w.ulp) worst[check] = { ulp, x, got, want };
  return ulp;
}

/** Reference parameters for element `i` (prelu: its channel's α). */
function refParams(
  c: ParamCase,
  base: ResolvedParams,
  i: number,
): ResolvedParams {
  if (c.alpha === undefined) return base;
  // A scalar α is a number (float64); a per-channel α is a float32 tensor.
  const a = c.alpha[i % c.alpha.length]!;
  return { ...base, alpha: c.alpha.length === 1 ? a : Math.fround(a) };
}

/**
 * Runs every check of one case through the public host API (and, for the
 * per-element parameter gradients, the active kernels one element at a time).
 */
export async function sweepCase(c: ParamCase): Promise<CaseResult> {
  const spec = ops[c.op] as unknown as OpSpec;
  const base: ResolvedParams = c.alpha === undefined
    ? resolveParams(c.op, c.params) as ResolvedParams
    : { alpha: c.alpha[0]! };
  const rand = seededRandom(seedOf(c.label));
  const pinned = pinnedInputs(spec, base);
  const width = c.alpha?.length ?? 1;
  let xs = [
    ...pinned,
    ...specialInputs(spec, base),
    ...bookGrid(),
    ...logUniform(rand, RANDOM_COUNT),
    // Log-uniform inputs are mostly saturated; these fill the curved part.
    ...Array.from(
      { length: RANDOM_COUNT },
      () => Math.fround(40 * rand() - 20),
    ),
  ];
  // prelu per channel: x is [n / C, C]; pad to whole rows.
  while (xs.length % width !== 0) xs = [...xs, Math.fround(rand() * 2 - 1)];
  const n = xs.length;
  const x = new Float32Array(xs);
  const dy = new Float32Array(
    logUniform(rand, n).map((v) => {
      // dy over 1e-3…1e3: gradients of ordinary size, both signs.
      const m = Math.exp(Math.log(1e-3) + rand() * Math.log(1e6));
      return v < 0 ? -m : m;
    }),
  );
  const options: Record<string, unknown> = { ...c.params };
  if (c.alpha !== undefined) {
    options.alpha = c.alpha.length === 1
      ? c.alpha[0]
      : native.tensor(c.alpha as number[], [c.alpha.length]);
  }
  const shape = [n / width, width];
  const xt = native.tensor(x, shape);
  const y = await resident(native[c.op], xt, options);
  const g = native.vjp(c.op, xt, {
    dy: native.tensor(dy, shape),
    params: options as never,
  });
  const dx = await g.dx.read();
  const d = await resident(derivativeOf(c.op), xt, options);
  const d2 = await resident(secondDerivativeOf(c.op), xt, options);

  const worst: Record<string, Worst> = {};
  const pinnedMisses: string[] = [];
  const miss = (check: string, i: number, got: number, want: number) => {
    if (i < pinned.length && ulpDistance(got, want) !== 0) {
      pinnedMisses.push(
        `${c.label} ${check}(${x[i]}) = ${got}, pinned ${want}`,
      );
    }
  };
  for (let i = 0; i < n; i++) {
    const v = x[i]!;
    const p = refParams(c, base, i);
    const checks: [string, number, number][] = [
      ["values", y[i]!, Math.fround(spec.f(v, p))],
      ["dx", dx[i]!, Math.fround(dy[i]! * spec.dfdx(v, p))],
      ["derivative", d[i]!, Math.fround(spec.dfdx(v, p))],
      ["d2x", d2[i]!, Math.fround(spec.d2fdx2(v, p))],
    ];
    for (const [check, got, want] of checks) {
      record(worst, check, v, got, want);
      miss(check, i, got, want);
    }
  }
  if (spec.odd) {
    for (const [i, v] of [[3, 0], [4, -0]] as const) {
      if (!Object.is(y[i], v)) {
        pinnedMisses.push(
          `${c.label}(${Object.is(v, -0) ? "-0" : "0"}) = ${
            y[i]
          }: odd op must keep the sign of zero`,
        );
      }
    }
  }

  // Learned parameters: per element, and the whole sum against float64.
  const sumMisses: string[] = [];
  let sumRatio = 0;
  for (const [name, fn] of Object.entries(spec.dfdp)) {
    const per = await perElementParamGradients(c, x, dy, name);
    for (let i = 0; i < n; i++) {
      const w = Math.fround(dy[i]! * fn(x[i]!, refParams(c, base, i)));
      record(worst, `dparam:${name}`, x[i]!, per[i]!, w);
      miss(`dparam:${name}`, i, per[i]!, w);
    }
    // The whole sum, over finite inputs (a non-finite x makes it NaN or ∞,
    // which the per-element check pins): non-finite x are replaced by 0.
    const xf = x.map((v) => (Number.isFinite(v) ? v : 0));
    const perChannel = c.alpha !== undefined && width > 1;
    const want = new Float64Array(perChannel ? width : 1);
    const abs = new Float64Array(want.length);
    for (let i = 0; i < n; i++) {
      const t = dy[i]! * fn(xf[i]!, refParams(c, base, i));
      const k = perChannel ? i % width : 0;
      want[k]! += t;
      abs[k]! += Math.abs(t);
    }
    const whole = native.vjp(c.op, native.tensor(xf, shape), {
      dy: native.tensor(dy, shape),
      params: options as never,
    });
    const got = await (whole.dparams as Record<string, Tensor>)[name]!.read();
    for (let k = 0; k < want.length; k++) {
      const ratio = sumError(got[k]!, want[k]!, abs[k]!, n);
      sumRatio = Math.max(sumRatio, ratio);
      if (!(ratio <= 1)) {
        sumMisses.push(
          `${c.label} d${name}[${k}] = ${got[k]}, float64 sum ${
            want[k]
          } (Σ|terms| ${abs[k]})`,
        );
      }
    }
  }
  return { case: c, count: n, worst, pinnedMisses, sumMisses, sumRatio };
}

/**
 * |got − want| over its tolerance for a parameter gradient, a sum of n terms
 * tᵢ = dyᵢ·∂f/∂θ(xᵢ). The engine and the reference form each term with a few
 * float64 operations in different orders (each term off by ≤ 8ε, ε = 2⁻⁵³),
 * and both sum recursively (each off by ≤ (n − 1)ε·Σ|tᵢ|); the engine then
 * rounds once to float32 (≤ 2⁻²⁴ relative; 2⁻²³ allowed). So
 * |got − want| ≤ 2⁻²³|want| + (2n + 8)ε·Σ|tᵢ|. A sum that rounds to ±∞ in
 * float32 must come back as that infinity.
 */
export function sumError(
  got: number,
  want: number,
  absSum: number,
  n: number,
): number {
  const want32 = Math.fround(want);
  if (!Number.isFinite(want32)) {
    return ulpDistance(got, want32) === 0 ? 0 : Infinity;
  }
  const tol = 2 ** -23 * Math.abs(want) + (2 * n + 8) * 2 ** -53 * absSum;
  const err = Math.abs(got - want);
  if (err === 0) return 0;
  return tol === 0 ? Infinity : err / tol;
}

/** dθ for each element alone: prelu through α expanded to x; others kernel by kernel. */
async function perElementParamGradients(
  c: ParamCase,
  x: Float32Array,
  dy: Float32Array,
  name: string,
): Promise<Float32Array> {
  const n = x.length;
  if (c.alpha !== undefined) {
    const full = Float32Array.from(
      { length: n },
      (_, i) => c.alpha![i % c.alpha!.length]!,
    );
    const g = await native.vjp("prelu", x, { dy, params: { alpha: full } });
    return g.dparams.alpha;
  }
  const { kernel, args } = prepare(c.op, c.params, [1]);
  const sums = { [name]: new Float64Array(1) };
  const out = new Float32Array(n);
  const dx = new Float32Array(1);
  for (let i = 0; i < n; i++) {
    sums[name]![0] = 0;
    kernel.vjp(x.subarray(i, i + 1), dy.subarray(i, i + 1), dx, sums, args);
    out[i] = sums[name]![0]!;
  }
  return out;
}
