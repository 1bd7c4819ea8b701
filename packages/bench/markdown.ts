/**
 * The markdown report: machine, backends, the summary at 10⁶ elements, every
 * result, the floors and what was skipped or failed, and why.
 *
 * @module
 */

import {
  closestSize,
  formatMs,
  formatRate,
  formatRatio,
  formatSize,
} from "./_format.ts";
import type {
  BenchReport,
  CellResult,
  Measurement,
  Mode,
  TimingKind,
} from "./types.ts";
import { bytesPerElement } from "./types.ts";

/** Options of {@linkcode formatMarkdown}. */
export interface MarkdownOptions {
  /**
   * The folder holding the charts, relative to the markdown file; a chart
   * per op is linked when given.
   */
  readonly charts?: string;
  /**
   * The size the summary tables are drawn at.
   * @default the run's size closest to 1e6
   */
  readonly summarySize?: number;
  /**
   * Whether to include every size, not only the summary.
   * @default true
   */
  readonly full?: boolean;
}

const modeTitle: Record<Mode, string> = {
  forward: "forward",
  vjp: "VJP (dx and parameter gradients)",
  derivative: "elementwise derivative",
};

const timingTitle: Record<TimingKind, string> = {
  resident: "resident",
  roundTrip: "round trip",
  roundTripOut: "round trip into out",
};

/**
 * Formats a report as markdown.
 *
 * @param report A report from `runBench`.
 * @param options Charts folder, summary size.
 * @returns The markdown text.
 *
 * @example
 * ```ts
 * import { formatMarkdown, runBench } from "@nonlin/bench";
 * import assert from "node:assert";
 *
 * const report = await runBench({
 *   backends: ["native"], ops: ["relu"], modes: ["forward"], sizes: [1000],
 *   targetMs: 5, minReps: 3, gpuFacts: false,
 * });
 * assert.match(formatMarkdown(report), /\| relu \|/);
 * ```
 */
export function formatMarkdown(
  report: BenchReport,
  options: MarkdownOptions = {},
): string {
  const out: string[] = [];
  const ran = report.backends.filter((b) => b.status === "ran").map((b) =>
    b.name
  );
  out.push("# nonlin bench report", "");
  out.push(
    `Run ${report.startedAt}, ${report.durationS} s${
      report.command ? `: \`${report.command}\`` : ""
    }.`,
    "",
  );
  out.push(...machineSection(report));
  out.push(...backendSection(report));
  out.push(...methodSection(report));

  const sizes = [...new Set(report.results.map((r) => r.size))].sort((a, b) =>
    a - b
  );
  const summary = options.summarySize ?? closestSize(sizes, 1e6);
  if (summary !== undefined) {
    out.push(`## At ${formatSize(summary)} elements`, "");
    out.push(
      "Median time per call in ms, with the ratio to native in parentheses; the floor row is a memory copy of the same bytes on the backend's device (CPU memory, or GPU memory for a GPU backend).",
      "",
    );
    for (const mode of report.config.modes) {
      for (const kind of report.config.timings) {
        out.push(`### ${modeTitle[mode]}, ${timingTitle[kind]}`, "");
        out.push(...summaryTable(report, ran, mode, kind, summary), "");
      }
    }
  }

  if (options.full ?? true) {
    out.push("## Every size", "");
    out.push(
      "Median ms per call [min–max] and the ratio to the floor on the backend's device (×floor).",
      "",
    );
    for (const mode of report.config.modes) {
      for (const kind of report.config.timings) {
        out.push(`### ${modeTitle[mode]}, ${timingTitle[kind]}`, "");
        out.push(...fullTable(report, ran, mode, kind), "");
      }
    }
  }

  out.push(...floorSection(report));
  out.push(...problemSection(report));
  if (options.charts !== undefined) {
    out.push("## Charts", "");
    out.push(
      "Resident throughput against size, log–log, one line per backend; dashed: the memory-copy floor.",
      "",
    );
    for (const op of report.config.ops) {
      out.push(`![${op}](${options.charts.replace(/\/$/, "")}/${op}.svg)`, "");
    }
  }
  return out.join("\n").replace(/\n{3,}/g, "\n\n");
}

