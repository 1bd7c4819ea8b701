/**
 * The benchmark for a lent device, one pass per process: `runBench` over the
 * given sizes with every event appended to a JSON Lines file as it happens,
 * so that a pass cut off by its time limit keeps every group it finished
 * (`deno task bench` writes its JSON only at the end). `device_run.sh` runs
 * it bundled, several passes into one file, and `device_report.ts` reads
 * that file.
 *
 * ```sh
 * deno run -A docs/gpu/device_bench.ts --jsonl out/bench.jsonl --pass p24 \
 *   --backend native-webgpu,tfjs-webgpu --sizes 2^24
 * ```
 *
 * Options: `--jsonl FILE` (appended to; required), `--pass NAME` (recorded
 * on every line), `--backend LIST`, `--ops LIST` (default: every catalog op,
 * the most used first: see {@linkcode opOrder}), `--modes LIST` (default
 * forward,vjp), `--sizes LIST` (required), `--target MS`, `--min-reps N`,
 * `--max-reps N`, `--budget MS` (as in `deno task bench`). Only resident
 * tensors are timed.
 *
 * Lines: `{ pass, kind: "start", … }`, then the bench's own events
 * (`backend`, `floor`, `group` with its results; `cell` is left out), then
 * `{ pass, kind: "end", durationS, machine, config, backends }`.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { type OpName, opNames } from "@nonlin/core";
import { type BenchEvent, type Mode, parseSize, runBench } from "@nonlin/bench";

/** The ops first in line, so that a pass cut short has measured these. */
const FIRST = [
  "relu",
  "gelu",
  "sigmoid",
  "tanh",
  "silu",
  "swish",
  "softplus",
  "elu",
  "leakyRelu",
  "mish",
] as const satisfies readonly OpName[];

/**
 * Every catalog op, the most used first (relu, gelu, sigmoid, tanh, silu,
 * swish, softplus, elu, leakyRelu, mish), then the catalog's order.
 *
 * @returns The op names.
 */
export function opOrder(): string[] {
  return [
    ...FIRST,
    ...opNames.filter((op) => !(FIRST as readonly OpName[]).includes(op)),
  ];
}

/** One line of the file. */
export type DeviceBenchLine =
  | ({ readonly pass: string } & Exclude<BenchEvent, { kind: "cell" }>)
  | {
    readonly pass: string;
    readonly kind: "start";
    readonly at: string;
    readonly sizes: readonly number[];
    readonly ops: readonly string[];
    readonly modes: readonly string[];
    readonly backends: readonly string[];
  }
  | {
    readonly pass: string;
    readonly kind: "end";
    readonly durationS: number;
    readonly [key: string]: unknown;
  };

/** A device tool's output file and its sizes, from `--jsonl` and `--sizes`. */
export interface JsonlLog {
  /** The `--sizes` list as given. */
  readonly sizes: string;
  /** Appends one line, `{ pass, ...line }`. */
  readonly append: (line: object) => void;
}

/**
 * The JSON Lines file a device tool appends to, each line tagged with its
 * pass; without `--jsonl` or `--sizes` it says so on stderr and exits with
 * status 2.
 *
 * @param tool The tool's name, for the message.
 * @param values The parsed `--jsonl`, `--sizes` and `--pass`.
 * @returns The sizes and the appender.
 */
export function jsonlLog(
  tool: string,
  values: { jsonl?: string; sizes?: string; pass: string },
): JsonlLog {
  const { jsonl: file, sizes, pass } = values;
  if (file === undefined || sizes === undefined) {
    Deno.stderr.writeSync(
      new TextEncoder().encode(
        `${tool}: --jsonl FILE and --sizes LIST are required\n`,
      ),
    );
    Deno.exit(2);
  }
  return {
    sizes,
    append: (line) =>
      Deno.writeTextFileSync(file, JSON.stringify({ pass, ...line }) + "\n", {
        append: true,
      }),
  };
}

function list(text: string | undefined): string[] | undefined {
  return text?.split(",").map((s) => s.trim()).filter((s) => s !== "");
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      jsonl: { type: "string" },
      pass: { type: "string", default: "bench" },
      backend: { type: "string", default: "native-webgpu,tfjs-webgpu" },
      ops: { type: "string" },
      modes: { type: "string", default: "forward,vjp" },
      sizes: { type: "string" },
      target: { type: "string" },
      "min-reps": { type: "string" },
      "max-reps": { type: "string" },
      budget: { type: "string" },
    },
  });
  const { sizes: sizeList, append } = jsonlLog("device_bench", values);
  const pass = values.pass;
  const ops = list(values.ops) ?? opOrder();
  const modes = list(values.modes) as Mode[];
  const sizes = list(sizeList)!.map(parseSize);
  const backends = list(values.backend)!;
  const number = (v: string | undefined) =>
    v === undefined ? undefined : Number(v);
  const tuning = Object.fromEntries(
    Object.entries({
      targetMs: number(values.target),
      minReps: number(values["min-reps"]),
      maxReps: number(values["max-reps"]),
      callBudgetMs: number(values.budget),
    }).filter(([, v]) => v !== undefined),
  );
  append({
    kind: "start",
    at: new Date().toISOString(),
    sizes,
    ops,
    modes,
    backends,
  });
  const t0 = performance.now();
  const say = (text: string) =>
    Deno.stdout.writeSync(new TextEncoder().encode(text + "\n"));
  const report = await runBench({
    backends,
    ops,
    modes,
    sizes,
    timings: ["resident"],
    ...tuning,
    command: ["device_bench", ...Deno.args].join(" "),
    onEvent: (e) => {
      if (e.kind === "cell") return;
      append(e);
      if (e.kind === "group") {
        const s = ((performance.now() - t0) / 1000).toFixed(0);
        say(
          `[${s} s] ${
            e.results.map((r) =>
              `${r.backend} ${r.op} ${r.mode} ${r.size}: ${
                r.resident?.status === "ok"
                  ? `${r.resident.medianMs.toPrecision(3)} ms${
                    r.resident.ratioToFloor === undefined
                      ? ""
                      : ` (${r.resident.ratioToFloor.toFixed(2)}× floor)`
                  }`
                  : `${r.status}${r.reason ? `: ${r.reason}` : ""}`
              }`
            ).join("; ")
          }`,
        );
      } else if (e.kind === "backend") {
        say(
          `backend ${e.entry.name}: ${e.entry.status}${
            e.entry.reason ? ` (${e.entry.reason})` : ""
          }`,
        );
      }
    },
  });
  append({
    kind: "end",
    durationS: report.durationS,
    machine: report.machine,
    config: report.config,
    backends: report.backends,
  });
  const bad = report.results.filter((r) =>
    r.status === "fail" || r.status === "error"
  );
  say(
    `${pass}: ${report.results.length} cells in ${report.durationS} s, ${bad.length} failed or errored`,
  );
  Deno.exitCode = bad.length > 0 ||
      report.backends.some((b) => b.status !== "ran")
    ? 1
    : 0;
}
