// The test steps every CPU-side tfjs adapter passes (tfjs_cpu/mod_test.ts,
// tfjs_wasm/mod_test.ts): its name, its description, and a value and a
// gradient computed by its tfjs backend.

import assert from "node:assert";
import type { BackendModule } from "@nonlin/core";
import { unsupported } from "@nonlin/tfjs-glue";

/**
 * Runs the shared steps on adapter `m`.
 *
 * @param t The test.
 * @param m The adapter module.
 * @param tfjsBackend tfjs's name for its backend (`"cpu"`, `"wasm"`).
 */
export async function adapterSteps(
  t: Deno.TestContext,
  m: BackendModule,
  tfjsBackend: string,
): Promise<void> {
  const name = `tfjs-${tfjsBackend}`;

  await t.step(`is named ${name}`, () => {
    assert.strictEqual(m.backend.name, name);
    assert.strictEqual(m.backend.available, true);
  });

  await t.step("describes its engine", () => {
    const p = m.backend.capabilities.properties;
    assert.strictEqual(p.tfjsBackend, tfjsBackend);
    assert.strictEqual(p["tfjs-core"], "4.22.0");
    assert.deepStrictEqual(
      m.backend.capabilities.unsupported.map((u) => `${u.op} ${u.feature}`),
      unsupported.map((u) => `${u.op} ${u.feature}`),
    );
  });

  await t.step(`computes with tfjs's ${tfjsBackend} kernels`, async () => {
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
}
