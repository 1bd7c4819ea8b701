// Finding a WebGPU adapter, starting tfjs's webgpu backend on it, and
// watching the device for loss.

import * as tf from "@tensorflow/tfjs";
// Registers the webgpu backend (when navigator.gpu exists) and its flags.
import "@tensorflow/tfjs-backend-webgpu";
import type { WebGPUBackend } from "@tensorflow/tfjs-backend-webgpu";
import {
  findWebGpuAdapter,
  webGpuBackendType,
  webGpuIdentity,
} from "@nonlin/core/webgpu";
import { initialise, tfjsVersions } from "@nonlin/tfjs-glue";

/** The name of the backend, for errors. */
export const NAME = "tfjs-webgpu";

/** What the adapter needs from a started backend. */
export interface WebGpuSetup {
  /** Why the backend cannot run; `undefined` once it runs. */
  readonly reason?: string;
  /** The adapter's info and limits, tfjs's versions and flags. */
  readonly properties: Readonly<Record<string, string | number | boolean>>;
  /** The device tfjs computes on. */
  readonly device?: GPUDevice;
}

/** The adapter's identity and the limits that matter here, as properties. */
function describeDevice(
  device: GPUDevice,
  adapter: GPUAdapter,
): Record<string, string | number | boolean> {
  const info =
    (device as GPUDevice & { adapterInfo?: GPUAdapterInfo }).adapterInfo ??
      adapter.info;
  return {
    ...webGpuIdentity(info),
    ...webGpuBackendType(adapter),
    maxStorageBufferBindingSize: device.limits.maxStorageBufferBindingSize,
    maxBufferSize: device.limits.maxBufferSize,
    maxComputeWorkgroupsPerDimension:
      device.limits.maxComputeWorkgroupsPerDimension,
    maxElements: Math.floor(device.limits.maxStorageBufferBindingSize / 4),
  };
}

/** Starts tfjs's webgpu backend, or says why it cannot. */
export async function setUpWebGpu(): Promise<WebGpuSetup> {
  // With CPU forwarding on, tfjs computes small tensors whose data has not
  // reached the GPU yet with its cpu kernels, so what "webgpu" computes would
  // depend on the size. Off, every op is a WebGPU shader.
  tf.env().set("WEBGPU_CPU_FORWARD", false);
  const base = { ...tfjsVersions(), tfjsBackend: "webgpu", cpuForward: false };
  const found = await findWebGpuAdapter(
    (navigator as Navigator & { gpu?: GPU }).gpu,
  );
  if ("reason" in found) return { reason: found.reason, properties: base };
  const reason = await initialise("webgpu");
  if (reason !== undefined) return { reason, properties: base };
  const { device } = tf.findBackend("webgpu") as WebGPUBackend;
  return {
    properties: { ...base, ...describeDevice(device, found.adapter) },
    device,
  };
}
