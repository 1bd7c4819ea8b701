import assert from "node:assert";
import type { CellResult } from "@nonlin/bench";
import { opOrder } from "./device_bench.ts";
import {
  deviceReport,
  gpuTargets,
  readBenchLines,
  readConformance,
  readScaling,
  scalingTable,
} from "./device_report.ts";

// The files of `device_run.sh run` end to end on llvmpipe, from a fresh
// clone with the carried Deno (see its README.md).
const RUN = new URL("./llvmpipe_devrun_2026-12-05/", import.meta.url);
const SIZES = { small: 2 ** 10, large: [2 ** 12, 2 ** 14] };

function text(name: string): string {
  return Deno.readTextFileSync(new URL(name, RUN));
}

Deno.test("deviceReport()", async (t) => {
  const report = await deviceReport(RUN.pathname, SIZES);

  await t.step("every op and mode has a row with all three sizes", () => {
    for (const op of opOrder()) {
      for (const mode of ["forward", "vjp"]) {
        const row = report.split("\n").find((l) =>
          l.startsWith(`| ${op} | ${mode} | `)
        );
        assert.ok(row, `${op} ${mode}`);
        // Three sizes measured on both backends, then three verdicts.
        assert.strictEqual(row.match(/ \/ /g)?.length, 3, row);
        assert.ok(!row.includes("not run"), row);
      }
    }
    assert.match(
      report,
      /Of 48 op\/mode rows: floor \d+ met, \d+ missed, 0 not measured/,
    );
  });

  await t.step("the scaling curve and the native backend's threads", () => {
    assert.match(
      report,
      /\| gelu \| forward \| 2\^18 \| [\d.]+ ms \(1\.00×\) \| [\d.]+ ms \([\d.]+×\) \|/,
    );
    assert.match(
      report,
      /Target \(gelu, sigmoid, tanh, forward and VJP, 2 threads ≥ 8× one\): 0 met, 6 missed/,
    );
    assert.match(report, /NONLIN_NATIVE_THREADS unset \(threads: 2\)/);
  });

  await t.step("both conformance runs, with and without profiles", () => {
    assert.match(
      report,
      /\| native-webgpu \| llvmpipe [^|]+\| llvmpipe-vulkan \| 45 \| 0 \|/,
    );
    assert.match(
      report,
      /\| tfjs-webgpu \| llvmpipe [^|]+\| none \| 22 \| 3 \|/,
    );
    assert.match(report, /Failing lines \(6\)/);
  });

  await t.step("repeats and unchecked cells are said", () => {
    // 2 sizes × 96 cells, less relu forward and leakyRelu VJP on 2 backends.
    assert.match(report, /184 of these cells were timed without reading/);
    assert.match(report, /Measured twice/);
  });

  await t.step("the committed report is this tool's output", () => {
    // The first line names the folder as it was given.
    const body = (s: string) => s.slice(s.indexOf("\n"));
    assert.strictEqual(body(report), body(text("report.md")));
  });
});

Deno.test("readBenchLines()", async (t) => {
  const lines = text("bench.jsonl").split("\n");

  await t.step("reads every pass and result of the run", () => {
    const b = readBenchLines(lines.join("\n"));
    assert.deepStrictEqual(
      b.passes.map((p) => [p.pass, p.finished]),
      [
        ["bench-2^10", true],
        ["sweep-2^12", true],
        ["sweep-2^14", true],
        ["native-2^18", true],
        ["bench-2^12", true],
      ],
    );
    assert.strictEqual(b.truncated, false);
    assert.strictEqual(b.results.length, 4 * 96 + 6);
  });

  await t.step("a last line cut off mid-write is skipped and flagged", () => {
    const cut = lines.slice(0, 10).join("\n") + "\n" + lines[10]!.slice(0, 50);
    const b = readBenchLines(cut);
    assert.strictEqual(b.truncated, true);
    assert.strictEqual(b.passes[0]!.finished, false);
  });

  await t.step("a corrupt line before the last is an error", () => {
    const bad = [...lines];
    bad[5] = bad[5]!.slice(0, 40);
    assert.throws(() => readBenchLines(bad.join("\n")), {
      name: "SyntaxError",
      message: /bench\.jsonl line 6/,
    });
  });

  await t.step("a result without its backend is an error", () => {
    const i = lines.findIndex((l) => l.includes('"kind":"group"'));
    const bad = [...lines];
    bad[i] = bad[i]!.replaceAll('"backend":"native-webgpu",', "");
    assert.throws(() => readBenchLines(bad.join("\n")), {
      name: "TypeError",
      message: new RegExp(`line ${i + 1}: a result without backend`),
    });
  });

  await t.step("an unknown kind of line is an error", () => {
    assert.throws(
      () => readBenchLines('{"pass":"p","kind":"cell"}\n{"pass":"p"}'),
      { name: "TypeError", message: /unknown kind "cell"/ },
    );
  });
});

