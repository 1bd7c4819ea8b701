import assert from "node:assert";
import { BackendUnavailableError } from "./errors.ts";
import {
  findWebGpuAdapter,
  watchDeviceLoss,
  webGpuBackendType,
  webGpuIdentity,
} from "./webgpu.ts";

Deno.test("findWebGpuAdapter()", async (t) => {
  await t.step("without navigator.gpu", async () => {
    const found = await findWebGpuAdapter(undefined);
    assert.ok("reason" in found);
    assert.match(found.reason, /navigator\.gpu is undefined/);
  });

  await t.step("when no adapter is found", async () => {
    const gpu = {
      requestAdapter: () => Promise.resolve(null),
    } as unknown as GPU;
    const found = await findWebGpuAdapter(gpu);
    assert.ok("reason" in found);
    assert.match(found.reason, /found no WebGPU adapter/);
  });

  await t.step("when the request fails", async () => {
    const gpu = {
      requestAdapter: () => Promise.reject(new Error("driver crashed")),
    } as unknown as GPU;
    const found = await findWebGpuAdapter(gpu);
    assert.ok("reason" in found);
    assert.match(found.reason, /driver crashed/);
  });
});

Deno.test("findWebGpuAdapter() with a timeout", async (t) => {
  await t.step(
    "gives up on an adapter request that never answers",
    async () => {
      const gpu = {
        requestAdapter: () => new Promise(() => {}),
      } as unknown as GPU;
      const found = await findWebGpuAdapter(gpu, { timeoutMs: 5 });
      assert.ok("reason" in found);
      assert.match(found.reason, /did not answer in 5 ms/);
    },
  );
  await t.step("an answer within it is the answer", async () => {
    const gpu = {
      requestAdapter: () => Promise.resolve(null),
    } as unknown as GPU;
    const found = await findWebGpuAdapter(gpu, { timeoutMs: 10_000 });
    assert.ok("reason" in found);
    assert.match(found.reason, /found no WebGPU adapter/);
  });
});

Deno.test("webGpuIdentity()", () => {
  const info = {
    vendor: "nvidia",
    architecture: "hopper",
    device: "",
    description: "NVIDIA H200",
  } as GPUAdapterInfo;
  assert.deepStrictEqual(webGpuIdentity(info), {
    vendor: "nvidia",
    architecture: "hopper",
    device: "",
    description: "NVIDIA H200",
    isFallbackAdapter: false,
  });
  const fallback = { ...info, isFallbackAdapter: true } as GPUAdapterInfo;
  assert.strictEqual(webGpuIdentity(fallback).isFallbackAdapter, true);
});

Deno.test("webGpuBackendType()", async (t) => {
  const adapter = (maxBindingsPerBindGroup: number) =>
    ({ limits: { maxBindingsPerBindGroup } }) as unknown as GPUAdapter;
  await t.step("wgpu's GL adapter: no limit on bindings per group", () => {
    assert.strictEqual(
      webGpuBackendType(adapter(2 ** 32 - 1)).backendType,
      "gl",
    );
  });
  await t.step("otherwise the primary backend of the platform", () => {
    const expected = { linux: "vulkan", darwin: "metal", windows: "d3d12" }[
      Deno.build.os as string
    ] ?? "unknown";
    const found = webGpuBackendType(adapter(1000));
    assert.strictEqual(found.backendType, expected);
    assert.match(found.backendTypeSource, /primary backend/);
  });
});

Deno.test("watchDeviceLoss()", async (t) => {
  await t.step("says nothing while the device lives", () => {
    const device = { lost: new Promise(() => {}) } as unknown as GPUDevice;
    assert.strictEqual(watchDeviceLoss(device, "gpu").lost(), undefined);
  });
  await t.step("gives the reason and rejects once it is lost", async () => {
    const lost = Promise.resolve({
      reason: "unknown",
      message: "driver reset",
    });
    const watch = watchDeviceLoss({ lost } as unknown as GPUDevice, "gpu");
    await assert.rejects(
      watch.whenLost,
      (e: unknown) =>
        e instanceof BackendUnavailableError && e.backend === "gpu",
    );
    assert.strictEqual(
      watch.lost(),
      "the WebGPU device was lost (unknown): driver reset",
    );
  });
});
