/**
 * The figures, as Observable Plot panels: one backend's f(x) and f'(x) as the
 * book draws them, and the comparison of every backend — an overlay of their
 * curves and, on a log scale, each one's difference from the reference.
 *
 * @module
 */

import * as Plot from "@observablehq/plot";
import { BOOK_GRID, getOp } from "@nonlin/core";
import type { Curves, Difference, Variant } from "./curves.ts";
import { renderPlots } from "./render.ts";

const WIDTH = 960;
const PANEL_HEIGHT = 320;
const FACET_HEIGHT = 130;

/** One backend's results for one variant, as the figures need them. */
export interface BackendResult {
  /** The backend's name. */
  readonly name: string;
  /** Its f(x) and f'(x). */
  readonly curves: Curves;
  /** f(x) against the reference. */
  readonly f: Difference;
  /** f'(x) against the reference. */
  readonly grad: Difference;
  /**
   * The ledger's known deviations of this backend that cover f(x) (check
   * `values`) and f'(x) (check `derivative`), as the conformance suite
   * matches them; absent where none does.
   */
  readonly known?: {
    readonly f?: KnownDeviationNote;
    readonly grad?: KnownDeviationNote;
  };
}

/** A ledger entry as a figure names it. */
export interface KnownDeviationNote {
  /** Its class, as report cells label it (`FTZ`, `cancellation`, …). */
  readonly label: string;
  /** Why the backend does this. */
  readonly reason: string;
}

/** ", a known deviation (ledger: cancellation)", or nothing. */
function knownNote(note: KnownDeviationNote | undefined): string {
  return note === undefined
    ? ""
    : ` — a known deviation (conformance ledger: ${note.label})`;
}

/** The book's axis labels for an op: `relu(x)` and `grad of relu`. */
export function axisLabels(variant: Variant): { f: string; grad: string } {
  return { f: `${variant.op}(x)`, grad: `grad of ${variant.op}` };
}

/** "ReLU", or "Swish (β = 0.5)". */
function heading(variant: Variant): string {
  const title = getOp(variant.op).title;
  return variant.label === "" ? title : `${title} (${variant.label})`;
}

/** "160 float32 points from −8 to 7.9". */
function describeGrid(x: Float32Array): string {
  const minus = (v: number) => String(v).replace("-", "−");
  return x.length === 0
    ? "no points"
    : `${x.length} float32 points from ${minus(x[0]!)} to ${
      minus(Number(x.at(-1)!.toPrecision(7)))
    }`;
}

/** 2.4e-7, or 0. */
function formatNumber(x: number): string {
  return x === 0 ? "0" : Number.isFinite(x) ? x.toExponential(1) : String(x);
}

/** "max |Δ| 1.2e-7 (2 ulp), 150/160 exact", and NaN/∞ disagreements. */
export function summarise(d: Difference): string {
  const n = d.abs.length;
  const parts = [
    d.exact === n
      ? `exact at all ${n} points`
      : d.maxAbs === 0
      ? `${d.exact}/${n} exact`
      : `max |Δ| ${
        formatNumber(d.maxAbs)
      } (${d.maxUlp} ulp), ${d.exact}/${n} exact`,
  ];
  if (d.mismatched > 0) {
    parts.push(
      `${d.mismatched} NaN/∞ mismatch${d.mismatched === 1 ? "" : "es"}`,
    );
  }
  return parts.join(", ");
}

/** A panel holding only text: a title, a subtitle or a note. */
function textPanel(
  lines: readonly string[],
  options: { fontSize?: number; fontWeight?: string } = {},
): Plot.PlotOptions {
  const fontSize = options.fontSize ?? 12;
  const lineHeight = Math.round(fontSize * 1.4);
  return {
    width: WIDTH,
    height: lines.length * lineHeight + 8,
    margin: 0,
    axis: null,
    x: { type: "identity" },
    y: { type: "identity" },
    marks: [
      Plot.text(lines, {
        x: 16,
        y: (_: string, i: number) => 4 + i * lineHeight,
        textAnchor: "start",
        lineAnchor: "top",
        fontSize,
        fontWeight: options.fontWeight ?? "normal",
      }),
    ],
  };
}

/** The x axis of every figure: the book's grid's span, −8 to 8. */
const X_AXIS: Plot.ScaleOptions = {
  label: "x",
  labelArrow: "none",
  labelAnchor: "center",
  domain: [BOOK_GRID.start, BOOK_GRID.stop],
};

