import assert from "node:assert";
import { machineFacts } from "./machine.ts";

Deno.test("machineFacts()", async (t) => {
  await t.step("CPU, memory, versions and WebAssembly features", async () => {
    const m = await machineFacts({ gpu: false });
    assert.ok(m.cpu.logicalCores >= 1);
    assert.strictEqual(typeof m.cpu.model, "string");
    assert.ok(Array.isArray(m.cpu.simd));
    assert.deepStrictEqual(m.versions, {
      deno: Deno.version.deno,
      v8: Deno.version.v8,
      typescript: Deno.version.typescript,
    });
    assert.strictEqual(
      m.wasm.simd,
      true,
      "V8 has had WebAssembly SIMD since 9.1",
    );
    assert.strictEqual(typeof m.wasm.threads, "boolean");
    assert.deepStrictEqual(m.gpu, { available: false, reason: "not queried" });
  });
  await t.step("tfjs's version when asked", async () => {
    const m = await machineFacts({ gpu: false, tfjs: true });
    assert.match(m.versions.tfjs!, /^\d+\.\d+\.\d+$/);
  });
  await t.step("the GPU adapter, or why there is none", async () => {
    const m = await machineFacts();
    if (m.gpu.available) {
      assert.strictEqual(typeof m.gpu.description, "string");
      assert.ok(m.gpu.maxBufferSize! > 0);
    } else {
      assert.match(m.gpu.reason!, /navigator\.gpu|requestAdapter/);
    }
  });
});
