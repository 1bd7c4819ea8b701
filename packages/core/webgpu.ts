/**
 * What every WebGPU backend does the same way, defined once for the native
 * engine's WebGPU kernels and for tfjs-webgpu: asking for an adapter (with
 * the reason when there is none), describing it in
 * `backend.capabilities.properties` by the keys the conformance report's
 * device profiles read, and watching its device for loss.
 *
 * @module
 */

import { BackendUnavailableError } from "./errors.ts";

/** Options of {@linkcode findWebGpuAdapter}. */
export interface FindAdapterOptions {
  /**
   * Give up after this long (a broken driver must not hang a benchmark).
   * @default no limit
   */
  readonly timeoutMs?: number;
}

/**
 * Asks `gpu` for a high-performance adapter (the request tfjs's webgpu
 * backend makes too).
 *
 * @param gpu `navigator.gpu`, or a stand-in; `undefined` where the runtime
 * has no WebGPU.
 * @param options How long to wait at most.
 * @returns The adapter, or why there is none.
 *
 * @example
 * ```ts
 * import { findWebGpuAdapter } from "@nonlin/core/webgpu";
 * import assert from "node:assert";
 *
 * const none = await findWebGpuAdapter(undefined);
 * assert.ok("reason" in none);
 * assert.match(none.reason, /navigator\.gpu is undefined/);
 * ```
 */
export async function findWebGpuAdapter(
  gpu: GPU | undefined,
  options: FindAdapterOptions = {},
): Promise<{ reason: string } | { adapter: GPUAdapter }> {
  if (gpu === undefined) {
    return {
      reason: "navigator.gpu is undefined: this runtime offers no WebGPU",
    };
  }
  const { timeoutMs } = options;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let adapter: GPUAdapter | null | "timeout";
  try {
    const request = gpu.requestAdapter({ powerPreference: "high-performance" });
    adapter = timeoutMs === undefined ? await request : await Promise.race([
      request,
      new Promise<"timeout">((resolve) => {
        timer = setTimeout(() => resolve("timeout"), timeoutMs);
      }),
    ]);
  } catch (error) {
    return {
      reason: `navigator.gpu.requestAdapter() failed: ${
        (error as Error).message
      }`,
    };
  } finally {
    clearTimeout(timer);
  }
  if (adapter === "timeout") {
    return {
      reason:
        `navigator.gpu.requestAdapter() did not answer in ${timeoutMs} ms`,
    };
  }
  if (adapter === null) {
    return {
      reason:
        "navigator.gpu.requestAdapter() found no WebGPU adapter (on Linux without a GPU, Mesa's Vulkan driver, Debian's mesa-vulkan-drivers, provides llvmpipe)",
    };
  }
  return { adapter };
}

/** An adapter's identity, as a WebGPU backend's properties give it. */
export interface WebGpuIdentity {
  /** `GPUAdapterInfo.vendor`. */
  readonly vendor: string;
  /** `GPUAdapterInfo.architecture`. */
  readonly architecture: string;
  /** `GPUAdapterInfo.device`. */
  readonly device: string;
  /** `GPUAdapterInfo.description`. */
  readonly description: string;
  /** Whether it is a fallback (software) adapter; false where not said. */
  readonly isFallbackAdapter: boolean;
}

/**
 * The identity of the adapter an info object describes.
 *
 * @param info `adapter.info` (or a device's `adapterInfo`).
 * @returns Vendor, architecture, device, description and the fallback flag.
 *
 * @example
 * ```ts
 * import { webGpuIdentity } from "@nonlin/core/webgpu";
 * import assert from "node:assert";
 *
 * const info = { vendor: "mesa", architecture: "", device: "llvmpipe", description: "" };
 * assert.strictEqual(webGpuIdentity(info as GPUAdapterInfo).isFallbackAdapter, false);
 * ```
 */
export function webGpuIdentity(info: GPUAdapterInfo): WebGpuIdentity {
  return {
    vendor: info.vendor,
    architecture: info.architecture,
    device: info.device,
    description: info.description,
    isFallbackAdapter:
      (info as GPUAdapterInfo & { isFallbackAdapter?: boolean })
        .isFallbackAdapter ?? false,
  };
}

