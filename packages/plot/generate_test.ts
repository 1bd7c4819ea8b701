import assert from "node:assert";
import { loadBackend } from "@nonlin/backends";
import { DOMParser } from "linkedom";
import {
  checkFiguresOptions,
  type FiguresReport,
  selectVariants,
  writeFigures,
} from "./generate.ts";
import { figureVariants } from "./curves.ts";

const SKEWED = new URL("./testdata/skewed_backend.ts", import.meta.url).href;
const UNAVAILABLE =
  new URL("./testdata/unavailable_backend.ts", import.meta.url).href;
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

async function inTempDir(run: (out: string) => Promise<void>): Promise<void> {
  const out = await Deno.makeTempDir({ prefix: "nonlin_plot_" });
  try {
    await run(out);
  } finally {
    await Deno.remove(out, { recursive: true });
  }
}

Deno.test("writeFigures()", async (t) => {
  await t.step(
    "draws the native backend's own values, SVG and PNG",
    async () => {
      await inTempDir(async (out) => {
        const report = await writeFigures({
          out,
          backends: ["native"],
          ops: ["relu"],
        });
        assert.deepStrictEqual(report.backends, [{
          name: "native",
          status: "ran",
        }]);
        assert.deepStrictEqual(report.files, [
          "relu.native.svg",
          "relu.native.png",
          "relu.svg",
          "relu.png",
          "index.json",
        ]);
        const svg = await Deno.readTextFile(`${out}/relu.native.svg`);
        const doc = new DOMParser().parseFromString(svg, "image/svg+xml");
        const texts = [...doc.querySelectorAll("text")].map((e) =>
          e.textContent
        );
        for (
          const label of ["x", "relu(x)", "grad of relu", "ReLU on native"]
        ) {
          assert.ok(texts.includes(label), `no "${label}"`);
        }
        const png = await Deno.readFile(`${out}/relu.native.png`);
        assert.deepStrictEqual([...png.subarray(0, 8)], PNG_SIGNATURE);
        const result = report.variants[0]?.results[0];
        assert.strictEqual(result?.status, "ran");
        assert.strictEqual(result?.f?.exact, 160);
        assert.strictEqual(result?.grad?.exact, 160);
      });
    },
  );

  await t.step(
    "writes SVG and PNG per variant per backend, the comparison and index.json",
    async () => {
      await inTempDir(async (out) => {
        const report = await writeFigures({
          out,
          backends: [SKEWED, UNAVAILABLE],
          ops: ["relu"],
        });
        assert.deepStrictEqual(report.files, [
          "relu.skewed.svg",
          "relu.skewed.png",
          "relu.svg",
          "relu.png",
          "index.json",
        ]);
        const listed = [];
        for await (const entry of Deno.readDir(out)) listed.push(entry.name);
        assert.deepStrictEqual(listed.sort(), [...report.files].sort());
        const svg = await Deno.readTextFile(`${out}/relu.skewed.svg`);
        const doc = new DOMParser().parseFromString(svg, "image/svg+xml");
        const texts = [...doc.querySelectorAll("text")].map((e) =>
          e.textContent
        );
        assert.ok(
          texts.includes("relu(x)") && texts.includes("grad of relu") &&
            texts.includes("x"),
        );
        for (const png of ["relu.skewed.png", "relu.png"]) {
          const bytes = await Deno.readFile(`${out}/${png}`);
          assert.deepStrictEqual([...bytes.subarray(0, 8)], PNG_SIGNATURE);
        }
        const index: FiguresReport = JSON.parse(
          await Deno.readTextFile(`${out}/index.json`),
        );
        assert.deepStrictEqual(index, JSON.parse(JSON.stringify(report)));
      });
    },
  );

  await t.step("reports the differences the backend really has", async () => {
    await inTempDir(async (out) => {
      const report = await writeFigures({
        out,
        backends: [SKEWED],
        ops: ["relu", "tanh"],
        formats: ["svg"],
      });
      const [relu, tanh] = report.variants;
      assert.deepStrictEqual(relu?.results, [{
        backend: "skewed",
        status: "ran",
        f: { maxAbs: 2 ** -21, maxUlp: 1, exact: 121, mismatched: 0 },
        grad: { maxAbs: 0, maxUlp: 0, exact: 159, mismatched: 1 },
      }]);
      assert.deepStrictEqual(tanh?.results[0]?.f, {
        maxAbs: 0,
        maxUlp: 0,
        exact: 160,
        mismatched: 0,
      });
      assert.deepStrictEqual(report.grid, {
        start: -8,
        stop: 8,
        step: 0.1,
        size: 160,
      });
    });
  });

  await t.step(
    "names the ledger's known deviation where one covers a curve",
    async () => {
      await inTempDir(async (out) => {
        const report = await writeFigures({
          out,
          backends: ["native", "tfjs-cpu"],
          ops: ["hardSigmoid"],
          formats: ["svg"],
        });
        const [native, tfjs] = report.variants[0]!.results;
        assert.strictEqual(native?.known, undefined);
        // tfjs rounds relu6(x + 3) and then / 6: the ledger's twoRoundings.
        assert.strictEqual(tfjs?.known?.f?.label, "ULP");
        assert.match(tfjs.known.f.reason, /round/);
        const svg = await Deno.readTextFile(`${out}/hardSigmoid.tfjs-cpu.svg`);
        assert.match(svg, /a known deviation \(conformance ledger: ULP\)/);
        const own = await Deno.readTextFile(`${out}/hardSigmoid.native.svg`);
        assert.doesNotMatch(own, /known deviation/);
      });
    },
  );

  await t.step(
    "skips unavailable backends and unsupported ops with the reason",
    async () => {
      await inTempDir(async (out) => {
        const report = await writeFigures({
          out,
          backends: [SKEWED, UNAVAILABLE],
          ops: ["mish"],
          formats: ["svg"],
        });
        assert.deepStrictEqual(report.backends, [
          { name: "skewed", status: "ran" },
          {
            name: "unavailable",
            status: "skipped",
            reason: "needs hardware this machine lacks",
          },
        ]);
        const result = report.variants[0]?.results[0];
        assert.strictEqual(result?.status, "skipped");
        assert.match(result?.reason ?? "", /left out on purpose/);
        assert.deepStrictEqual(report.files, ["index.json"]);
      });
    },
  );

  await t.step(
    "reports a backend that fails, and goes on with the others",
    async () => {
      await inTempDir(async (out) => {
        const skewed = await loadBackend(SKEWED);
        const broken = {
          ...skewed,
          backend: { ...skewed.backend, name: "broken" },
          relu: () => Promise.reject(new Error("kernel exploded")),
        };
        const lines: string[] = [];
        const report = await writeFigures({
          out,
          backends: [broken as never, SKEWED, "./no_such_backend.ts"],
          ops: ["relu"],
          formats: ["svg"],
          log: (line) => lines.push(line),
        });
        assert.deepStrictEqual(report.backends.map((b) => [b.name, b.status]), [
          ["broken", "error"],
          ["skewed", "ran"],
          ["./no_such_backend.ts", "error"],
        ]);
        assert.deepStrictEqual(
          report.variants[0]?.results.map((r) => r.status),
          ["error", "ran"],
        );
        assert.deepStrictEqual(report.files, [
          "relu.skewed.svg",
          "relu.svg",
          "index.json",
        ]);
        assert.ok(lines.some((line) => line.includes("kernel exploded")));
      });
    },
  );

  await t.step("gives backends with the same name distinct files", async () => {
    await inTempDir(async (out) => {
      const report = await writeFigures({
        out,
        backends: [SKEWED, SKEWED],
        ops: ["relu"],
        formats: ["svg"],
      });
      assert.deepStrictEqual(report.files, [
        "relu.skewed.svg",
        "relu.skewed-2.svg",
        "relu.svg",
        "index.json",
      ]);
    });
  });

  await t.step("refuses bad options before writing anything", async () => {
    await inTempDir(async (out) => {
      const dir = `${out}/figures`;
      await assert.rejects(
        () => writeFigures({ out: dir, ops: ["nope"] }),
        RangeError,
      );
      await assert.rejects(
        () => writeFigures({ out: dir, formats: ["gif" as never] }),
        RangeError,
      );
      await assert.rejects(
        () => writeFigures({ out: dir, backends: ["cuda"] }),
        RangeError,
      );
      await assert.rejects(() => writeFigures({ out: "" }), TypeError);
      await assert.rejects(() => Deno.stat(dir), Deno.errors.NotFound);
    });
  });
});

