import assert from "node:assert";
import { type BackendModule, opNames } from "@nonlin/core";
import { runScript } from "@nonlin/peer-glue";
import { threadsFromEnv } from "./_backend.ts";
import { buildModel } from "./_graphs.ts";
import { OPSET } from "./_ops.ts";

const here = (path: string) => new URL(path, import.meta.url);
/** Generous: startup under load; the point is that it ends at all. */
const EXIT_LIMIT_MS = 120_000;

Deno.test("@nonlin/ort-wasm", async (t) => {
  // The annotation is the proof: the module's exports are the contract.
  const m: BackendModule = await import("@nonlin/ort-wasm");
  const mt: BackendModule = await import("@nonlin/ort-wasm/mt");

  await t.step("names and describes its engine", () => {
    assert.strictEqual(m.backend.name, "ort-wasm");
    assert.strictEqual(m.backend.available, true, m.backend.reason);
    const p = m.backend.capabilities.properties;
    assert.strictEqual(p.onnxruntimeWeb, "1.30.0");
    assert.strictEqual(p.executionProvider, "wasm");
    assert.strictEqual(p.opset, OPSET);
    assert.strictEqual(p.threads, 1);
    assert.strictEqual(mt.backend.name, "ort-wasm-mt");
    assert.strictEqual(
      mt.backend.capabilities.properties.threads,
      Math.max(2, navigator.hardwareConcurrency),
    );
  });

  await t.step("declares the second derivative unsupported, only it", () => {
    const u = m.backend.capabilities.unsupported;
    assert.deepStrictEqual(
      u.map((e) => `${e.op} ${e.feature}`),
      opNames.map((op) => `${op} secondDerivative`),
    );
  });

  await t.step("gradients from derivative graphs", async () => {
    // Dyadic values: exact in float32.
    const g = await m.vjp("leakyRelu", [-2, 0, 3], {
      dy: [1, 2, 4],
      params: { alpha: 0.5 },
    });
    assert.deepStrictEqual(g.dx, new Float32Array([0.5, 1, 4]));
    assert.deepStrictEqual(g.dparams.alpha, new Float32Array([-2]));
    assert.deepStrictEqual(
      await m.derivative("relu", [-1, 0, 1, NaN]),
      new Float32Array([0, 0, 1, NaN]),
      "left-hand at the kink, NaN kept",
    );
  });

  await t.step("the global Worker stays the web Worker", () => {
    assert.strictEqual(globalThis.Worker.name, "Worker");
  });

  await t.step(
    "that check catches onnxruntime-web started in the main realm",
    async () => {
      const run = await runScript(
        here("./testdata/in_process.ts"),
        EXIT_LIMIT_MS,
      );
      assert.strictEqual(run.code, 0, run.stderr);
      const { before, after } = JSON.parse(run.stdout);
      assert.strictEqual(before, "Worker");
      assert.notStrictEqual(after, "Worker", "onnxruntime-web replaced it");
    },
  );

  await t.step("a process that used it exits by itself", async () => {
    const run = await runScript(here("./testdata/uses_ort.ts"), EXIT_LIMIT_MS);
    assert.ok(run.exited, `still running: ${run.stderr}`);
    assert.strictEqual(run.code, 0, run.stderr);
    assert.deepStrictEqual(JSON.parse(run.stdout), { worker: "Worker" });
  });
});

Deno.test("threadsFromEnv()", async (t) => {
  await t.step("reads a positive integer, or falls back", () => {
    Deno.env.delete("NONLIN_TEST_THREADS");
    assert.strictEqual(threadsFromEnv("NONLIN_TEST_THREADS", 3), 3);
    Deno.env.set("NONLIN_TEST_THREADS", "2");
    assert.strictEqual(threadsFromEnv("NONLIN_TEST_THREADS", 3), 2);
  });
  await t.step("refuses anything else with a RangeError", () => {
    for (const bad of ["0", "-1", "1.5", "two"]) {
      Deno.env.set("NONLIN_TEST_THREADS", bad);
      assert.throws(
        () => threadsFromEnv("NONLIN_TEST_THREADS", 1),
        RangeError,
      );
    }
    Deno.env.delete("NONLIN_TEST_THREADS");
  });
});

Deno.test("buildModel()", async (t) => {
  await t.step("one input per operand, one output per gradient", () => {
    const m = buildModel("prelu", "vjp", { alpha: { shape: [3] } }, 2);
    assert.deepStrictEqual(m.inputs, ["x", "dy", "alpha"]);
    assert.deepStrictEqual(m.outputs, ["dx", "d_alpha"]);
    assert.ok(m.bytes.length > 0);
    const f = buildModel("softplus", "forward", { beta: 2, threshold: 5 }, 1);
    assert.deepStrictEqual(f.inputs, ["x"]);
    assert.deepStrictEqual(f.outputs, ["y"]);
  });
});