/** The WebGPU implementation's backend an adapter runs on, and how that was found. */
export interface WebGpuBackendType {
  /** `"vulkan"`, `"gl"`, `"metal"`, `"d3d12"` or `"unknown"`. */
  readonly backendType: string;
  /** How it was found (GPUAdapterInfo does not expose it). */
  readonly backendTypeSource: string;
}

/**
 * The WebGPU implementation's backend (Vulkan, GL, Metal, D3D12), which
 * GPUAdapterInfo does not expose but which changes the arithmetic (Mesa's
 * llvmpipe drops NaN in max() through GL, not through Vulkan). Deno's wgpu
 * tries its primary backend (Vulkan on Linux, Metal on macOS, D3D12 on
 * Windows) and falls back to GL, whose adapter reports no limit on bindings
 * per bind group (2³² − 1; Vulkan and the others report about 1000). Outside
 * Deno it is `"unknown"`.
 *
 * @param adapter The adapter.
 * @returns The backend type and how it was inferred.
 *
 * @example
 * ```ts
 * import { webGpuBackendType } from "@nonlin/core/webgpu";
 * import assert from "node:assert";
 *
 * const gl = { limits: { maxBindingsPerBindGroup: 2 ** 32 - 1 } };
 * assert.strictEqual(webGpuBackendType(gl as GPUAdapter).backendType, "gl");
 * ```
 */
export function webGpuBackendType(adapter: GPUAdapter): WebGpuBackendType {
  const deno = (globalThis as { Deno?: typeof Deno }).Deno;
  if (deno === undefined) {
    return { backendType: "unknown", backendTypeSource: "not exposed here" };
  }
  const source =
    "inferred: wgpu's GL backend reports maxBindingsPerBindGroup = 2^32 - 1";
  if (adapter.limits.maxBindingsPerBindGroup === 2 ** 32 - 1) {
    return { backendType: "gl", backendTypeSource: source };
  }
  const primary: Record<string, string> = {
    linux: "vulkan",
    darwin: "metal",
    windows: "d3d12",
  };
  return {
    backendType: primary[deno.build.os] ?? "unknown",
    backendTypeSource:
      `${source}; otherwise wgpu's primary backend for ${deno.build.os}`,
  };
}

/** A device watched for loss. */
export interface DeviceWatch {
  /** The reason once the device is lost, else `undefined`. */
  readonly lost: () => string | undefined;
  /** Rejects with a {@linkcode BackendUnavailableError} when the device is lost. */
  readonly whenLost: Promise<never>;
}

/**
 * Watches a device for loss, so that a backend can say it stopped being
 * available and a pending read can fail with the reason instead of hanging.
 *
 * @param device The device.
 * @param backend The backend's name, for the error.
 * @returns The reason once lost, and a promise that rejects then.
 *
 * @example
 * ```ts
 * import { BackendUnavailableError } from "@nonlin/core";
 * import { watchDeviceLoss } from "@nonlin/core/webgpu";
 * import assert from "node:assert";
 *
 * const lost = Promise.resolve({ reason: "destroyed", message: "" });
 * const watch = watchDeviceLoss({ lost } as unknown as GPUDevice, "my-gpu");
 * await assert.rejects(watch.whenLost, BackendUnavailableError);
 * assert.strictEqual(watch.lost(), "the WebGPU device was lost (destroyed): no message");
 * ```
 */
export function watchDeviceLoss(
  device: GPUDevice,
  backend: string,
): DeviceWatch {
  let reason: string | undefined;
  const whenLost = device.lost.then((info): never => {
    reason = `the WebGPU device was lost (${info.reason}): ${
      info.message || "no message"
    }`;
    throw new BackendUnavailableError(backend, reason);
  });
  // Reads race this promise; one handler keeps its rejection from being unhandled.
  whenLost.catch(() => {});
  return { lost: () => reason, whenLost };
}
