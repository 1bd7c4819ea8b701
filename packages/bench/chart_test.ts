import assert from "node:assert";
import { chartSvg } from "./chart.ts";
import { smallReport } from "./testdata/report.ts";

Deno.test("chartSvg()", async (t) => {
  const report = await smallReport(["relu", "tanh"]);

  await t.step(
    "a standalone SVG with a panel per mode, log axes, legend and floor",
    () => {
      const svg = chartSvg(report, "tanh");
      assert.match(svg, /^<svg[^>]* xmlns="http:\/\/www.w3.org\/2000\/svg"/);
      assert.match(svg, />forward</);
      assert.match(svg, />vjp</);
      assert.match(svg, /tanh: million elements per second \(resident\)/);
      assert.match(svg, /— example-reference/);
      assert.match(svg, /— wrong-fixture/);
      assert.match(svg, /CPU copy floor/);
      assert.match(svg, /stroke-dasharray="5,4"/);
      assert.doesNotMatch(svg, /<figure|<div/, "no HTML wrapper");
    },
  );
  await t.step("failed cells draw no line", () => {
    const svg = chartSvg(report, "relu");
    // relu forward failed on wrong-fixture: only its vjp panel has its line.
    const paths = svg.match(/aria-label="line"[\s\S]*?<\/g>/g) ?? [];
    assert.ok(paths.length > 0);
  });
  await t.step("an op without results is a RangeError", () => {
    assert.throws(() => chartSvg(report, "gelu"), /No results for op "gelu"/);
  });
});
