/**
 * One SVG chart per op: resident throughput against size, log–log, a line per
 * backend and the memory-copy floor dashed, a panel per mode. Drawn with
 * Observable Plot on linkedom's DOM.
 *
 * @module
 */

import * as Plot from "@observablehq/plot";
import { parseHTML } from "linkedom";
import { formatSize } from "./_format.ts";
import type { BenchReport, Device, Mode } from "./types.ts";
import { bytesPerElement } from "./types.ts";

interface Point {
  readonly series: string;
  readonly device?: Device;
  readonly mode: Mode;
  readonly size: number;
  readonly melemPerS: number;
  readonly floor: boolean;
}

/**
 * Draws the chart of one op.
 *
 * @param report A report from `runBench`.
 * @param op The op.
 * @returns A standalone SVG document.
 * @throws {RangeError} When the report has no results for `op`.
 *
 * @example
 * ```ts
 * import { chartSvg, runBench } from "@nonlin/bench";
 * import assert from "node:assert";
 *
 * const report = await runBench({
 *   backends: ["native"], ops: ["relu"], modes: ["forward"], sizes: [1000, 10000],
 *   targetMs: 5, minReps: 3, gpuFacts: false,
 * });
 * const svg = chartSvg(report, "relu");
 * assert.match(svg, /^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
 * ```
 */
export function chartSvg(report: BenchReport, op: string): string {
  const cells = report.results.filter((r) => r.op === op);
  if (cells.length === 0) {
    throw new RangeError(`No results for op "${op}" in the report`);
  }
  const modes = report.config.modes.filter((m) =>
    cells.some((c) => c.mode === m)
  );
  const points: Point[] = [];
  for (const c of cells) {
    if (c.status === "ok" && c.resident?.status === "ok") {
      points.push({
        series: c.backend,
        mode: c.mode,
        size: c.size,
        melemPerS: c.resident.melemPerS,
        floor: false,
      });
    }
  }
  const devices = new Set(
    report.backends.filter((b) => b.status === "ran").map((b) => b.device),
  );
  for (const f of report.floors) {
    if (f.status !== "ok" || f.reference || !devices.has(f.device)) continue;
    for (const mode of modes) {
      if (bytesPerElement(mode) !== f.bytesPerElement) continue;
      points.push({
        series: `${f.device.toUpperCase()} copy floor`,
        device: f.device,
        mode,
        size: f.size,
        melemPerS: f.melemPerS!,
        floor: true,
      });
    }
  }
  const backends = report.backends.filter((b) => b.status === "ran").map((b) =>
    b.name
  );
  const { document } = parseHTML(
    "<!DOCTYPE html><html><body></body></html>",
  ) as unknown as {
    document: Plot.PlotOptions["document"];
  };
  const kernels = points.filter((p) => !p.floor);
  const floors = points.filter((p) => p.floor);
  const label = {
    x: "size",
    y: "melemPerS",
    fx: "mode",
    text: "series",
  } as const;
  const svg = Plot.plot({
    document,
    width: 320 * modes.length + 120,
    height: 360,
    marginLeft: 60,
    marginRight: 90,
    marginTop: 30,
    style: { background: "white", color: "black" },
    x: { type: "log", label: "elements", tickFormat: formatSize, grid: true },
    y: {
      type: "log",
      label: `${op}: million elements per second (resident)`,
      grid: true,
    },
    fx: { label: null, domain: modes, padding: 0.3 },
    color: { domain: backends, scheme: "tableau10" },
    marks: [
      Plot.frame({ stroke: "#ccc" }),
      // One dash pattern and label offset per floor, so that the CPU's and
      // the GPU's stay apart where they meet.
      ...(["cpu", "gpu"] as const).flatMap((device, i) => {
        const data = floors.filter((p) => p.device === device);
        return [
          Plot.line(data, {
            x: "size",
            y: "melemPerS",
            z: "series",
            fx: "mode",
            stroke: "#777",
            strokeDasharray: i === 0 ? "5,4" : "1.5,3",
            strokeWidth: 1.5,
          }),
          Plot.text(
            data,
            Plot.selectLast({
              ...label,
              z: "series",
              fill: "#555",
              dx: 4,
              dy: i === 0 ? -5 : 6,
              textAnchor: "start",
            }),
          ),
        ];
      }),
      Plot.line(kernels, {
        x: "size",
        y: "melemPerS",
        z: "series",
        fx: "mode",
        stroke: "series",
        strokeWidth: 2,
        marker: "dot",
      }),
      // The legend, bottom right of the last panel, where throughput is high.
      ...backends.map((name, i) =>
        Plot.text([name], {
          text: (d: string) => `— ${d}`,
          fill: (d: string) => d,
          fx: () => modes[modes.length - 1],
          frameAnchor: "bottom-right",
          dx: -8,
          dy: -8 - 14 * (backends.length - 1 - i),
          fontSize: 11,
          fontWeight: "bold",
        })
      ),
    ],
  }) as unknown as {
    setAttribute(k: string, v: string): void;
    outerHTML: string;
  };
  svg.setAttribute("xmlns", "http://www.w3.org/2000/svg");
  return svg.outerHTML;
}
