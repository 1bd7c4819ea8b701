/**
 * Runs the suite: every backend in its own worker, every case planned once
 * and sent to all of them, each backend judged on its own and every two
 * against each other, then the waivers applied.
 *
 * @module
 */

import {
  bookGrid,
  FLOAT32_MAX,
  FLOAT32_MIN_NORMAL,
  type OpName,
  opNames,
  ops,
  seededRandom,
} from "@nonlin/core";
import {
  backendNames,
  backendVariantNames,
  builtinBackends,
  peerBackendNames,
} from "@nonlin/backends";
import type { Call, LoadedInfo, Outcome } from "./_executor.ts";
import { Session } from "./_session.ts";
import { InProcessSession } from "./_in_process.ts";
import { allCases, type Case, type CaseParamValue } from "./cases.ts";
import {
  checkKinds,
  deviationClassOf,
  evaluateCase,
  type Judged,
  type PairData,
  type Result,
  standaloneResult,
} from "./checks.ts";
import {
  allowedError,
  deviation,
  EXACT,
  sameValue,
  Tally,
  type Tolerance,
  within,
} from "./compare.ts";
import {
  fullSizes,
  type InputSizes,
  isSubnormal,
  quickSizes,
  Tag,
} from "./inputs.ts";
import { type CasePlan, planCase, type PlanOptions } from "./plan.ts";
import {
  addProfile,
  type Profile,
  profileNamed,
  profileOf,
  toleranceOf,
} from "./tolerances.ts";
import {
  type DeviceIdentity,
  deviceOf,
  type DeviceProfile,
  deviceProfileOf,
  deviceProfiles,
} from "./devices.ts";
import {
  deviationMatches,
  type KnownDeviation,
  ledger,
  type LedgerQuery,
  paramsMatch,
} from "./ledger.ts";

/** The shapes of the shape check (issue 4). */
export const SHAPES: readonly (readonly number[])[] = [
  [],
  [0],
  [1],
  [7],
  [3, 4, 5],
  [3, 21846],
  [2 ** 20],
];

/** The shapes of a `--quick` run: all but [2²⁰]; [3, 21846] still takes element indices past 2¹⁶. */
export const QUICK_SHAPES: readonly (readonly number[])[] = SHAPES.filter((s) =>
  s.reduce((a, b) => a * b, 1) <= 2 ** 17
);

/**
 * The backends a run covers when none is named: every built-in, nonlin's own
 * first (native, tfjs-cpu, tfjs-wasm, tfjs-webgpu, then their variants), then
 * the peers (ort-wasm, ort-wasm-mt, jax-js).
 *
 * @example
 * ```ts
 * import { defaultBackends } from "@nonlin/conformance";
 * import assert from "node:assert";
 *
 * assert.strictEqual(defaultBackends()[0], "native");
 * assert.ok(defaultBackends().includes("jax-js"));
 * ```
 */
export function defaultBackends(): string[] {
  const isPeer = (name: string) => builtinBackends[name]?.peer !== undefined;
  const own = [...backendNames, ...backendVariantNames].filter((n) =>
    !isPeer(n)
  );
  return [...own, ...Object.keys(builtinBackends).filter(isPeer)];
}

/** Options of {@linkcode runConformance}. */
export interface RunOptions {
  /** Backend names or module paths/URLs. @default {@linkcode defaultBackends}, every built-in backend, peers included */
  readonly backends?: readonly string[];
  /** Backends that must run: skipped is then a failure. @default [] */
  readonly require?: readonly string[];
  /** A quick subset (fewer random inputs, no [2²⁰] shape). @default false */
  readonly quick?: boolean;
  /** Only these ops. @default every op */
  readonly ops?: readonly OpName[];
  /** How long a backend may take over one request before it is stopped, in ms. @default 120000 */
  readonly timeoutMs?: number;
  /** The known deviations to accept. @default the ledger (ledger.ts) */
  readonly waivers?: readonly KnownDeviation[];
  /** The device profiles to recognise devices by. @default devices.ts's */
  readonly devices?: readonly DeviceProfile[];
  /** Tolerances for third-party backends, by backend name (`--tolerances FILE`). */
  readonly tolerances?: Readonly<
    Record<string, Parameters<typeof addProfile>[1]>
  >;
  /**
   * Run each built-in backend on this thread instead of in a worker of its
   * own: for a browser page that runs a bundle of the suite, where the
   * worker's module cannot be started. No timeout holds there, and a module
   * given by path is refused. @default false
   */
  readonly inProcess?: boolean;
  /** Called as the run progresses. */
  readonly onProgress?: (progress: Progress) => void;
}

