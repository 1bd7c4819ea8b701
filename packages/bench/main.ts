/**
 * `deno task bench` and `nonlin bench`: runs the benchmark, prints the table
 * as it goes, writes the JSON report, the markdown report and the charts.
 *
 * @module
 */

import { parseArgs } from "node:util";
import {
  type Output,
  outputPathsProblem,
  standardOutput,
} from "@nonlin/backends/output";
import {
  closestSize,
  formatMs,
  formatRate,
  formatRatio,
  formatSize,
} from "./_format.ts";
import { type BenchEvent, type BenchOptions, runBench } from "./bench.ts";
import { chartSvg } from "./chart.ts";
import { formatMarkdown, summaryMarkdown } from "./markdown.ts";

/** The markers between which `--readme FILE` writes the summary tables. */
export const README_START = "<!-- bench:summary -->";
/** The end marker of `--readme`. */
export const README_END = "<!-- /bench:summary -->";
import type { BenchReport, CellResult, Mode, TimingKind } from "./types.ts";

/** The two streams the command writes to (the `nonlin` CLI's `Output`). */
export type CommandOutput = Output;

/** The settings `--quick` changes: a few minutes over every built-in backend. */
export const quickOptions: Readonly<BenchOptions> = Object.freeze<BenchOptions>(
  {
    sizes: [1e3, 1e5],
    modes: ["forward", "vjp"],
    targetMs: 10,
    minReps: 3,
    maxReps: 10,
    minSampleMs: 0.5,
    callBudgetMs: 100,
  },
);

/** The files a run reads and writes. */
interface Files {
  json?: string;
  md?: string;
  charts?: string;
  readme?: string;
  from?: string;
}

/** The help text. */
export const usage =
  `Usage: deno task bench [options]     (or: deno task nonlin bench [options])

Times every backend × op × mode × size, resident and round trip, after checking
each output against the float64 reference, beside a memory copy of the same
bytes (the physical floor).

Options:
  --backend, -b LIST   backend names or module paths (comma-separated or repeated);
                       default: every built-in backend
  --ops LIST           ops (default: every catalog op)
  --modes LIST         forward, vjp, derivative (default: all three)
  --sizes LIST         element counts: 1000, 1e6, 2^20 (default: 1e3,1e4,1e5,1e6,1e7)
  --resident-only      time only resident tensors
  --round-trip-only    time only Float32Array in, Float32Array out
  --quick              forward and vjp at 1e3 and 1e5, fewer repetitions, 100 ms
                       budget per call: a few minutes over every backend
  --json FILE          write the full report as JSON
  --md FILE            write the report as markdown
  --charts DIR         write one SVG chart per op (linked from --md)
  --readme FILE        write the summary tables at the size nearest 1e6 between
                       ${README_START} and ${README_END} in FILE
  --budget MS          skip a timing whose one call exceeds MS (default 300)
  --target MS          measured time per timing (default 50)
  --min-reps N         fewest samples (default 5)
  --max-reps N         most samples (default 30)
  --seed N             input seed (default 5)
  --rtol X, --atol X   check tolerance for every backend (default: per backend)
  --from FILE          run nothing: write --md, --charts, --readme from a --json report
  --quiet              no per-cell rows, only the summary
  --help, -h           this text

Exit status: 0 when every cell ran or was skipped with a reason; 1 when an
output was wrong, a call threw, or a backend named with --backend could not run.
`;

/**
 * Runs the command line.
 *
 * @param args The arguments after `bench`.
 * @param output Where to write. @default standard output and standard error;
 * the progress line goes to a terminal's standard error only then
 * @returns The exit status.
 *
 * @example
 * ```ts
 * import { main } from "@nonlin/bench";
 * import assert from "node:assert";
 *
 * assert.strictEqual(await main(["--sizes", "0"]), 2);
 * ```
 */
