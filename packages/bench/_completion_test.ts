import assert from "node:assert";
import { loadBackend } from "@nonlin/backends";
import { completionFor } from "./_completion.ts";

const fixture =
  new URL("./testdata/reference_backend.ts", import.meta.url).href;

Deno.test("completionFor()", async (t) => {
  await t.step("the CPU built-ins run synchronously", async () => {
    const native = await loadBackend("native");
    assert.strictEqual((await completionFor(native)).method, "synchronous");
  });
  await t.step(
    "an unknown backend is read back, which the contract guarantees",
    async () => {
      const module = await loadBackend(fixture);
      const c = await completionFor(module);
      assert.strictEqual(c.method, "read");
      const x = module.tensor(new Float32Array([1, -1]));
      const y = module.relu(x);
      await c.wait([y]);
      assert.deepStrictEqual(await y.read(), new Float32Array([1, 0]));
    },
  );
  await t.step(
    "tfjs-webgpu: the GPU queue where there is an adapter",
    async () => {
      const webgpu = await loadBackend("tfjs-webgpu");
      if (!webgpu.backend.available) {
        // Nothing to wait for without a GPU: the bench reports the backend as
        // skipped with this reason instead.
        assert.ok((webgpu.backend.reason ?? "").length > 0);
        return;
      }
      const c = await completionFor(webgpu);
      assert.strictEqual(c.method, "gpu-queue");
      const x = webgpu.tensor(new Float32Array(4096).fill(-1));
      const y = webgpu.relu(x);
      await c.wait([]);
      assert.deepStrictEqual(await y.read(), new Float32Array(4096));
      y.dispose();
      x.dispose();
    },
  );
});