/** Where a run stands. */
export interface Progress {
  /** What it is doing. */
  readonly phase: "loading" | "cases" | "identities" | "done";
  /** Cases done. */
  readonly done: number;
  /** Cases in all. */
  readonly total: number;
  /** The case running now. */
  readonly current?: string;
  /** Each backend and its state. */
  readonly backends: readonly {
    readonly name: string;
    readonly status: string;
  }[];
}

/** A backend as the report describes it. */
export interface BackendReport {
  /** Its name (or the spec it was asked for, when it never loaded). */
  readonly name: string;
  /** The name or path it was asked for. */
  readonly spec: string;
  /** ran, skipped (cannot run here) or error (threw, hung, crashed). */
  status: "ran" | "skipped" | "error";
  /** Why it was skipped or errored. */
  reason?: string;
  /** Its declared precision. */
  readonly precision?: string;
  /** The tolerance profile it was held to. */
  readonly profile?: string;
  /** Its declared capabilities. */
  readonly capabilities?: unknown;
  /** The device it computes on (a GPU adapter); absent for the CPU. */
  readonly device?: DeviceIdentity;
  /** The device profile that matched, if any. */
  readonly deviceProfile?: string;
  /** The deviation classes seen (results not passing, by class), waived or not. */
  classes?: Record<string, number>;
  /** Time spent waiting on it, in ms. */
  durationMs: number;
}

/** How a ledger entry fared in the run. */
export interface WaiverReport extends KnownDeviation {
  /** used (it covers failures), stale (it no longer fails: the run fails) or not evaluated. */
  readonly status: "used" | "stale" | "not evaluated";
  /** Why stale or not evaluated. */
  readonly why?: string;
}

/** The whole run. */
export interface Report {
  /** What wrote it. */
  readonly tool: "nonlin conformance";
  /** The report's format version. */
  readonly version: 1;
  /** Whether it was a `--quick` run. */
  readonly quick: boolean;
  /** When it started (ISO 8601). */
  readonly startedAt: string;
  /** How long it took, in ms. */
  readonly durationMs: number;
  /** Of which the main thread spent planning cases and judging results, in ms. */
  readonly mainThreadMs: {
    readonly planning: number;
    readonly judging: number;
  };
  /** Where it ran. */
  readonly platform: Readonly<Record<string, string | number>>;
  /** The input sizes. */
  readonly inputs: InputSizes & {
    readonly grid: number;
    readonly shapes: readonly (readonly number[])[];
  };
  /** Every case. */
  readonly cases: readonly {
    readonly id: string;
    readonly op: OpName;
    readonly params: Readonly<Record<string, CaseParamValue>>;
  }[];
  /** Every backend asked for. */
  readonly backends: readonly BackendReport[];
  /** Every result. */
  readonly results: readonly Result[];
  /** Every waiver and how it fared. */
  readonly waivers: readonly WaiverReport[];
  /** The tolerance profiles used. */
  readonly profiles: Readonly<Record<string, Profile>>;
  /** Counts, and whether the run passes. */
  readonly summary: Summary;
}

/** The counts of a run. */
export interface Summary {
  /** Results that passed. */
  readonly pass: number;
  /** Results that failed and no ledger entry covers. */
  readonly fail: number;
  /** Results that failed as a ledger entry says they do. */
  readonly waived: number;
  /** Ledger entries that no longer fail (each one fails the run). */
  readonly staleWaivers: number;
  /** Backends that ran. */
  readonly ran: readonly string[];
  /** Backends skipped, unavailable here. */
  readonly skipped: readonly string[];
  /** Backends that failed to load or crashed. */
  readonly errored: readonly string[];
  /** Backends given with `require` that did not run. */
  readonly missingRequired: readonly string[];
  /** No unexpected failure, no stale waiver, no backend error, every required backend ran. */
  readonly ok: boolean;
}

interface Live {
  readonly report: BackendReport;
  readonly session: Pick<Session, "load" | "run" | "close">;
  readonly judged: Judged;
}

