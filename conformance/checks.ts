/**
 * The check kinds, and how one backend's outcomes for a case are judged
 * against the reference: each kind is its own result, so a report says not
 * only that a backend departs but how.
 *
 * @module
 */

import {
  FLOAT32_MIN_NORMAL,
  nextFloat32,
  type OpName,
  ops,
  type ResolvedParams,
  ulpDistance,
  ulpOf,
} from "@nonlin/core";
import type { Outcome, Returned } from "./_executor.ts";
import type { CaseParamValue } from "./cases.ts";
import {
  allowedError,
  type Deviation,
  deviation,
  EXACT,
  sameValue,
  Tally,
  within,
  type Worst,
} from "./compare.ts";
import { isSubnormal, Tag } from "./inputs.ts";
import type { DeviationClass } from "./ledger.ts";
import { broadcastIndex, type CasePlan } from "./plan.ts";
import { compositionSlack, type Quantity, toleranceOf } from "./tolerances.ts";

/** Every check kind, in report order. */
export const checkKinds = [
  "values",
  "vjp",
  "dparams",
  "derivative",
  "secondDerivative",
  "special",
  "kink",
  "signOfZero",
  "subnormal",
  "flushToZero",
  "finiteDifference",
  "identity",
  "fusedVjp",
  "pairwise",
  "shapes",
  "broadcast",
  "resident",
] as const;

/** The name of a check kind. */
export type CheckKind = (typeof checkKinds)[number];

/** What each check kind verifies, for reports. */
export const checkDescriptions: Readonly<Record<CheckKind, string>> = {
  values:
    "f(x) against the reference rounded to float32, on finite normal inputs",
  vjp: "dx = dy·f'(x) of the VJP with a random dy",
  dparams:
    "parameter gradients Σ dy·∂f/∂θ (prelu's α summed over its broadcast), within the " +
    "float32 summation bound",
  derivative: "the elementwise derivative f'(x), kinks aside",
  secondDerivative: "the elementwise second derivative f''(x), kinks aside",
  special:
    "NaN in gives NaN out; ±∞ give the exact mathematical limits (values, derivatives, dx, dparams)",
  kink:
    "the left-hand derivative at every kink (relu'(0) = 0, relu6'(6) = 1, …), for f', f'' and dx",
  signOfZero: "odd functions keep the sign of zero: f(−0) = −0, f(+0) = +0",
  subnormal:
    "accuracy on subnormal inputs and where the result is subnormal, flushed elements aside",
  flushToZero:
    "no flush to zero: a subnormal input or result is never replaced by zero",
  finiteDifference:
    "the backend's own f' and f'' (and ∂f/∂θ) agree with central differences " +
    "of its own f and f', within what its float32 precision allows",
  identity: "the book's identities on the backend's own results",
  fusedVjp:
    "native's fused VJP against the VJP of the op's expanded composition by its autodiff",
  pairwise:
    "every two backends agree within the sum of their tolerances (values and f')",
  shapes:
    "shapes 0-d, [0], [1], [7], [3,4,5], [3,21846] (indices past 2¹⁶, in --quick too) and [2²⁰] " +
    "preserved, data unchanged: f, f', f'' and the VJP, resident and Float32Array forms, at every shape",
  broadcast:
    "a tensor parameter (prelu's α) broadcast along every axis pattern of x of shape [2,3,5]: " +
    "scalar, leading [2,1,1], middle [3,1], trailing [5] and full; f, dx and dα summed over the broadcast",
  resident:
    "resident tensors, the Float32Array form and plain number[] input give identical bits; " +
    "every call leaves its inputs unchanged and dispose() disposes",
};

/** One check of one backend on one case. */
export interface Result {
  /** The backend's name (the first of the two for `pairwise`). */
  readonly backend: string;
  /** The op. */
  readonly op: OpName;
  /** The case's id. */
  readonly case: string;
  /** The case's parameters. */
  readonly params: Readonly<Record<string, CaseParamValue>>;
  /** The check. */
  readonly check: CheckKind;
  /** pass, fail, or waived (a failure the ledger, ledger.ts, covers). */
  status: "pass" | "fail" | "waived";
  /** Elements (or calls) checked. */
  readonly count: number;
  /** Of which outside tolerance. */
  readonly failures: number;
  /** The largest ULP distance to the reference rounded to float32. */
  readonly maxUlp?: number;
  /** The largest absolute error against the float64 reference. */
  readonly maxAbsError?: number;
  /** The largest relative error against the float64 reference. */
  readonly maxRelError?: number;
  /** The worst input: the first failing one with the most ULPs, or the most ULPs. */
  readonly worst?: Worst;
  /** What went wrong beyond numbers: an error thrown, a wrong shape. */
  readonly message?: string;
  /** The ledger entry (or declared limitation) that covers this failure. */
  waiver?: {
    readonly reason: string;
    readonly source?: string;
    readonly class?: DeviationClass;
  };
  /** The other backend of a `pairwise` result. */
  readonly against?: string;
  /** The identity of an `identity` result. */
  readonly identity?: string;
}

/** Who is being judged: the backend's name and its tolerance profile. */
export interface Judged {
  /** The backend's name. */
  readonly backend: string;
  /** Its tolerance profile. */
  readonly profile: string;
}

/** What a backend's evaluation keeps for the pairwise comparison. */
export interface PairData {
  /** The backend's f and f' on the case's main input. */
  readonly values?: Float32Array;
  /** The backend's f' on the case's main input. */
  readonly derivative?: Float32Array;
  /** For each element that failed, the results that failed on it, per quantity. */
  readonly explain: {
    readonly values: Map<number, Result[]>;
    readonly derivative: Map<number, Result[]>;
  };
}