Deno.test("readScaling()", async (t) => {
  const cells = JSON.parse(text("scaling.json")) as Record<string, unknown>[];

  await t.step("reads the run's cells", () => {
    assert.strictEqual(readScaling(cells).length, 16);
    assert.match(
      scalingTable(readScaling(cells)),
      /\| relu \| vjp \| 2\^18 \|.*\(reference\) \|/,
    );
  });

  await t.step("a row without its one-thread baseline is an error", () => {
    const bad = cells.filter((c) => !(c.op === "tanh" && c.threads === 1));
    assert.throws(() => readScaling(bad), {
      name: "RangeError",
      message: /tanh forward at 262144 has no one-thread cell/,
    });
  });

  await t.step("a time that is not a positive number is an error", () => {
    const bad = cells.map((c, i) => i === 3 ? { ...c, medianMs: "1.2" } : c);
    assert.throws(() => readScaling(bad), {
      name: "TypeError",
      message: /cell 3/,
    });
    assert.throws(() => readScaling({}), { name: "TypeError" });
  });
});

Deno.test("readConformance()", () => {
  assert.ok(readConformance(JSON.parse(text("conformance.json")), "c"));
  assert.throws(
    () => readConformance(JSON.parse(text("scaling.json")), "scaling.json"),
    { name: "TypeError", message: /scaling\.json: not a conformance report/ },
  );
});

Deno.test("gpuTargets()", async (t) => {
  const cell = (
    backend: string,
    mode: "forward" | "vjp",
    size: number,
    medianMs: number,
    ratioToFloor?: number,
  ): CellResult => ({
    backend,
    op: "gelu",
    mode,
    size,
    params: {},
    status: "ok",
    resident: {
      status: "ok",
      medianMs,
      minMs: medianMs,
      maxMs: medianMs,
      reps: 5,
      batch: 1,
      samplesMs: [],
      melemPerS: 1,
      gbPerS: 1,
      ...(ratioToFloor === undefined ? {} : { ratioToFloor }),
    },
  });
  const sizes = { small: 16, large: [64, 256] };

  await t.step("1.3× the floor is met, 1.31× is missed", () => {
    const [row] = gpuTargets([
      cell("native-webgpu", "forward", 64, 1, 1.3),
      cell("native-webgpu", "forward", 256, 1, 1.31),
    ], sizes);
    assert.strictEqual(row!.floor.state, "missed");
    assert.strictEqual(row!.floor.detail, "2^6: 1.30×; 2^8: 1.31×");
  });

  await t.step("a VJP needs 3× tfjs-webgpu's speed, a forward 1×", () => {
    const rows = gpuTargets([
      cell("native-webgpu", "vjp", 64, 1, 1),
      cell("tfjs-webgpu", "vjp", 64, 3),
      cell("native-webgpu", "vjp", 256, 1, 1),
      cell("tfjs-webgpu", "vjp", 256, 2.9),
      cell("native-webgpu", "forward", 64, 1, 1),
      cell("tfjs-webgpu", "forward", 64, 1),
      cell("native-webgpu", "forward", 256, 1, 1),
      cell("tfjs-webgpu", "forward", 256, 1),
    ], sizes);
    const vjp = rows.find((r) => r.mode === "vjp")!;
    const forward = rows.find((r) => r.mode === "forward")!;
    assert.strictEqual(vjp.speedup.state, "missed");
    assert.strictEqual(forward.speedup.state, "met");
    assert.strictEqual(forward.floor.state, "met");
  });

  await t.step("a size not run leaves the target open", () => {
    const [row] = gpuTargets([
      cell("native-webgpu", "forward", 64, 1, 1),
      cell("native-webgpu", "forward", 16, 2),
      cell("tfjs-webgpu", "forward", 16, 1),
    ], sizes);
    assert.strictEqual(row!.floor.state, "not measured");
    assert.strictEqual(row!.small.state, "missed");
  });

  await t.step("the first measurement of a cell counts", () => {
    const [row] = gpuTargets([
      cell("native-webgpu", "forward", 64, 1, 1.1),
      cell("native-webgpu", "forward", 64, 9, 9),
    ], { small: 16, large: [64] });
    assert.strictEqual(row!.floor.state, "met");
  });
});
