import assert from "node:assert";
import { loadBackend } from "@nonlin/backends";
import { DOMParser } from "linkedom";
import {
  arange,
  backendCurves,
  difference,
  figureVariants,
  referenceCurves,
  type Variant,
} from "./curves.ts";
import {
  axisLabels,
  backendFigure,
  type BackendResult,
  comparisonFigure,
  summarise,
} from "./figures.ts";

const SKEWED = new URL("./testdata/skewed_backend.ts", import.meta.url).href;
const x = arange(-8, 8, 0.1);

function variant(id: string): Variant {
  const found = figureVariants().find((v) => v.id === id);
  if (found === undefined) throw new Error(`no variant ${id}`);
  return found;
}

async function skewedResult(v: Variant): Promise<BackendResult> {
  const curves = await backendCurves(await loadBackend(SKEWED), v, x);
  const ref = referenceCurves(v, x);
  return {
    name: "skewed",
    curves,
    f: difference(curves.y, ref.y),
    grad: difference(curves.dy, ref.dy),
  };
}

/** The rendered document's text elements and the number of each element. */
function inspect(
  svg: string,
): { texts: string[]; count: (tag: string) => number } {
  const doc = new DOMParser().parseFromString(svg, "image/svg+xml");
  assert.strictEqual(doc.documentElement?.localName, "svg");
  const texts = [...doc.querySelectorAll("text")].map((e) =>
    e.textContent ?? ""
  );
  return { texts, count: (tag) => doc.querySelectorAll(tag).length };
}

Deno.test("axisLabels()", async (t) => {
  await t.step("follows the book", () => {
    assert.deepStrictEqual(axisLabels(variant("relu")), {
      f: "relu(x)",
      grad: "grad of relu",
    });
    assert.deepStrictEqual(axisLabels(variant("swish-beta-10")), {
      f: "swish(x)",
      grad: "grad of swish",
    });
  });
});

Deno.test("summarise()", async (t) => {
  await t.step("says exact, the largest difference, and mismatches", () => {
    assert.strictEqual(
      summarise(difference(new Float32Array([1, 2]), new Float32Array([1, 2]))),
      "exact at all 2 points",
    );
    assert.strictEqual(
      summarise(
        difference(
          new Float32Array([1, 2]),
          new Float32Array([1, Math.fround(2 + 2 ** -22)]),
        ),
      ),
      "max |Δ| 2.4e-7 (1 ulp), 1/2 exact",
    );
    assert.strictEqual(
      summarise(
        difference(new Float32Array([NaN, 2]), new Float32Array([1, 2])),
      ),
      "1/2 exact, 1 NaN/∞ mismatch",
    );
  });
});

Deno.test("backendFigure()", async (t) => {
  await t.step(
    "draws f and f' with the book's axis labels and the backend's name",
    async () => {
      const result = await skewedResult(variant("relu"));
      const { texts } = inspect(backendFigure(variant("relu"), result));
      for (const label of ["x", "relu(x)", "grad of relu", "ReLU on skewed"]) {
        assert.ok(texts.includes(label), `no "${label}" in ${texts.join("|")}`);
      }
      assert.ok(
        texts.includes("relu(x): max |Δ| 4.8e-7 (1 ulp), 121/160 exact"),
      );
      assert.ok(
        texts.includes("grad of relu: 159/160 exact, 1 NaN/∞ mismatch"),
      );
      assert.ok(texts.includes(
        "|Δ| from the float64 reference rounded to float32, on 160 float32 points from −8 to 7.9",
      ));
    },
  );

  await t.step("names the parameters of a variant", async () => {
    const v = variant("swish-beta-0.5");
    const { texts } = inspect(backendFigure(v, await skewedResult(v)));
    assert.ok(texts.includes("Swish (β = 0.5) on skewed"));
    assert.ok(texts.includes("swish(x)"));
  });

  await t.step("draws the backend's values, not the reference's", async () => {
    const v = variant("relu");
    const result = await skewedResult(v);
    const flat = {
      ...result,
      curves: { ...result.curves, y: new Float32Array(160) },
    };
    assert.notStrictEqual(backendFigure(v, flat), backendFigure(v, result));
  });
});

Deno.test("comparisonFigure()", async (t) => {
  const v = variant("relu");
  const result = await skewedResult(v);
  const reference = referenceCurves(v, x);

  await t.step(
    "overlays the backends and the reference, with labels and legend",
    () => {
      const { texts } = inspect(
        comparisonFigure(v, reference, [result, { ...result, name: "other" }]),
      );
      for (
        const label of [
          "relu(x)",
          "grad of relu",
          "x",
          "|backend − reference|",
          "skewed",
          "other",
        ]
      ) {
        assert.ok(texts.includes(label), `no "${label}"`);
      }
      assert.ok(texts.includes("reference (float64 → float32)"));
    },
  );

  await t.step(
    "draws every point of the differences: exact on the floor, mismatches on the ceiling",
    () => {
      const { texts, count } = inspect(
        comparisonFigure(v, reference, [result]),
      );
      // 160 f points: 121 exact, 39 one ulp off; 160 grad points: 159 exact, 1 NaN.
      assert.strictEqual(count("circle"), 121 + 39 + 159);
      assert.ok(texts.includes("max |Δ| 4.8e-7 (1 ulp), 121/160 exact"));
      assert.ok(texts.includes("159/160 exact, 1 NaN/∞ mismatch"));
      assert.ok(
        texts.some((s) => s.startsWith("exact (Δ = 0), drawn at 1.0e-8")),
      );
      assert.ok(texts.includes("NaN/∞ mismatch"));
    },
  );

  await t.step("has no ceiling line when nothing mismatches", async () => {
    const tanh = variant("tanh");
    const exact = await skewedResult(tanh);
    const { texts, count } = inspect(
      comparisonFigure(tanh, referenceCurves(tanh, x), [exact]),
    );
    assert.ok(!texts.includes("NaN/∞ mismatch"));
    assert.strictEqual(count("circle"), 320);
    assert.ok(texts.includes("exact at all 160 points"));
  });

  await t.step("refuses an empty list of results", () => {
    assert.throws(() => comparisonFigure(v, reference, []), RangeError);
  });
});
