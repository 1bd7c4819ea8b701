/**
 * `deno task plot` and `nonlin plot`: regenerates the figures.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { BOOK_GRID } from "@nonlin/core";
import { outputPathsProblem } from "@nonlin/backends/output";
import { backendNames } from "@nonlin/backends";
import {
  checkFiguresOptions,
  FIGURE_FORMATS,
  type FigureFormat,
  type FiguresReport,
  writeFigures,
  type WriteFiguresOptions,
} from "./generate.ts";

/** Where the figures go when `--out` is not given. */
export const DEFAULT_OUT = "out/figures";

/** The two streams the command writes to (the `nonlin` CLI's `Output`). */
export interface CommandOutput {
  /** Writes text to standard output. */
  out(text: string): void;
  /** Writes text to standard error. */
  err(text: string): void;
}

const standardStreams: CommandOutput = {
  out: (text) => void Deno.stdout.writeSync(new TextEncoder().encode(text)),
  err: (text) => void Deno.stderr.writeSync(new TextEncoder().encode(text)),
};

/** The help text of `nonlin plot`. */
export function plotHelp(): string {
  return `Usage: nonlin plot [--out DIR] [--backend NAME|PATH …] [--ops OP,…] [--format svg,png]

Draws every op's f(x) and f'(x) (the book's grid, arange(${BOOK_GRID.start}, ${BOOK_GRID.stop}, ${BOOK_GRID.step}))
as each backend computes them, one figure per op per backend, plus per op an
overlay of all backends with each one's |difference| from the float64
reference on a log scale. Default parameters; swish also with β = 0.5 and
10, gelu in both forms, prelu with α = 0.25. Backends that cannot run here
are reported and skipped.

Files: DIR/<op>.<backend>.svg|png, DIR/<op>.svg|png (the comparison),
DIR/index.json (what ran, what was skipped and why, max differences).

Options:
  --out DIR        the folder to write (created if missing); default ${DEFAULT_OUT}
  --backend B      ${backendNames.join(", ")}, or a module path
                   or URL; repeat it or separate with commas; default: every
                   one named
  --ops OPS        op names or variant ids (swish-beta-10), comma-separated;
                   default all
  --format F       svg, png or svg,png; default svg,png
  -h, --help       this help
`;
}

/**
 * Parses `nonlin plot`'s arguments.
 *
 * @param args The arguments after `plot`.
 * @returns The options for {@linkcode writeFigures}, or `"help"`.
 * @throws {TypeError} For an unknown flag, a missing value, a positional
 * argument.
 * @throws {RangeError} For an unknown format or an empty list.
 *
 * @example
 * ```ts
 * import { parsePlotArgs } from "@nonlin/plot/cli";
 * import assert from "node:assert";
 *
 * assert.deepStrictEqual(parsePlotArgs(["--out", "figs", "--ops", "relu,gelu", "--format", "svg"]), {
 *   out: "figs",
 *   ops: ["relu", "gelu"],
 *   formats: ["svg"],
 * });
 * assert.throws(() => parsePlotArgs(["--colour", "red"]), TypeError);
 * assert.throws(() => parsePlotArgs(["--format", "gif"]), RangeError);
 * ```
 */
export function parsePlotArgs(
  args: readonly string[],
): WriteFiguresOptions | "help" {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: {
        out: { type: "string" },
        backend: { type: "string", multiple: true },
        ops: { type: "string" },
        format: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    // node:util's messages name the flag; keep them, in this project's style.
    const message = error instanceof Error ? error.message : String(error);
    throw new TypeError(`Bad arguments: ${message.replace(/\.$/, "")}`);
  }
  if (values.help) return "help";
  const list = (flag: string, value: string): string[] => {
    const items = value.split(",").map((s) => s.trim()).filter((s) => s !== "");
    if (items.length === 0) {
      throw new RangeError(
        `--${flag} must name at least one item: got "${value}"`,
      );
    }
    return items;
  };
  if (values.out !== undefined && values.out.trim() === "") {
    throw new RangeError("--out must be a folder path: got an empty string");
  }
  const options: {
    -readonly [K in keyof WriteFiguresOptions]: WriteFiguresOptions[K];
  } = {
    out: values.out ?? DEFAULT_OUT,
  };
  if (values.backend !== undefined) {
    options.backends = values.backend.flatMap((b) => list("backend", b));
  }
  if (values.ops !== undefined) options.ops = list("ops", values.ops);
  if (values.format !== undefined) {
    const formats = list("format", values.format);
    for (const f of formats) {
      if (!FIGURE_FORMATS.includes(f as FigureFormat)) {
        throw new RangeError(
          `Unknown format "${f}": expected ${FIGURE_FORMATS.join(", ")}`,
        );
      }
    }
    options.formats = [...new Set(formats)] as FigureFormat[];
  }
  return options;
}

/** The closing lines: counts, time, what was skipped. */
function summarise(report: FiguresReport): string {
  const count = (ext: string) =>
    report.files.filter((f) => f.endsWith(`.${ext}`)).length;
  const ran = new Set(
    report.variants.flatMap((v) =>
      v.results.filter((r) => r.status === "ran").map((r) => r.backend)
    ),
  ).size;
  const formats = FIGURE_FORMATS.filter((f) => count(f) > 0).map((f) =>
    `${count(f)} ${f.toUpperCase()}`
  );
  return `wrote ${
    formats.join(" + ")
  } for ${report.variants.length} variants × ${ran} backend${
    ran === 1 ? "" : "s"
  } in ${
    report.seconds.toFixed(1)
  } s to ${report.out} (index.json lists them)\n`;
}

/**
 * Runs `nonlin plot`.
 *
 * @param args The arguments after `plot`.
 * @param output Where to write. @default standard output and error
 * @returns 0 when every figure was drawn (backends that cannot run here are
 * skipped, not failures), 1 when a backend failed to load or compute, 2 for
 * bad usage.
 *
 * @example
 * ```ts
 * import { main } from "@nonlin/plot/cli";
 * import assert from "node:assert";
 *
 * let err = "";
 * const output = { out: () => {}, err: (s: string) => void (err += s) };
 * assert.strictEqual(await main(["--ops", "nope"], output), 2);
 * assert.match(err, /Unknown op "nope"/);
 * ```
 */
export async function main(
  args: string[],
  output: CommandOutput = standardStreams,
): Promise<number> {
  let options;
  try {
    options = parsePlotArgs(args);
    if (options !== "help") checkFiguresOptions(options);
  } catch (error) {
    output.err(
      `nonlin plot: ${
        (error as Error).message
      }\nRun "nonlin plot --help" for usage.\n`,
    );
    return 2;
  }
  if (options === "help") {
    output.out(plotHelp());
    return 0;
  }
  // Checked before drawing, which takes a minute.
  const unwritable = await outputPathsProblem([
    { flag: "--out", path: options.out, folder: true },
  ]);
  if (unwritable !== undefined) {
    output.err(`nonlin plot: ${unwritable}\n`);
    return 2;
  }
  const report = await writeFigures({
    ...options,
    log: (line) => output.out(`${line}\n`),
  });
  output.out(summarise(report));
  const failed = report.backends.filter((b) => b.status === "error");
  for (const b of failed) {
    output.err(`nonlin plot: ${b.name} failed: ${b.reason}\n`);
  }
  return failed.length > 0 ? 1 : 0;
}

if (import.meta.main) {
  Deno.exit(await main(Deno.args));
}
