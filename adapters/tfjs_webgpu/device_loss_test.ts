// A lost device makes the backend unavailable and fails reads in flight
// instead of leaving them waiting. In its own file: it destroys the device
// this module graph shares.

import assert from "node:assert";
import * as tf from "@tensorflow/tfjs";
import type { WebGPUBackend } from "@tensorflow/tfjs-backend-webgpu";
import { BackendUnavailableError } from "@nonlin/core";
import * as webgpu from "@nonlin/tfjs-webgpu";
import { needs, webgpuAdapter } from "../../_tools/requirements.ts";

// Needs a device to lose: ignored, with the reason and the apt line, where
// there is no WebGPU adapter and NONLIN_REQUIRE_WEBGPU does not ask for one.
const gpu = await needs(webgpuAdapter);

Deno.test({
  name: gpu.name("@nonlin/tfjs-webgpu after device loss"),
  ignore: gpu.ignore,
  async fn(t) {
    gpu.assertPresent();
    assert.ok(webgpu.backend.available, webgpu.backend.reason);
    const x = webgpu.tensor([-1, 2, 3]);
    const y = webgpu.gelu(x);
    const device = (tf.findBackend("webgpu") as WebGPUBackend).device;
    const pending = webgpu.mish([1, 2, 3]).catch((error: unknown) => error);
    device.destroy();
    await device.lost;

    await t.step("reads fail instead of hanging", async () => {
      await assert.rejects(y.read(), BackendUnavailableError);
      const result = await pending;
      // The read either finished before the loss or failed with it.
      assert.ok(
        result instanceof Float32Array ||
          result instanceof BackendUnavailableError,
        String(result),
      );
    });

    await t.step("the backend says so, and every call throws it", () => {
      assert.strictEqual(webgpu.backend.available, false);
      assert.match(
        webgpu.backend.reason!,
        /WebGPU device was lost \(destroyed\)/,
      );
      assert.throws(() => webgpu.relu(x), BackendUnavailableError);
      assert.throws(() => webgpu.tensor([1]), BackendUnavailableError);
      assert.throws(
        () => webgpu.vjp("relu", [1], { dy: [1] }),
        BackendUnavailableError,
      );
    });
  },
});
