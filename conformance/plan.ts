/**
 * A case's plan: its input, the float64 reference on it, and the calls every
 * backend makes for it. Built once per case and shared by every backend; the
 * calls are vectorised (one tensor per purpose), never one call per element.
 *
 * @module
 */

import {
  BOOK_GRID,
  type OpName,
  ops,
  type ResolvedParams,
  type ScalarFn,
} from "@nonlin/core";
import type { Call, WireParam } from "./_executor.ts";
import { type Case, referenceParams } from "./cases.ts";
import { type CaseInput, caseInput, type InputSizes, Tag } from "./inputs.ts";

/** The float64 reference of the four elementwise quantities on a case's input. */
export interface Reference {
  /** f(x). */
  readonly f: Float64Array;
  /** f'(x), left-hand at kinks. */
  readonly d1: Float64Array;
  /** f''(x), left-hand at kinks. */
  readonly d2: Float64Array;
  /** dy·f'(x), the VJP's dx. */
  readonly dx: Float64Array;
}

/** Where each purpose's call sits in {@linkcode CasePlan.calls}, and what it covers. */
export interface Slots {
  readonly forward: number;
  readonly derivative: number;
  readonly secondDerivative: number;
  readonly vjp: number;
  /** The VJP on the gradient subset (the first `gradientCount` elements), for dparams. */
  readonly dparams?: number;
  /** The VJP of the op's expanded composition on the gradient subset, by native's autodiff. */
  readonly expanded: number;
  /** Finite differences: forward and derivative at x − h and x + h on the gradient subset. */
  readonly fd: {
    readonly fm: number;
    readonly fp: number;
    readonly dm: number;
    readonly dp: number;
  };
  /** Per learned parameter: forward at θ − h and θ + h, and the VJP with dy = 1. */
  readonly fdParams: readonly FdParam[];
  /** Resident, Float32Array and number[] forms on the same subset, per kind. */
  readonly resident: readonly {
    readonly kind: Call["kind"];
    readonly resident: number;
    readonly array: number;
    readonly numbers: number;
  }[];
  /** A tensor parameter broadcast along each axis pattern, when the op has one. */
  readonly broadcast: readonly BroadcastCall[];
  /** The VJP at each special value, one call per value (x a row of copies). */
  readonly specials: readonly { readonly x: number; readonly call: number }[];
  /** The shape checks, when this case runs them. */
  readonly shapes: readonly ShapeCall[];
}

/** One parameter's finite-difference calls. */
export interface FdParam {
  readonly name: string;
  /** The parameter's values below and above, per channel (one value for a scalar). */
  readonly below: readonly number[];
  readonly above: readonly number[];
  readonly fm: number;
  readonly fp: number;
  readonly vjp: number;
}

/** One broadcast check: α's shape and values, x's shape, and the forward and VJP calls. */
export interface BroadcastCall {
  /** The parameter's name. */
  readonly name: string;
  /** How α lies against x: scalar, leading, middle, trailing or full. */
  readonly pattern: string;
  readonly alphaShape: readonly number[];
  readonly alpha: Float32Array;
  readonly shape: readonly number[];
  readonly x: Float32Array;
  readonly dy: Float32Array;
  readonly forward: number;
  readonly vjp: number;
}

/** x's shape in the broadcast check, and α's shape per pattern. */
export const BROADCAST_SHAPE: readonly number[] = [2, 3, 5];
const broadcastPatterns: readonly {
  readonly pattern: string;
  readonly shape: readonly number[];
}[] = [
  { pattern: "scalar", shape: [] },
  { pattern: "leading", shape: [2, 1, 1] },
  { pattern: "middle", shape: [3, 1] },
  { pattern: "trailing", shape: [5] },
  { pattern: "full", shape: [2, 3, 5] },
];

/** The index into α (of shape `a`) of flat element i of x (of shape `x`), numpy's broadcast. */
export function broadcastIndex(
  i: number,
  x: readonly number[],
  a: readonly number[],
): number {
  let index = 0;
  let stride = 1;
  let rest = i;
  for (let k = x.length - 1, j = a.length - 1; k >= 0; k--, j--) {
    const coord = rest % x[k]!;
    rest = Math.floor(rest / x[k]!);
    if (j >= 0) {
      if (a[j] !== 1) index += coord * stride;
      stride *= a[j]!;
    }
  }
  return index;
}

