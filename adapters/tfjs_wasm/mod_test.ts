import assert from "node:assert";
import type { BackendModule } from "@nonlin/core";
import { unsupported } from "@nonlin/tfjs-glue";
import * as tf from "@tensorflow/tfjs";
import { getThreadsCount } from "@tensorflow/tfjs-backend-wasm";
import { fileURLToPath } from "node:url";

Deno.test("@nonlin/tfjs-wasm", async (t) => {
  // The annotation is the proof: the module's exports are the contract.
  const m: BackendModule = await import("@nonlin/tfjs-wasm");

  await t.step("is named tfjs-wasm", () => {
    assert.strictEqual(m.backend.name, "tfjs-wasm");
    assert.strictEqual(m.backend.available, true);
  });

  await t.step("describes its engine", () => {
    const p = m.backend.capabilities.properties;
    assert.strictEqual(p.tfjsBackend, "wasm");
    assert.strictEqual(p["tfjs-core"], "4.22.0");
    assert.deepStrictEqual(
      m.backend.capabilities.unsupported.map((u) => `${u.op} ${u.feature}`),
      unsupported.map((u) => `${u.op} ${u.feature}`),
    );
  });

  await t.step("computes with tfjs's wasm kernels", async () => {
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

  await t.step(
    "says truly which binary runs, with SIMD and threads",
    async () => {
      const p = m.backend.capabilities.properties;
      const simd = await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT");
      const threads = await tf.env().getAsync("WASM_HAS_MULTITHREAD_SUPPORT");
      assert.strictEqual(p.simd, simd);
      // V8 validates WebAssembly SIMD, so the SIMD build is the one in use.
      assert.strictEqual(p.simd, true);
      assert.strictEqual(
        p.binary,
        threads
          ? "tfjs-backend-wasm-threaded-simd.wasm"
          : "tfjs-backend-wasm-simd.wasm",
      );
      // tfjs disables its threaded build under Node-compatible runtimes.
      assert.strictEqual(tf.env().get("IS_NODE"), true);
      assert.strictEqual(threads, false);
      assert.strictEqual(p.threads, false);
      assert.strictEqual(p.threadsCount, getThreadsCount());
      assert.ok((await Deno.stat(`${p.wasmFolder}${p.binary}`)).isFile);
    },
  );

  await t.step(
    "loads its binary from disk, from any working directory, without the network",
    async () => {
      const root = fileURLToPath(new URL("../../", import.meta.url));
      const cwd = await Deno.makeTempDir();
      try {
        await Deno.writeTextFile(
          `${cwd}/main.ts`,
          'const m = await import("@nonlin/tfjs-wasm");\n' +
            "console.log(JSON.stringify([m.backend.available, Array.from(await m.relu([-1, 2]))]));\n",
        );
        const out = await new Deno.Command(Deno.execPath(), {
          args: [
            "run",
            "--config",
            `${root}deno.json`,
            "--allow-read",
            "--allow-env",
            "--deny-net",
            "main.ts",
          ],
          cwd,
          stdout: "piped",
          stderr: "piped",
        }).output();
        assert.ok(out.success, new TextDecoder().decode(out.stderr));
        assert.strictEqual(
          new TextDecoder().decode(out.stdout).trim(),
          "[true,[0,2]]",
        );
      } finally {
        await Deno.remove(cwd, { recursive: true });
      }
    },
  );
});
