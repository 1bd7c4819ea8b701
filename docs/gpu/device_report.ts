/**
 * The tables that the closing notes and the README need, from the files a
 * device run (`device_run.sh run`) brings back: issue 13's targets per op
 * (native-webgpu against the compute-copy floor and against tfjs-webgpu),
 * issue 14's thread-scaling curve, and issue 11's conformance runs with and
 * without device profiles.
 *
 * ```sh
 * deno run -A docs/gpu/device_report.ts DIR [--out FILE] [--small 2^20] [--large 2^24,2^26]
 * ```
 *
 * DIR holds what came back: `bench.jsonl`, `scaling.json`,
 * `conformance.json`, `conformance_noprofile.json`, `profile.json` (each
 * optional: a missing one is reported as not run). `--small` is the size of
 * the per-call target, `--large` the sizes of the floor and speed-up targets.
 * Malformed input is an error, never a table: a corrupt line, a cell without
 * its backend, a scaling row without its one-thread baseline.
 *
 * @module
 */

import { parseArgs } from "node:util";
import type { CellResult, FloorEntry } from "@nonlin/bench";

/** The native engine's GPU backend, and the one it is held against. */
export const NATIVE_GPU = "native-webgpu";
/** The reference backend of issue 13. */
export const TFJS_GPU = "tfjs-webgpu";

/** Issue 13's targets. */
export const TARGETS = Object.freeze({
  /** Within this many times the compute-copy floor, at the large sizes. */
  floorRatio: 1.3,
  /** A VJP at least this many times faster than tfjs-webgpu's. */
  vjpSpeedup: 3,
  /** A forward at least as fast as tfjs-webgpu's. */
  forwardSpeedup: 1,
  /** Issue 14: all threads against one. */
  threadSpeedup: 8,
});

/** One pass of `device_bench.ts`, as its lines tell it. */
export interface BenchPass {
  readonly pass: string;
  readonly sizes: readonly number[];
  readonly ops: readonly string[];
  readonly modes: readonly string[];
  readonly backends: readonly string[];
  /** Whether its `end` line came: false when it was cut off. */
  readonly finished: boolean;
  readonly durationS?: number;
  /** Backend name → its properties (adapter, threads, …). */
  readonly properties: Readonly<
    Record<string, Readonly<Record<string, unknown>>>
  >;
}

