// The physical floor: copying the same number of bytes that a kernel moves,
// in the memory the kernel runs in. No elementwise kernel that reads its
// inputs and writes its output once can beat it by much.

import { requestAdapter } from "./_gpu.ts";
import type { Sampler } from "./_timing.ts";
import type { Device } from "./types.ts";

/** A memory to copy in. */
export interface FloorDevice {
  /** Which. */
  readonly device: Device;
  /** How the copy is made, in words. */
  readonly method: string;
  /** A sampler copying half of `bytesMoved` (read that much, write that much). */
  sampler(bytesMoved: number): Sampler;
  /** Frees the buffers. */
  close(): void;
}

/**
 * Copies with `TypedArray.prototype.set` between two preallocated, touched
 * buffers: V8 turns it into one memmove.
 */
export function cpuFloor(maxBytesMoved: number): FloorDevice {
  const capacity = copyBytes(maxBytesMoved);
  const src = new Uint8Array(capacity);
  const dst = new Uint8Array(capacity);
  for (let i = 0; i < capacity; i += 4096) src[i] = i & 0xff; // map every page
  dst.set(src);
  return {
    device: "cpu",
    method:
      "memory copy: TypedArray.prototype.set (memmove) between two preallocated buffers",
    sampler(bytesMoved) {
      const n = copyBytes(bytesMoved);
      const from = src.subarray(0, n);
      const to = dst.subarray(0, n);
      return (batch) => {
        const t0 = performance.now();
        for (let i = 0; i < batch; i++) to.set(from);
        return Promise.resolve(performance.now() - t0);
      };
    },
    close() {},
  };
}

/**
 * Copies with `copyBufferToBuffer` between two storage-capable GPU buffers
 * on the high-performance adapter, timed until `onSubmittedWorkDone`, the same
 * completion the tfjs-webgpu timing waits for.
 */
export async function gpuFloor(
  maxBytesMoved: number,
): Promise<FloorDevice | { readonly reason: string }> {
  const found = await requestAdapter();
  if (found.adapter === undefined) return { reason: found.reason };
  const adapter = found.adapter;
  const capacity = Math.min(
    copyBytes(maxBytesMoved),
    adapter.limits.maxBufferSize,
  );
  let device: GPUDevice;
  try {
    device = await adapter.requestDevice({
      requiredLimits: { maxBufferSize: adapter.limits.maxBufferSize },
    });
  } catch (error) {
    return { reason: `requestDevice() failed: ${String(error)}` };
  }
  const usage = GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST |
    GPUBufferUsage.STORAGE;
  const src = device.createBuffer({ size: capacity, usage });
  const dst = device.createBuffer({ size: capacity, usage });
  const encoder = device.createCommandEncoder();
  encoder.clearBuffer(src);
  encoder.copyBufferToBuffer(src, 0, dst, 0, capacity);
  device.queue.submit([encoder.finish()]);
  await device.queue.onSubmittedWorkDone();
  const info = adapter.info;
  return {
    device: "gpu",
    method: `GPU buffer copy: copyBufferToBuffer on "${
      info.description || info.device || info.vendor
    }", until GPUQueue.onSubmittedWorkDone()`,
    sampler(bytesMoved) {
      const n = copyBytes(bytesMoved);
      if (n > capacity) {
        throw new RangeError(
          `GPU floor needs a ${n}-byte buffer: over the adapter's maxBufferSize of ${capacity}`,
        );
      }
      return async (batch) => {
        const t0 = performance.now();
        const enc = device.createCommandEncoder();
        for (let i = 0; i < batch; i++) {
          enc.copyBufferToBuffer(src, 0, dst, 0, n);
        }
        device.queue.submit([enc.finish()]);
        await device.queue.onSubmittedWorkDone();
        return performance.now() - t0;
      };
    },
    close() {
      src.destroy();
      dst.destroy();
      device.destroy();
    },
  };
}

/** Half the bytes moved (the copy reads it and writes it), a multiple of 4. */
function copyBytes(bytesMoved: number): number {
  return Math.max(4, Math.ceil(bytesMoved / 8) * 4);
}
