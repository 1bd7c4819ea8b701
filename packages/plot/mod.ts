/**
 * `@nonlin/plot`: the figures of nonlin — each activation and its derivative
 * per backend, the overlay of all backends and their differences from the
 * float64 reference — drawn with Observable Plot, written as SVG and PNG
 * without a browser.
 *
 * ```ts
 * import { renderPlot, svgToPng } from "@nonlin/plot";
 * import * as Plot from "@observablehq/plot";
 * import assert from "node:assert";
 *
 * const svg = renderPlot({ marks: [Plot.lineY([0, 1, 4, 9])] });
 * const png = await svgToPng(svg);
 * assert.ok(svg.startsWith("<svg"));
 * assert.strictEqual(png[1], 0x50); // "P" of the PNG signature
 * ```
 *
 * @module
 */

export * from "./render.ts";
export * from "./curves.ts";
export * from "./figures.ts";
export * from "./generate.ts";