export async function main(
  args: readonly string[],
  output: CommandOutput = standardOutput,
): Promise<number> {
  const log = (text: string) => output.out(`${text}\n`);
  const warn = (text: string) => output.err(`${text}\n`);
  let options: BenchOptions;
  let files: Files;
  let quiet: boolean;
  let explicitBackends: boolean;
  try {
    const parsed = parse(args);
    if (parsed === "help") {
      log(usage);
      return 0;
    }
    ({ options, files, quiet, explicitBackends } = parsed);
  } catch (error) {
    warn(`nonlin bench: ${error instanceof Error ? error.message : error}`);
    warn("Try --help.");
    return 2;
  }

  if (files.readme !== undefined) {
    const problem = await readmeProblem(files.readme);
    if (problem !== undefined) {
      warn(`nonlin bench: ${problem}`);
      return 2;
    }
  }

  // Checked before the run, which takes minutes.
  const unwritable = await outputPathsProblem([
    ...(files.json !== undefined ? [{ flag: "--json", path: files.json }] : []),
    ...(files.charts !== undefined
      ? [{ flag: "--charts", path: files.charts, folder: true }]
      : []),
    ...(files.md !== undefined ? [{ flag: "--md", path: files.md }] : []),
  ]);
  if (unwritable !== undefined) {
    warn(`nonlin bench: ${unwritable}`);
    return 2;
  }

  const display = new Display(
    quiet,
    log,
    output === standardOutput && Deno.stderr.isTerminal(),
  );
  let report: BenchReport;
  try {
    report = files.from !== undefined
      ? await readReport(files.from)
      : await runBench({
        ...options,
        command: ["deno task bench", ...args].join(" "),
        onEvent: (e) => display.event(e),
      });
  } catch (error) {
    display.clear();
    warn(`nonlin bench: ${error instanceof Error ? error.message : error}`);
    return 2;
  }
  display.clear();
  log(summary(report));

  if (files.json !== undefined) {
    await writeText(files.json, JSON.stringify(report, null, 1) + "\n");
    log(`wrote ${files.json}`);
  }
  if (files.charts !== undefined) {
    await Deno.mkdir(files.charts, { recursive: true });
    for (const op of report.config.ops) {
      if (!report.results.some((r) => r.op === op)) continue;
      await Deno.writeTextFile(
        `${files.charts}/${op}.svg`,
        chartSvg(report, op) + "\n",
      );
    }
    log(`wrote ${report.config.ops.length} charts to ${files.charts}/`);
  }
  if (files.md !== undefined) {
    const charts = files.charts === undefined
      ? undefined
      : relative(files.md, files.charts);
    await writeText(
      files.md,
      formatMarkdown(report, charts === undefined ? {} : { charts }),
    );
    log(`wrote ${files.md}`);
  }

  if (files.readme !== undefined) {
    const text = await Deno.readTextFile(files.readme);
    const [start, end] = markers(text)!;
    const summary = await formatWithDeno(summaryMarkdown(report));
    await Deno.writeTextFile(
      files.readme,
      `${text.slice(0, start)}\n\n${summary.trim()}\n\n${text.slice(end)}`,
    );
    log(`wrote the summary into ${files.readme}`);
  }

  const bad = report.results.filter((r) =>
    r.status === "fail" || r.status === "error"
  );
  const missing = explicitBackends
    ? report.backends.filter((b) => b.status !== "ran")
    : [];
  for (const b of missing) {
    warn(`backend ${b.name} did not run: ${b.reason}`);
  }
  if (bad.length > 0) {
    warn(`${bad.length} cells failed or threw: see above`);
  }
  log(
    files.from === undefined
      ? `done in ${report.durationS} s`
      : `rendered from ${files.from}`,
  );
  return bad.length > 0 || missing.length > 0 ? 1 : 0;
}

