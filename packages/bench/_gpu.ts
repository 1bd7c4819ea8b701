// One place that asks the runtime for a WebGPU adapter, with a timeout: a
// broken driver must not hang the bench.

import { findWebGpuAdapter } from "@nonlin/core/webgpu";

/** An adapter, or why there is none. */
export type AdapterResult =
  | { readonly adapter: GPUAdapter }
  | { readonly adapter?: undefined; readonly reason: string };

/** Requests the high-performance adapter, as tfjs's WebGPU backend does. */
export async function requestAdapter(
  timeoutMs = 10_000,
): Promise<AdapterResult> {
  const gpu = (globalThis.navigator as { gpu?: GPU } | undefined)?.gpu;
  const found = await findWebGpuAdapter(gpu, { timeoutMs });
  return "reason" in found ? { reason: found.reason } : found;
}
