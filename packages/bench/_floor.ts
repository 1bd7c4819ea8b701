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
  /**
   * A second reference, reported beside the floor but not the one ratios
   * are taken against (the GPU's copyBufferToBuffer, next to the
   * compute-shader copy).
   */
  readonly reference?: boolean;
  /** A sampler copying half of `bytesMoved` (read that much, write that much). */
  sampler(bytesMoved: number): Sampler;
  /**
   * The one kernel size, in bytes moved per element, it is measured for
   * (its work does not depend on the others); every size when absent.
   */
  readonly bytesPerElement?: number;
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
 * A reference beside the CPU floor: what a host-form call without `out`
 * pays for its output before any kernel runs, a fresh Float32Array of the
 * output's elements (4 bytes each of the 8 a forward call moves) with one
 * element of each 4 KiB page written, so that every page is faulted in.
 * Measured for 8 bytes per element only: a VJP's dx is the same array.
 */
export function cpuFreshOutput(): FloorDevice {
  return {
    device: "cpu",
    reference: true,
    bytesPerElement: 8,
    method:
      "fresh output array: new Float32Array(n) with one element of each 4 KiB page written (the allocation and page faults of a host-form call without out)",
    sampler(bytesMoved) {
      const n = Math.max(1, Math.ceil(bytesMoved / 8));
      settleAllocator(n);
      let keep = 0;
      return (batch) => {
        const t0 = performance.now();
        for (let i = 0; i < batch; i++) {
          const a = new Float32Array(n);
          for (let j = 0; j < n; j += 1024) a[j] = 1;
          keep += a[0]!;
        }
        const ms = performance.now() - t0;
        return Promise.resolve(keep < 0 ? -ms : ms);
      };
    },
    close() {},
  };
}

/**
 * The GPU floors, on one device of the high-performance adapter, each timed
 * until `onSubmittedWorkDone` (the completion the GPU backends' timings wait
 * for):
 * - the floor: a compute shader that reads the kernel's inputs and writes
 *   its output, one u32 per element each (forward: y = x, 8 B/element; VJP:
 *   dx = x ^ dy, 12 B/element), the physical limit a fused elementwise
 *   kernel can reach;
 * - a reference: `copyBufferToBuffer` of the same bytes, which on some GPUs
 *   is far slower than a compute copy.
 */
