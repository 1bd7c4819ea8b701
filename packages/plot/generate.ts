/**
 * Writing every figure: each variant on each available backend, plus the
 * comparison of all backends per variant, as SVG and PNG, and an
 * `index.json` report of what was drawn, skipped and measured.
 *
 * @module
 */

import {
  type BackendModule,
  BackendUnavailableError,
  BOOK_GRID,
  bookGrid,
  NotSupportedError,
  resolveParams,
} from "@nonlin/core";
import { backendNames, isModulePath, loadBackend } from "@nonlin/backends";
import {
  classLabels,
  deviceOf,
  deviceProfileOf,
  findDeviation,
  ledger,
} from "@nonlin/conformance/policy";
import {
  backendCurves,
  type Difference,
  difference,
  figureVariants,
  referenceCurves,
  type Variant,
} from "./curves.ts";
import {
  backendFigure,
  type BackendResult,
  comparisonFigure,
  type KnownDeviationNote,
} from "./figures.ts";
import { svgToPng } from "./render.ts";

/** A file format the figures are written in. */
export type FigureFormat = "svg" | "png";

/** The formats, in the order files are written. */
export const FIGURE_FORMATS: readonly FigureFormat[] = Object.freeze([
  "svg",
  "png",
]);

/** Options of {@linkcode writeFigures}. */
export interface WriteFiguresOptions {
  /** The folder written into; created if missing. */
  readonly out: string;
  /**
   * Backends by name or module path, or already loaded modules.
   * @default every built-in backend (`backendNames`)
   */
  readonly backends?: readonly (string | BackendModule)[];
  /**
   * Which variants: an op name selects all its variants, a variant id
   * (`swish-beta-10`) just that one.
   * @default every variant (`figureVariants()`)
   */
  readonly ops?: readonly string[];
  /**
   * The formats to write.
   * @default ["svg", "png"]
   */
  readonly formats?: readonly FigureFormat[];
  /** Called with a line of progress for each backend and variant. @default none */
  readonly log?: (line: string) => void;
}

/** How one backend fared. */
export interface BackendStatus {
  /** Its name (or the path it was asked for by, when it failed to load). */
  readonly name: string;
  /** `ran`, `skipped` (cannot run here) or `error` (failed to load or compute). */
  readonly status: "ran" | "skipped" | "error";
  /** Why it was skipped or failed. */
  readonly reason?: string;
}

/** The summary of a {@linkcode Difference}, as the report holds it. */
export interface DifferenceSummary {
  /** Largest finite |got − want|. */
  readonly maxAbs: number;
  /** Largest finite ULP distance. */
  readonly maxUlp: number;
  /** Points with no difference. */
  readonly exact: number;
  /** Points where NaN or ∞ disagree. */
  readonly mismatched: number;
}

/** One variant on one backend in the report. */
export interface VariantResult {
  /** The backend. */
  readonly backend: string;
  /** `ran`, or `skipped` (the backend lacks the op) or `error`. */
  readonly status: "ran" | "skipped" | "error";
  /** Why not, when it did not run. */
  readonly reason?: string;
  /** f(x) against the reference, when it ran. */
  readonly f?: DifferenceSummary;
  /** f'(x) against the reference, when it ran. */
  readonly grad?: DifferenceSummary;
  /**
   * The conformance ledger's entries that cover f(x) and f'(x) on this
   * backend (and the device it ran on), when any does.
   */
  readonly known?: {
    readonly f?: KnownDeviationNote;
    readonly grad?: KnownDeviationNote;
  };
}

