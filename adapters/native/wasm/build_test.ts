import assert from "node:assert";
import { buildWasm } from "./build.ts";
import { buildKernelModule } from "./_module.ts";

Deno.test("buildWasm()", async (t) => {
  await t.step(
    "writes both modules, as the engine builds them, and their text",
    async () => {
      const dir = await Deno.makeTempDir();
      try {
        const files = await buildWasm(dir);
        assert.deepStrictEqual(
          files.map((f) => f.wasm),
          [`${dir}/kernels.wasm`, `${dir}/kernels-fma.wasm`],
        );
        for (const [i, f] of files.entries()) {
          const bytes = await Deno.readFile(f.wasm);
          assert.deepStrictEqual(
            bytes,
            buildKernelModule({ fma: i === 1 }).bytes,
          );
          assert.strictEqual(f.bytes, bytes.length);
          const text = await Deno.readTextFile(f.wat);
          assert.match(text, /\(export "sigmoid_forward"/);
          assert.strictEqual(text.includes("f64x2.relaxed_madd"), i === 1);
        }
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    },
  );
});