export async function gpuFloors(
  maxBytesMoved: number,
): Promise<FloorDevice[] | { readonly reason: string }> {
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
      requiredLimits: {
        maxBufferSize: adapter.limits.maxBufferSize,
        maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
      },
    });
  } catch (error) {
    return { reason: `requestDevice() failed: ${String(error)}` };
  }
  const usage = GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST |
    GPUBufferUsage.STORAGE;
  // Three buffers: up to two inputs and an output for the compute copy.
  const buffers = [0, 1, 2].map(() =>
    device.createBuffer({ size: capacity, usage })
  );
  const [src, dst, src2] = buffers as [GPUBuffer, GPUBuffer, GPUBuffer];
  const encoder = device.createCommandEncoder();
  encoder.clearBuffer(src);
  encoder.clearBuffer(src2);
  encoder.copyBufferToBuffer(src, 0, dst, 0, capacity);
  device.queue.submit([encoder.finish()]);
  await device.queue.onSubmittedWorkDone();
  const info = adapter.info;
  const name = info.description || info.device || info.vendor;
  const maxBinding = device.limits.maxStorageBufferBindingSize;
  const pipelines = new Map<number, GPUComputePipeline>();
  const pipeline = (inputs: 1 | 2) => {
    let p = pipelines.get(inputs);
    if (p === undefined) {
      const code = inputs === 1
        ? `@group(0) @binding(0) var<storage, read> a: array<u32>;
@group(0) @binding(2) var<storage, read_write> y: array<u32>;
@group(0) @binding(3) var<uniform> n: vec4<u32>;
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) g: vec3<u32>, @builtin(num_workgroups) w: vec3<u32>) {
  let i = g.y * w.x * 256u + g.x;
  if (i < n.x) { y[i] = a[i]; }
}`
        : `@group(0) @binding(0) var<storage, read> a: array<u32>;
@group(0) @binding(1) var<storage, read> b: array<u32>;
@group(0) @binding(2) var<storage, read_write> y: array<u32>;
@group(0) @binding(3) var<uniform> n: vec4<u32>;
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) g: vec3<u32>, @builtin(num_workgroups) w: vec3<u32>) {
  let i = g.y * w.x * 256u + g.x;
  if (i < n.x) { y[i] = a[i] ^ b[i]; }
}`;
      p = device.createComputePipeline({
        layout: "auto",
        compute: {
          module: device.createShaderModule({ code }),
          entryPoint: "main",
        },
      });
      pipelines.set(inputs, p);
    }
    return p;
  };
  const uniforms: GPUBuffer[] = [];
  const check = (n: number) => {
    if (n > capacity) {
      throw new RangeError(
        `GPU floor needs a ${n}-byte buffer: over the adapter's maxBufferSize of ${capacity}`,
      );
    }
  };
  const compute: FloorDevice = {
    device: "gpu",
    method:
      `GPU compute copy: a WGSL shader reading the kernel's inputs and writing its output (y = x; VJP: dx = x ^ dy) on "${name}", until GPUQueue.onSubmittedWorkDone()`,
    sampler(bytesMoved) {
      // 8 B/element: one input; 12 B/element: two.
      const inputs = bytesMoved % 12 === 0 && bytesMoved % 8 !== 0 ? 2 : 1;
      const elements = bytesMoved / (4 * (inputs + 1));
      const bytes = elements * 4;
      check(bytes);
      if (bytes > maxBinding) {
        throw new RangeError(
          `GPU compute floor needs a ${bytes}-byte binding: over maxStorageBufferBindingSize (${maxBinding})`,
        );
      }
      const p = pipeline(inputs as 1 | 2);
      const u = device.createBuffer({
        size: 16,
        usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST,
      });
      uniforms.push(u);
      device.queue.writeBuffer(u, 0, new Uint32Array([elements, 0, 0, 0]));
      const entries: GPUBindGroupEntry[] = [
        { binding: 0, resource: { buffer: src, size: Math.max(4, bytes) } },
        { binding: 2, resource: { buffer: dst, size: Math.max(4, bytes) } },
        { binding: 3, resource: { buffer: u } },
      ];
      if (inputs === 2) {
        entries.push({
          binding: 1,
          resource: { buffer: src2, size: Math.max(4, bytes) },
        });
      }
      const group = device.createBindGroup({
        layout: p.getBindGroupLayout(0),
        entries,
      });
      const groups = Math.max(1, Math.ceil(elements / 256));
      const nx = Math.min(groups, 65535);
      const ny = Math.ceil(groups / nx);
      return async (batch) => {
        const t0 = performance.now();
        const enc = device.createCommandEncoder();
        const pass = enc.beginComputePass();
        pass.setPipeline(p);
        pass.setBindGroup(0, group);
        for (let i = 0; i < batch; i++) pass.dispatchWorkgroups(nx, ny);
        pass.end();
        device.queue.submit([enc.finish()]);
        await device.queue.onSubmittedWorkDone();
        return performance.now() - t0;
      };
    },
    close() {},
  };
  const copy: FloorDevice = {
    device: "gpu",
    reference: true,
    method:
      `GPU buffer copy: copyBufferToBuffer on "${name}", until GPUQueue.onSubmittedWorkDone()`,
    sampler(bytesMoved) {
      const n = copyBytes(bytesMoved);
      check(n);
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
      for (const b of [...buffers, ...uniforms]) b.destroy();
      device.destroy();
    },
  };
  return [compute, copy];
}

/** Half the bytes moved (the copy reads it and writes it), a multiple of 4. */
function copyBytes(bytesMoved: number): number {
  return Math.max(4, Math.ceil(bytesMoved / 8) * 4);
}

/** How many bytes of arrays {@linkcode settleAllocator} makes and drops. */
const SETTLE_BYTES = 128 * 2 ** 20;
/** …or for how long at most, ms. */
const SETTLE_MS = 250;
/** From how many elements (2 KiB) it does. */
const SETTLE_FROM = 512;

/**
 * Makes and drops Float32Arrays of `elements` (from 512 on) until 128 MiB
 * were made (or 250 ms passed), so that the host-form timings of a size start with the
 * process's allocator in its steady state. Until V8 collects dropped arrays
 * (on external memory pressure, after some 64 MiB), each new array of a size
 * is carved from pages the process has not touched yet; on a VM where a
 * page fault costs ~10 µs (this project's machine: 130 µs for a fresh
 * 40 KB array, 2 µs once arrays are reused) the first backend timed at a
 * size would pay that and the others not.
 *
 * @param elements The output's element count.
 */
export function settleAllocator(elements: number): void {
  // Smaller arrays share pages: a fresh one costs a fault now and then.
  if (elements < SETTLE_FROM) return;
  const bytes = 4 * elements;
  const t0 = performance.now();
  let keep = 0;
  for (let made = 0; made < SETTLE_BYTES; made += bytes) {
    const a = new Float32Array(bytes / 4);
    a[0] = 1;
    keep += a[0]!;
    if (performance.now() - t0 > SETTLE_MS) break;
  }
  if (keep < 0) throw new Error("unreachable");
}
