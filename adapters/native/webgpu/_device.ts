// The WebGPU device of the native engine's GPU kernels: finding an adapter,
// probing its arithmetic, watching for loss, and counting the buffers it
// holds (so a test can prove nothing leaks).

import {
  findWebGpuAdapter,
  watchDeviceLoss,
  webGpuBackendType,
  webGpuIdentity,
} from "@nonlin/core/webgpu";
import { probeShader } from "./_shaders.ts";

/** The backend's name. */
export const NAME = "native-webgpu";

/** A started device and what was learnt about it. */
export interface Gpu {
  readonly device: GPUDevice;
  /** Whether `fma` is fused (probed): the error-free product uses it. */
  readonly fmaFused: boolean;
  /** The adapter's identity and limits, for the capabilities. */
  readonly properties: Readonly<Record<string, string | number | boolean>>;
  /** The reason once the device is lost, else undefined. */
  lost(): string | undefined;
  /** Rejects with a BackendUnavailableError when the device is lost. */
  readonly whenLost: Promise<never>;
  /** Buffers created and not yet destroyed. */
  liveBuffers(): number;
  /** `device.createBuffer`, counted. */
  createBuffer(descriptor: GPUBufferDescriptor): GPUBuffer;
  /** `buffer.destroy()`, counted. */
  destroyBuffer(buffer: GPUBuffer): void;
  /**
   * Destroys the device, and with it every buffer; resolves once the device
   * is lost. `lost()` then says it was released.
   */
  release(): Promise<void>;
}

/** Why there is no device, or the device. */
export type GpuResult = { readonly reason: string } | { readonly gpu: Gpu };

/**
 * Requests an adapter and a device with the adapter's largest storage
 * limits, and probes whether its `fma` is fused.
 *
 * @param gpu `navigator.gpu`, or a stand-in.
 */
export async function startGpu(gpu: GPU | undefined): Promise<GpuResult> {
  const found = await findWebGpuAdapter(gpu);
  if ("reason" in found) return found;
  const { adapter } = found;
  let device: GPUDevice;
  try {
    device = await adapter.requestDevice({
      requiredLimits: {
        maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
        maxBufferSize: adapter.limits.maxBufferSize,
        maxStorageBuffersPerShaderStage:
          adapter.limits.maxStorageBuffersPerShaderStage,
      },
    });
  } catch (error) {
    return {
      reason: `GPUAdapter.requestDevice() failed: ${(error as Error).message}`,
    };
  }
  const { lost, whenLost } = watchDeviceLoss(device, NAME);
  let released: string | undefined;
  let live = 0;
  const fmaFused = await probeFma(device);
  const info = adapter.info;
  const properties = {
    engine:
      "WGSL compute shaders: plain f32 with error-free steps where a per-op error analysis allows, double-f32 elsewhere; rounded once",
    ...webGpuIdentity(info),
    ...webGpuBackendType(adapter),
    maxStorageBufferBindingSize: device.limits.maxStorageBufferBindingSize,
    maxBufferSize: device.limits.maxBufferSize,
    maxElements: Math.floor(device.limits.maxBufferSize / 4),
    fmaFused,
    fusedVjp: true,
    parameterSums: "double-f32, reduced on the GPU in a fixed order",
  };
  return {
    gpu: {
      device,
      fmaFused,
      properties,
      lost: () => released ?? lost(),
      whenLost,
      liveBuffers: () => live,
      createBuffer(descriptor) {
        const b = device.createBuffer(descriptor);
        live++;
        return b;
      },
      destroyBuffer(buffer) {
        buffer.destroy();
        // After release() the device took every buffer with it.
        if (released === undefined) live--;
      },
      async release() {
        if (released !== undefined) return;
        released =
          "release() was called: the WebGPU device and its buffers are destroyed";
        device.destroy();
        live = 0;
        await device.lost;
      },
    },
  };
}

/**
 * Whether `fma(a, b, −a·b)` gives the exact rounding error of the product
 * on this device (a fused multiply–add), for pairs whose error is nonzero.
 */
async function probeFma(device: GPUDevice): Promise<boolean> {
  const pairs = new Float32Array([
    1 + 2 ** -12,
    1 + 2 ** -12,
    1.1,
    1.3,
    3.1415927,
    2.7182817,
    -0.1,
    7.77,
  ]);
  const module = device.createShaderModule({ code: probeShader() });
  const pipeline = device.createComputePipeline({
    layout: "auto",
    compute: { module, entryPoint: "main" },
  });
  const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST;
  const a = device.createBuffer({ size: pairs.byteLength, usage });
  const r = device.createBuffer({
    size: pairs.byteLength,
    usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC,
  });
  const read = device.createBuffer({
    size: pairs.byteLength,
    usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
  });
  device.queue.writeBuffer(a, 0, pairs);
  const encoder = device.createCommandEncoder();
  const pass = encoder.beginComputePass();
  pass.setPipeline(pipeline);
  pass.setBindGroup(
    0,
    device.createBindGroup({
      layout: pipeline.getBindGroupLayout(0),
      entries: [
        { binding: 0, resource: { buffer: a } },
        { binding: 1, resource: { buffer: r } },
      ],
    }),
  );
  pass.dispatchWorkgroups(1);
  pass.end();
  encoder.copyBufferToBuffer(r, 0, read, 0, pairs.byteLength);
  device.queue.submit([encoder.finish()]);
  await read.mapAsync(GPUMapMode.READ);
  const got = new Float32Array(read.getMappedRange().slice(0));
  read.unmap();
  for (const b of [a, r, read]) b.destroy();
  for (let i = 0; i < pairs.length / 2; i++) {
    const x = pairs[2 * i]!;
    const y = pairs[2 * i + 1]!;
    const exact = x * y; // float64: the product of two float32 is exact
    const p = Math.fround(exact);
    if (got[2 * i] !== p || got[2 * i + 1] !== Math.fround(exact - p)) {
      return false;
    }
  }
  return true;
}
