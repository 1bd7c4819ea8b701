import assert from "node:assert";
import * as Plot from "@observablehq/plot";
import { DOMParser } from "linkedom";
import { FONT_FAMILY, renderPlot, svgToPng } from "./render.ts";

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function pngSize(png: Uint8Array): [number, number] {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  return [view.getUint32(16), view.getUint32(20)];
}

Deno.test("renderPlot()", async (t) => {
  const options: Plot.PlotOptions = {
    x: { label: "x", labelArrow: "none" },
    y: { label: "relu(x)", labelArrow: "none" },
    marks: [Plot.line([[-1, 0], [0, 0], [1, 1]]), Plot.frame()],
  };

  await t.step("makes a standalone SVG document that parses", () => {
    const svg = renderPlot(options);
    const doc = new DOMParser().parseFromString(svg, "image/svg+xml");
    const root = doc.documentElement;
    assert.strictEqual(root?.localName, "svg");
    assert.strictEqual(
      root?.getAttribute("xmlns"),
      "http://www.w3.org/2000/svg",
    );
    const texts = [...doc.querySelectorAll("text")].map((e) => e.textContent);
    assert.ok(texts.includes("x"), `no "x" label among ${texts.join("|")}`);
    assert.ok(texts.includes("relu(x)"));
    assert.match(svg, new RegExp(FONT_FAMILY));
  });

  await t.step("is deterministic, clip ids included", () => {
    const clipped = {
      marks: [
        Plot.line([[0, 0], [1, 2]], { clip: true }),
        Plot.ruleY([1], { clip: true }),
      ],
      y: { domain: [0, 1] },
    };
    const a = renderPlot(clipped);
    const b = renderPlot(clipped);
    assert.strictEqual(a, b);
    // Plot's counter has moved on; the ids in each figure still start at 1.
    assert.match(b, /clip-path="url\(#plot-clip-1\)"/);
    assert.doesNotMatch(b, /plot-clip-(?!1\D)/);
  });

  await t.step("refuses options that make an HTML figure", () => {
    assert.throws(() => renderPlot({ ...options, title: "relu" }), TypeError);
    assert.throws(
      () =>
        renderPlot({
          ...options,
          color: { legend: true },
          marks: [Plot.dot([1], { fill: ["a"] })],
        }),
      TypeError,
    );
  });

  await t.step("refuses options that are not an object", () => {
    assert.throws(() => renderPlot(null as never), TypeError);
    assert.throws(() => renderPlot("x" as never), TypeError);
  });
});

Deno.test("svgToPng()", async (t) => {
  const svg = renderPlot({
    width: 300,
    height: 200,
    marks: [Plot.lineY([0, 1, 4])],
  });

  await t.step("writes a PNG, twice the SVG's size by default", async () => {
    const png = await svgToPng(svg);
    assert.deepStrictEqual([...png.subarray(0, 8)], PNG_SIGNATURE);
    assert.deepStrictEqual(pngSize(png), [600, 400]);
  });

  await t.step("scales to the width asked for", async () => {
    assert.deepStrictEqual(pngSize(await svgToPng(svg, { width: 150 })), [
      150,
      100,
    ]);
  });

  await t.step("draws text with the shipped font", async () => {
    const text = (s: string) =>
      renderPlot({
        width: 200,
        height: 100,
        axis: null,
        marks: [Plot.text([s], { frameAnchor: "middle", fontSize: 30 })],
      });
    // Without a font resvg silently drops text: both images would be blank.
    const blank = await svgToPng(text(" "));
    const drawn = await svgToPng(text("relu(x)"));
    assert.notDeepStrictEqual(drawn, blank);
    assert.ok(
      drawn.length > blank.length + 200,
      `${drawn.length} vs ${blank.length}`,
    );
  });

  await t.step("is deterministic", async () => {
    assert.deepStrictEqual(await svgToPng(svg), await svgToPng(svg));
  });

  await t.step("refuses bad input", async () => {
    await assert.rejects(() => svgToPng(42 as never), TypeError);
    await assert.rejects(() => svgToPng("<p>not svg</p>"), TypeError);
    await assert.rejects(() => svgToPng(svg, { width: 0 }), RangeError);
    await assert.rejects(() => svgToPng(svg, { width: 1.5 }), RangeError);
  });
});
