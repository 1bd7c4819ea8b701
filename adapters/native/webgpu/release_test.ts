// release(): the device is destroyed, every buffer with it, and the backend
// says so. In its own file: it ends the device this module graph shares.

import assert from "node:assert";
import { BackendUnavailableError } from "@nonlin/core";
import * as gpu from "@nonlin/native/webgpu";
import { needs, webgpuAdapter } from "../../../_tools/requirements.ts";
import { startGpu } from "./_device.ts";

const adapter = await needs(webgpuAdapter);

Deno.test({
  name: adapter.name("native-webgpu release()"),
  ignore: adapter.ignore,
  async fn(t) {
    adapter.assertPresent();
    assert.ok(gpu.backend.available, gpu.backend.reason);

    await t.step(
      "the device itself is destroyed, not only marked",
      async () => {
        const started = await startGpu(navigator.gpu);
        assert.ok("gpu" in started, "reason" in started ? started.reason : "");
        const own = started.gpu;
        own.createBuffer({ size: 16, usage: GPUBufferUsage.STORAGE });
        assert.strictEqual(own.liveBuffers(), 1);
        await own.release();
        const info = await own.device.lost;
        assert.strictEqual(info.reason, "destroyed");
        assert.strictEqual(own.liveBuffers(), 0);
        assert.match(own.lost() ?? "", /release\(\) was called/);
      },
    );

    const x = gpu.tensor([-1, 2, 3]);
    const y = gpu.gelu(x);
    assert.ok(gpu.liveBuffers() > 0);
    await gpu.release();

    await t.step("the backend says it was released", () => {
      assert.strictEqual(gpu.backend.available, false);
      assert.match(gpu.backend.reason ?? "", /release\(\) was called/);
      assert.strictEqual(gpu.liveBuffers(), 0);
    });
    await t.step("every call and read fails with the reason", async () => {
      await assert.rejects(gpu.relu([1]), BackendUnavailableError);
      assert.throws(() => gpu.tensor([1]), BackendUnavailableError);
      assert.throws(() => gpu.sigmoid(x), BackendUnavailableError);
      await assert.rejects(y.read(), BackendUnavailableError);
    });
    await t.step(
      "disposing afterwards and a second release do nothing",
      async () => {
        x.dispose();
        y.dispose();
        assert.strictEqual(gpu.liveBuffers(), 0);
        await gpu.release();
      },
    );
  },
});