function parse(args: readonly string[]) {
  const { values } = parseArgs({
    args: [...args],
    strict: true,
    allowPositionals: false,
    options: {
      backend: { type: "string", short: "b", multiple: true },
      ops: { type: "string", multiple: true },
      modes: { type: "string", multiple: true },
      sizes: { type: "string", multiple: true },
      "resident-only": { type: "boolean" },
      "round-trip-only": { type: "boolean" },
      quick: { type: "boolean" },
      json: { type: "string" },
      md: { type: "string" },
      charts: { type: "string" },
      readme: { type: "string" },
      from: { type: "string" },
      budget: { type: "string" },
      target: { type: "string" },
      "min-reps": { type: "string" },
      "max-reps": { type: "string" },
      seed: { type: "string" },
      rtol: { type: "string" },
      atol: { type: "string" },
      quiet: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) return "help" as const;
  const list = (v: string[] | undefined) =>
    v?.flatMap((s) => s.split(",")).map((s) => s.trim()).filter((s) =>
      s !== ""
    );
  const num = (v: string | undefined, what: string) => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (v.trim() === "" || !Number.isFinite(n)) {
      throw new RangeError(`--${what} must be a number: got "${v}"`);
    }
    return n;
  };
  if (values["resident-only"] && values["round-trip-only"]) {
    throw new RangeError(
      "--resident-only and --round-trip-only exclude each other",
    );
  }
  const rtol = num(values.rtol, "rtol");
  const atol = num(values.atol, "atol");
  if ((rtol === undefined) !== (atol === undefined)) {
    throw new RangeError("--rtol and --atol go together");
  }
  const timings: TimingKind[] | undefined = values["resident-only"]
    ? ["resident"]
    : values["round-trip-only"]
    ? ["roundTrip", "roundTripOut"]
    : undefined;
  const backends = list(values.backend);
  const base: BenchOptions = values.quick ? quickOptions : {};
  const set = <K extends keyof BenchOptions>(
    o: Record<string, unknown>,
    k: K,
    v: unknown,
  ) => {
    if (v !== undefined) o[k] = v;
  };
  const options: Record<string, unknown> = { ...base };
  set(options, "backends", backends);
  set(options, "ops", list(values.ops));
  set(options, "modes", list(values.modes) as Mode[] | undefined);
  set(options, "sizes", list(values.sizes)?.map(parseSize));
  set(options, "timings", timings);
  set(options, "callBudgetMs", num(values.budget, "budget"));
  set(options, "targetMs", num(values.target, "target"));
  set(options, "minReps", num(values["min-reps"], "min-reps"));
  set(options, "maxReps", num(values["max-reps"], "max-reps"));
  set(options, "seed", num(values.seed, "seed"));
  if (rtol !== undefined && atol !== undefined) {
    options.tolerance = { rtol, atol };
  }
  const files: Files = {};
  if (values.json !== undefined) files.json = values.json;
  if (values.md !== undefined) files.md = values.md;
  if (values.readme !== undefined) files.readme = values.readme;
  if (values.from !== undefined) files.from = values.from;
  if (values.charts !== undefined) {
    files.charts = values.charts.replace(/\/+$/, "");
  }
  return {
    options: options as BenchOptions,
    files,
    quiet: values.quiet ?? false,
    explicitBackends: backends !== undefined,
  };
}

/**
 * Reads a size: an integer, `1e6`, or `2^20`.
 *
 * @param text The text.
 * @returns The size.
 * @throws {RangeError} Unless it is a positive integer.
 */
export function parseSize(text: string): number {
  const power = text.match(/^\s*(\d+)\s*(?:\^|\*\*)\s*(\d+)\s*$/);
  const n = power ? Number(power[1]) ** Number(power[2]) : Number(text);
  if (!Number.isSafeInteger(n) || n < 1 || text.trim() === "") {
    throw new RangeError(
      `Sizes must be positive integers such as 1000, 1e6 or 2^20: got "${text}"`,
    );
  }
  return n;
}

class Display {
  readonly #quiet: boolean;
  readonly #log: (text: string) => void;
  readonly #tty: boolean;
  #header = false;
  #index = 0;
  #total = 0;

  constructor(quiet: boolean, log: (text: string) => void, tty: boolean) {
    this.#quiet = quiet;
    this.#log = log;
    this.#tty = tty;
  }

  event(e: BenchEvent): void {
    switch (e.kind) {
      case "backend":
        this.clear();
        this.#log(
          `backend ${e.entry.name}: ${e.entry.status}${
            e.entry.reason ? ` (${e.entry.reason})` : ""
          }${
            e.entry.completion
              ? `, resident completion: ${e.entry.completion.method}`
              : ""
          }`,
        );
        break;
      case "floor":
        this.status(
          `floor ${e.entry.device} ${e.entry.bytesPerElement} B/element ${
            formatSize(e.entry.size)
          }`,
        );
        if (!this.#quiet) {
          this.clear();
          this.#log(
            `floor  ${e.entry.device} ${
              e.entry.reference ? "fresh output for" : "copy"
            } ${e.entry.bytesPerElement} B/elem ${
              formatSize(e.entry.size).padStart(5)
            }: ${
              e.entry.status === "ok"
                ? `${formatMs(e.entry.medianMs!)} ms, ${
                  formatRate(e.entry.gbPerS)
                } GB/s`
                : `skipped: ${e.entry.reason}`
            }`,
          );
        }
        break;
      case "cell":
        this.#index = e.index;
        this.#total = e.total;
        this.status(
          `[${e.index}/${e.total}] ${e.op} ${e.mode} ${
            formatSize(e.size)
          } ${e.backend}`,
        );
        break;
      case "group":
        if (this.#quiet) break;
        this.clear();
        if (!this.#header) {
          this.#log(row(header));
          this.#header = true;
        }
        for (const cell of e.results) {
          this.#log(row(cellRow(cell, this.#index, this.#total)));
        }
        break;
    }
  }

  status(text: string): void {
    if (this.#tty) {
      Deno.stderr.writeSync(new TextEncoder().encode(`\r\x1b[K${text}`));
    }
  }

  clear(): void {
    if (this.#tty) Deno.stderr.writeSync(new TextEncoder().encode("\r\x1b[K"));
  }
}

const widths = [11, 13, 10, 6, 12, 24, 8, 7, 7, 8, 10, 8, 6];
const header = [
  "progress",
  "op",
  "mode",
  "size",
  "backend",
  "resident ms [min–max]",
  "Melem/s",
  "GB/s",
  "×floor",
  "×native",
  "round trip",
  "×native",
  "check",
];

function row(cells: readonly string[]): string {
  return cells.map((
    c,
    i,
  ) => (i >= 5 && i !== 12 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
    .join(" ").trimEnd();
}

function cellRow(cell: CellResult, index: number, total: number): string[] {
  const r = cell.resident;
  const t = cell.roundTrip;
  const ok = cell.status === "ok";
  const check = cell.checks === undefined
    ? "–"
    : Object.values(cell.checks).every((c) => c.ok)
    ? "ok"
    : "FAIL";
  const base = [
    `[${index}/${total}]`,
    cell.op,
    cell.mode,
    formatSize(cell.size),
    cell.backend,
  ];
  if (!ok) {
    return [...base, `${cell.status}: ${cell.reason ?? ""}`];
  }
  return [
    ...base,
    r?.status === "ok"
      ? `${formatMs(r.medianMs)} [${formatMs(r.minMs)}–${formatMs(r.maxMs)}]`
      : r === undefined
      ? "–"
      : "skipped",
    r?.status === "ok" ? formatRate(r.melemPerS) : "–",
    r?.status === "ok" ? formatRate(r.gbPerS) : "–",
    r?.status === "ok" ? formatRatio(r.ratioToFloor) : "–",
    r?.status === "ok" ? formatRatio(r.ratioToNative) : "–",
    t?.status === "ok"
      ? formatMs(t.medianMs)
      : t === undefined
      ? "–"
      : "skipped",
    t?.status === "ok" ? formatRatio(t.ratioToNative) : "–",
    check,
  ];
}

/** The end-of-run table: median ms per op and backend at the size nearest 1e6. */
function summary(report: BenchReport): string {
  const sizes = [...new Set(report.results.map((r) => r.size))];
  const size = closestSize(sizes, 1e6);
  const backends = report.backends.filter((b) => b.status === "ran").map((b) =>
    b.name
  );
  const lines: string[] = [];
  const counts = new Map<string, number>();
  for (const r of report.results) {
    counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
  }
  lines.push("");
  lines.push(
    `${report.results.length} cells: ${
      [...counts].map(([k, v]) => `${v} ${k}`).join(", ")
    }`,
  );
  for (const b of report.backends.filter((b) => b.status !== "ran")) {
    lines.push(`backend ${b.name} ${b.status}: ${b.reason}`);
  }
  if (size === undefined) return lines.join("\n");
  const w = 17;
  for (const kind of report.config.timings) {
    for (const mode of report.config.modes) {
      lines.push("");
      lines.push(
        `${
          kind === "resident" ? "Resident" : "Round trip"
        } ${mode}, median ms per call at ${
          formatSize(size)
        } elements (×native):`,
      );
      lines.push("op".padEnd(12) + backends.map((b) => b.padStart(w)).join(""));
      for (const op of report.config.ops) {
        const row = backends.map((b) => {
          const cell = report.results.find((r) =>
            r.op === op && r.mode === mode && r.backend === b && r.size === size
          );
          const t = cell?.[kind];
          if (cell === undefined) return "–";
          if (cell.status !== "ok" || t === undefined) return cell.status;
          if (t.status !== "ok") return "skipped";
          const ratio = b === "native" || t.ratioToNative === undefined
            ? ""
            : ` ${formatRatio(t.ratioToNative)}`;
          return `${formatMs(t.medianMs)}${ratio}`;
        });
        lines.push(op.padEnd(12) + row.map((c) => c.padStart(w)).join(""));
      }
    }
  }
  return lines.join("\n");
}

/** A report written by `--json`, for `--from`. */
async function readReport(path: string): Promise<BenchReport> {
  const report = JSON.parse(await Deno.readTextFile(path)) as BenchReport;
  if (report?.format !== "nonlin-bench/1") {
    throw new TypeError(
      `${path} is not a nonlin bench report: no format "nonlin-bench/1"`,
    );
  }
  return report;
}

async function readmeProblem(path: string): Promise<string | undefined> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    return `cannot read ${path}: ${
      error instanceof Error ? error.message : error
    }`;
  }
  return markers(text) === undefined
    ? `${path} has no ${README_START} … ${README_END} markers, each on a line of its own`
    : undefined;
}

/**
 * Where the summary goes: from the end of the start marker to the start of
 * the end marker, each alone on its line (so a marker quoted in prose is not
 * taken for one).
 */
function markers(text: string): [number, number] | undefined {
  let offset = 0;
  let start = -1;
  for (const line of text.split("\n")) {
    if (start < 0 && line.trim() === README_START) {
      start = offset + line.length;
    } else if (start >= 0 && line.trim() === README_END) {
      return [start, offset];
    }
    offset += line.length + 1;
  }
  return undefined;
}

/** Formats markdown as `deno fmt` would, so the README stays fmt-clean. */
async function formatWithDeno(markdown: string): Promise<string> {
  try {
    const child = new Deno.Command(Deno.execPath(), {
      args: ["fmt", "--ext", "md", "-"],
      stdin: "piped",
      stdout: "piped",
      stderr: "null",
    }).spawn();
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(markdown));
    await writer.close();
    const { success, stdout } = await child.output();
    return success ? new TextDecoder().decode(stdout) : markdown;
  } catch {
    return markdown;
  }
}

async function writeText(path: string, text: string): Promise<void> {
  const dir = path.replace(/\/[^/]*$/, "");
  if (dir !== path && dir !== "") await Deno.mkdir(dir, { recursive: true });
  await Deno.writeTextFile(path, text);
}

/** The charts folder as seen from the markdown file's folder. */
function relative(mdFile: string, chartsDir: string): string {
  const abs = (p: string) =>
    (p.startsWith("/") ? p : `${Deno.cwd()}/${p}`).split("/").filter((s) =>
      s && s !== "."
    );
  const from = abs(mdFile).slice(0, -1);
  const to = abs(chartsDir);
  let i = 0;
  while (i < from.length && i < to.length && from[i] === to[i]) i++;
  return [...from.slice(i).map(() => ".."), ...to.slice(i)].join("/") || ".";
}

if (import.meta.main) Deno.exit(await main(Deno.args));