/** What `bench.jsonl` holds. */
export interface BenchLines {
  readonly passes: readonly BenchPass[];
  readonly results: readonly CellResult[];
  readonly floors: readonly FloorEntry[];
  /** A last line cut off mid-write (the process was killed), if any. */
  readonly truncated: boolean;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function checkCell(c: unknown, where: string): CellResult {
  if (
    !isObject(c) || typeof c.backend !== "string" ||
    typeof c.op !== "string" || typeof c.mode !== "string" ||
    typeof c.size !== "number" || typeof c.status !== "string"
  ) {
    throw new TypeError(
      `${where}: a result without backend, op, mode, size and status`,
    );
  }
  const r = c.resident;
  if (
    isObject(r) && r.status === "ok" &&
    !(typeof r.medianMs === "number" && r.medianMs > 0)
  ) {
    throw new TypeError(`${where}: a timing without a positive medianMs`);
  }
  return c as unknown as CellResult;
}

/**
 * Reads `bench.jsonl`. A last line cut off mid-write is skipped (and
 * flagged); any other line that is not a known event is an error.
 *
 * @param text The file's text.
 * @returns The passes, the results and the floors, in file order.
 * @throws {SyntaxError} For a line that is not JSON (other than the last).
 * @throws {TypeError} For a line that is not a device_bench event.
 *
 * @example
 * ```ts
 * import { readBenchLines } from "./device_report.ts";
 * import assert from "node:assert";
 *
 * const lines = readBenchLines('{"pass":"p","kind":"start","sizes":[8],"ops":["relu"],"backends":["native"]}\n{"pass"');
 * assert.strictEqual(lines.passes[0]!.finished, false);
 * assert.strictEqual(lines.truncated, true);
 * ```
 */
export function readBenchLines(text: string): BenchLines {
  const lines = text.split("\n");
  while (lines.length > 0 && lines[lines.length - 1]!.trim() === "") {
    lines.pop();
  }
  const passes = new Map<
    string,
    BenchPass & { properties: Record<string, Record<string, unknown>> }
  >();
  const results: CellResult[] = [];
  const floors: FloorEntry[] = [];
  let truncated = false;
  lines.forEach((line, i) => {
    const where = `bench.jsonl line ${i + 1}`;
    let e: unknown;
    try {
      e = JSON.parse(line);
    } catch (error) {
      if (i === lines.length - 1) {
        truncated = true;
        return;
      }
      throw new SyntaxError(`${where}: ${(error as Error).message}`);
    }
    if (!isObject(e) || typeof e.pass !== "string") {
      throw new TypeError(`${where}: not a device_bench line (no pass)`);
    }
    const pass = e.pass;
    const known = passes.get(pass);
    switch (e.kind) {
      case "start": {
        if (!Array.isArray(e.sizes) || !Array.isArray(e.ops)) {
          throw new TypeError(`${where}: a start without sizes and ops`);
        }
        passes.set(pass, {
          pass,
          sizes: e.sizes as number[],
          ops: e.ops as string[],
          modes: (e.modes ?? ["forward", "vjp"]) as string[],
          backends: (e.backends ?? []) as string[],
          finished: false,
          properties: {},
        });
        return;
      }
      case "backend": {
        const entry = e.entry;
        if (!isObject(entry) || typeof entry.name !== "string") {
          throw new TypeError(`${where}: a backend without its name`);
        }
        if (known && isObject(entry.properties)) {
          known.properties[entry.name] = entry.properties;
        }
        return;
      }
      case "floor":
        if (!isObject(e.entry) || typeof e.entry.size !== "number") {
          throw new TypeError(`${where}: a floor without its size`);
        }
        floors.push(e.entry as unknown as FloorEntry);
        return;
      case "group":
        if (!Array.isArray(e.results)) {
          throw new TypeError(`${where}: a group without results`);
        }
        for (const c of e.results) results.push(checkCell(c, where));
        return;
      case "end":
        if (known) {
          passes.set(pass, {
            ...known,
            finished: true,
            ...(typeof e.durationS === "number"
              ? { durationS: e.durationS }
              : {}),
          });
        }
        return;
      default:
        throw new TypeError(`${where}: unknown kind ${JSON.stringify(e.kind)}`);
    }
  });
  return { passes: [...passes.values()], results, floors, truncated };
}

/** A verdict on one target: met, missed (with why), or not measured. */
export type Verdict =
  | { readonly state: "met"; readonly detail: string }
  | { readonly state: "missed"; readonly detail: string }
  | { readonly state: "not measured"; readonly detail: string };

/** One op and mode against issue 13's three targets. */
export interface GpuTargetRow {
  readonly op: string;
  readonly mode: string;
  /** Per size: native-webgpu's and tfjs-webgpu's median ms, the floor ratio. */
  readonly cells: Readonly<
    Record<
      number,
      { native?: number; ratioToFloor?: number; tfjs?: number; note?: string }
    >
  >;
  /** ≤ 1.3× the compute-copy floor at every large size. */
  readonly floor: Verdict;
  /** VJP ≥ 3× and forward ≥ 1× tfjs-webgpu's speed at every large size. */
  readonly speedup: Verdict;
  /** Per call at the small size no slower than tfjs-webgpu. */
  readonly small: Verdict;
}

function ms(c: CellResult | undefined): number | undefined {
  return c?.resident?.status === "ok" ? c.resident.medianMs : undefined;
}

function why(c: CellResult | undefined): string {
  if (c === undefined) return "not run";
  if (c.resident?.status === "ok") return "ok";
  return `${c.status}${c.reason ? `: ${c.reason}` : ""}`;
}

function combine(parts: Verdict[], none: string): Verdict {
  if (parts.length === 0) return { state: "not measured", detail: none };
  // Every size's figure is shown; one miss misses the target, and one
  // size not measured leaves it open.
  const detail = parts.map((p) => p.detail).join("; ");
  if (parts.some((p) => p.state === "missed")) {
    return { state: "missed", detail };
  }
  if (parts.some((p) => p.state === "not measured")) {
    return { state: "not measured", detail };
  }
  return { state: "met", detail };
}

/** `2^k` for a power of two, the number otherwise. */
export function sizeLabel(n: number): string {
  const k = Math.log2(n);
  return Number.isInteger(k) ? `2^${k}` : String(n);
}

/** The key of a GPU cell. */
function cellKey(c: CellResult): string {
  return `${c.backend} ${c.op} ${c.mode} ${c.size}`;
}

/** The first result of each native-webgpu or tfjs-webgpu cell. */
function firstResults(
  results: readonly CellResult[],
): Map<string, CellResult> {
  const first = new Map<string, CellResult>();
  for (const c of results) {
    if (c.backend !== NATIVE_GPU && c.backend !== TFJS_GPU) continue;
    if (!first.has(cellKey(c))) first.set(cellKey(c), c);
  }
  return first;
}

/**
 * The cells measured twice in one run (the sweep, then the checked bench):
 * both medians and their ratio, which says how far one measurement can be
 * trusted; undefined when none was.
 *
 * @param results The cells of every pass, in file order.
 * @returns A markdown table, or undefined.
 */
export function repeatTable(
  results: readonly CellResult[],
): string | undefined {
  const first = firstResults(results);
  const lines: string[] = [];
  for (const c of results) {
    const f = first.get(cellKey(c));
    if (f === undefined || f === c) continue;
    const a = ms(f);
    const b = ms(c);
    lines.push(
      `| ${c.op} | ${c.mode} | ${sizeLabel(c.size)} | ${c.backend} | ${
        a === undefined ? why(f) : num(a)
      } | ${b === undefined ? why(c) : num(b)} | ${
        a === undefined || b === undefined ? "–" : `${(b / a).toFixed(2)}`
      } |`,
    );
  }
  if (lines.length === 0) return undefined;
  return [
    "Measured twice (the first is in the table above; the second read back and checked every output):",
    "",
    "| op | mode | size | backend | first ms | second ms | second / first |",
    "|---|---|---:|---|---:|---:|---:|",
    ...lines,
  ].join("\n");
}

/**
 * Issue 13's targets per op and mode, from the bench's results (the first
 * result of each backend, op, mode and size counts; see
 * {@linkcode repeatTable} for the later ones).
 *
 * @param results The cells of every pass.
 * @param sizes The small size (per call against tfjs-webgpu) and the large
 * ones (floor and speed-up).
 * @param planned The op and mode pairs the passes meant to measure; those
 * never reached get a row of "not run".
 * @returns One row per op and mode measured on native-webgpu or tfjs-webgpu,
 * in the order they first appear, then the planned ones not reached.
 */
export function gpuTargets(
  results: readonly CellResult[],
  sizes: { readonly small: number; readonly large: readonly number[] },
  planned: readonly (readonly [op: string, mode: string])[] = [],
): GpuTargetRow[] {
  const first = firstResults(results);
  const rows: string[] = [];
  for (const c of first.values()) {
    const row = `${c.op} ${c.mode}`;
    if (!rows.includes(row)) rows.push(row);
  }
  // Planned and never reached: shown, so that nothing missing goes unseen.
  for (const [op, mode] of planned) {
    if (!rows.includes(`${op} ${mode}`)) rows.push(`${op} ${mode}`);
  }
  const at = (b: string, op: string, mode: string, size: number) =>
    first.get(`${b} ${op} ${mode} ${size}`);
  return rows.map((row) => {
    const [op, mode] = row.split(" ") as [string, string];
    const cells: Record<
      number,
      { native?: number; ratioToFloor?: number; tfjs?: number; note?: string }
    > = {};
    for (const size of [sizes.small, ...sizes.large]) {
      const n = at(NATIVE_GPU, op, mode, size);
      const t = at(TFJS_GPU, op, mode, size);
      const nMs = ms(n);
      const tMs = ms(t);
      const ratio = n?.resident?.status === "ok"
        ? n.resident.ratioToFloor
        : undefined;
      const notes = [
        ...(n !== undefined && nMs === undefined ? [`native: ${why(n)}`] : []),
        ...(t !== undefined && tMs === undefined ? [`tfjs: ${why(t)}`] : []),
      ];
      cells[size] = {
        ...(nMs === undefined ? {} : { native: nMs }),
        ...(ratio === undefined ? {} : { ratioToFloor: ratio }),
        ...(tMs === undefined ? {} : { tfjs: tMs }),
        ...(notes.length === 0 ? {} : { note: notes.join("; ") }),
      };
    }
    const floorParts: Verdict[] = sizes.large.map((size) => {
      const c = cells[size]!;
      const label = sizeLabel(size);
      if (c.ratioToFloor === undefined) {
        return {
          state: "not measured",
          detail: `${label}: ${c.note ?? "not run"}`,
        };
      }
      const ok = c.ratioToFloor <= TARGETS.floorRatio;
      return {
        state: ok ? "met" : "missed",
        detail: `${label}: ${c.ratioToFloor.toFixed(2)}×`,
      };
    });
    const need = mode === "vjp" ? TARGETS.vjpSpeedup : TARGETS.forwardSpeedup;
    const speedParts: Verdict[] = sizes.large.map((size) => {
      const c = cells[size]!;
      const label = sizeLabel(size);
      if (c.native === undefined || c.tfjs === undefined) {
        return {
          state: "not measured",
          detail: `${label}: ${c.note ?? "not run"}`,
        };
      }
      const speedup = c.tfjs / c.native;
      return {
        state: speedup >= need ? "met" : "missed",
        detail: `${label}: ${speedup.toFixed(2)}×`,
      };
    });
    const s = cells[sizes.small]!;
    const small: Verdict = s.native === undefined || s.tfjs === undefined
      ? {
        state: "not measured",
        detail: `${sizeLabel(sizes.small)}: ${s.note ?? "not run"}`,
      }
      : {
        state: s.native <= s.tfjs ? "met" : "missed",
        detail: `${sizeLabel(sizes.small)}: ${(s.tfjs / s.native).toFixed(2)}×`,
      };
    return {
      op,
      mode,
      cells,
      floor: combine(floorParts, "no large size"),
      speedup: combine(speedParts, "no large size"),
      small,
    };
  });
}

function num(v: number): string {
  return v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toPrecision(3);
}

function verdictText(v: Verdict): string {
  const mark = v.state === "met"
    ? "**met**"
    : v.state === "missed"
    ? "missed"
    : "–";
  return `${mark} (${v.detail})`;
}

/**
 * The markdown table of issue 13's targets, with a count per target.
 *
 * @param rows From {@linkcode gpuTargets}.
 * @param sizes The sizes, as given to it.
 * @returns The table and the counts.
 */
export function gpuTable(
  rows: readonly GpuTargetRow[],
  sizes: { readonly small: number; readonly large: readonly number[] },
): string {
  const all = [sizes.small, ...sizes.large];
  const lines = [
    `Median ms per call, resident: native-webgpu (its ratio to the compute-copy floor) / tfjs-webgpu. Targets: ≤ ${TARGETS.floorRatio}× the floor at ${
      sizes.large.map(sizeLabel).join(" and ")
    }; at those sizes VJP ≥ ${TARGETS.vjpSpeedup}× and forward ≥ ${TARGETS.forwardSpeedup}× tfjs-webgpu's speed; at ${
      sizeLabel(sizes.small)
    } no slower than tfjs-webgpu (speed-ups are tfjs ms / native ms).`,
    "",
    `| op | mode | ${
      all.map(sizeLabel).join(" | ")
    } | ≤ ${TARGETS.floorRatio}× floor | vs tfjs-webgpu | ${
      sizeLabel(sizes.small)
    } per call |`,
    `|---|---|${all.map(() => "---:").join("|")}|---|---|---|`,
  ];
  for (const r of rows) {
    const cell = (size: number) => {
      const c = r.cells[size]!;
      if (c.native === undefined && c.tfjs === undefined) {
        return c.note ?? "–";
      }
      const n = c.native === undefined
        ? "–"
        : `${num(c.native)}${
          c.ratioToFloor === undefined ? "" : ` (${c.ratioToFloor.toFixed(2)}×)`
        }`;
      return `${n} / ${c.tfjs === undefined ? "–" : num(c.tfjs)}`;
    };
    lines.push(
      `| ${r.op} | ${r.mode} | ${all.map(cell).join(" | ")} | ${
        verdictText(r.floor)
      } | ${verdictText(r.speedup)} | ${verdictText(r.small)} |`,
    );
  }
  const count = (pick: (r: GpuTargetRow) => Verdict) => {
    const states = rows.map((r) => pick(r).state);
    return `${states.filter((s) => s === "met").length} met, ${
      states.filter((s) => s === "missed").length
    } missed, ${
      states.filter((s) => s === "not measured").length
    } not measured`;
  };
  lines.push(
    "",
    `Of ${rows.length} op/mode rows: floor ${
      count((r) => r.floor)
    }; vs tfjs-webgpu ${count((r) => r.speedup)}; ${
      sizeLabel(sizes.small)
    } per call ${count((r) => r.small)}.`,
  );
  return lines.join("\n");
}

/** One cell of `scaling_bench.ts --json`. */
export interface ScalingCell {
  readonly op: string;
  readonly mode: string;
  readonly size: number;
  readonly threads: number;
  readonly medianMs: number;
  readonly minMs: number;
}

/**
 * Checks `scaling.json`: an array of cells with positive times, and a
 * one-thread cell for every op, mode and size (the baseline).
 *
 * @param json The parsed file.
 * @returns The cells.
 * @throws {TypeError} For a cell of the wrong shape.
 * @throws {RangeError} For a row without its one-thread baseline.
 */
export function readScaling(json: unknown): ScalingCell[] {
  if (!Array.isArray(json) || json.length === 0) {
    throw new TypeError("scaling.json: expected a non-empty array of cells");
  }
  json.forEach((c, i) => {
    if (
      !isObject(c) || typeof c.op !== "string" || typeof c.mode !== "string" ||
      typeof c.size !== "number" || !Number.isInteger(c.threads) ||
      typeof c.medianMs !== "number" || !(c.medianMs > 0)
    ) {
      throw new TypeError(
        `scaling.json: cell ${i} is not { op, mode, size, threads, medianMs > 0 }`,
      );
    }
  });
  const cells = json as ScalingCell[];
  for (const c of cells) {
    if (
      !cells.some((b) =>
        b.threads === 1 && b.op === c.op && b.mode === c.mode &&
        b.size === c.size
      )
    ) {
      throw new RangeError(
        `scaling.json: ${c.op} ${c.mode} at ${c.size} has no one-thread cell to compare with`,
      );
    }
  }
  return cells;
}

/**
 * Issue 14's scaling curve: ms and speed-up over one thread per thread
 * count, and the target (all threads ≥ 8× one) per row.
 *
 * @param cells From {@linkcode readScaling}.
 * @param targetOps The ops the target is about; others (relu, the
 * memory-bound reference) are shown without a verdict.
 * @returns The markdown table and a count.
 */
export function scalingTable(
  cells: readonly ScalingCell[],
  targetOps: readonly string[] = ["gelu", "sigmoid", "tanh"],
): string {
  const threads = [...new Set(cells.map((c) => c.threads))].sort((a, b) =>
    a - b
  );
  const most = threads[threads.length - 1]!;
  const rows = [...new Set(cells.map((c) => `${c.op}|${c.mode}|${c.size}`))];
  const lines = [
    `| op | mode | size | ${
      threads.map((t) => `${t} thr`).join(" | ")
    } | ${most} vs 1 | ≥ ${TARGETS.threadSpeedup}× |`,
    `|---|---|---:|${threads.map(() => "---:").join("|")}|---:|---|`,
  ];
  let met = 0, missed = 0;
  for (const row of rows) {
    const [op, mode, size] = row.split("|") as [string, string, string];
    const of = cells.filter((c) =>
      c.op === op && c.mode === mode && c.size === Number(size)
    );
    const base = of.find((c) => c.threads === 1)!.medianMs;
    const top = of.find((c) => c.threads === most);
    const speedup = top === undefined ? undefined : base / top.medianMs;
    let verdict = "(reference)";
    if (targetOps.includes(op)) {
      if (speedup === undefined) verdict = "–";
      else if (speedup >= TARGETS.threadSpeedup) {
        verdict = "**met**";
        met++;
      } else {
        verdict = "missed";
        missed++;
      }
    }
    lines.push(
      `| ${op} | ${mode} | ${sizeLabel(Number(size))} | ${
        threads.map((t) => {
          const c = of.find((c) => c.threads === t);
          return c === undefined
            ? "–"
            : `${num(c.medianMs)} ms (${(base / c.medianMs).toFixed(2)}×)`;
        }).join(" | ")
      } | ${
        speedup === undefined ? "–" : `${speedup.toFixed(2)}×`
      } | ${verdict} |`,
    );
  }
  lines.push(
    "",
    `Target (${
      targetOps.join(", ")
    }, forward and VJP, ${most} threads ≥ ${TARGETS.threadSpeedup}× one): ${met} met, ${missed} missed.`,
  );
  return lines.join("\n");
}

/**
 * The native backend as users get it (default thread count), from the
 * bench's `native` pass, beside the scaling run's one-thread time.
 *
 * @param bench The bench file's contents.
 * @param scaling The scaling cells, when that step ran.
 * @returns A markdown table, or undefined when no native pass ran.
 */
export function nativeTable(
  bench: BenchLines,
  scaling: readonly ScalingCell[] | undefined,
): string | undefined {
  const cells = bench.results.filter((c) => c.backend === "native");
  if (cells.length === 0) return undefined;
  const props = bench.passes.find((p) => p.properties.native)?.properties
    .native;
  const lines = [
    `The \`native\` backend, loaded by name with NONLIN_NATIVE_THREADS unset (threads: ${
      props?.threads ?? "not reported"
    }), resident, median ms per call; against the scaling run's one thread:`,
    "",
    "| op | mode | size | native backend | 1 thread (scaling) | speed-up |",
    "|---|---|---:|---:|---:|---:|",
  ];
  for (const c of cells) {
    const m = ms(c);
    const one = scaling?.find((s) =>
      s.threads === 1 && s.op === c.op && s.mode === c.mode && s.size === c.size
    );
    lines.push(
      `| ${c.op} | ${c.mode} | ${sizeLabel(c.size)} | ${
        m === undefined ? why(c) : num(m)
      } | ${one === undefined ? "–" : num(one.medianMs)} | ${
        m === undefined || one === undefined
          ? "–"
          : `${(one.medianMs / m).toFixed(2)}×`
      } |`,
    );
  }
  return lines.join("\n");
}

interface ConformanceReport {
  readonly quick?: boolean;
  readonly durationMs?: number;
  readonly backends: readonly {
    readonly name: string;
    readonly status: string;
    readonly reason?: string;
    readonly deviceProfile?: string;
    readonly device?: {
      readonly description: string;
      readonly backendType?: string;
      readonly fallback?: boolean;
    };
    readonly classes?: Readonly<Record<string, number>>;
  }[];
  readonly results: readonly {
    readonly backend: string;
    readonly op: string;
    readonly check: string;
    readonly status: string;
    readonly params?: unknown;
    readonly count?: number;
    readonly failures?: number;
    readonly class?: string;
    readonly message?: string;
  }[];
  readonly waivers?: readonly {
    readonly backend: string;
    readonly op: string;
    readonly check: string;
    readonly status?: string;
  }[];
  readonly summary?: { readonly ok?: boolean };
}

/**
 * Checks a conformance JSON report's shape.
 *
 * @param json The parsed file.
 * @param name The file's name, for the message.
 * @returns The report.
 * @throws {TypeError} When it has no backends or results arrays.
 */
export function readConformance(
  json: unknown,
  name: string,
): ConformanceReport {
  if (
    !isObject(json) || !Array.isArray(json.backends) ||
    !Array.isArray(json.results)
  ) {
    throw new TypeError(
      `${name}: not a conformance report (backends, results)`,
    );
  }
  return json as unknown as ConformanceReport;
}

/**
 * One conformance run: per backend the device, its profile, the counts, and
 * the failing lines by check (what `--write-profile` recorded).
 *
 * @param report From {@linkcode readConformance}.
 * @returns Markdown.
 */
export function conformanceSummary(report: ConformanceReport): string {
  const lines = [
    `${report.quick ? "Quick" : "Full"} run, ${
      report.durationMs === undefined
        ? "time not recorded"
        : `${(report.durationMs / 1000).toFixed(0)} s`
    }: ${report.summary?.ok ? "**OK**" : "FAILED"}.`,
    "",
    "| backend | device | device profile | pass | fail | waived | stale | classes seen |",
    "|---|---|---|---:|---:|---:|---:|---|",
  ];
  for (const b of report.backends) {
    const of = report.results.filter((r) => r.backend === b.name);
    const n = (s: string) => of.filter((r) => r.status === s).length;
    const stale = (report.waivers ?? []).filter((w) =>
      w.backend === b.name && w.status === "stale"
    ).length;
    const classes = Object.entries(b.classes ?? {}).map(([k, v]) =>
      `${k} ${v}`
    )
      .join(", ");
    lines.push(
      `| ${b.name} | ${
        b.status !== "ran"
          ? `${b.status}${b.reason ? `: ${b.reason}` : ""}`
          : b.device
          ? `${b.device.description} (${b.device.backendType ?? "?"}${
            b.device.fallback ? ", fallback" : ""
          })`
          : "CPU"
      } | ${b.deviceProfile ?? "none"} | ${n("pass")} | ${n("fail")} | ${
        n("waived")
      } | ${stale} | ${classes || "–"} |`,
    );
  }
  const failing = report.results.filter((r) => r.status === "fail");
  if (failing.length > 0) {
    lines.push("", `Failing lines (${failing.length}):`, "");
    for (const r of failing.slice(0, 60)) {
      lines.push(
        `- ${r.backend} ${r.op} ${
          r.params && Object.keys(r.params).length > 0
            ? `${JSON.stringify(r.params)} `
            : ""
        }${r.check}: ${r.failures ?? "?"} of ${r.count ?? "?"}${
          r.class ? ` [${r.class}]` : ""
        }`,
      );
    }
    if (failing.length > 60) lines.push(`- … ${failing.length - 60} more`);
  }
  const stale = (report.waivers ?? []).filter((w) => w.status === "stale");
  if (stale.length > 0) {
    lines.push("", `Stale ledger entries (${stale.length}):`, "");
    for (const w of stale) lines.push(`- ${w.backend} ${w.op} ${w.check}`);
  }
  return lines.join("\n");
}

async function readIfThere(path: string): Promise<string | undefined> {
  try {
    return await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}

/**
 * The whole report of one device run's folder.
 *
 * @param dir The folder that came back.
 * @param sizes The small and large bench sizes.
 * @returns Markdown.
 */
export async function deviceReport(
  dir: string,
  sizes: { readonly small: number; readonly large: readonly number[] } = {
    small: 2 ** 20,
    large: [2 ** 24, 2 ** 26],
  },
): Promise<string> {
  const out: string[] = [`# Device run: ${dir}`, ""];
  // The machine, as run.log's head gives it (cores, memory, GPU, adapter).
  const log = await readIfThere(`${dir}/run.log`);
  const facts = (log ?? "").split("\n").filter((l) =>
    /^(deno|cpu|memory|gpu|adapter|bundled from): /.test(l)
  );
  if (facts.length > 0) out.push(...facts.map((l) => `- ${l.trim()}`), "");
  const benchText = await readIfThere(`${dir}/bench.jsonl`);
  const bench = benchText === undefined ? undefined : readBenchLines(benchText);
  const scalingText = await readIfThere(`${dir}/scaling.json`);
  const scaling = scalingText === undefined
    ? undefined
    : readScaling(JSON.parse(scalingText));

  out.push("## Issue 13: native-webgpu against the floor and tfjs-webgpu", "");
  if (bench === undefined) out.push("No bench.jsonl: the bench did not run.");
  else {
    const gpuPasses = bench.passes.filter((p) =>
      p.backends.includes(NATIVE_GPU)
    );
    for (const p of gpuPasses) {
      const desc = p.properties[NATIVE_GPU]?.description;
      out.push(
        `- pass ${p.pass} (${p.sizes.map(sizeLabel).join(", ")}): ${
          p.finished
            ? `finished in ${p.durationS} s`
            : "cut off by its time limit"
        }${desc === undefined ? "" : `, on ${desc}`}`,
      );
    }
    if (bench.truncated) {
      out.push("- the file's last line was cut off mid-write");
    }
    const floors = bench.floors.filter((f) =>
      f.device === "gpu" && f.status === "ok" && !f.reference
    );
    const seen = new Set<string>();
    for (const f of floors) {
      const k = `${f.bytesPerElement} ${f.size}`;
      if (seen.has(k)) continue;
      seen.add(k);
      out.push(
        `- floor ${f.bytesPerElement} B/element at ${sizeLabel(f.size)}: ${
          num(f.medianMs!)
        } ms (${num(f.gbPerS!)} GB/s), ${f.method.split(":")[0]}`,
      );
    }
    const planned = gpuPasses.flatMap((p) =>
      p.ops.flatMap((op) => p.modes.map((mode) => [op, mode] as const))
    );
    const rows = gpuTargets(bench.results, sizes, planned);
    out.push("", rows.length === 0 ? "No GPU cells." : gpuTable(rows, sizes));
    const unchecked = [...firstResults(bench.results).values()].filter((c) =>
      c.status === "ok" && c.checks === undefined
    );
    if (unchecked.length > 0) {
      out.push(
        "",
        `${unchecked.length} of these cells were timed without reading their output back (device_sweep.ts, at ${
          [...new Set(unchecked.map((c) => sizeLabel(c.size)))].join(", ")
        }); every other ok cell was checked against the float64 reference.`,
      );
    }
    const repeats = repeatTable(bench.results);
    if (repeats !== undefined) out.push("", repeats);
  }

  out.push("", "## Issue 14: native CPU threads", "");
  out.push(
    scaling === undefined
      ? "No scaling.json: the scaling step did not run or was cut off."
      : scalingTable(scaling),
  );
  const native = bench === undefined ? undefined : nativeTable(bench, scaling);
  if (native !== undefined) out.push("", native);

  out.push("", "## Issue 11: conformance on this device", "");
  for (
    const [file, title] of [
      ["conformance.json", "With the checked-in device profiles"],
      ["conformance_noprofile.json", "Without any device profile"],
    ] as const
  ) {
    const text = await readIfThere(`${dir}/${file}`);
    out.push(`### ${title} (${file})`, "");
    out.push(
      text === undefined
        ? "Not run (or cut off before it wrote its report)."
        : conformanceSummary(readConformance(JSON.parse(text), file)),
      "",
    );
  }
  const profile = await readIfThere(`${dir}/profile.json`);
  if (profile !== undefined) {
    const p = JSON.parse(profile) as {
      entries?: unknown[];
      device?: { name?: string };
    };
    out.push(
      `profile.json: ${p.entries?.length ?? 0} ledger entries to review${
        p.device?.name ? ` for device "${p.device.name}"` : ""
      } (conformance/ledger.ts, devices: [...]).`,
    );
  }
  return out.join("\n") + "\n";
}

function parseSizeArg(s: string): number {
  const m = /^2\^(\d+)$/.exec(s.trim());
  const n = m ? 2 ** Number(m[1]) : Number(s);
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new RangeError(`Not a size: ${s}`);
  }
  return n;
}

if (import.meta.main) {
  const { values, positionals } = parseArgs({
    args: Deno.args,
    allowPositionals: true,
    options: {
      out: { type: "string" },
      small: { type: "string", default: "2^20" },
      large: { type: "string", default: "2^24,2^26" },
    },
  });
  const dir = positionals[0];
  if (dir === undefined) {
    Deno.stderr.writeSync(
      new TextEncoder().encode(
        "usage: device_report.ts DIR [--out FILE] [--small 2^20] [--large 2^24,2^26]\n",
      ),
    );
    Deno.exit(2);
  }
  const text = await deviceReport(dir, {
    small: parseSizeArg(values.small),
    large: values.large.split(",").map(parseSizeArg),
  });
  if (values.out !== undefined) await Deno.writeTextFile(values.out, text);
  else Deno.stdout.writeSync(new TextEncoder().encode(text));
}
