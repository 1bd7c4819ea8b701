import assert from "node:assert";
import type { BackendModule } from "@nonlin/core";
import * as tf from "@tensorflow/tfjs";
import { getThreadsCount } from "@tensorflow/tfjs-backend-wasm";
import { fileURLToPath } from "node:url";
import { adapterSteps } from "../_tfjs/testdata/adapter_steps.ts";

Deno.test("@nonlin/tfjs-wasm", async (t) => {
  // The annotation is the proof: the module's exports are the contract.
  const m: BackendModule = await import("@nonlin/tfjs-wasm");

  await adapterSteps(t, m, "wasm");

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
