import assert from "node:assert";
import {
  describeFinding,
  formatUlp,
  formatValue,
  renderMarkdown,
  renderMatrix,
  reportToJson,
} from "./report.ts";
import { runConformance } from "./run.ts";

const report = await runConformance({
  backends: [
    "./conformance/testdata/broken_backend.ts",
    "./examples/reference_backend.ts",
    "./conformance/testdata/unavailable_backend.ts",
  ],
  ops: ["relu", "prelu", "sigmoid", "tanh", "gelu"],
  quick: true,
});

Deno.test("reportToJson()", async (t) => {
  const parsed = JSON.parse(reportToJson(report));
  await t.step(
    "the schema of DESIGN.md, with the worst input of every result",
    () => {
      assert.deepStrictEqual(
        parsed.backends.map((b: { status: string }) => b.status),
        ["ran", "ran", "skipped"],
      );
      assert.strictEqual(
        parsed.backends[2].reason,
        "needs hardware this machine lacks",
      );
      for (const r of parsed.results) {
        for (
          const key of ["backend", "op", "params", "check", "status"]
        ) assert.ok(key in r, key);
        assert.ok(["pass", "fail", "waived"].includes(r.status));
        if (r.count > 0) {
          assert.ok(
            "x" in r.worst && "got" in r.worst && "want" in r.worst,
            JSON.stringify(r),
          );
        }
      }
    },
  );
  await t.step("NaN, ±∞ and −0 as the CLI spells them", () => {
    const special = parsed.results.find((
      r: { op: string; check: string; backend: string },
    ) =>
      r.op === "gelu" && r.check === "special" && r.backend === "broken-example"
    );
    assert.strictEqual(special.worst.x, "NaN");
    assert.ok(
      parsed.results.some((r: { maxUlp?: unknown }) => r.maxUlp === "Infinity"),
    );
  });
});

Deno.test("renderMatrix()", async (t) => {
  const text = renderMatrix(report);
  await t.step(
    "ops × backends, then pairwise, backends, failures and the verdict",
    () => {
      const lines = text.split("\n");
      assert.match(
        lines[2]!,
        /^op\s+broken-example\s+example-reference\s+unavailable-example$/,
      );
      // FAIL, the share within tolerance, the worst ULP, the classes.
      assert.match(
        text,
        /^relu\s+FAIL \d+(\.\d+)?% · 0 ULP · (ULP, )?right kink\s+100% · 0 ULP\s+skipped$/m,
      );
      assert.match(text, /^pairwise\s+broken-example\s+example-reference$/m);
      // The share of elements on which the two agree, not the worst ULP.
      assert.match(
        text,
        /^broken-example\s+·\s+FAIL \d+(\.\d+)?%$/m,
      );
      assert.match(text, /^example-reference\s+FAIL \d+(\.\d+)?%\s+·$/m);
      assert.match(
        text,
        /unavailable-example: skipped: needs hardware this machine lacks/,
      );
      assert.match(text, /broken-example relu kink: \d+ of \d+ fail/);
      assert.match(lines.at(-1)!, /: FAILED$/);
    },
  );
  await t.step("stable: no timings unless asked", () => {
    assert.doesNotMatch(text, /\d s\b/);
    assert.match(renderMatrix(report, { timings: true }), / in \d+\.\d s/);
  });
});

Deno.test("renderMarkdown()", async (t) => {
  const md = renderMarkdown(report);
  await t.step(
    "laid out like the book's §5.1: ReLU and pReLU, sigmoid, tanh, the others",
    () => {
      const order = [
        "## 1. ReLU function (and pReLU)",
        "### ReLU (relu)",
        "### pReLU (prelu)",
        "## 2. Sigmoid function",
        "## 3. Tanh function",
        "## 4. The other activations",
        "### GELU (gelu)",
      ];
      let at = -1;
      for (const heading of order) {
        const i = md.indexOf(heading);
        assert.ok(i > at, heading);
        at = i;
      }
    },
  );
  await t.step("a column per backend and a ULP table per op", () => {
    assert.match(
      md,
      /\| check \| broken-example \| example-reference \| unavailable-example \|/,
    );
    assert.match(
      md,
      /\| case \| quantity \| broken-example \| example-reference \|/,
    );
  });
  await t.step("waivers, checks and tolerances sections", () => {
    assert.match(md, /## Waivers/);
    assert.match(md, /## Checks/);
    assert.match(md, /### Profile `float32`/);
  });
});

Deno.test("formatUlp()", () => {
  assert.strictEqual(formatUlp(0), "0");
  assert.strictEqual(formatUlp(Infinity), "∞");
  assert.strictEqual(formatUlp(123456), "1.2e5");
  assert.strictEqual(formatUlp(undefined), "–");
});

Deno.test("formatValue()", () => {
  assert.strictEqual(formatValue(-0), "-0");
  assert.strictEqual(formatValue(NaN), "NaN");
  assert.strictEqual(formatValue(-Infinity), "-Infinity");
  assert.strictEqual(formatValue("Σ"), "Σ");
});

Deno.test("describeFinding()", () => {
  const r = report.results.find((r) =>
    r.backend === "broken-example" && r.check === "kink"
  )!;
  assert.match(
    describeFinding(r),
    /worst f' at x=0: got 1, want 0 \(the right-hand value is 1\)/,
  );
});