/** Options of {@linkcode summaryMarkdown}. */
export interface SummaryOptions {
  /**
   * The size.
   * @default the run's size closest to 1e6
   */
  readonly size?: number;
  /**
   * The modes, one table each.
   * @default ["forward", "vjp"] where the run has them
   */
  readonly modes?: readonly Mode[];
  /**
   * The timing.
   * @default "resident"
   */
  readonly timing?: TimingKind;
}

/**
 * The short summary the README carries: one line on the machine, then per
 * mode a table of median ms per call at one size, op by backend, with the
 * ratio to native and the floor.
 *
 * @param report A report from `runBench`.
 * @param options Size, modes, timing.
 * @returns The markdown.
 *
 * @example
 * ```ts
 * import { runBench, summaryMarkdown } from "@nonlin/bench";
 * import assert from "node:assert";
 *
 * const report = await runBench({
 *   backends: ["native"], ops: ["relu"], modes: ["forward"], sizes: [1000],
 *   targetMs: 5, minReps: 3, gpuFacts: false,
 * });
 * assert.match(summaryMarkdown(report), /\| relu \| [\d.]+ \|/);
 * ```
 */
export function summaryMarkdown(
  report: BenchReport,
  options: SummaryOptions = {},
): string {
  const sizes = [...new Set(report.results.map((r) => r.size))];
  const size = options.size ?? closestSize(sizes, 1e6);
  const kind = options.timing ?? "resident";
  const modes = options.modes ??
    report.config.modes.filter((m) => m === "forward" || m === "vjp");
  const ran = report.backends.filter((b) => b.status === "ran").map((b) =>
    b.name
  );
  const m = report.machine;
  const out = [
    `${m.cpu.model}, ${m.cpu.logicalCores} cores; Deno ${m.versions.deno}${
      m.versions.tfjs ? `, tfjs ${m.versions.tfjs}` : ""
    }; GPU: ${
      m.gpu.available ? m.gpu.description || m.gpu.device : "none"
    }; load average ${m.loadAverage?.join(", ") ?? "?"} at the start; ${
      report.startedAt.slice(0, 10)
    }. Median ms per call, ${timingTitle[kind]}, at ${
      size === undefined ? "–" : formatSize(size)
    } elements (× native).`,
    "",
  ];
  if (size === undefined) return out.join("\n");
  for (const mode of modes) {
    out.push(`**${modeTitle[mode]}**`, "");
    out.push(...summaryTable(report, ran, mode, kind, size), "");
  }
  return out.join("\n");
}

function machineSection(report: BenchReport): string[] {
  const m = report.machine;
  const gpu = m.gpu.available
    ? `${m.gpu.description || m.gpu.device || "?"} (vendor ${m.gpu.vendor}${
      m.gpu.architecture ? `, ${m.gpu.architecture}` : ""
    }${
      m.gpu.isFallbackAdapter ? ", software fallback adapter" : ""
    }; maxBufferSize ${m.gpu.maxBufferSize}, maxStorageBufferBindingSize ${m.gpu.maxStorageBufferBindingSize})`
    : `none: ${m.gpu.reason}`;
  const rows: [string, string][] = [
    [
      "CPU",
      `${m.cpu.model}, ${m.cpu.logicalCores} logical cores${
        m.cpu.physicalCores === undefined
          ? ""
          : ` (${m.cpu.physicalCores} physical)`
      }; ${m.cpu.simd.join(", ") || "no SIMD flags listed"}`,
    ],
    [
      "memory",
      m.memoryBytes === undefined
        ? "?"
        : `${(m.memoryBytes / 2 ** 30).toFixed(1)} GiB`,
    ],
    ["OS", `${m.os} ${m.arch}`],
    ["load average at start", m.loadAverage?.join(", ") ?? "?"],
    [
      "runtime",
      `Deno ${m.versions.deno}, V8 ${m.versions.v8}, TypeScript ${m.versions.typescript}`,
    ],
    ["tfjs", m.versions.tfjs ?? "not loaded"],
    ["WebAssembly", `SIMD ${yes(m.wasm.simd)}, threads ${yes(m.wasm.threads)}`],
    ["GPU adapter", gpu],
  ];
  return [
    "## Machine",
    "",
    "| | |",
    "|---|---|",
    ...rows.map(([k, v]) => `| ${k} | ${escape(v)} |`),
    "",
  ];
}