/** One shape check call: the shape and the call. */
export interface ShapeCall {
  readonly shape: readonly number[];
  readonly call: number;
}

/**
 * Everything the suite needs to run and judge one case.
 *
 * @internal The runner's own plumbing, between plan.ts, the workers and
 * checks.ts; not part of the package's API.
 */
export interface CasePlan {
  readonly case: Case;
  readonly input: CaseInput;
  readonly ref: Reference;
  /** The parameters the reference sees at element i. */
  readonly paramsAt: (i: number) => ResolvedParams;
  /** Every call, in order. */
  readonly calls: readonly Call[];
  readonly slots: Slots;
  /** The elements x[0, gradientCount) take part in the dparams and finite-difference checks. */
  readonly gradientCount: number;
  /** x − h and x + h on the gradient subset. */
  readonly xm: Float32Array;
  readonly xp: Float32Array;
  /** The subset of elements compared between the resident and array forms. */
  readonly residentIndices: Int32Array;
}

/** How a run sizes its plans. */
export interface PlanOptions {
  readonly sizes: InputSizes;
  /** Elements in the dparams and finite-difference subset (grid first). */
  readonly gradientCount: number;
  /** Random elements in the resident-versus-array subset. */
  readonly residentRandom: number;
  /** Shapes of the shape check; empty to skip it for this case. */
  readonly shapes: readonly (readonly number[])[];
  /** Extra inputs named by waivers. */
  readonly witnesses: readonly number[];
}

/** The relative step of the finite differences: about ε^(1/3) of float32. */
export const FD_STEP = 2 ** -7;

/** The parameters of a case as the calls pass them. */
function wireParams(c: Case): Record<string, WireParam> {
  const out: Record<string, WireParam> = {};
  for (const [name, value] of Object.entries(c.params)) {
    if (Array.isArray(value)) {
      const data = Float32Array.from(value);
      out[name] = { data, shape: [data.length] };
    } else {
      out[name] = value as number | string;
    }
  }
  return out;
}

/** The same parameters with one learned parameter replaced per channel. */
function withParam(
  c: Case,
  name: string,
  values: readonly number[],
): Record<string, WireParam> {
  const out = wireParams(c);
  const original = c.params[name];
  out[name] = Array.isArray(original)
    ? { data: Float32Array.from(values), shape: [values.length] }
    : values[0]!;
  return out;
}

function evaluate(
  fn: ScalarFn,
  x: Float32Array,
  at: (i: number) => ResolvedParams,
): Float64Array {
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = fn(x[i]!, at(i));
  return out;
}

/** `size` elements of `data`, repeated from its start. */
function tile(data: Float32Array, size: number): Float32Array {
  const out = new Float32Array(size);
  for (let at = 0; at < size; at += data.length) {
    out.set(data.subarray(0, Math.min(data.length, size - at)), at);
  }
  return out;
}

/** The step below and above a parameter value, kept inside its valid range. */
export function paramSteps(
  op: OpName,
  name: string,
  value: number,
): { below: number; above: number } {
  const spec = ops[op].params[name as never] as {
    range?: { min: number; minOpen?: boolean };
  } | undefined;
  const h = FD_STEP * Math.max(1, Math.abs(value));
  const above = Math.fround(value + h);
  let below = Math.fround(value - h);
  const min = spec?.range?.min ?? -Infinity;
  if (below < min || (spec?.range?.minOpen && below <= min)) {
    below = Math.fround(value);
  }
  return { below, above };
}

/**
 * Builds the plan of one case.
 *
 * @param c The case.
 * @param options Sizes, shapes, witnesses.
 * @returns The plan.
 */