/** What {@linkcode writeFigures} did; also written to `index.json`. */
export interface FiguresReport {
  /** The folder written into. */
  readonly out: string;
  /** The grid every curve is drawn on. */
  readonly grid: {
    readonly start: number;
    readonly stop: number;
    readonly step: number;
    readonly size: number;
  };
  /** Every backend asked for. */
  readonly backends: readonly BackendStatus[];
  /** Every variant drawn, with each backend's result. */
  readonly variants: readonly {
    readonly id: string;
    readonly op: string;
    readonly params: Readonly<Record<string, number | string>>;
    readonly results: readonly VariantResult[];
  }[];
  /** Every file written, relative to `out`. */
  readonly files: readonly string[];
  /** Wall-clock time of the whole run, in seconds. */
  readonly seconds: number;
}

/** How long a backend may take to load before it is reported as failing. */
const LOAD_TIMEOUT_MS = 60_000;

/** `loadBackend`, failing when it takes longer than `ms` (a hung GPU driver). */
async function loadWithin(name: string, ms: number): Promise<BackendModule> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`did not load within ${ms / 1000} s`)),
      ms,
    );
  });
  try {
    return await Promise.race([loadBackend(name), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

interface LoadedBackend {
  readonly module: BackendModule;
  readonly slug: string;
}

/**
 * Draws every selected variant on every selected backend and writes the
 * figures into `out`: `<variant>.<backend>.svg|png` per backend (f(x) and
 * f'(x) as that backend computes them), `<variant>.svg|png` comparing all
 * backends with the reference, and `index.json` (the returned report).
 * A backend that cannot run here is reported as skipped with its reason, and
 * so is an op a backend does not support; nothing is drawn for them.
 *
 * @param options Where, which backends, which ops, which formats.
 * @returns The report.
 * @throws {RangeError} For an unknown op or variant, or no format.
 *
 * @example
 * ```ts
 * import { writeFigures } from "@nonlin/plot";
 * import assert from "node:assert";
 *
 * const out = await Deno.makeTempDir();
 * const report = await writeFigures({ out, backends: ["native"], ops: ["relu"], formats: ["svg"] });
 * assert.deepStrictEqual(report.files, ["relu.native.svg", "relu.svg", "index.json"]);
 * assert.strictEqual(report.variants[0]?.results[0]?.f?.maxUlp, 0);
 * await Deno.remove(out, { recursive: true });
 * ```
 */
export async function writeFigures(
  options: WriteFiguresOptions,
): Promise<FiguresReport> {
  const started = performance.now();
  const { variants, backends } = checkFiguresOptions(options);
  const { out, formats = FIGURE_FORMATS, log = () => {} } = options;
  const { loaded, statuses } = await loadBackends(backends);
  for (const s of statuses) {
    log(
      `${s.name}: ${s.status}${s.reason === undefined ? "" : ` (${s.reason})`}`,
    );
  }

  await Deno.mkdir(out, { recursive: true });
  const files: string[] = [];
  const write = async (stem: string, svg: string) => {
    for (const format of formats) {
      const file = `${stem}.${format}`;
      const path = `${out}/${file}`;
      if (format === "svg") await Deno.writeTextFile(path, svg);
      else await Deno.writeFile(path, await svgToPng(svg));
      files.push(file);
    }
  };

  const x = bookGrid();
  const reportVariants: FiguresReport["variants"][number][] = [];
  const failed = new Set<string>();
  for (const variant of variants) {
    const reference = referenceCurves(variant, x);
    const results: BackendResult[] = [];
    const rows: VariantResult[] = [];
    for (const { module, slug } of loaded) {
      const name = module.backend.name;
      let result: BackendResult;
      try {
        const curves = await backendCurves(module, variant, x);
        const known = knownDeviations(module, variant);
        result = {
          name,
          curves,
          f: difference(curves.y, reference.y),
          grad: difference(curves.dy, reference.dy),
          ...(known === undefined ? {} : { known }),
        };
      } catch (error) {
        const skipped = error instanceof NotSupportedError;
        if (!skipped) failed.add(name);
        const reason = error instanceof Error ? error.message : String(error);
        rows.push({
          backend: name,
          status: skipped ? "skipped" : "error",
          reason,
        });
        log(
          `${variant.id} on ${name}: ${
            skipped ? "skipped" : "error"
          } (${reason})`,
        );
        continue;
      }
      results.push(result);
      rows.push({
        backend: name,
        status: "ran",
        f: summary(result.f),
        grad: summary(result.grad),
        ...(result.known === undefined ? {} : { known: result.known }),
      });
      await write(`${variant.id}.${slug}`, backendFigure(variant, result));
    }
    if (results.length > 0) {
      await write(variant.id, comparisonFigure(variant, reference, results));
    }
    log(`${variant.id}: ${describeRow(rows)}`);
    reportVariants.push({
      id: variant.id,
      op: variant.op,
      params: variant.params,
      results: rows,
    });
  }

  files.push("index.json");
  const report: FiguresReport = {
    out,
    grid: {
      start: BOOK_GRID.start,
      stop: BOOK_GRID.stop,
      step: BOOK_GRID.step,
      size: x.length,
    },
    backends: statuses.map((s) =>
      failed.has(s.name) && s.status === "ran"
        ? { ...s, status: "error", reason: "failed on some ops (see variants)" }
        : s
    ),
    variants: reportVariants,
    files,
    seconds: Math.round(performance.now() - started) / 1000,
  };
  await Deno.writeTextFile(
    `${out}/index.json`,
    JSON.stringify(report, null, 2) + "\n",
  );
  return report;
}

/**
 * The ledger's entries covering a backend's f (check `values`) and f′
 * (`derivative`) for a variant, matched as the conformance suite matches
 * them: by backend, op, parameters and the device profile of the GPU the
 * backend computes on.
 */
function knownDeviations(
  module: BackendModule,
  variant: Variant,
): BackendResult["known"] {
  const device = deviceOf(module.backend.capabilities.properties);
  const note = (check: "values" | "derivative") => {
    const e = findDeviation(ledger, {
      backend: module.backend.name,
      device: deviceProfileOf(device),
      onDevice: device !== undefined,
      op: variant.op,
      check,
      params: resolveParams(variant.op, variant.params),
    });
    return e === undefined ? undefined : {
      label: e.class === undefined ? "unclassified" : classLabels[e.class],
      reason: e.reason,
    };
  };
  const f = note("values");
  const grad = note("derivative");
  if (f === undefined && grad === undefined) return undefined;
  return {
    ...(f === undefined ? {} : { f }),
    ...(grad === undefined ? {} : { grad }),
  };
}

function summary(d: Difference): DifferenceSummary {
  return {
    maxAbs: d.maxAbs,
    maxUlp: d.maxUlp,
    exact: d.exact,
    mismatched: d.mismatched,
  };
}

function describeRow(rows: readonly VariantResult[]): string {
  const describe = (d: DifferenceSummary): string => {
    const parts = d.maxAbs === 0
      ? []
      : [`|Δ| ≤ ${d.maxAbs.toExponential(1)} (≤ ${d.maxUlp} ulp)`];
    if (d.mismatched > 0) parts.push(`${d.mismatched} NaN/∞ mismatched`);
    return parts.length === 0 ? "exact" : parts.join(", ");
  };
  return rows.map((r) =>
    r.status === "ran"
      ? `${r.backend} f ${describe(r.f!)}, grad ${describe(r.grad!)}`
      : `${r.backend} ${r.status}`
  ).join("; ");
}

/**
 * Checks {@linkcode writeFigures}'s options without loading or writing
 * anything: the folder, the formats, the ops, the backend names.
 *
 * @param options The options.
 * @returns The variants and backends they select.
 * @throws {TypeError} For a missing folder.
 * @throws {RangeError} For an unknown op, variant, format or built-in
 * backend name, or an empty list.
 *
 * @example
 * ```ts
 * import { checkFiguresOptions } from "@nonlin/plot";
 * import assert from "node:assert";
 *
 * assert.strictEqual(checkFiguresOptions({ out: "figs", ops: ["relu"] }).variants.length, 1);
 * assert.throws(() => checkFiguresOptions({ out: "figs", backends: ["cuda"] }), RangeError);
 * ```
 */
export function checkFiguresOptions(
  options: WriteFiguresOptions,
): { variants: Variant[]; backends: readonly (string | BackendModule)[] } {
  const { out, formats = FIGURE_FORMATS, backends = backendNames } = options;
  if (typeof out !== "string" || out === "") {
    throw new TypeError(
      `Output folder must be a non-empty path: got ${String(out)}`,
    );
  }
  if (formats.length === 0) {
    throw new RangeError("Formats must name at least one of svg, png");
  }
  for (const format of formats) {
    if (!FIGURE_FORMATS.includes(format)) {
      throw new RangeError(`Unknown format "${format}": expected svg or png`);
    }
  }
  if (backends.length === 0) {
    throw new RangeError("Backends must name at least one backend");
  }
  for (const entry of backends) {
    if (
      typeof entry === "string" && !backendNames.includes(entry) &&
      !isModulePath(entry)
    ) {
      throw new RangeError(
        `Unknown backend "${entry}": expected one of ${
          backendNames.join(", ")
        }, or a module path such as ./my_backend.ts`,
      );
    }
  }
  return { variants: selectVariants(options.ops), backends };
}

/**
 * The variants named by `--ops`: op names (all their variants) or variant
 * ids, in catalog order; every variant when `names` is undefined.
 *
 * @param names Op names or variant ids.
 * @returns The variants.
 * @throws {RangeError} For a name that is neither, listing the valid ones.
 *
 * @example
 * ```ts
 * import { selectVariants } from "@nonlin/plot";
 * import assert from "node:assert";
 *
 * assert.deepStrictEqual(selectVariants(["gelu"]).map((v) => v.id), ["gelu", "gelu-approximate-tanh"]);
 * assert.throws(() => selectVariants(["gelux"]), RangeError);
 * ```
 */
export function selectVariants(names?: readonly string[]): Variant[] {
  const all = figureVariants();
  if (names === undefined) return all;
  if (names.length === 0) throw new RangeError("Ops must name at least one op");
  for (const name of names) {
    if (!all.some((v) => v.op === name || v.id === name)) {
      throw new RangeError(
        `Unknown op "${name}": expected an op (${
          [...new Set(all.map((v) => v.op))].join(", ")
        }) or a variant (${
          all.filter((v) => v.id !== v.op).map((v) => v.id).join(", ")
        })`,
      );
    }
  }
  return all.filter((v) => names.includes(v.op) || names.includes(v.id));
}

async function loadBackends(
  requested: readonly (string | BackendModule)[],
): Promise<{ loaded: LoadedBackend[]; statuses: BackendStatus[] }> {
  const loaded: LoadedBackend[] = [];
  const statuses: BackendStatus[] = [];
  const slugs = new Set<string>();
  for (const entry of requested) {
    let module: BackendModule;
    try {
      module = typeof entry === "string"
        ? await loadWithin(entry, LOAD_TIMEOUT_MS)
        : entry;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      const name = typeof entry === "string" ? entry : "module";
      statuses.push({
        name,
        status: error instanceof BackendUnavailableError ? "skipped" : "error",
        reason,
      });
      continue;
    }
    const info = module.backend;
    if (!info.available) {
      statuses.push({
        name: info.name,
        status: "skipped",
        reason: info.reason ?? "unavailable, no reason given",
      });
      continue;
    }
    // File names need a safe, unique slug; the name itself stays in the figures.
    const base = info.name.toLowerCase().replace(/[^a-z0-9_-]+/g, "-").replace(
      /^-+|-+$/g,
      "",
    ) || "backend";
    let slug = base;
    for (let i = 2; slugs.has(slug); i++) slug = `${base}-${i}`;
    slugs.add(slug);
    loaded.push({ module, slug });
    statuses.push({ name: info.name, status: "ran" });
  }
  return { loaded, statuses };
}