function backendSection(report: BenchReport): string[] {
  const rows = report.backends.map((b) => {
    const props = Object.entries(b.properties).map(([k, v]) => `${k}: ${v}`)
      .join("; ");
    return `| ${b.name} | ${b.status}${
      b.reason ? `: ${escape(b.reason)}` : ""
    } | ${b.device} | ${
      b.completion ? b.completion.method : "–"
    } | rtol ${b.tolerance.rtol}, atol ${b.tolerance.atol} | ${
      escape(props) || "–"
    } |`;
  });
  const methods = [
    ...new Map(
      report.backends.filter((b) => b.completion).map((
        b,
      ) => [b.completion!.method, b.completion!]),
    ).values(),
  ];
  return [
    "## Backends",
    "",
    "| backend | status | device | resident completion | check tolerance | capabilities |",
    "|---|---|---|---|---|---|",
    ...rows,
    "",
    ...methods.map((c) => `- **${c.method}**: ${c.description}.`),
    "",
  ];
}

function methodSection(report: BenchReport): string[] {
  const c = report.config;
  return [
    "## Method",
    "",
    `- Inputs: ${c.input}, seed ${c.seed}; each size is a prefix of the largest. Parameters: the catalog's defaults, prelu α = 0.25.`,
    `- Before timing, each backend's output (resident and round trip) is checked against the float64 reference rounded to float32: every element within the backend's tolerance, parameter gradients within ${c.sumRtol} × Σ|terms|. A wrong output fails the cell and is not timed.`,
    `- Timing: warm-up, then samples until ${c.targetMs} ms were measured and at least ${c.minReps} samples (at most ${c.maxReps}; 3 once ${
      4 * c.targetMs
    } ms have passed, for slow calls); calls faster than ${c.minSampleMs} ms are batched into one sample. Inputs and resident tensors are made before the timed region; outputs are disposed after it (on a GPU queue, as they are made, so that long pipelines fit in memory). For a GPU queue, batches of k and 2k calls, each ending in one wait, last at least ${c.latencyFactor}× the wait's own latency, and the per-call time is the slope between them.`,
    `- Resident: tensors on the backend, timed until the work is complete (see the completion methods above). Round trip: Float32Array in, Float32Array out, through the contract's convenience form.`,
    `- Floor: a memory copy of the bytes the kernel moves (forward and derivative: read x, write y, 8 B/element; VJP: read x and dy, write dx, 12 B/element), measured in the same run on the CPU, and on the GPU for GPU backends. ×floor = median / floor; GB/s = bytes moved / median.`,
    `- A timing whose one call is estimated (along the line through the two previous sizes' fastest calls) or measured over ${c.callBudgetMs} ms is skipped and listed below with the reason.`,
    "",
  ];
}

function pick(
  report: BenchReport,
  backend: string,
  op: string,
  mode: Mode,
  size: number,
) {
  return report.results.find((r) =>
    r.backend === backend && r.op === op && r.mode === mode && r.size === size
  );
}

function cellText(
  cell: CellResult | undefined,
  kind: TimingKind,
  show: "native" | "full",
): string {
  if (cell === undefined) return "–";
  const t: Measurement | undefined = cell[kind];
  if (cell.status !== "ok" || t === undefined) {
    return cell.status === "ok" ? "–" : cell.status;
  }
  if (t.status !== "ok") return "skipped";
  if (show === "native") {
    return `${formatMs(t.medianMs)}${
      t.ratioToNative === undefined || cell.backend === "native"
        ? ""
        : ` (${formatRatio(t.ratioToNative)})`
    }`;
  }
  return `${formatMs(t.medianMs)} [${formatMs(t.minMs)}–${formatMs(t.maxMs)}] ${
    formatRatio(t.ratioToFloor)
  }`;
}