/** A session that never loads, for a backend a run may not take. */
class Refused {
  readonly #why: string;
  constructor(why: string) {
    this.#why = why;
  }
  load(): Promise<LoadedInfo> {
    return Promise.reject(new TypeError(this.#why));
  }
  run(): Promise<Outcome[]> {
    return Promise.reject(new TypeError(this.#why));
  }
  close(): Promise<undefined> {
    return Promise.resolve(undefined);
  }
}

function planOptions(
  quick: boolean,
  isFirstOfOp: boolean,
  witnesses: readonly number[],
): PlanOptions {
  return {
    sizes: quick ? quickSizes : fullSizes,
    gradientCount: 160 + (quick ? 256 : 1024),
    residentRandom: quick ? 256 : 2048,
    shapes: isFirstOfOp ? (quick ? QUICK_SHAPES : SHAPES) : [],
    witnesses,
  };
}

/**
 * Runs the conformance suite.
 *
 * @param options Backends, quick mode, filters, waivers.
 * @returns The report; `report.summary.ok` says whether the run passes.
 *
 * @example
 * ```ts
 * import { runConformance } from "@nonlin/conformance";
 * import assert from "node:assert";
 *
 * const report = await runConformance({
 *   backends: ["./examples/reference_backend.ts"],
 *   ops: ["relu"],
 *   quick: true,
 * });
 * assert.ok(report.summary.ok);
 * assert.ok(report.results.every((r) => r.status === "pass"));
 * ```
 */
export async function runConformance(
  options: RunOptions = {},
): Promise<Report> {
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const quick = options.quick ?? false;
  const runKind = quick ? "quick" : "full";
  const selected = options.ops ?? opNames;
  const waiverList = options.waivers ?? ledger;
  const deviceList = options.devices ?? deviceProfiles;
  // Every built-in by default, the peers included: each runs in its own
  // worker, so a peer's runtime (onnxruntime-web's threads, jax-js's pool)
  // never shares a thread with another backend.
  const specs = [
    ...new Set(options.backends ?? defaultBackends()),
  ];
  const timeoutMs = options.timeoutMs ?? 120_000;
  const progress = options.onProgress ?? (() => {});

  const reports: BackendReport[] = specs.map((spec) => ({
    name: spec,
    spec,
    status: "ran",
    durationMs: 0,
  }));
  const status = () =>
    reports.map((r) => ({
      name: r.name,
      status: r.status === "ran" ? "running" : r.status,
    }));
  progress({ phase: "loading", done: 0, total: 0, backends: status() });

  // Load every backend at once, each in its own worker.
  const builtins = Object.keys(builtinBackends);
  const sessions = specs.map((spec) =>
    !options.inProcess
      ? new Session(spec, timeoutMs)
      : builtins.includes(spec)
      ? new InProcessSession(spec)
      : new Refused(
        `${spec} is not a built-in backend: in-process runs take built-ins only`,
      )
  );
  const loaded = await Promise.allSettled(sessions.map((s) => s.load()));
  // Sessions that will not run are closed at once; the run waits for them
  // (and for the others' release) before it reports.
  const closing: Promise<unknown>[] = [];
  const live: Live[] = [];
  const names = new Set<string>();
  loaded.forEach((outcome, k) => {
    const report = reports[k]!;
    const spec = specs[k]!;
    const session = sessions[k]!;
    if (outcome.status === "rejected") {
      Object.assign(report, {
        status: "error",
        reason: `could not load: ${(outcome.reason as Error).message}`,
      });
      closing.push(session.close());
      return;
    }
    const info: LoadedInfo = outcome.value;
    // The runner chooses the profile: a built-in loaded by its name gets its
    // own, anything else float32, whatever `precision` it declares. A module
    // loaded by path that calls itself like a built-in is reported under a
    // name of its own, so it inherits none of that backend's ledger entries.
    const given = options.tolerances?.[info.name];
    const profile = info.builtin !== undefined
      ? profileOf(info.builtin)
      : given !== undefined
      ? addProfile(info.name, given)
      : "float32";
    if (
      info.builtin === undefined &&
      [...backendNames, ...peerBackendNames, ...backendVariantNames].includes(
        info.name,
      )
    ) {
      info.name = `${info.name} (${spec})`;
    }
    const device = deviceOf(
      (info.capabilities as { properties?: Record<string, unknown> } | null)
        ?.properties,
    );
    const deviceProfile = deviceProfileOf(device, deviceList);
    Object.assign(report, {
      name: info.name,
      precision: info.precision,
      profile,
      capabilities: info.capabilities,
      ...(device === undefined ? {} : { device }),
      ...(deviceProfile === undefined ? {} : { deviceProfile }),
    });
    if (names.has(info.name)) {
      Object.assign(report, {
        status: "error",
        reason: `another backend is already named ${info.name}`,
      });
      closing.push(session.close());
    } else if (!info.available) {
      Object.assign(report, {
        status: "skipped",
        reason: info.reason ?? "not available here (no reason given)",
      });
      closing.push(session.close());
    } else {
      live.push({ report, session, judged: { backend: info.name, profile } });
    }
    names.add(info.name);
  });

  const cases = allCases(selected);
  const witnessesOf = (
    op: OpName,
  ) => [
    ...new Set(
      waiverList.filter((w) => w.op === op).flatMap((w) => w.inputs ?? []),
    ),
  ];
  let planning = 0;
  let judging = 0;
  const plans = (k: number): CasePlan => {
    const started = performance.now();
    try {
      return planAt(k);
    } finally {
      planning += performance.now() - started;
    }
  };
  const planAt = (k: number): CasePlan => {
    const c = cases[k]!;
    const first = k === 0 || cases[k - 1]!.op !== c.op;
    return planCase(c, planOptions(quick, first, witnessesOf(c.op)));
  };
  const results: Result[] = [];
  const pairs: PendingPair[] = [];

  const dispatch = (calls: readonly Call[], what: string) =>
    live.filter((b) => b.report.status === "ran").map((b) => {
      const t0 = performance.now();
      return b.session.run(calls, what).then(
        (outcomes) => {
          b.report.durationMs += performance.now() - t0;
          return { b, outcomes };
        },
        (error: Error) => {
          b.report.durationMs += performance.now() - t0;
          b.report.status = "error";
          b.report.reason = error.message;
          closing.push(b.session.close());
          return { b, outcomes: undefined };
        },
      );
    });

  // Plan the next case while the backends compute the current one.
  let plan: CasePlan | undefined = cases.length > 0 ? plans(0) : undefined;
  let pending = plan ? dispatch(plan.calls, `running ${plan.case.id}`) : [];
  for (let k = 0; k < cases.length; k++) {
    progress({
      phase: "cases",
      done: k,
      total: cases.length,
      current: cases[k]!.id,
      backends: status(),
    });
    const next = k + 1 < cases.length ? plans(k + 1) : undefined;
    const replies = await Promise.all(pending);
    pending = next ? dispatch(next.calls, `running ${next.case.id}`) : [];
    const judgingFrom = performance.now();
    const evaluated: { judged: Judged; pair: PairData }[] = [];
    for (const { b, outcomes } of replies) {
      if (outcomes === undefined) continue;
      const e = evaluateCase(plan!, b.judged, outcomes);
      results.push(...e.results);
      evaluated.push({ judged: b.judged, pair: e.pair });
    }
    for (let i = 0; i < evaluated.length; i++) {
      for (let j = i + 1; j < evaluated.length; j++) {
        pairs.push(comparePair(plan!, evaluated[i]!, evaluated[j]!));
      }
    }
    judging += performance.now() - judgingFrom;
    plan = next;
  }

  progress({
    phase: "identities",
    done: cases.length,
    total: cases.length,
    backends: status(),
  });
  const identities = planIdentities(selected);
  if (identities !== undefined) {
    for (
      const { b, outcomes } of await Promise.all(
        dispatch(identities.calls, "checking the identities"),
      )
    ) {
      if (outcomes !== undefined) {
        results.push(
          ...evaluateIdentities(identities, b.judged, outcomes, selected),
        );
      }
    }
  }
  // Each backend releases its device (release()) before its worker stops;
  // a release that fails is the backend's error.
  await Promise.all(live.map(async (b) => {
    const problem = await b.session.close();
    if (problem !== undefined && b.report.status === "ran") {
      b.report.status = "error";
      b.report.reason = problem;
    }
  }));
  await Promise.all(closing);

  const waiverReports = applyWaivers(
    results,
    waiverList.filter((w) => w.run === undefined || w.run === runKind),
    reports,
    selected,
  );
  // An entry for the other run's inputs is neither used nor stale here.
  waiverReports.push(
    ...waiverList
      .filter((w) => w.run !== undefined && w.run !== runKind)
      .map((w): WaiverReport => ({
        ...w,
        status: "not evaluated",
        why:
          `it holds for the ${w.run} run's inputs; this was a ${runKind} run`,
      })),
  );
  for (const b of reports) {
    const seen: Record<string, number> = {};
    for (const r of results) {
      if (r.backend !== b.name || r.status === "pass") continue;
      const c = deviationClassOf(r);
      seen[c] = (seen[c] ?? 0) + 1;
    }
    if (b.status === "ran") b.classes = seen;
  }
  for (const p of pairs) results.push(settlePair(p));
  results.sort(byOrder(cases, reports));

  const required = options.require ?? [];
  const missingRequired = required.filter((r) =>
    !reports.some((b) => (b.spec === r || b.name === r) && b.status === "ran")
  );
  const count = (s: Result["status"]) =>
    results.filter((r) => r.status === s).length;
  const staleWaivers = waiverReports.filter((w) => w.status === "stale").length;
  const errored = reports.filter((b) => b.status === "error").map((b) =>
    b.name
  );
  const summary: Summary = {
    pass: count("pass"),
    fail: count("fail"),
    waived: count("waived"),
    staleWaivers,
    ran: reports.filter((b) => b.status === "ran").map((b) => b.name),
    skipped: reports.filter((b) => b.status === "skipped").map((b) => b.name),
    errored,
    missingRequired,
    ok: count("fail") === 0 && staleWaivers === 0 && errored.length === 0 &&
      missingRequired.length === 0,
  };
  progress({
    phase: "done",
    done: cases.length,
    total: cases.length,
    backends: status(),
  });
  const sizes = quick ? quickSizes : fullSizes;
  return {
    tool: "nonlin conformance",
    version: 1,
    quick,
    startedAt,
    durationMs: Math.round(performance.now() - started),
    mainThreadMs: {
      planning: Math.round(planning),
      judging: Math.round(judging),
    },
    platform: platform(),
    inputs: {
      ...sizes,
      grid: bookGrid().length,
      shapes: planOptions(quick, true, []).shapes,
    },
    cases: cases.map((c) => ({ id: c.id, op: c.op, params: c.params })),
    backends: reports,
    results,
    waivers: waiverReports,
    profiles: Object.fromEntries(
      [
        ...new Set(
          reports.map((b) => b.profile).filter((p): p is string =>
            p !== undefined
          ),
        ),
      ].map((p) => [p, profileNamed(p)!]),
    ),
    summary,
  };
}

function platform(): Record<string, string | number> {
  const deno = (globalThis as { Deno?: typeof Deno }).Deno;
  return {
    deno: deno?.version.deno ?? "unknown",
    v8: deno?.version.v8 ?? "unknown",
    os: deno?.build.os ?? "unknown",
    arch: deno?.build.arch ?? "unknown",
    cpus: navigator.hardwareConcurrency ?? 0,
  };
}

function byOrder(cases: readonly Case[], backends: readonly BackendReport[]) {
  const caseIndex = new Map(cases.map((c, i) => [c.id, i]));
  const backendIndex = new Map(backends.map((b, i) => [b.name, i]));
  const checkIndex = new Map(checkKinds.map((c, i) => [c, i]));
  const opIndex = new Map(opNames.map((o, i) => [o, i]));
  return (a: Result, b: Result) =>
    (opIndex.get(a.op)! - opIndex.get(b.op)!) ||
    ((caseIndex.get(a.case) ?? -1) - (caseIndex.get(b.case) ?? -1)) ||
    ((backendIndex.get(a.backend) ?? 0) - (backendIndex.get(b.backend) ?? 0)) ||
    (checkIndex.get(a.check)! - checkIndex.get(b.check)!) ||
    ((a.against ? backendIndex.get(a.against) ?? 0 : 0) -
      (b.against ? backendIndex.get(b.against) ?? 0 : 0));
}

// ---------------------------------------------------------------------------
// The ledger

/** The ledger query of a result on a backend. */
function queryOf(
  r: Pick<Result, "backend" | "op" | "check" | "params">,
  b: BackendReport | undefined,
): LedgerQuery {
  return {
    backend: r.backend,
    op: r.op,
    check: r.check,
    params: r.params,
    onDevice: b?.device !== undefined,
    device: b?.deviceProfile,
  };
}

/** Whether a ledger entry covers a result (by backend, op, check and parameters; any device). */
export function waiverMatches(
  w: KnownDeviation,
  r: Pick<Result, "backend" | "op" | "check" | "params">,
): boolean {
  return deviationMatches(w, { ...r, onDevice: false });
}

/** The backend's declared unsupported feature that explains a failed result, if any. */
function declaredUnsupported(
  r: Result,
  b: BackendReport | undefined,
): { reason: string } | undefined {
  if (r.check !== "secondDerivative" || r.failures > 0) return undefined;
  if (!/NotSupportedError/.test(r.message ?? "")) return undefined;
  const declared = (b?.capabilities as {
    unsupported?: {
      op: string;
      feature: string;
      reason: string;
      when?: Record<string, unknown>;
    }[];
  } | null)?.unsupported ?? [];
  return declared.find((u) =>
    u.op === r.op && u.feature === "secondDerivative" &&
    (u.when === undefined || paramsMatch(r.params, u.when))
  );
}

/**
 * Marks every failure a ledger entry covers (or the backend declares
 * unsupported) as waived, and says how each entry fared: used, stale (a case
 * it covers passes, every one with anyCase, or it covers nothing), or not evaluated (its backend,
 * device or op did not run).
 */
function applyWaivers(
  results: Result[],
  list: readonly KnownDeviation[],
  backends: readonly BackendReport[],
  selected: readonly OpName[],
): WaiverReport[] {
  const backendOf = new Map(backends.map((b) => [b.name, b]));
  const covers = (w: KnownDeviation, r: Result) =>
    deviationMatches(w, queryOf(r, backendOf.get(r.backend)));
  for (const r of results) {
    if (r.status !== "fail") continue;
    const declared = declaredUnsupported(r, backendOf.get(r.backend));
    if (declared) {
      r.status = "waived";
      r.waiver = {
        reason: declared.reason,
        source: "declared by the backend in capabilities.unsupported",
        class: "unsupported",
      };
      continue;
    }
    const w = list.find((w) => w.shownBy === undefined && covers(w, r));
    if (w) {
      r.status = "waived";
      r.waiver = {
        reason: w.reason,
        ...(w.source === undefined ? {} : { source: w.source }),
        ...(w.class === undefined ? {} : { class: w.class }),
      };
    }
  }
  return list.map((w): WaiverReport => {
    const b = backendOf.get(w.backend);
    if (b === undefined || b.status !== "ran") {
      return {
        ...w,
        status: "not evaluated",
        why: b ? `${w.backend} ${b.status}` : `${w.backend} was not run`,
      };
    }
    if (
      w.devices !== undefined && b.device !== undefined &&
      (b.deviceProfile === undefined || !w.devices.includes(b.deviceProfile))
    ) {
      return {
        ...w,
        status: "not evaluated",
        why: `it holds on ${w.devices.join(", ")}; ${w.backend} ran on ${
          b.deviceProfile ?? "a device with no profile"
        }`,
      };
    }
    if (w.shownBy === "contract") {
      return {
        ...w,
        status: "not evaluated",
        why: "shown point by point on the contract grid, which " +
          "adapters/contract_test.ts checks",
      };
    }
    if (!selected.includes(w.op)) {
      return { ...w, status: "not evaluated", why: `${w.op} was not run` };
    }
    const missing = w.check === "identity"
      ? (identities.find((i) => i.op === w.op)?.needs ?? [])
        .filter((op) => !selected.includes(op))
      : [];
    if (missing.length > 0) {
      return {
        ...w,
        status: "not evaluated",
        why: `${w.op}'s identity needs ${missing.join(", ")}, not run`,
      };
    }
    const matched = results.filter((r) => covers(w, r));
    if (matched.length === 0) {
      return { ...w, status: "stale", why: "it matches no result" };
    }
    const passing = matched.filter((r) => r.status === "pass");
    // anyCase: stale only once every case it covers passes.
    if (passing.length > (w.anyCase ? matched.length - 1 : 0)) {
      return {
        ...w,
        status: "stale",
        why: `no longer fails: ${passing.map((r) => r.case).join(", ")} pass`,
      };
    }
    const unmatched = (w.params ?? []).filter((p) =>
      !matched.some((r) => paramsMatch(r.params, p))
    );
    if (unmatched.length > 0) {
      return {
        ...w,
        status: "stale",
        why: `no case has ${
          unmatched.map((p) => JSON.stringify(p)).join(", ")
        }`,
      };
    }
    return { ...w, status: "used" };
  });
}

// ---------------------------------------------------------------------------
// Pairwise agreement

interface PendingPair {
  readonly result: Result;
  readonly explainers: Set<Result>;
  readonly unexplained: number;
}

function combined(a: Tolerance, b: Tolerance): Tolerance {
  const abs = a.abs === undefined && b.abs === undefined
    ? undefined
    : (a.abs ?? 0) + (b.abs ?? 0);
  return {
    ulp: a.ulp + b.ulp,
    ...(abs === undefined ? {} : { abs }),
    reason: "the sum of the two backends' tolerances",
  };
}

/** Compares two backends' f and f' on a case's main input, element by element. */
function comparePair(
  plan: CasePlan,
  a: { judged: Judged; pair: PairData },
  b: { judged: Judged; pair: PairData },
): PendingPair {
  const { op } = plan.case;
  const { x, tags } = plan.input;
  const tally = new Tally();
  const explainers = new Set<Result>();
  let unexplained = 0;
  const messages: string[] = [];
  for (const q of ["values", "derivative"] as const) {
    const va = a.pair[q];
    const vb = b.pair[q];
    if (va === undefined || vb === undefined) {
      messages.push(
        `${q === "values" ? "f" : "f'"} is missing from ${
          va === undefined ? a.judged.backend : b.judged.backend
        }`,
      );
      continue;
    }
    const tol = combined(
      toleranceOf(a.judged.profile, op, q),
      toleranceOf(b.judged.profile, op, q),
    );
    const signed = q === "values" && ops[op].odd;
    // Identical bits agree whatever the element is: the common case, counted
    // without measuring.
    const ba = new Int32Array(va.buffer, va.byteOffset, va.length);
    const bb = new Int32Array(vb.buffer, vb.byteOffset, vb.length);
    const quantity = q === "values" ? "f" : "f'";
    let identical = 0;
    for (let i = 0; i < x.length; i++) {
      if (ba[i] === bb[i]) {
        if (tally.worst === undefined) {
          tally.add(EXACT, true, i, x[i]!, vb[i]!, va[i]!, quantity);
        } else identical++;
        continue;
      }
      const ga = va[i]!;
      const gb = vb[i]!;
      const exact = tags[i] === Tag.special || (signed && tags[i] === Tag.zero);
      const d = deviation(gb, ga);
      const ok = exact
        ? sameValue(ga, gb, signed)
        : sameValue(ga, gb) || within(d, tol);
      tally.add(d, ok, i, x[i]!, gb, ga, quantity);
      if (ok) continue;
      const why = [
        ...(a.pair.explain[q].get(i) ?? []),
        ...(b.pair.explain[q].get(i) ?? []),
      ];
      if (why.length === 0) unexplained++;
      for (const r of why) explainers.add(r);
    }
    tally.count += identical;
  }
  const result = standaloneResult(
    {
      backend: a.judged.backend,
      against: b.judged.backend,
      op,
      case: plan.case.id,
      params: plan.case.params,
      check: "pairwise",
    },
    tally,
    messages,
  );
  return { result, explainers, unexplained };
}

/**
 * A pair's status, once the waivers are applied: a disagreement that follows
 * only from waived departures of either backend is waived with them.
 */
function settlePair(p: PendingPair): Result {
  const r = p.result;
  if (r.status === "pass" || r.message !== undefined) return r;
  const notes = [...p.explainers].map((e) =>
    `${e.backend} ${e.check} (${e.status})`
  );
  const allWaived = p.unexplained === 0 &&
    [...p.explainers].every((e) => e.status === "waived");
  const message = `${r.failures} elements disagree` +
    (p.unexplained > 0
      ? `, ${p.unexplained} not explained by either backend's own checks`
      : "") +
    (notes.length > 0
      ? `; they follow from ${[...new Set(notes)].join(", ")}`
      : "");
  return {
    ...r,
    status: allWaived ? "waived" : "fail",
    message,
    ...(allWaived
      ? {
        waiver: {
          reason: `follows from waived departures: ${
            [...new Set(notes)].join(", ")
          }`,
        },
      }
      : {}),
  };
}

// ---------------------------------------------------------------------------
// The book's identities

interface IdentityPlan {
  readonly calls: Call[];
  readonly x: Float32Array;
}

/** The identities' input: the grid, moderate random values, landmarks, ±0 and subnormals. */
function identityInput(): Float32Array {
  const random = seededRandom(0x1de7);
  const values = [...bookGrid()];
  for (let i = 0; i < 1024; i++) values.push(-20 + 40 * random());
  values.push(
    0,
    -0,
    1,
    -1,
    2 ** -149,
    -(2 ** -149),
    1e-40,
    -1e-40,
    FLOAT32_MIN_NORMAL,
    -FLOAT32_MIN_NORMAL,
    30,
    -30,
    100,
    -100,
    FLOAT32_MAX,
    -FLOAT32_MAX,
  );
  return Float32Array.from(values);
}

function planIdentities(selected: readonly OpName[]): IdentityPlan | undefined {
  const needed = identities.some((i) =>
    i.needs.some((op) => selected.includes(op))
  );
  if (!needed) return undefined;
  const x = identityInput();
  const twice = x.map((v) => 2 * v);
  const shape = [x.length];
  const call = (
    kind: Call["kind"],
    op: OpName,
    input: Float32Array,
    params = {},
  ): Call => ({ kind, form: "resident", op, params, x: input, shape });
  return {
    x,
    calls: [
      call("forward", "tanh", x),
      call("forward", "sigmoid", twice),
      call("derivative", "sigmoid", x),
      call("derivative", "relu", x),
      call("forward", "silu", x),
      call("forward", "swish", x, { beta: 1 }),
      call("forward", "hardSwish", x),
      call("forward", "hardSigmoid", x),
    ],
  };
}

/** The book's identities, each judged on the backend's own results. */
export const identities = [
  { op: "tanh", text: "tanh(x) + 1 = 2σ(2x)", needs: ["tanh", "sigmoid"] },
  {
    op: "sigmoid",
    text: "σ'(x) ≤ 1/4, with its maximum 1/4 at x = 0",
    needs: ["sigmoid"],
  },
  { op: "relu", text: "relu'(x) ∈ {0, 1}, and relu'(0) = 0", needs: ["relu"] },
  {
    op: "silu",
    text: "silu(x) = swish(x) with β = 1",
    needs: ["silu", "swish"],
  },
  {
    op: "hardSwish",
    text: "hardSwish(x) = x·hardSigmoid(x)",
    needs: ["hardSwish", "hardSigmoid"],
  },
] as const;

function evaluateIdentities(
  plan: IdentityPlan,
  judged: Judged,
  outcomes: readonly Outcome[],
  selected: readonly OpName[],
): Result[] {
  const { x } = plan;
  const tol = (op: OpName) => toleranceOf(judged.profile, op, "values");
  const out = outcomes.map((o) => o.out?.data);
  const errors = outcomes.map((
    o,
  ) => (o.error ? `${o.error.name}: ${o.error.message}` : undefined));
  const [tanh, sigmoid2, dsigmoid, drelu, silu, swish, hardSwish, hardSigmoid] =
    out;
  const results: Result[] = [];
  const judge = (
    which: (typeof identities)[number],
    inputs: readonly (number | undefined)[],
    element: (i: number, t: Tally) => void,
  ) => {
    const t = new Tally();
    const messages = inputs.flatMap((
      k,
    ) => (k !== undefined && errors[k] ? [errors[k]!] : []));
    if (messages.length === 0) {
      for (let i = 0; i < x.length; i++) element(i, t);
    }
    results.push(standaloneResult(
      {
        backend: judged.backend,
        op: which.op,
        case: which.op,
        params: {},
        check: "identity",
        identity: which.text,
      },
      t,
      messages,
    ));
  };
  const spec = ops;
  judge(identities[0], [0, 1], (i, t) => {
    const xi = x[i]!;
    const got = tanh![i]! + 1;
    const want = 2 * sigmoid2![i]!;
    const allowed = allowedError(spec.tanh.f(xi, {}), tol("tanh")) +
      2 * allowedError(spec.sigmoid.f(2 * xi, {}), tol("sigmoid"));
    const error = Math.abs(got - want);
    t.addElement(
      { index: i, x: xi, got, want, quantity: "tanh(x) + 1 against 2σ(2x)" },
      { ulp: 0, abs: error, rel: want === 0 ? 0 : error / want },
      error <= allowed,
    );
  });
  judge(identities[1], [2], (i, t) => {
    const xi = x[i]!;
    const got = dsigmoid![i]!;
    const ok = xi === 0 ? got === 0.25 : got <= 0.25;
    t.addElement(
      {
        index: i,
        x: xi,
        got,
        want: 0.25,
        quantity: "σ'",
        note: xi === 0 ? "must equal 1/4" : "must be at most 1/4",
      },
      deviation(got, spec.sigmoid.dfdx(xi, {})),
      ok,
    );
  });
  judge(identities[2], [3], (i, t) => {
    const xi = x[i]!;
    const got = drelu![i]!;
    const ok = xi === 0
      ? Object.is(got, 0) || got === 0
      : got === 0 || got === 1;
    t.addElement(
      { index: i, x: xi, got, want: spec.relu.dfdx(xi, {}), quantity: "relu'" },
      deviation(got, spec.relu.dfdx(xi, {})),
      ok,
    );
  });
  judge(identities[3], [4, 5], (i, t) => {
    const xi = x[i]!;
    const want = swish![i]!;
    const got = silu![i]!;
    const allowed = allowedError(spec.silu.f(xi, {}), tol("silu")) +
      allowedError(spec.swish.f(xi, { beta: 1 }), tol("swish"));
    const ok = sameValue(got, want) || Math.abs(got - want) <= allowed;
    t.addElement(
      { index: i, x: xi, got, want, quantity: "silu against swish(β = 1)" },
      deviation(got, want),
      ok,
    );
  });
  judge(identities[4], [6, 7], (i, t) => {
    const xi = x[i]!;
    const got = hardSwish![i]!;
    const want = xi * hardSigmoid![i]!;
    const allowed = allowedError(spec.hardSwish.f(xi, {}), tol("hardSwish")) +
      Math.abs(xi) *
        allowedError(spec.hardSigmoid.f(xi, {}), tol("hardSigmoid"));
    // A subnormal flushed to zero is judged by its own check, not here.
    const ok = sameValue(got, want) || Math.abs(got - want) <= allowed ||
      (isSubnormal(want) && got === 0);
    t.addElement(
      {
        index: i,
        x: xi,
        got,
        want,
        quantity: "hardSwish against x·hardSigmoid",
      },
      deviation(got, want),
      ok,
    );
  });
  return results.filter((r) => {
    const identity = identities.find((d) => d.text === r.identity)!;
    return identity.needs.every((op) => selected.includes(op));
  });
}
