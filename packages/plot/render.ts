/**
 * Rendering figures without a browser: Observable Plot draws into a
 * linkedom document and the result is serialised as a standalone SVG; resvg
 * (compiled to WebAssembly) rasterises that SVG to PNG with the DejaVu Sans
 * font shipped by the `dejavu-fonts-ttf` npm package, so no system font is
 * needed and every machine draws the same pixels.
 *
 * @module
 */

import * as Plot from "@observablehq/plot";
import { parseHTML } from "linkedom";
import { initWasm, Resvg } from "@resvg/resvg-wasm";
// Imported so that Deno installs the font package with the rest of the graph;
// the font files themselves are read from beside this package.json.
import fontPackage from "dejavu-fonts-ttf/package.json" with { type: "json" };

/**
 * Observable Plot's options for one chart (marks, scales, size): what
 * {@linkcode renderPlot} draws, under a name this package exports.
 */
export type PlotOptions = Plot.PlotOptions;

const SVG_NAMESPACE = "http://www.w3.org/2000/svg";

/** The font family every figure is drawn in, in SVG and in PNG. */
export const FONT_FAMILY = "DejaVu Sans";

/** The DejaVu files loaded into resvg: regular, bold and monospace. */
const FONT_FILES = [
  "DejaVuSans.ttf",
  "DejaVuSans-Bold.ttf",
  "DejaVuSansMono.ttf",
] as const;

/**
 * Draws an Observable Plot figure and serialises it as a standalone SVG
 * document (with its `xmlns`), with no browser: the plot is built in a
 * linkedom document. The output is deterministic — the same options give the
 * same string in any process — because Plot's clip-path ids, which come from
 * a process-wide counter, are renumbered from 1 in order of appearance.
 *
 * Titles, subtitles, captions and legends make Plot wrap the SVG in an HTML
 * `<figure>`, which is not an SVG file: draw them as marks instead (a
 * `Plot.text` with `frameAnchor`), or they are refused.
 *
 * @param options Observable Plot's options, exactly as for `Plot.plot`,
 * without `document` (supplied here). The font defaults to
 * {@linkcode FONT_FAMILY} so that the SVG and the PNG look alike.
 * @returns The SVG document as a string.
 * @throws {TypeError} When the options ask for an HTML figure (title,
 * subtitle, caption, legend) or are not an object.
 *
 * @example
 * ```ts
 * import { renderPlot } from "@nonlin/plot";
 * import * as Plot from "@observablehq/plot";
 * import assert from "node:assert";
 *
 * const svg = renderPlot({
 *   x: { label: "x" },
 *   y: { label: "relu(x)" },
 *   marks: [Plot.line([[-1, 0], [0, 0], [1, 1]])],
 * });
 * assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
 * assert.match(svg, /relu\(x\)<\/text>/);
 * assert.strictEqual(svg, renderPlot({
 *   x: { label: "x" },
 *   y: { label: "relu(x)" },
 *   marks: [Plot.line([[-1, 0], [0, 0], [1, 1]])],
 * }));
 * ```
 */
export function renderPlot(options: PlotOptions): string {
  const document = newDocument();
  const element = plotElement(document, options);
  // linkedom leaves the namespace implicit; a standalone file needs it.
  element.setAttribute("xmlns", SVG_NAMESPACE);
  return renumberClipIds(element.outerHTML);
}

/** Options of {@linkcode renderPlots}. */
export interface LayoutOptions {
  /**
   * Space between panels, in pixels, horizontally and vertically.
   * @default 0
   */
  readonly gap?: number;
}

