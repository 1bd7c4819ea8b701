import assert from "node:assert";
import { type BackendModule, checkBackendModule, ops } from "@nonlin/core";
import { loadBackend } from "@nonlin/backends";
import { runConformance } from "@nonlin/conformance";
import * as example from "./reference_backend.ts";

// The compiler proves the example exports the whole contract.
const typed: BackendModule = example;

Deno.test("reference_backend", async (t) => {
  await t.step("implements the contract and loads by path", async () => {
    assert.strictEqual(checkBackendModule(example, "the example"), example);
    const loaded = await loadBackend("./examples/reference_backend.ts");
    assert.strictEqual(loaded.backend.name, "example-reference");
    assert.strictEqual(typed.backend.available, true);
  });

  await t.step("values are the float64 reference rounded once", async () => {
    const x = [-3, -0.5, 0, 0.5, 3];
    const got = await example.gelu(x, { approximate: "tanh" });
    assert.deepStrictEqual(
      got,
      Float32Array.from(
        x,
        (v) => ops.gelu.f(Math.fround(v), { approximate: "tanh" }),
      ),
    );
  });

  await t.step("the resident form chains without round trips", async () => {
    const t0 = example.tensor([-1, 0, 2], [3]);
    const t1 = example.sigmoid(example.relu(t0));
    assert.deepStrictEqual(t1.shape, [3]);
    assert.deepStrictEqual(
      await t1.read(),
      new Float32Array([0.5, 0.5, Math.fround(ops.sigmoid.f(2, {}))]),
    );
    t0.dispose();
    assert.ok(t0.disposed);
    assert.throws(() => example.relu(t0), TypeError);
  });

  await t.step(
    "prelu's α broadcasts per channel and its gradient is summed back",
    async () => {
      const x = example.tensor([-1, -2, 3, -4], [2, 2]);
      const alpha = example.tensor([0.5, 2], [2]);
      const g = example.vjp("prelu", x, {
        dy: example.tensor([1, 1, 1, 1], [2, 2]),
        params: { alpha },
      });
      assert.deepStrictEqual(
        await g.dx.read(),
        new Float32Array([0.5, 2, 1, 2]),
      );
      assert.deepStrictEqual(g.dparams.alpha.shape, [2]);
      assert.deepStrictEqual(
        await g.dparams.alpha.read(),
        new Float32Array([-1, -6]),
      );
    },
  );

  await t.step(
    "pinned conventions: kinks, NaN, infinities, the sign of zero",
    async () => {
      assert.deepStrictEqual(
        await example.derivative("relu", [0]),
        new Float32Array([0]),
      );
      assert.deepStrictEqual(
        await example.derivative("relu6", [6]),
        new Float32Array([1]),
      );
      assert.ok(Number.isNaN((await example.sigmoid([NaN]))[0]));
      assert.deepStrictEqual(
        await example.gelu([-Infinity]),
        new Float32Array([-0]),
      );
      assert.ok(Object.is((await example.tanh([-0]))[0], -0));
    },
  );

  await t.step("bad input is refused with a clear error", async () => {
    await assert.rejects(
      () => example.relu(new Float64Array(2) as unknown as number[]),
      TypeError,
    );
    await assert.rejects(
      () => example.vjp("relu", [1, 2], { dy: [1] }),
      RangeError,
    );
    await assert.rejects(
      () => example.prelu([1, 2, 3], { alpha: [1, 2] }),
      RangeError,
    );
    assert.throws(() => example.tensor([1, 2], [3]), RangeError);
    await assert.rejects(
      () => example.derivative("nope" as never, [1]),
      RangeError,
    );
    assert.throws(
      () => example.derivative("nope" as never, example.tensor([1])),
      RangeError,
    );
  });

  await t.step("passes the whole conformance suite", async () => {
    const report = await runConformance({
      backends: ["./examples/reference_backend.ts"],
      quick: true,
    });
    assert.ok(
      report.summary.ok,
      JSON.stringify(
        report.results.filter((r) => r.status !== "pass").slice(0, 3),
      ),
    );
  });
});