function summaryTable(
  report: BenchReport,
  backends: readonly string[],
  mode: Mode,
  kind: TimingKind,
  size: number,
): string[] {
  const floor = (backend: string) => {
    const device = report.backends.find((b) => b.name === backend)?.device;
    const f = report.floors.find((f) =>
      f.device === device && f.size === size &&
      f.bytesPerElement === bytesPerElement(mode) && f.status === "ok" &&
      !f.reference
    );
    return f === undefined ? "–" : `*${formatMs(f.medianMs!)}*`;
  };
  return [
    `| op | ${backends.join(" | ")} |`,
    `|---|${backends.map(() => "---:").join("|")}|`,
    ...report.config.ops.map((op) =>
      `| ${op} | ${
        backends.map((b) =>
          cellText(pick(report, b, op, mode, size), kind, "native")
        ).join(" | ")
      } |`
    ),
    `| *floor: memory copy* | ${backends.map(floor).join(" | ")} |`,
  ];
}

function fullTable(
  report: BenchReport,
  backends: readonly string[],
  mode: Mode,
  kind: TimingKind,
): string[] {
  const sizes = [...new Set(report.results.map((r) => r.size))].sort((a, b) =>
    a - b
  );
  const rows: string[] = [];
  for (const op of report.config.ops) {
    for (const size of sizes) {
      rows.push(
        `| ${op} | ${formatSize(size)} | ${
          backends.map((b) =>
            cellText(pick(report, b, op, mode, size), kind, "full")
          ).join(" | ")
        } |`,
      );
    }
  }
  return [
    `| op | size | ${backends.join(" | ")} |`,
    `|---|---:|${backends.map(() => "---:").join("|")}|`,
    ...rows,
  ];
}

function floorSection(report: BenchReport): string[] {
  const rows = report.floors.map((f) =>
    `| ${f.device}${
      f.reference
        ? f.device === "gpu"
          ? " (reference: copyBufferToBuffer)"
          : " (reference: fresh output array)"
        : ""
    } | ${f.bytesPerElement} | ${formatSize(f.size)} | ${
      f.status === "ok"
        ? `${formatMs(f.medianMs!)} [${formatMs(f.minMs!)}–${
          formatMs(f.maxMs!)
        }] | ${formatRate(f.gbPerS)} | ${formatRate(f.melemPerS)}`
        : `skipped: ${escape(f.reason ?? "")} | – | –`
    } |`
  );
  const methods = [
    ...new Set(
      report.floors.map((f) =>
        `${f.device}${
          f.reference ? " (reference, no ratios)" : ""
        }: ${f.method}`
      ),
    ),
  ];
  return [
    "## Floors",
    "",
    ...methods.map((m) => `- ${m}`),
    "",
    "| device | bytes/element | size | ms [min–max] | GB/s | Melem/s |",
    "|---|---:|---:|---:|---:|---:|",
    ...rows,
    "",
  ];
}

function problemSection(report: BenchReport): string[] {
  const lines: string[] = [];
  for (const r of report.results) {
    if (r.status !== "ok") {
      lines.push(
        `- ${r.backend} ${r.op} ${r.mode} ${
          formatSize(r.size)
        }: **${r.status}**: ${escape(r.reason ?? "")}`,
      );
      continue;
    }
    for (const kind of report.config.timings) {
      const t = r[kind];
      if (t?.status === "skipped") {
        lines.push(
          `- ${r.backend} ${r.op} ${r.mode} ${formatSize(r.size)} ${
            timingTitle[kind]
          }: skipped: ${escape(t.reason)}`,
        );
      }
    }
  }
  return lines.length === 0
    ? ["## Skipped, failed, errors", "", "None.", ""]
    : ["## Skipped, failed, errors", "", ...lines, ""];
}

function yes(b: boolean): string {
  return b ? "yes" : "no";
}

function escape(s: string): string {
  return s.replace(/\|/g, "\\|").replace(/\n/g, " ");
}