/**
 * Draws several Observable Plot figures into one standalone SVG document,
 * laid out in rows: each row's panels side by side, rows one under another,
 * each panel keeping the width and height Plot gave it. The panels are
 * Plot's own SVG elements nested in an outer `<svg>` through the DOM; a panel
 * made only of a `Plot.text` mark serves as a title or a legend. As with
 * {@linkcode renderPlot}, the output is deterministic.
 *
 * @param rows The panels, row by row; each is `Plot.plot`'s options.
 * @param options The gap between panels.
 * @returns The SVG document as a string.
 * @throws {TypeError} When `rows` is not an array of arrays of options, or a
 * panel would make an HTML figure.
 * @throws {RangeError} When there is no panel at all, or `gap` is not a
 * non-negative finite number.
 *
 * @example
 * ```ts
 * import { renderPlots } from "@nonlin/plot";
 * import * as Plot from "@observablehq/plot";
 * import assert from "node:assert";
 *
 * const line = (label: string) => ({
 *   width: 300,
 *   height: 200,
 *   y: { label },
 *   marks: [Plot.line([[0, 0], [1, 1]])],
 * });
 * const svg = renderPlots([[line("relu(x)"), line("grad of relu")]]);
 * assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
 * assert.match(svg, /viewBox="0 0 600 200"/); // two 300 × 200 panels side by side
 * ```
 */
export function renderPlots(
  rows: readonly (readonly PlotOptions[])[],
  options: LayoutOptions = {},
): string {
  if (!Array.isArray(rows) || !rows.every((row) => Array.isArray(row))) {
    throw new TypeError("Rows must be an array of arrays of plot options");
  }
  if (rows.every((row) => row.length === 0)) {
    throw new RangeError("Rows must hold at least one plot");
  }
  const { gap = 0 } = options;
  if (typeof gap !== "number" || !Number.isFinite(gap) || gap < 0) {
    throw new RangeError(
      `Gap must be a non-negative finite number: got ${gap}`,
    );
  }
  const document = newDocument();
  const root = document.createElementNS(
    SVG_NAMESPACE,
    "svg",
  ) as unknown as SvgElement;
  let width = 0;
  let y = 0;
  for (const row of rows) {
    if (row.length === 0) continue;
    let x = 0;
    let height = 0;
    for (const panelOptions of row) {
      const panel = plotElement(document, panelOptions);
      const w = Number(panel.getAttribute("width"));
      const h = Number(panel.getAttribute("height"));
      panel.setAttribute("x", String(x));
      panel.setAttribute("y", String(y));
      root.appendChild(panel);
      x += w + gap;
      height = Math.max(height, h);
    }
    width = Math.max(width, x - gap);
    y += height + gap;
  }
  const height = y - gap;
  // linkedom writes attributes last-set first: xmlns leads.
  root.setAttribute("font-family", `${FONT_FAMILY}, sans-serif`);
  root.setAttribute("viewBox", `0 0 ${width} ${height}`);
  root.setAttribute("height", String(height));
  root.setAttribute("width", String(width));
  root.setAttribute("xmlns", SVG_NAMESPACE);
  return renumberClipIds(root.outerHTML);
}

type PlotDocument = NonNullable<Plot.PlotOptions["document"]>;

function newDocument(): PlotDocument {
  // Deno's type libraries have no DOM, so linkedom's window is typed loosely.
  const { document } = parseHTML(
    "<!DOCTYPE html><html><body></body></html>",
  ) as unknown as { document: PlotDocument };
  return document;
}

/** Runs Plot in `document`; refuses anything but a bare SVG. */
function plotElement(
  document: PlotDocument,
  options: Plot.PlotOptions,
): SvgElement {
  if (
    typeof options !== "object" || options === null || Array.isArray(options)
  ) {
    throw new TypeError(
      `Plot options must be an object: got ${String(options)}`,
    );
  }
  const element = Plot.plot({
    style: { fontFamily: `${FONT_FAMILY}, sans-serif` },
    ...options,
    document,
  }) as unknown as SvgElement;
  if (element.localName !== "svg") {
    throw new TypeError(
      `Plot options must make a single SVG: title, subtitle, caption and legends wrap it in an HTML <${element.localName}>; draw them as marks instead`,
    );
  }
  return element;
}

/** The part of a DOM element used here (Deno's type libraries have no DOM). */
interface SvgElement {
  readonly localName: string;
  readonly outerHTML: string;
  getAttribute(name: string): string | null;
  setAttribute(name: string, value: string): void;
  appendChild(child: SvgElement): void;
}

/** Plot numbers clip paths from a global counter; make ids start at 1 per figure. */
function renumberClipIds(svg: string): string {
  const ids = new Map<string, string>();
  return svg.replace(/plot-clip-\d+/g, (id) => {
    let renamed = ids.get(id);
    if (renamed === undefined) {
      renamed = `plot-clip-${ids.size + 1}`;
      ids.set(id, renamed);
    }
    return renamed;
  });
}