/** One curve panel, the book's style: grid, x from −8 to 8, its label. */
function curvePanel(
  label: string,
  marks: Plot.Markish[],
  width: number,
): Plot.PlotOptions {
  return {
    width,
    height: PANEL_HEIGHT,
    marginLeft: 56,
    marginRight: 16,
    marginBottom: 40,
    grid: true,
    x: X_AXIS,
    y: { label, labelArrow: "none", labelAnchor: "center" },
    marks: [
      Plot.ruleY([0], { stroke: "#999" }),
      Plot.ruleX([0], { stroke: "#999" }),
      ...marks,
    ],
  };
}

/**
 * The figure of one variant on one backend: f(x) beside f'(x), computed by
 * that backend, titled with the op, its parameters and the backend, and a
 * line on how far each lies from the reference.
 *
 * @param variant The op and its parameters.
 * @param result The backend's curves and differences.
 * @returns The SVG document.
 *
 * @example
 * ```ts
 * import { backendFigure, backendCurves, difference, figureVariants, referenceCurves, arange } from "@nonlin/plot";
 * import { loadBackend } from "@nonlin/backends";
 * import assert from "node:assert";
 *
 * const relu = figureVariants().find((v) => v.id === "relu")!;
 * const x = arange(-8, 8, 0.1);
 * const curves = await backendCurves(await loadBackend("native"), relu, x);
 * const ref = referenceCurves(relu, x);
 * const svg = backendFigure(relu, {
 *   name: "native",
 *   curves,
 *   f: difference(curves.y, ref.y),
 *   grad: difference(curves.dy, ref.dy),
 * });
 * assert.match(svg, />grad of relu</);
 * ```
 */
export function backendFigure(variant: Variant, result: BackendResult): string {
  const labels = axisLabels(variant);
  const { x, y, dy } = result.curves;
  const color = "#4269d0";
  const line = (values: Float32Array) =>
    Plot.lineY(values, { x, stroke: color, strokeWidth: 2 });
  return renderPlots([
    [textPanel([`${heading(variant)} on ${result.name}`], {
      fontSize: 16,
      fontWeight: "bold",
    })],
    [textPanel([
      `${labels.f}: ${summarise(result.f)}${knownNote(result.known?.f)}`,
      `${labels.grad}: ${summarise(result.grad)}${
        knownNote(result.known?.grad)
      }`,
      `|Δ| from the float64 reference rounded to float32, on ${
        describeGrid(x)
      }`,
    ])],
    [
      curvePanel(labels.f, [line(y)], WIDTH / 2),
      curvePanel(labels.grad, [line(dy)], WIDTH / 2),
    ],
  ]);
}

/**
 * The comparison figure of one variant: every backend's f(x) and f'(x)
 * overlaid (wide lines under narrow ones, so that agreeing curves show as
 * nested stripes) with the reference dashed on top, and below, per backend,
 * |backend − reference| on a log scale. Exact points (Δ = 0) cannot sit on a
 * log scale: they are drawn on a floor line a decade below the smallest
 * non-zero difference and labelled as exact; NaN/∞ disagreements are drawn on
 * a ceiling line above the largest.
 *
 * @param variant The op and its parameters.
 * @param reference The float64 reference rounded to float32.
 * @param results Each backend's curves and differences, in legend order.
 * @returns The SVG document.
 * @throws {RangeError} When no backend gave results.
 *
 * @example
 * ```ts
 * import { comparisonFigure, backendCurves, difference, figureVariants, referenceCurves, arange } from "@nonlin/plot";
 * import { loadBackend } from "@nonlin/backends";
 * import assert from "node:assert";
 *
 * const tanh = figureVariants().find((v) => v.id === "tanh")!;
 * const x = arange(-8, 8, 0.1);
 * const curves = await backendCurves(await loadBackend("native"), tanh, x);
 * const ref = referenceCurves(tanh, x);
 * const f = difference(curves.y, ref.y);
 * const svg = comparisonFigure(tanh, ref, [{ name: "native", curves, f, grad: difference(curves.dy, ref.dy) }]);
 * assert.match(svg, />tanh\(x\)</);
 * assert.match(svg, /\|backend − reference\|/);
 * ```
 */
