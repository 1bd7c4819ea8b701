import assert from "node:assert";
import { formatMarkdown } from "./markdown.ts";
import { smallReport } from "./testdata/report.ts";

Deno.test("formatMarkdown()", async (t) => {
  const report = await smallReport(["relu", "sigmoid"]);
  const md = formatMarkdown(report, { charts: "charts" });

  await t.step("machine facts, backends and method", () => {
    assert.match(md, /^# nonlin bench report/);
    assert.match(md, /\| CPU \| .+ logical cores/);
    assert.match(md, /\| runtime \| Deno \d+\.\d+\.\d+, V8 .+, TypeScript /);
    assert.match(md, /\| WebAssembly \| SIMD (yes|no), threads (yes|no) \|/);
    assert.match(md, /\| GPU adapter \| none: not queried \|/);
    assert.match(
      md,
      /\| example-reference \| ran \| cpu \| read \| rtol 0\.0001, atol 0\.00001 \|/,
    );
    assert.match(md, /## Method/);
  });
  await t.step(
    "the summary at the size closest to 1e6, with the floor row",
    () => {
      assert.match(md, /## At 1e3 elements/);
      assert.match(
        md,
        /### forward, resident\n\n\| op \| example-reference \| wrong-fixture \|/,
      );
      assert.match(md, /\| relu \| [\d.]+ \| fail \|/);
      assert.match(md, /\| sigmoid \| [\d.]+ \| [\d.]+ \|/);
      assert.match(
        md,
        /\| \*floor: memory copy\* \| \*[\d.]+\* \| \*[\d.]+\* \|/,
      );
    },
  );
  await t.step("every size with min–max and ×floor", () => {
    assert.match(
      md,
      /\| relu \| 1e2 \| [\d.]+ \[[\d.]+–[\d.]+\] [\d.]+× \| fail \|/,
    );
  });
  await t.step(
    "the failures with their reasons, the floors and the charts",
    () => {
      assert.match(
        md,
        /- wrong-fixture relu forward 1e2: \*\*fail\*\*: wrong output/,
      );
      assert.match(md, /\| cpu \| 12 \| 1e3 \| [\d.]+ \[/);
      assert.match(md, /!\[relu\]\(charts\/relu\.svg\)/);
      assert.doesNotMatch(md, /\n\n\n/);
    },
  );
  await t.step("without charts, no charts section", () => {
    assert.doesNotMatch(
      formatMarkdown(report, { full: false }),
      /## Charts|## Every size/,
    );
  });
});