/** One backend's results on one case, and what the pairwise check needs. */
export interface CaseEvaluation {
  /** The results of every check on the case. */
  readonly results: Result[];
  /** What the pairwise check needs. */
  readonly pair: PairData;
}

/** A tally with its messages, turned into a result. */
function resultOf(
  judged: Judged,
  plan: CasePlan,
  check: CheckKind,
  tally: Tally,
  messages: readonly string[],
): Result | undefined {
  if (tally.count === 0 && messages.length === 0) return undefined;
  return standaloneResult(
    {
      backend: judged.backend,
      op: plan.case.op,
      case: plan.case.id,
      params: plan.case.params,
      check,
    },
    tally,
    messages,
  );
}

/** The deviation recorded for a wrong sign of zero: equal values, wrong sign. */
const SIGN_ONLY: Deviation = Object.freeze({ ulp: 0, abs: 0, rel: 0 });

/** The elementwise quantities of the main calls. */
const mainQuantities = [
  {
    check: "values",
    slot: "forward",
    ref: "f",
    symbol: "f",
    tolerance: "values",
  },
  {
    check: "derivative",
    slot: "derivative",
    ref: "d1",
    symbol: "f'",
    tolerance: "derivative",
  },
  {
    check: "secondDerivative",
    slot: "secondDerivative",
    ref: "d2",
    symbol: "f''",
    tolerance: "secondDerivative",
  },
  { check: "vjp", slot: "vjp", ref: "dx", symbol: "dx", tolerance: "vjp" },
] as const;

