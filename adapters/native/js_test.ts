import assert from "node:assert";
import { checkBackendModule, opNames, ops } from "@nonlin/core";
import * as js from "./js.ts";
import * as native from "./mod.ts";
import { jsKernels } from "./_js_kernels.ts";
import { activeKernels, useKernels } from "./_engine.ts";

Deno.test("@nonlin/native/js", async (t) => {
  await t.step("implements the contract, by name native-js", () => {
    assert.strictEqual(checkBackendModule(js, "native-js"), js);
    assert.strictEqual(js.backend.name, "native-js");
    for (const name of opNames) assert.strictEqual(typeof js[name], "function");
    const p = js.backend.capabilities.properties;
    assert.strictEqual(p.kernels, "js");
    assert.strictEqual(p.simd, false);
    assert.strictEqual(p.storage, "Float32Array, row-major");
  });

  await t.step(
    "the JavaScript kernels' results, whatever native runs",
    async () => {
      const x = Float32Array.from({ length: 257 }, (_, i) => (i - 128) / 16);
      const before = activeKernels();
      useKernels(jsKernels);
      try {
        for (const name of opNames) {
          const params = ops[name].example;
          const want = await (native[name] as (
            x: Float32Array,
            p?: unknown,
          ) => Promise<Float32Array>)(x, params);
          const got = await (js[name] as (
            x: Float32Array,
            p?: unknown,
          ) => Promise<Float32Array>)(x, params);
          assert.deepStrictEqual(got, want, name);
        }
      } finally {
        useKernels(before);
      }
    },
  );

  await t.step("its tensors are its own", async () => {
    const x = js.tensor([-1, 2]);
    assert.strictEqual(x.backend, "native-js");
    const y = js.relu(x);
    assert.strictEqual(y.backend, "native-js");
    assert.deepStrictEqual(await y.read(), new Float32Array([0, 2]));
    assert.throws(() => native.relu(x), /belongs to "native-js", not "native"/);
    assert.throws(() => js.relu(native.tensor([1])), /belongs to "native"/);
    const g = js.vjp("swish", x, { dy: js.tensor([1, 1]) });
    assert.strictEqual(g.dparams.beta.backend, "native-js");
  });
});