/** Options of {@linkcode svgToPng}. */
export interface PngOptions {
  /**
   * The PNG's width in pixels; the height follows the SVG's aspect ratio.
   * @default twice the SVG's own width (sharp on high-density screens)
   */
  readonly width?: number;
  /**
   * The background painted under the figure, as a CSS colour; `"transparent"`
   * for none.
   * @default "white"
   */
  readonly background?: string;
}

let ready: Promise<Uint8Array[]> | undefined;

/** Initialises resvg once per process and reads the font files once. */
function initialise(): Promise<Uint8Array[]> {
  ready ??= (async () => {
    const wasm = new URL(
      "index_bg.wasm",
      import.meta.resolve("@resvg/resvg-wasm"),
    );
    const fontDir = new URL(
      "ttf/",
      import.meta.resolve("dejavu-fonts-ttf/package.json"),
    );
    const [, ...fonts] = await Promise.all([
      Deno.readFile(wasm).then((bytes) => initWasm(bytes)),
      ...FONT_FILES.map((file) => Deno.readFile(new URL(file, fontDir))),
    ]);
    return fonts as Uint8Array[];
  })();
  ready.catch(() => ready = undefined); // a failed start may be retried
  return ready;
}

/**
 * Rasterises an SVG document to PNG with resvg (WebAssembly, initialised
 * once per process from the package's `.wasm` file on disk). Text is drawn in
 * DejaVu Sans (and DejaVu Sans Mono for monospace), loaded from the
 * `dejavu-fonts-ttf` npm package: system fonts are never consulted, so the
 * pixels do not depend on the machine. Needs read access to `node_modules`.
 *
 * @param svg An SVG document, such as {@linkcode renderPlot} returns.
 * @param options The width in pixels and the background.
 * @returns The PNG file's bytes.
 * @throws {TypeError} When `svg` is not a string, or not an SVG document
 * resvg can parse.
 * @throws {RangeError} When `width` is not a positive integer.
 *
 * @example
 * ```ts
 * import { renderPlot, svgToPng } from "@nonlin/plot";
 * import * as Plot from "@observablehq/plot";
 * import assert from "node:assert";
 *
 * const svg = renderPlot({ marks: [Plot.line([[0, 0], [1, 1]])] });
 * const png = await svgToPng(svg, { width: 320 });
 * assert.deepStrictEqual([...png.subarray(1, 4)], [0x50, 0x4e, 0x47]); // "PNG"
 * assert.strictEqual(new DataView(png.buffer, png.byteOffset).getUint32(16), 320);
 * ```
 */
export async function svgToPng(
  svg: string,
  options: PngOptions = {},
): Promise<Uint8Array> {
  if (typeof svg !== "string") {
    throw new TypeError(`SVG must be a string: got ${typeof svg}`);
  }
  const { width, background = "white" } = options;
  if (width !== undefined && (!Number.isSafeInteger(width) || width <= 0)) {
    throw new RangeError(`PNG width must be a positive integer: got ${width}`);
  }
  const fontBuffers = await initialise();
  let resvg: InstanceType<typeof Resvg>;
  try {
    resvg = new Resvg(svg, {
      ...(background === "transparent" ? {} : { background }),
      fitTo: width === undefined
        ? { mode: "zoom", value: 2 }
        : { mode: "width", value: width },
      font: {
        fontBuffers,
        defaultFontFamily: FONT_FAMILY,
        sansSerifFamily: FONT_FAMILY,
        serifFamily: FONT_FAMILY,
        monospaceFamily: "DejaVu Sans Mono",
      },
    });
  } catch (error) {
    throw new TypeError(`SVG could not be parsed: ${String(error)}`);
  }
  try {
    const image = resvg.render();
    try {
      return image.asPng();
    } finally {
      image.free();
    }
  } finally {
    resvg.free();
  }
}

/** The version of the DejaVu fonts drawn into PNGs, for credits. */
export const FONT_VERSION: string = fontPackage.version;