function describeError(o: Outcome): string {
  return `${o.error!.name}: ${o.error!.message}`;
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

function formatShape(s: readonly number[]): string {
  return `[${s.join(", ")}]`;
}

/** The value of a quantity at ±0 (the sign of `x`), for recognising a flushed input. */
function atZero(plan: CasePlan, symbol: string, x: number, i: number): number {
  const spec = ops[plan.case.op];
  const zero = x < 0 ? -0 : 0;
  const p = plan.paramsAt(i);
  switch (symbol) {
    case "f":
      return spec.f(zero, p);
    case "f'":
      return spec.dfdx(zero, p);
    case "f''":
      return spec.d2fdx2(zero, p);
    default:
      return plan.input.dy[i]! * spec.dfdx(zero, p);
  }
}

/**
 * Judges one backend's outcomes for one case: every check kind that the case
 * exercises, each as its own result.
 *
 * @param plan The case's plan.
 * @param judged The backend and its profile.
 * @param outcomes One outcome per call of the plan.
 * @returns The results and the data for the pairwise check.
 */
export function evaluateCase(
  plan: CasePlan,
  judged: Judged,
  outcomes: readonly Outcome[],
): CaseEvaluation {
  const { op } = plan.case;
  const spec = ops[op];
  const { x, tags, shape } = plan.input;
  const tol = (q: Quantity) => toleranceOf(judged.profile, op, q);
  const kinks = new Set(
    spec.kinks(plan.paramsAt(0)).map((k) => Math.fround(k)),
  );

  const tallies = new Map<CheckKind, Tally>();
  const messages = new Map<CheckKind, string[]>();
  const tally = (check: CheckKind) => {
    let t = tallies.get(check);
    if (t === undefined) tallies.set(check, t = new Tally());
    return t;
  };
  const fail = (check: CheckKind, message: string) => {
    tally(check);
    let m = messages.get(check);
    if (m === undefined) messages.set(check, m = []);
    m.push(message);
  };
  const explainValues = new Map<number, CheckKind[]>();
  const explainDerivative = new Map<number, CheckKind[]>();
  const blame = (symbol: string, i: number, check: CheckKind) => {
    const map = symbol === "f"
      ? explainValues
      : symbol === "f'"
      ? explainDerivative
      : undefined;
    if (map === undefined) return;
    const list = map.get(i);
    if (list === undefined) map.set(i, [check]);
    else if (!list.includes(check)) list.push(check);
  };
  const outputs: Record<string, Float32Array> = {};

  for (const q of mainQuantities) {
    const o = outcomes[plan.slots[q.slot]]!;
    if (o.error) {
      fail(q.check, `${q.symbol} threw ${describeError(o)}`);
      continue;
    }
    const out = o.out!;
    if (out.data.length !== x.length) {
      fail(
        q.check,
        `${q.symbol} returned ${out.data.length} elements for ${x.length}`,
      );
      continue;
    }
    if (!sameShape(out.shape, shape)) {
      fail(
        q.check,
        `${q.symbol} returned shape ${formatShape(out.shape)} for x of shape ${
          formatShape(shape)
        }`,
      );
    }
    outputs[q.symbol] = out.data;
    const want = plan.ref[q.ref];
    const t = tol(q.tolerance);
    const ordinary = tally(q.check);
    const data = out.data;
    const n = x.length;
    const checksKinks = q.symbol !== "f" && kinks.size > 0;
    for (let i = 0; i < n; i++) {
      const xi = x[i]!;
      const got = data[i]!;
      const w = want[i]!;
      const tag = tags[i];
      // The common case, counted without measuring: an ordinary element
      // (finite, normal, no kink, normal result) that is the reference rounded.
      if (
        got === Math.fround(w) && tag !== Tag.special && tag !== Tag.zero &&
        ordinary.worst !== undefined && Math.abs(xi) >= FLOAT32_MIN_NORMAL &&
        (Math.abs(got) >= FLOAT32_MIN_NORMAL || got === 0) &&
        !(checksKinks && kinks.has(xi))
      ) {
        ordinary.count++;
        continue;
      }
      const d = deviation(got, w);
      if (tag === Tag.special) {
        // NaN and infinite results exactly; a finite limit (σ'(∞) = 0,
        // celu'(−∞) = 0, selu at +∞ times dy…) within the tolerance.
        const ok = sameValue(got, Math.fround(w)) ||
          (Number.isFinite(w) && within(d, t));
        tally("special").add(d, ok, i, xi, got, w, q.symbol);
        if (!ok) blame(q.symbol, i, "special");
      } else if (q.symbol !== "f" && kinks.has(xi)) {
        const ok = within(d, t);
        if (ok) {
          tally("kink").add(d, true, i, xi, got, w, q.symbol);
        } else {
          const at = plan.paramsAt(i);
          const above = nextFloat32(xi, true);
          const right = q.symbol === "f'"
            ? spec.dfdx(above, at)
            : q.symbol === "f''"
            ? spec.d2fdx2(above, at)
            : plan.input.dy[i]! * spec.dfdx(above, at);
          tally("kink").addElement(
            {
              index: i,
              x: xi,
              got,
              want: w,
              quantity: q.symbol,
              note: `the right-hand value is ${Math.fround(right)}`,
            },
            d,
            false,
          );
          blame(q.symbol, i, "kink");
        }
      } else if (
        isSubnormal(xi) ||
        (Math.abs(w) < FLOAT32_MIN_NORMAL && isSubnormal(Math.fround(w)))
      ) {
        const flushed = !within(d, t) && (
          (got === 0 && isSubnormal(Math.fround(w))) ||
          (isSubnormal(xi) &&
            sameValue(got, Math.fround(atZero(plan, q.symbol, xi, i))))
        );
        tally("flushToZero").add(d, !flushed, i, xi, got, w, q.symbol);
        if (flushed) {
          blame(q.symbol, i, "flushToZero");
        } else {
          const ok = within(d, t);
          tally("subnormal").add(d, ok, i, xi, got, w, q.symbol);
          if (!ok) blame(q.symbol, i, "subnormal");
        }
      } else {
        const ok = within(d, t);
        ordinary.add(d, ok, i, xi, got, w, q.symbol);
        if (!ok) blame(q.symbol, i, q.check);
      }
      if (q.symbol === "f" && spec.odd && tag === Tag.zero) {
        const ok = Object.is(got, Math.fround(w));
        tally("signOfZero").add(ok ? d : SIGN_ONLY, ok, i, xi, got, w, "f");
        if (!ok) blame("f", i, "signOfZero");
      }
    }
  }

  judgeParamGradients(plan, judged, outcomes, tally, fail);
  judgeFusedVjp(plan, judged, outcomes, tally, fail);
  judgeFiniteDifferences(plan, judged, outcomes, outputs, tally, fail);
  judgeForms(plan, outcomes, tally, fail);
  judgeShapes(plan, judged, outcomes, outputs, tally, fail);
  judgeBroadcast(plan, judged, outcomes, tally, fail);

  const results: Result[] = [];
  const byCheck = new Map<CheckKind, Result>();
  for (const check of checkKinds) {
    const t = tallies.get(check);
    if (t === undefined) continue;
    const r = resultOf(judged, plan, check, t, messages.get(check) ?? []);
    if (r === undefined) continue;
    results.push(r);
    byCheck.set(check, r);
  }
  const resolve = (map: Map<number, CheckKind[]>) =>
    new Map(
      [...map].map(([i, checks]) => [i, checks.map((c) => byCheck.get(c)!)]),
    );
  return {
    results,
    pair: {
      ...(outputs["f"] ? { values: outputs["f"] } : {}),
      ...(outputs["f'"] ? { derivative: outputs["f'"] } : {}),
      explain: {
        values: resolve(explainValues),
        derivative: resolve(explainDerivative),
      },
    },
  };
}

type TallyOf = (check: CheckKind) => Tally;

/**
 * Native's fused VJP against the VJP of the op's expanded composition taken
 * by its autodiff, on the gradient subset. They must agree within two
 * roundings under the VJP's tolerance, plus the float64 cancellation the
 * composition may suffer (`compositionSlack` in tolerances.ts).
 */
function judgeFusedVjp(
  plan: CasePlan,
  judged: Judged,
  outcomes: readonly Outcome[],
  tally: TallyOf,
  fail: Fail,
): void {
  const e = outcomes[plan.slots.expanded]!;
  if (e.out === undefined && e.error === undefined) return; // not this backend's check
  if (e.error) {
    fail("fusedVjp", `the composition's VJP threw ${describeError(e)}`);
    return;
  }
  const fused = outcomes[plan.slots.vjp]!;
  if (fused.error || fused.out === undefined) return; // the vjp check reports it
  const { op } = plan.case;
  const t = toleranceOf(judged.profile, op, "vjp");
  const n = plan.gradientCount;
  const { x, dy } = plan.input;
  const composed = e.out!.data;
  for (let i = 0; i < n; i++) {
    const got = fused.out.data[i]!;
    const want = composed[i]!;
    const ref = plan.ref.dx[i]!;
    const allowed = 2 * allowedError(ref, t) +
      compositionSlack.abs * Math.abs(dy[i]!) * Math.max(1, Math.abs(x[i]!));
    const ok = sameValue(got, want) || Math.abs(got - want) <= allowed;
    tally("fusedVjp").addElement(
      {
        index: i,
        x: x[i]!,
        got,
        want,
        quantity: "dx",
        dy: dy[i]!,
        note: "want: the composition's",
      },
      deviation(got, want),
      ok,
    );
  }
  const spec = ops[op];
  const sums = plan.slots.dparams === undefined
    ? undefined
    : outcomes[plan.slots.dparams]!;
  if (sums === undefined || sums.error) return;
  const tp = toleranceOf(judged.profile, op, "dparams");
  for (const [name, dfdp] of Object.entries(spec.dfdp)) {
    const got = sums.dparams?.[name]?.data;
    const want = e.dparams?.[name]?.data;
    if (got === undefined || want === undefined || got.length !== want.length) {
      fail(
        "fusedVjp",
        `d${name} is missing or differs in length between the fused and composed VJPs`,
      );
      continue;
    }
    const channels = got.length;
    const absSum = new Float64Array(channels);
    const allowance = new Float64Array(channels);
    const terms = new Float64Array(channels);
    const slack = new Float64Array(channels);
    for (let i = 0; i < n; i++) {
      const c = channelOf(plan, name, i);
      const g = dfdp(x[i]!, plan.paramsAt(i));
      slack[c]! += compositionSlack.abs * Math.abs(dy[i]!) *
        Math.max(1, x[i]! * x[i]!);
      absSum[c]! += Math.abs(dy[i]! * g);
      allowance[c]! += Math.abs(dy[i]!) * allowedError(g, tp);
      terms[c]!++;
    }
    for (let c = 0; c < channels; c++) {
      const allowed = slack[c]! +
        2 * (summationBound(terms[c]!, absSum[c]!) + allowance[c]!);
      const ok = sameValue(got[c]!, want[c]!) ||
        Math.abs(got[c]! - want[c]!) <= allowed;
      tally("fusedVjp").addElement(
        {
          index: -1,
          x: `Σ over ${terms[c]} grid and moderate inputs${
            channels > 1 ? ` of channel ${c}` : ""
          }`,
          got: got[c]!,
          want: want[c]!,
          quantity: `d${name}`,
          note: "want: the composition's",
        },
        deviation(got[c]!, want[c]!),
        ok,
      );
    }
  }
}
type Fail = (check: CheckKind, message: string) => void;

/** Where element `i` of the gradient subset sums into a parameter's gradient. */
function channelOf(plan: CasePlan, name: string, i: number): number {
  return Array.isArray(plan.case.params[name]) ? i % plan.case.channels! : 0;
}

function channelCount(plan: CasePlan, name: string): number {
  const v = plan.case.params[name];
  return Array.isArray(v) ? v.length : 1;
}

/**
 * The roundings a float32 sum of a parameter's gradient may cost, as a
 * multiple of u·Σ|t|: a fixed 32, not n. A pairwise or blocked sum of n
 * terms loses about log₂ n roundings and a sequential one with terms of
 * random sign about √n; 32 covers both for the suite's ≤ 2¹⁰ terms, and, held
 * fixed, does not loosen as a run adds terms (a bound of n·u·Σ|t| let the full
 * run pass a dα error that --quick caught).
 */
export const SUM_ROUNDINGS = 32;

/** The float32 summation allowance: SUM_ROUNDINGS·u·Σ|t|, u = 2⁻²⁴, whatever the number of terms. */
function summationBound(_n: number, absSum: number): number {
  return SUM_ROUNDINGS * 2 ** -24 * absSum;
}

function judgeParamGradients(
  plan: CasePlan,
  judged: Judged,
  outcomes: readonly Outcome[],
  tally: TallyOf,
  fail: Fail,
): void {
  const { op } = plan.case;
  const spec = ops[op];
  const learned = Object.entries(spec.dfdp);
  if (learned.length === 0 || plan.slots.dparams === undefined) return;
  const t = toleranceOf(judged.profile, op, "dparams");
  const o = outcomes[plan.slots.dparams]!;
  const n = plan.gradientCount;
  const { x, dy } = plan.input;
  if (o.error) {
    fail("dparams", `the VJP threw ${describeError(o)}`);
  } else {
    for (const [name, dfdp] of learned) {
      const got = checkParamShape(
        plan,
        name,
        o.dparams?.[name],
        "dparams",
        fail,
      );
      if (got === undefined) continue;
      const channels = channelCount(plan, name);
      const sum = new Float64Array(channels);
      const absSum = new Float64Array(channels);
      const allowance = new Float64Array(channels);
      const terms = new Float64Array(channels);
      for (let i = 0; i < n; i++) {
        const c = channelOf(plan, name, i);
        const g = dfdp(x[i]!, plan.paramsAt(i));
        const term = dy[i]! * g;
        sum[c]! += term;
        absSum[c]! += Math.abs(term);
        allowance[c]! += Math.abs(dy[i]!) * allowedError(g, t);
        terms[c]!++;
      }
      for (let c = 0; c < channels; c++) {
        const want = sum[c]!;
        const g = got[c]!;
        const bound = summationBound(terms[c]!, absSum[c]!) + allowance[c]! +
          ulpOf(want) / 2;
        const d = deviation(g, want);
        const ok = Math.abs(g - want) <= bound;
        tally("dparams").addElement(
          {
            index: -1,
            x: `Σ over ${terms[c]} grid and moderate inputs${
              channels > 1 ? ` of channel ${c}` : ""
            }`,
            got: g,
            want,
            quantity: `d${name}`,
            note: `allowed ±${bound.toPrecision(3)}`,
          },
          d,
          ok,
        );
      }
    }
  }
  // ∂f/∂θ at each special value, one call per value: the limit.
  const tSpecial = toleranceOf(judged.profile, op, "dparams");
  for (const { x: v, call } of plan.slots.specials) {
    const s = outcomes[call]!;
    if (s.error) {
      fail("special", `the VJP at x = ${v} threw ${describeError(s)}`);
      continue;
    }
    for (const [name, dfdp] of learned) {
      const got = checkParamShape(
        plan,
        name,
        s.dparams?.[name],
        "special",
        fail,
      );
      if (got === undefined) continue;
      for (let c = 0; c < got.length; c++) {
        // One element per channel, dy = 1: the sum is ∂f/∂θ itself.
        const want = dfdp(v, plan.paramsAt(c));
        const d = deviation(got[c]!, want);
        tally("special").addElement(
          { index: -1, x: v, got: got[c]!, want, quantity: `d${name}`, dy: 1 },
          d,
          sameValue(got[c]!, Math.fround(want)) ||
            (Number.isFinite(want) && within(d, tSpecial)),
        );
      }
    }
  }
}

/** A parameter gradient's data, or a failure when it is missing or the wrong shape. */
function checkParamShape(
  plan: CasePlan,
  name: string,
  r: Returned | undefined,
  check: CheckKind,
  fail: Fail,
): Float32Array | undefined {
  if (r === undefined) {
    fail(check, `the VJP returned no gradient for ${name}`);
    return undefined;
  }
  const value = plan.case.params[name];
  const expected = Array.isArray(value) ? [value.length] : undefined;
  const ok = expected === undefined
    ? r.data.length === 1 && r.shape.length <= 1
    : sameShape(r.shape, expected);
  if (!ok) {
    fail(
      check,
      `d${name} has shape ${formatShape(r.shape)}, expected ${
        expected === undefined
          ? "[] or [1] for a number"
          : formatShape(expected)
      }`,
    );
    return undefined;
  }
  return r.data;
}

function judgeFiniteDifferences(
  plan: CasePlan,
  judged: Judged,
  outcomes: readonly Outcome[],
  outputs: Record<string, Float32Array>,
  tally: TallyOf,
  fail: Fail,
): void {
  const { op } = plan.case;
  const spec = ops[op];
  const n = plan.gradientCount;
  const { xm, xp } = plan;
  const { x } = plan.input;
  const tolOf = (q: Quantity) => toleranceOf(judged.profile, op, q);
  const slot = plan.slots.fd;
  const fm = outcomes[slot.fm]!,
    fp = outcomes[slot.fp]!,
    dm = outcomes[slot.dm]!,
    dp = outcomes[slot.dp]!;
  const failed = [fm, fp, dm, dp].find((o) => o.error);
  if (failed) {
    fail("finiteDifference", `a call at x ± h threw ${describeError(failed)}`);
    return;
  }
  const pairs = [
    {
      quantity: "f'",
      lower: fm.out!.data,
      upper: fp.out!.data,
      inner: spec.f,
      outer: spec.dfdx,
      got: outputs["f'"],
      tolInner: tolOf("values"),
      tolOuter: tolOf("derivative"),
    },
    {
      quantity: "f''",
      lower: dm.out!.data,
      upper: dp.out!.data,
      inner: spec.dfdx,
      outer: spec.d2fdx2,
      got: outputs["f''"],
      tolInner: tolOf("derivative"),
      tolOuter: tolOf("secondDerivative"),
    },
  ];
  for (const p of pairs) {
    if (p.got === undefined) continue; // the derivative's own check reports why
    if (p.lower.length !== n || p.upper.length !== n) {
      fail(
        "finiteDifference",
        `a call at x ± h returned the wrong number of elements`,
      );
      continue;
    }
    for (let i = 0; i < n; i++) {
      const at = plan.paramsAt(i);
      const width = xp[i]! - xm[i]!;
      const refLower = p.inner(xm[i]!, at);
      const refUpper = p.inner(xp[i]!, at);
      const fdRef = (refUpper - refLower) / width;
      const exact = p.outer(x[i]!, at);
      if (!Number.isFinite(fdRef) || !Number.isFinite(exact)) continue;
      const fd = (p.upper[i]! - p.lower[i]!) / width;
      const got = p.got[i]!;
      const allowed = Math.abs(fdRef - exact) +
        (allowedError(refUpper, p.tolInner) +
            allowedError(refLower, p.tolInner)) / width +
        allowedError(exact, p.tolOuter);
      judgeDifference(tally, {
        index: i,
        x: x[i]!,
        got,
        want: fd,
        quantity: p.quantity,
      }, allowed);
    }
  }
  // ∂f/∂θ: the central difference in θ, summed like the VJP sums with dy = 1.
  const tolDp = tolOf("dparams");
  const tolV = tolOf("values");
  for (const param of plan.slots.fdParams) {
    const below = outcomes[param.fm]!,
      above = outcomes[param.fp]!,
      vjp = outcomes[param.vjp]!;
    const bad = [below, above, vjp].find((o) => o.error);
    if (bad) {
      fail(
        "finiteDifference",
        `a call at ${param.name} ± h threw ${describeError(bad)}`,
      );
      continue;
    }
    const got = vjp.dparams?.[param.name];
    if (got === undefined || got.data.length !== param.below.length) continue; // dparams reports it
    const dfdp = spec.dfdp[param.name as keyof typeof spec.dfdp] as (
      x: number,
      p: ResolvedParams,
    ) => number;
    const channels = param.below.length;
    const fd = new Float64Array(channels);
    const fdRef = new Float64Array(channels);
    const exact = new Float64Array(channels);
    const allowance = new Float64Array(channels);
    const absSum = new Float64Array(channels);
    const terms = new Float64Array(channels);
    for (let i = 0; i < n; i++) {
      const c = channelOf(plan, param.name, i);
      const at = plan.paramsAt(i);
      const lo = param.below[c]!;
      const hi = param.above[c]!;
      const width = hi - lo;
      const refLower = spec.f(x[i]!, { ...at, [param.name]: lo });
      const refUpper = spec.f(x[i]!, { ...at, [param.name]: hi });
      const g = dfdp(x[i]!, at);
      fd[c]! += (above.out!.data[i]! - below.out!.data[i]!) / width;
      fdRef[c]! += (refUpper - refLower) / width;
      exact[c]! += g;
      absSum[c]! += Math.abs(g);
      terms[c]!++;
      allowance[c]! +=
        (allowedError(refUpper, tolV) + allowedError(refLower, tolV)) / width +
        allowedError(g, tolDp);
    }
    for (let c = 0; c < channels; c++) {
      if (!Number.isFinite(fdRef[c]!) || !Number.isFinite(exact[c]!)) continue;
      const allowed = Math.abs(fdRef[c]! - exact[c]!) + allowance[c]! +
        summationBound(terms[c]!, absSum[c]!) + ulpOf(exact[c]!) / 2;
      judgeDifference(
        tally,
        {
          index: -1,
          x: `Σ over ${terms[c]} grid and moderate inputs${
            channels > 1 ? ` of channel ${c}` : ""
          }`,
          got: got.data[c]!,
          want: fd[c]!,
          quantity: `d${param.name}`,
        },
        allowed,
      );
    }
  }
}

/** Adds a finite-difference comparison: within `allowed` of the difference quotient. */
function judgeDifference(tally: TallyOf, w: Worst, allowed: number): void {
  const error = Math.abs(w.got - w.want);
  const ok = error <= allowed * (1 + 2 ** -20) ||
    (w.got !== w.got && w.want !== w.want);
  const d: Deviation = {
    ulp: ulpDistance(w.got, w.want),
    abs: error !== error ? Infinity : error,
    rel: w.want === 0 ? (error === 0 ? 0 : Infinity) : error / Math.abs(w.want),
  };
  tally("finiteDifference").addElement(
    { ...w, note: `allowed ±${allowed.toPrecision(3)}` },
    d,
    ok,
  );
}

const u32a = new Uint32Array(1);
const f32a = new Float32Array(u32a.buffer);
const u32b = new Uint32Array(1);
const f32b = new Float32Array(u32b.buffer);

/** Whether two float32 values have the same bits (any NaN matching any NaN). */
function sameBits(a: number, b: number): boolean {
  if (a !== a || b !== b) return a !== a && b !== b;
  f32a[0] = a;
  f32b[0] = b;
  return u32a[0] === u32b[0];
}

function judgeForms(
  plan: CasePlan,
  outcomes: readonly Outcome[],
  tally: TallyOf,
  fail: Fail,
): void {
  for (const { kind, resident, array, numbers } of plan.slots.resident) {
    for (
      const [other, form] of [[array, "Float32Array"], [
        numbers,
        "number[]",
      ]] as const
    ) {
      judgeForm(
        plan,
        kind,
        outcomes[resident]!,
        outcomes[other]!,
        form,
        tally,
        fail,
      );
    }
  }
}

function judgeForm(
  plan: CasePlan,
  kind: string,
  r: Outcome,
  a: Outcome,
  form: string,
  tally: TallyOf,
  fail: Fail,
): void {
  const { x } = plan.input;
  {
    if (r.error && a.error) {
      // The main checks report an error both forms share; a broken contract
      // (an input modified, a tensor not disposed) is reported here.
      if (
        a.error.name === "ContractError" && r.error.name !== "ContractError"
      ) {
        fail("resident", `${kind} (${form}): ${a.error.message}`);
      }
      return;
    }
    if (r.error || a.error) {
      fail(
        "resident",
        `${kind}: only the ${r.error ? "resident" : form} form threw ${
          describeError(r.error ? r : a)
        }`,
      );
      return;
    }
    const compare = (rd: Float32Array, ad: Float32Array, quantity: string) => {
      if (rd.length !== ad.length) {
        fail(
          "resident",
          `${quantity}: ${rd.length} elements resident, ${ad.length} from ${form} input`,
        );
        return;
      }
      for (let j = 0; j < rd.length; j++) {
        const ok = sameBits(rd[j]!, ad[j]!);
        const index = quantity.startsWith("d") && quantity !== "dx"
          ? -1
          : plan.residentIndices[j]!;
        tally("resident").addElement(
          {
            index,
            x: index < 0 ? "Σ (parameter gradient)" : x[index]!,
            got: ad[j]!,
            want: rd[j]!,
            quantity,
          },
          ok ? EXACT : deviation(ad[j]!, rd[j]!),
          ok,
        );
      }
    };
    const symbol = kind === "forward"
      ? "f"
      : kind === "derivative"
      ? "f'"
      : kind === "secondDerivative"
      ? "f''"
      : "dx";
    compare(r.out!.data, a.out!.data, symbol);
    for (const [name, rd] of Object.entries(r.dparams ?? {})) {
      const ad = a.dparams?.[name];
      if (ad === undefined) {
        fail("resident", `d${name} is missing from the ${form} form`);
      } else compare(rd.data, ad.data, `d${name}`);
    }
  }
}

/**
 * A tensor parameter broadcast along each axis pattern: f and dx element by
 * element against the reference with that element's α, and dα per element of
 * α, summed over the elements it broadcasts to.
 */
function judgeBroadcast(
  plan: CasePlan,
  judged: Judged,
  outcomes: readonly Outcome[],
  tally: TallyOf,
  fail: Fail,
): void {
  const { op } = plan.case;
  const spec = ops[op];
  for (const b of plan.slots.broadcast) {
    const what = `${b.name} of shape ${
      formatShape(b.alphaShape)
    } (${b.pattern})`;
    const f = outcomes[b.forward]!;
    const g = outcomes[b.vjp]!;
    const bad = [f, g].find((o) => o.error);
    if (bad) {
      fail("broadcast", `with ${what}: ${describeError(bad)}`);
      continue;
    }
    const base = plan.paramsAt(0);
    const at = (i: number): ResolvedParams => ({
      ...base,
      [b.name]: b.alpha[broadcastIndex(i, b.shape, b.alphaShape)]!,
    });
    const dfdp =
      (spec.dfdp as Record<string, (x: number, p: ResolvedParams) => number>)[
        b.name
      ];
    const checks = [
      {
        out: f.out!,
        want: (i: number) => spec.f(b.x[i]!, at(i)),
        q: "values",
        symbol: "f",
      },
      {
        out: g.out!,
        want: (i: number) => b.dy[i]! * spec.dfdx(b.x[i]!, at(i)),
        q: "vjp",
        symbol: "dx",
      },
    ] as const;
    for (const c of checks) {
      if (!sameShape(c.out.shape, b.shape)) {
        fail(
          "broadcast",
          `with ${what}: ${c.symbol} has shape ${formatShape(c.out.shape)}`,
        );
        continue;
      }
      const t = toleranceOf(judged.profile, op, c.q);
      for (let i = 0; i < b.x.length; i++) {
        const want = c.want(i);
        const got = c.out.data[i]!;
        const d = deviation(got, want);
        tally("broadcast").addElement(
          {
            index: -1,
            x: b.x[i]!,
            got,
            want,
            quantity: c.symbol,
            note: `with ${what}, element ${i}`,
          },
          d,
          within(d, t) || sameValue(got, Math.fround(want)),
        );
      }
    }
    const got = g.dparams?.[b.name];
    if (got === undefined || !sameShape(got.shape, b.alphaShape)) {
      fail(
        "broadcast",
        `with ${what}: d${b.name} has shape ${
          got === undefined ? "(none)" : formatShape(got.shape)
        }, expected ${formatShape(b.alphaShape)}`,
      );
      continue;
    }
    if (dfdp === undefined) continue;
    const tp = toleranceOf(judged.profile, op, "dparams");
    const sum = new Float64Array(b.alpha.length);
    const absSum = new Float64Array(b.alpha.length);
    const allowance = new Float64Array(b.alpha.length);
    for (let i = 0; i < b.x.length; i++) {
      const k = broadcastIndex(i, b.shape, b.alphaShape);
      const term = dfdp(b.x[i]!, at(i));
      sum[k]! += b.dy[i]! * term;
      absSum[k]! += Math.abs(b.dy[i]! * term);
      allowance[k]! += Math.abs(b.dy[i]!) * allowedError(term, tp);
    }
    for (let k = 0; k < b.alpha.length; k++) {
      const bound = summationBound(0, absSum[k]!) + allowance[k]! +
        ulpOf(sum[k]!) / 2;
      const error = Math.abs(got.data[k]! - sum[k]!);
      tally("broadcast").addElement(
        {
          index: -1,
          x: `Σ over the elements α[${k}] broadcasts to`,
          got: got.data[k]!,
          want: sum[k]!,
          quantity: `d${b.name}`,
          note: `with ${what}; allowed ±${bound.toPrecision(3)}`,
        },
        deviation(got.data[k]!, sum[k]!),
        error <= bound,
      );
    }
  }
}

const mainSlot = {
  forward: "forward",
  derivative: "derivative",
  secondDerivative: "secondDerivative",
  vjp: "vjp",
} as const;

function judgeShapes(
  plan: CasePlan,
  judged: Judged,
  outcomes: readonly Outcome[],
  outputs: Record<string, Float32Array>,
  tally: TallyOf,
  fail: Fail,
): void {
  const { op } = plan.case;
  const n = plan.input.x.length;
  for (const { shape, call } of plan.slots.shapes) {
    const c = plan.calls[call]!;
    const o = outcomes[call]!;
    const size = c.x.length;
    const what = `${c.kind} (${c.form}) at shape ${formatShape(shape)}`;
    if (o.error) {
      // A feature that throws everywhere is reported by its own check.
      const slot = c.kind === "expandedVjp" ? undefined : mainSlot[c.kind];
      const main = slot === undefined ? undefined : outcomes[plan.slots[slot]];
      if (main?.error?.name !== o.error.name) {
        fail("shapes", `${what} threw ${describeError(o)}`);
      }
      continue;
    }
    const expected = c.shape;
    if (!sameShape(o.out!.shape, expected) || o.out!.data.length !== size) {
      fail(
        "shapes",
        `${what} returned shape ${formatShape(o.out!.shape)} with ${
          o.out!.data.length
        } elements`,
      );
      continue;
    }
    for (const [name, r] of Object.entries(o.dparams ?? {})) {
      const got = checkParamShape(plan, name, r, "shapes", fail);
      if (got !== undefined && size === 0 && !got.every((v) => v === 0)) {
        fail("shapes", `d${name} of an empty x is ${got[0]}, not 0`);
      }
    }
    const symbol = c.kind === "forward"
      ? "f"
      : c.kind === "derivative"
      ? "f'"
      : c.kind === "secondDerivative"
      ? "f''"
      : "dx";
    const quantity: Quantity = c.kind === "forward"
      ? "values"
      : c.kind === "vjp" || c.kind === "expandedVjp"
      ? "vjp"
      : c.kind;
    const ref = symbol === "f"
      ? plan.ref.f
      : symbol === "f'"
      ? plan.ref.d1
      : symbol === "f''"
      ? plan.ref.d2
      : plan.ref.dx;
    const flat = outputs[symbol];
    const t = toleranceOf(judged.profile, op, quantity);
    const data = o.out!.data;
    // The same element of the flat call, or the reference: either will do, so
    // this check sees only what the shape changes.
    const shapes = tally("shapes");
    const bits = new Int32Array(data.buffer, data.byteOffset, data.length);
    const flatBits = flat &&
      new Int32Array(flat.buffer, flat.byteOffset, flat.length);
    let identical = 0;
    for (let i = 0, k = 0; i < size; i++, k = k + 1 === n ? 0 : k + 1) {
      if (flatBits !== undefined && bits[i] === flatBits[k]) {
        if (shapes.worst === undefined) {
          shapes.add(
            EXACT,
            true,
            k,
            plan.input.x[k]!,
            data[i]!,
            ref[k]!,
            symbol,
          );
        } else identical++;
        continue;
      }
      const d = deviation(data[i]!, ref[k]!);
      const ok = within(d, t) || sameValue(data[i]!, Math.fround(ref[k]!));
      if (ok) shapes.add(d, ok, k, plan.input.x[k]!, data[i]!, ref[k]!, symbol);
      else {
        shapes.addElement(
          {
            index: k,
            x: plan.input.x[k]!,
            got: data[i]!,
            want: ref[k]!,
            quantity: symbol,
            note: `at shape ${formatShape(shape)}, element ${i}`,
          },
          d,
          false,
        );
      }
    }
    shapes.count += identical;
    if (size === 0) {
      shapes.addElement(
        {
          index: -1,
          x: "(none)",
          got: 0,
          want: 0,
          quantity: symbol,
          note: `empty, at shape ${formatShape(shape)}`,
        },
        EXACT,
        true,
      );
    }
  }
}

/** Absolute errors up to this, with many ULP, are a formula's cancellation, not a wrong formula. */
const CANCELLATION_ABS = 2 ** -20;

/**
 * The class of a result that does not pass, found from the result itself,
 * whatever the ledger says: flush to zero, NaN dropped, ∞·0, cancellation,
 * right-hand kink, unsupported, sign of zero, accuracy or error. On a device
 * with no profile this is how the run explains itself.
 *
 * @example
 * ```ts
 * import { deviationClassOf } from "@nonlin/conformance";
 * import assert from "node:assert";
 *
 * const r = { backend: "b", op: "relu", case: "relu", params: {}, check: "special", status: "fail", count: 3, failures: 1,
 *   worst: { index: 0, x: NaN, got: 0, want: NaN, quantity: "f" } } as const;
 * assert.strictEqual(deviationClassOf(r), "nanDropped");
 * ```
 */
export function deviationClassOf(r: Result): DeviationClass {
  const w = r.worst;
  if (r.message !== undefined && r.failures === 0) {
    return /NotSupportedError/.test(r.message) ? "unsupported" : "error";
  }
  switch (r.check) {
    case "flushToZero":
      return "flushToZero";
    case "signOfZero":
      return "signOfZero";
    case "kink":
      return w && typeof w.note === "string" &&
          w.note.endsWith(`is ${Math.fround(w.got)}`)
        ? "rightKink"
        : "accuracy";
    default:
      break;
  }
  if (w !== undefined && typeof w.x === "number") {
    const x = w.x;
    if (x !== x && w.got === w.got) return "nanDropped";
    if (
      w.got !== w.got && w.want === w.want &&
      (!Number.isFinite(x) || Math.abs(x) > 1e30)
    ) return "infArithmetic";
    // A result at most 2⁶ above the subnormal range that comes back as 0
    // went through a subnormal intermediate that was flushed.
    if (w.got === 0 && w.want !== 0 && Math.abs(w.want) < 2 ** -120) {
      return "flushToZero";
    }
    // 0 for a finite limit of x/(1 + |x|)-like forms at |x| ≥ 2¹²⁶: the
    // reciprocal of x is subnormal there, and was flushed.
    if (
      w.got === 0 && w.want !== 0 && Number.isFinite(w.want) &&
      Number.isFinite(x) && Math.abs(x) >= 2 ** 126
    ) return "flushToZero";
    // Far off (not a rounding) at a subnormal input: the input was taken for
    // 0 (a comparison such as x > 0, or a product, saw it flushed).
    if (
      r.check === "subnormal" && isSubnormal(x) && w.want === w.want &&
      w.got !== w.want && Math.abs(w.got - w.want) >= Math.abs(w.want) / 2
    ) return "flushToZero";
  }
  if (
    r.maxAbsError !== undefined && r.maxAbsError <= CANCELLATION_ABS &&
    (r.maxUlp ?? 0) > 0
  ) return "tailCancellation";
  if (r.message !== undefined && (r.count === 0 || r.failures === 0)) {
    return "error";
  }
  return "accuracy";
}

/**
 * Builds a result from what identifies it, a tally and messages: failed when
 * the tally has failures or there is a message. A case's checks, the
 * identities and the pairwise check all make their results here.
 */
export function standaloneResult(
  fields: Omit<
    Result,
    | "status"
    | "count"
    | "failures"
    | "maxUlp"
    | "maxAbsError"
    | "maxRelError"
    | "worst"
  >,
  tally: Tally,
  messages: readonly string[] = [],
): Result {
  const failed = tally.failures > 0 || messages.length > 0;
  return {
    ...fields,
    status: failed ? "fail" : "pass",
    count: tally.count,
    failures: tally.failures,
    ...(tally.count > 0
      ? {
        maxUlp: tally.maxUlp,
        maxAbsError: tally.maxAbs,
        maxRelError: tally.maxRel,
      }
      : {}),
    ...(tally.worst === undefined ? {} : { worst: tally.worst }),
    ...(messages.length === 0 ? {} : { message: messages.join("; ") }),
  };
}