export function comparisonFigure(
  variant: Variant,
  reference: Curves,
  results: readonly BackendResult[],
): string {
  if (results.length === 0) {
    throw new RangeError(`No backend results to compare for ${variant.id}`);
  }
  const labels = axisLabels(variant);
  const names = results.map((r) => r.name);
  const color = Plot.scale({ color: { type: "categorical", domain: names } });
  const colorOf = (name: string): string => String(color.apply(name));
  const overlay = (pick: (c: Curves) => Float32Array): Plot.Markish[] => [
    ...results.map((r, i) =>
      Plot.lineY(pick(r.curves), {
        x: r.curves.x,
        stroke: colorOf(r.name),
        strokeWidth: 2 + 3 * (results.length - 1 - i),
        strokeOpacity: 0.9,
      })
    ),
    Plot.lineY(pick(reference), {
      x: reference.x,
      stroke: "black",
      strokeWidth: 1,
      strokeDasharray: "4,3",
    }),
  ];
  return renderPlots([
    [textPanel([`${heading(variant)}: every backend against the reference`], {
      fontSize: 16,
      fontWeight: "bold",
    })],
    [legendPanel(names.map((name) => ({ name, color: colorOf(name) })))],
    [
      curvePanel(labels.f, overlay((c) => c.y), WIDTH / 2),
      curvePanel(labels.grad, overlay((c) => c.dy), WIDTH / 2),
    ],
    [differencePanel(labels, results, colorOf)],
    [textPanel([
      "|Δ| = |backend − float64 reference rounded to float32| at each grid point; exact points (Δ = 0) are drawn on the floor line,",
      `NaN/∞ disagreements on the ceiling line. Grid: ${
        describeGrid(reference.x)
      }.`,
    ], { fontSize: 11 })],
  ], { gap: 4 });
}

/** Swatches and names, one per backend, then the reference. */
function legendPanel(
  items: readonly { name: string; color: string }[],
): Plot.PlotOptions {
  const entries = [
    ...items.map((d) => ({ ...d, dashed: false })),
    { name: "reference (float64 → float32)", color: "black", dashed: true },
  ];
  // Lay entries out left to right, wrapping; 7.5 px a character covers
  // DejaVu Sans at 12 px, the font the figures are drawn in.
  const placed: {
    name: string;
    color: string;
    dashed: boolean;
    x: number;
    y: number;
  }[] = [];
  let x = 16;
  let y = 12;
  for (const entry of entries) {
    const width = 30 + entry.name.length * 7.5 + 24;
    if (x > 16 && x + width > WIDTH) {
      x = 16;
      y += 20;
    }
    placed.push({ ...entry, x, y });
    x += width;
  }
  const swatch = (dashed: boolean) =>
    Plot.ruleY(placed.filter((d) => d.dashed === dashed), {
      y: "y",
      x1: "x",
      x2: (d: { x: number }) => d.x + 24,
      stroke: (d: { color: string }) => d.color,
      strokeWidth: 3,
      ...(dashed ? { strokeDasharray: "4,3" } : {}),
    });
  return {
    width: WIDTH,
    height: y + 12,
    margin: 0,
    axis: null,
    x: { type: "identity" },
    y: { type: "identity" },
    marks: [
      swatch(false),
      swatch(true),
      Plot.text(placed, {
        x: (d: { x: number }) => d.x + 30,
        y: "y",
        text: "name",
        textAnchor: "start",
        fontSize: 12,
      }),
    ],
  };
}

interface DifferencePoint {
  readonly x: number;
  readonly value: number;
  readonly which: string;
  readonly backend: string;
}

