import assert from "node:assert";
import type { BackendModule } from "@nonlin/core";
import { unsupported } from "@nonlin/tfjs-glue";

Deno.test("@nonlin/tfjs-cpu", async (t) => {
  // The annotation is the proof: the module's exports are the contract.
  const m: BackendModule = await import("@nonlin/tfjs-cpu");

  await t.step("is named tfjs-cpu", () => {
    assert.strictEqual(m.backend.name, "tfjs-cpu");
    assert.strictEqual(m.backend.available, true);
  });

  await t.step("describes its engine", () => {
    const p = m.backend.capabilities.properties;
    assert.strictEqual(p.tfjsBackend, "cpu");
    assert.strictEqual(p["tfjs-core"], "4.22.0");
    assert.deepStrictEqual(
      m.backend.capabilities.unsupported.map((u) => `${u.op} ${u.feature}`),
      unsupported.map((u) => `${u.op} ${u.feature}`),
    );
  });

  await t.step("computes with tfjs's cpu kernels", async () => {
    assert.deepStrictEqual(
      await m.relu([-1, 0, 2]),
      new Float32Array([0, 0, 2]),
    );
    const g = await m.vjp("leakyRelu", [-2, 3], {
      dy: [1, 1],
      params: { alpha: 0.5 },
    });
    assert.deepStrictEqual(g.dx, new Float32Array([0.5, 1]));
    assert.deepStrictEqual(g.dparams.alpha, new Float32Array([-2]));
  });
});
