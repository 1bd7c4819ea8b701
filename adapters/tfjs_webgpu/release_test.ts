// release(): the device tfjs computes on is destroyed and the backend says
// so. In its own file: it ends the device this module graph shares.

import assert from "node:assert";
import * as tf from "@tensorflow/tfjs";
import type { WebGPUBackend } from "@tensorflow/tfjs-backend-webgpu";
import { BackendUnavailableError } from "@nonlin/core";
import * as webgpu from "@nonlin/tfjs-webgpu";
import { needs, webgpuAdapter } from "../../_tools/requirements.ts";

const gpu = await needs(webgpuAdapter);

Deno.test({
  name: gpu.name("@nonlin/tfjs-webgpu release()"),
  ignore: gpu.ignore,
  async fn(t) {
    gpu.assertPresent();
    assert.ok(webgpu.backend.available, webgpu.backend.reason);
    const x = webgpu.tensor([-1, 2, 3]);
    const y = webgpu.gelu(x);
    const device = (tf.findBackend("webgpu") as WebGPUBackend).device;
    await webgpu.release();

    await t.step("the device is destroyed", async () => {
      const info = await device.lost;
      assert.strictEqual(info.reason, "destroyed");
    });
    await t.step("the backend says it was released", () => {
      assert.strictEqual(webgpu.backend.available, false);
      assert.match(webgpu.backend.reason ?? "", /release\(\) was called/);
    });
    await t.step("every call and read fails with the reason", async () => {
      assert.throws(() => webgpu.relu([1]), BackendUnavailableError);
      assert.throws(() => webgpu.sigmoid(x), BackendUnavailableError);
      await assert.rejects(y.read(), BackendUnavailableError);
    });
    await t.step("a second release does nothing", async () => {
      await webgpu.release();
      assert.strictEqual(webgpu.backend.available, false);
    });
  },
});