Deno.test("selectVariants()", async (t) => {
  await t.step("selects by op name and by variant id, in catalog order", () => {
    assert.deepStrictEqual(selectVariants(["swish", "relu"]).map((v) => v.id), [
      "relu",
      "swish",
      "swish-beta-0.5",
      "swish-beta-10",
    ]);
    assert.deepStrictEqual(selectVariants(["swish-beta-10"]).map((v) => v.id), [
      "swish-beta-10",
    ]);
    assert.deepStrictEqual(
      selectVariants().map((v) => v.id),
      figureVariants().map((v) => v.id),
    );
  });

  await t.step("refuses unknown names and empty lists", () => {
    assert.throws(
      () => selectVariants(["Relu"]),
      /Unknown op "Relu": expected an op \(relu, /,
    );
    assert.throws(() => selectVariants([]), RangeError);
  });
});

Deno.test("checkFiguresOptions()", async (t) => {
  await t.step("accepts built-in names, module paths and URLs", () => {
    const { backends } = checkFiguresOptions({
      out: "x",
      backends: ["native", "./b.ts", "https://e.org/b.js"],
    });
    assert.strictEqual(backends.length, 3);
  });

  await t.step("refuses bad options", () => {
    assert.throws(
      () => checkFiguresOptions({ out: "x", backends: [] }),
      RangeError,
    );
    assert.throws(
      () => checkFiguresOptions({ out: "x", formats: [] }),
      RangeError,
    );
    assert.throws(() => checkFiguresOptions({ out: 3 as never }), TypeError);
  });
});