export function planCase(c: Case, options: PlanOptions): CasePlan {
  const spec = ops[c.op];
  const input = caseInput(c, options.sizes, options.witnesses);
  const paramsAt = referenceParams(c);
  const { x, shape, dy } = input;
  const f = evaluate(spec.f, x, paramsAt);
  const d1 = evaluate(spec.dfdx, x, paramsAt);
  const d2 = evaluate(spec.d2fdx2, x, paramsAt);
  const dx = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) dx[i] = dy[i]! * d1[i]!;

  const calls: Call[] = [];
  const add = (call: Call): number => calls.push(call) - 1;
  const params = wireParams(c);
  const channels = c.channels ?? 1;
  const rowsOf = (
    n: number,
  ) => (c.channels === undefined ? [n] : [n / channels, channels]);
  const forward = add({
    kind: "forward",
    form: "resident",
    op: c.op,
    params,
    x,
    shape,
  });
  const derivative = add({
    kind: "derivative",
    form: "resident",
    op: c.op,
    params,
    x,
    shape,
  });
  const secondDerivative = add({
    kind: "secondDerivative",
    form: "resident",
    op: c.op,
    params,
    x,
    shape,
  });
  const vjp = add({
    kind: "vjp",
    form: "resident",
    op: c.op,
    params,
    x,
    shape,
    dy,
  });

  const g = Math.min(input.moderateEnd, options.gradientCount);
  const gradientCount = g - (g % channels);
  const gx = x.subarray(0, gradientCount);
  const gShape = rowsOf(gradientCount);
  const learned = Object.keys(spec.dfdp);
  const dparams = learned.length === 0 ? undefined : add({
    kind: "vjp",
    form: "resident",
    op: c.op,
    params,
    x: gx.slice(),
    shape: gShape,
    dy: dy.slice(0, gradientCount),
  });

  const expanded = add({
    kind: "expandedVjp",
    form: "resident",
    op: c.op,
    params,
    x: gx.slice(),
    shape: gShape,
    dy: dy.slice(0, gradientCount),
    only: "native",
  });

  const xm = new Float32Array(gradientCount);
  const xp = new Float32Array(gradientCount);
  for (let i = 0; i < gradientCount; i++) {
    const h = FD_STEP * Math.max(1, Math.abs(gx[i]!));
    xm[i] = gx[i]! - h;
    xp[i] = gx[i]! + h;
  }
  const fd = {
    fm: add({
      kind: "forward",
      form: "resident",
      op: c.op,
      params,
      x: xm,
      shape: gShape,
    }),
    fp: add({
      kind: "forward",
      form: "resident",
      op: c.op,
      params,
      x: xp,
      shape: gShape,
    }),
    dm: add({
      kind: "derivative",
      form: "resident",
      op: c.op,
      params,
      x: xm,
      shape: gShape,
    }),
    dp: add({
      kind: "derivative",
      form: "resident",
      op: c.op,
      params,
      x: xp,
      shape: gShape,
    }),
  };
  const ones = new Float32Array(gradientCount).fill(1);
  const fdParams: FdParam[] = learned.map((name) => {
    const value = c.params[name]!;
    const values = Array.isArray(value) ? value : [value as number];
    const steps = values.map((v) => paramSteps(c.op, name, v));
    const below = steps.map((s) => s.below);
    const above = steps.map((s) => s.above);
    const xs = gx.slice();
    return {
      name,
      below,
      above,
      fm: add({
        kind: "forward",
        form: "resident",
        op: c.op,
        params: withParam(c, name, below),
        x: xs,
        shape: gShape,
      }),
      fp: add({
        kind: "forward",
        form: "resident",
        op: c.op,
        params: withParam(c, name, above),
        x: xs,
        shape: gShape,
      }),
      vjp: add({
        kind: "vjp",
        form: "resident",
        op: c.op,
        params,
        x: xs,
        shape: gShape,
        dy: ones,
      }),
    };
  });

  // The resident-versus-array subset: everything but most random elements,
  // flat, with a per-channel α spelled out per element (the array form has
  // no shape to broadcast along).
  const indices: number[] = [];
  let randomSeen = 0;
  const witnessCount = options.witnesses.length;
  for (let i = 0; i < x.length; i++) {
    const tag = input.tags[i];
    if (
      tag === Tag.moderate &&
      i >= BOOK_GRID.length + options.residentRandom + witnessCount
    ) continue;
    if (tag === Tag.random && randomSeen++ >= options.residentRandom) continue;
    indices.push(i);
  }
  const residentIndices = Int32Array.from(indices);
  const rx = Float32Array.from(indices, (i) => x[i]!);
  const rdy = Float32Array.from(indices, (i) => dy[i]!);
  const rParams: Record<string, WireParam> = { ...params };
  for (const [name, value] of Object.entries(c.params)) {
    if (!Array.isArray(value)) continue;
    // Element j of the subset keeps the channel of the element it came from.
    const data = Float32Array.from(indices, (i) => value[i % value.length]!);
    rParams[name] = { data, shape: [data.length] };
  }
  const rShape = [rx.length];
  const resident =
    (["forward", "derivative", "secondDerivative", "vjp"] as const).map((
      kind,
    ) => ({
      kind,
      resident: add({
        kind,
        form: "resident",
        op: c.op,
        params: rParams,
        x: rx,
        shape: rShape,
        ...(kind === "vjp" ? { dy: rdy } : {}),
      }),
      array: add({
        kind,
        form: "array",
        op: c.op,
        params: rParams,
        x: rx,
        shape: rShape,
        ...(kind === "vjp" ? { dy: rdy } : {}),
      }),
      numbers: add({
        kind,
        form: "numbers",
        op: c.op,
        params: rParams,
        x: rx,
        shape: rShape,
        ...(kind === "vjp" ? { dy: rdy } : {}),
      }),
    }));

  const specials = learned.length === 0
    ? []
    : [NaN, Infinity, -Infinity].map((v) => ({
      x: v,
      call: add({
        kind: "vjp",
        form: "resident",
        op: c.op,
        params,
        x: new Float32Array(channels).fill(v),
        shape: rowsOf(channels),
        dy: new Float32Array(channels).fill(1),
      }),
    }));

  // Every kind in every form at every shape, the large one included: a
  // fault may show only past 2¹⁶ elements, in one form, in one derivative.
  const kinds = ["forward", "derivative", "secondDerivative", "vjp"] as const;
  const shapes = options.shapes.flatMap((s) => {
    const size = s.reduce((a, b) => a * b, 1);
    const sx = tile(x, size);
    const sdy = tile(dy, size);
    const n = x.length;
    const sParams = c.channels === undefined ? params : {
      ...params,
      ...Object.fromEntries(
        Object.entries(c.params).filter(([, v]) => Array.isArray(v)).map((
          [name, v],
        ) => {
          // The flat forms have no axis to broadcast along: α per element.
          const list = v as readonly number[];
          const data = Float32Array.from(
            { length: size },
            (_, i) => list[(i % n) % list.length]!,
          );
          return [name, { data, shape: [size] }];
        }),
      ),
    };
    return kinds.flatMap((kind) =>
      (["resident", "array"] as const).map((form) => ({
        shape: s,
        call: add({
          kind,
          form,
          op: c.op,
          params: form === "resident" && c.channels === undefined
            ? params
            : sParams,
          x: sx,
          shape: form === "resident" && c.channels === undefined ? s : [size],
          ...(kind === "vjp" ? { dy: sdy } : {}),
        }),
      }))
    );
  });

  // A tensor parameter broadcast along every axis pattern (prelu's α).
  const broadcast: BroadcastCall[] = options.shapes.length === 0
    ? []
    : Object.entries(spec.params).filter(([, p]) => p.kind === "tensor")
      .flatMap(([name]) =>
        broadcastPatterns.map(({ pattern, shape: alphaShape }) => {
          const size = BROADCAST_SHAPE.reduce((a, b) => a * b, 1);
          const bx = Float32Array.from(
            { length: size },
            (_, i) => Math.fround((i % 7) - 4 + i / 16),
          );
          const bdy = Float32Array.from(
            { length: size },
            (_, i) => [0.75, -1.5, 1, 2.5][i % 4]!,
          );
          const count = alphaShape.reduce((a, b) => a * b, 1);
          const alpha = Float32Array.from(
            { length: count },
            (_, k) => Math.fround(0.1 + 0.15 * k),
          );
          const p = { ...params, [name]: { data: alpha, shape: alphaShape } };
          const common = {
            form: "resident",
            op: c.op,
            params: p,
            x: bx,
            shape: BROADCAST_SHAPE,
          } as const;
          return {
            name,
            pattern,
            alphaShape,
            alpha,
            shape: BROADCAST_SHAPE,
            x: bx,
            dy: bdy,
            forward: add({ kind: "forward", ...common }),
            vjp: add({ kind: "vjp", ...common, dy: bdy }),
          };
        })
      );

  return {
    case: c,
    input,
    ref: { f, d1, d2, dx },
    paramsAt,
    calls,
    slots: {
      forward,
      derivative,
      secondDerivative,
      vjp,
      ...(dparams === undefined ? {} : { dparams }),
      expanded,
      fd,
      fdParams,
      resident,
      specials,
      shapes,
      broadcast,
    },
    gradientCount,
    xm,
    xp,
    residentIndices,
  };
}