/** The grid of |Δ| panels: a row per backend, f and grad side by side, log y. */
function differencePanel(
  labels: { f: string; grad: string },
  results: readonly BackendResult[],
  colorOf: (name: string) => string,
): Plot.PlotOptions {
  const nonZero: number[] = [];
  for (const r of results) {
    for (const d of [r.f, r.grad]) {
      for (const v of d.abs) if (v > 0 && Number.isFinite(v)) nonZero.push(v);
    }
  }
  const smallest = nonZero.length > 0 ? Math.min(...nonZero) : 1e-7;
  const largest = nonZero.length > 0 ? Math.max(...nonZero) : 1e-7;
  // Laid out in decades: the floor a decade below the smallest difference,
  // the ceiling (NaN/∞) above the largest, and room for the notes, as
  // fractions of the span so that wide and narrow spans look alike.
  const floorLog = Math.floor(Math.log10(smallest)) - 1;
  const largestLog = Math.log10(largest);
  const ceilingLog = largestLog + Math.max(1, 0.15 * (largestLog - floorLog));
  const floor = 10 ** floorLog;
  const ceiling = 10 ** ceilingLog;

  const points: DifferencePoint[] = [];
  const exact: DifferencePoint[] = [];
  const mismatched: DifferencePoint[] = [];
  const notes: { which: string; backend: string; text: string }[] = [];
  for (const r of results) {
    for (
      const [which, d] of [[labels.f, r.f], [labels.grad, r.grad]] as const
    ) {
      notes.push({ which, backend: r.name, text: summarise(d) });
      d.abs.forEach((v, i) => {
        const point = { x: r.curves.x[i]!, which, backend: r.name };
        if (v === 0) exact.push({ ...point, value: floor });
        else if (Number.isFinite(v)) points.push({ ...point, value: v });
        else mismatched.push({ ...point, value: ceiling });
      });
    }
  }
  const facet = { fx: "which", fy: "backend" } as const;
  const marks: Plot.Markish[] = [
    Plot.frame({ stroke: "#ccc" }),
    Plot.ruleY([floor], { stroke: "#999", strokeDasharray: "2,2" }),
    Plot.text([`exact (Δ = 0), drawn at ${formatNumber(floor)}`], {
      frameAnchor: "bottom-left",
      dx: 4,
      dy: -2,
      fontSize: 9,
      fill: "#666",
    }),
    Plot.dot(exact, {
      ...facet,
      x: "x",
      y: "value",
      r: 1.5,
      stroke: (d: DifferencePoint) => colorOf(d.backend),
      fill: "white",
    }),
    Plot.dot(points, {
      ...facet,
      x: "x",
      y: "value",
      r: 2,
      fill: (d: DifferencePoint) => colorOf(d.backend),
    }),
    Plot.text(notes, {
      ...facet,
      text: "text",
      frameAnchor: "top-left",
      dx: 4,
      dy: 4,
      fontSize: 10,
    }),
  ];
  if (mismatched.length > 0) {
    marks.push(
      Plot.ruleY([ceiling], { stroke: "#d62728", strokeDasharray: "2,2" }),
      Plot.text([ceiling], {
        y: (d: number) => d,
        text: () => "NaN/∞ mismatch",
        frameAnchor: "left",
        textAnchor: "start",
        dx: 4,
        dy: -6,
        fontSize: 9,
        fill: "#d62728",
      }),
      Plot.dot(mismatched, {
        ...facet,
        x: "x",
        y: "value",
        symbol: "times",
        r: 3,
        stroke: "#d62728",
      }),
    );
  }
  // Each facet keeps room for its note on top (and the ceiling's label
  // under it) and the floor's label at the bottom; the data take the rest.
  const highest = mismatched.length > 0 ? ceilingLog : largestLog;
  const topShare = mismatched.length > 0 ? 0.3 : 0.2;
  const bottomShare = 0.12;
  const span = Math.max(highest - floorLog, 1) / (1 - topShare - bottomShare);
  const top = 10 ** (highest + topShare * span);
  const bottom = 10 ** (floorLog - bottomShare * span);
  return {
    width: WIDTH,
    height: 60 + FACET_HEIGHT * results.length,
    marginLeft: 64,
    marginRight: 96,
    marginTop: 30,
    marginBottom: 40,
    grid: true,
    x: X_AXIS,
    y: {
      type: "log",
      label: "|backend − reference|",
      labelArrow: "none",
      labelAnchor: "center",
      domain: [bottom, top],
      ticks: decades(bottom, top),
      tickFormat: (v: number) => v.toExponential(0),
    },
    fx: { label: null, domain: [labels.f, labels.grad], padding: 0.08 },
    fy: { label: null, domain: results.map((r) => r.name), padding: 0.15 },
    marks,
  };
}

/** Powers of ten in [lo, hi], at most six of them, evenly thinned. */
function decades(lo: number, hi: number): number[] {
  const first = Math.ceil(Math.log10(lo));
  const last = Math.floor(Math.log10(hi));
  const stride = Math.max(1, Math.ceil((last - first + 1) / 6));
  const ticks: number[] = [];
  for (let e = last; e >= first; e -= stride) ticks.unshift(10 ** e);
  return ticks;
}
