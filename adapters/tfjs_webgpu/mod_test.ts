import assert from "node:assert";
import { type BackendModule, BackendUnavailableError } from "@nonlin/core";
import { fileURLToPath } from "node:url";

// On a machine with no WebGPU adapter the module still loads, unavailable;
// the steps that need a device then check exactly that instead.
const m: BackendModule = await import("@nonlin/tfjs-webgpu");

Deno.test("@nonlin/tfjs-webgpu", async (t) => {
  await t.step("is named tfjs-webgpu", () => {
    assert.strictEqual(m.backend.name, "tfjs-webgpu");
  });

  if (!m.backend.available) {
    await t.step("says why it cannot run, and every call throws that", () => {
      assert.match(m.backend.reason!, /WebGPU|webgpu|navigator\.gpu/);
      assert.throws(() => m.tensor([1]), BackendUnavailableError);
    });
    return;
  }

  await t.step("describes its adapter and limits", () => {
    const p = m.backend.capabilities.properties;
    assert.strictEqual(p.tfjsBackend, "webgpu");
    assert.strictEqual(p.cpuForward, false);
    for (const key of ["vendor", "architecture", "device", "description"]) {
      assert.strictEqual(typeof p[key], "string", key);
    }
    assert.strictEqual(typeof p.maxStorageBufferBindingSize, "number");
    assert.strictEqual(
      p.maxElements,
      Math.floor((p.maxStorageBufferBindingSize as number) / 4),
    );
  });

  await t.step(
    "refuses a tensor beyond maxStorageBufferBindingSize with a RangeError",
    async () => {
      const max = m.backend.capabilities.properties.maxElements as number;
      // Never touched, so the operating system gives it no memory.
      const big = new Float32Array(max + 1);
      const limit = /maxStorageBufferBindingSize/;
      assert.throws(
        () => m.tensor(big),
        (e: unknown) => e instanceof RangeError && limit.test(e.message),
      );
      await assert.rejects(
        m.gelu(big),
        (e: unknown) => e instanceof RangeError && limit.test(e.message),
      );
      await assert.rejects(m.vjp("gelu", big, { dy: big }), RangeError);
      await assert.rejects(m.derivative("gelu", big), RangeError);
    },
  );

  await t.step("computes a tensor of exactly maxElements right", async () => {
    const max = m.backend.capabilities.properties.maxElements as number;
    const x = new Float32Array(max);
    for (let i = 0; i < max; i += 4099) x[i] = (i % 7) - 3.5;
    const y = await m.relu(x);
    assert.strictEqual(y.length, max);
    for (let i = 0; i < max; i += 4099) {
      assert.strictEqual(y[i], Math.max(x[i]!, 0), `element ${i}`);
    }
    assert.strictEqual(y[max - 1], 0);
  });
});

Deno.test("@nonlin/tfjs-webgpu without an adapter", async (t) => {
  await t.step(
    "loads unavailable, and every call throws the reason",
    async () => {
      // Asking Deno's WebGPU for a graphics API this system lacks leaves
      // navigator.gpu with no adapter.
      const missing = Deno.build.os === "darwin" ? "dx12" : "metal";
      const root = fileURLToPath(new URL("../../", import.meta.url));
      const code = `
      const m = await import("@nonlin/tfjs-webgpu");
      const calls = [() => m.tensor([1]), () => m.relu([1]), () => m.vjp("relu", [1], { dy: [1] })];
      const errors = calls.map((call) => { try { call(); return "none"; } catch (e) { return e.name + ": " + e.reason; } });
      console.log(JSON.stringify({ available: m.backend.available, reason: m.backend.reason, errors }));
    `;
      const out = await new Deno.Command(Deno.execPath(), {
        args: ["eval", "--config", `${root}deno.json`, code],
        env: { DENO_WEBGPU_BACKEND: missing },
        stdout: "piped",
        stderr: "piped",
      }).output();
      assert.ok(out.success, new TextDecoder().decode(out.stderr));
      const { available, reason, errors } = JSON.parse(
        new TextDecoder().decode(out.stdout),
      );
      assert.strictEqual(available, false);
      assert.match(reason, /found no WebGPU adapter/);
      assert.deepStrictEqual(
        errors,
        errors.map(() => `BackendUnavailableError: ${reason}`),
      );
    },
  );
});
