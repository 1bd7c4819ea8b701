/**
 * Devices: the identity of the hardware a backend computes on, and the
 * device profiles the ledger scopes its entries by. A GPU backend's
 * arithmetic depends on the driver as much as on the backend (flush to zero,
 * NaN through min/max, the accuracy of exp), so a known deviation measured on
 * one device is not assumed on another. Imports nothing: the book page loads
 * it in the browser.
 *
 * @module
 */

/** What identifies a device, as far as the platform exposes it. */
export interface DeviceIdentity {
  /** The adapter's vendor (a PCI id or a name). */
  readonly vendor: string;
  /** The adapter's architecture, often empty. */
  readonly architecture: string;
  /** The adapter's device id or name. */
  readonly device: string;
  /** The adapter's description, e.g. `"llvmpipe (LLVM 15.0.6, 256 bits)"`. */
  readonly description: string;
  /**
   * The WebGPU implementation's backend: `"vulkan"`, `"gl"`, `"metal"`,
   * `"d3d12"` or `"unknown"`. WebGPU does not expose it; the adapter says
   * how it found it (see `backendTypeSource`).
   */
  readonly backendType: string;
  /** Whether the adapter is a fallback (software) adapter. */
  readonly fallback: boolean;
  /** The driver, where the platform exposes it. */
  readonly driver?: string;
}

/** A named device, matched on the parts of its identity it gives. */
export interface DeviceProfile {
  /** Its name, as ledger entries cite it. */
  readonly name: string;
  /** What it is, in words. */
  readonly description: string;
  /**
   * The identity fields it matches: strings are matched as case-insensitive
   * substrings, `fallback` exactly. Every field given must match.
   */
  readonly match: {
    readonly [K in keyof DeviceIdentity]?: DeviceIdentity[K];
  };
  /** Where its entries were measured. */
  readonly measured: string;
}

/** The device profiles checked in. */
export const deviceProfiles: readonly DeviceProfile[] = [
  {
    name: "llvmpipe-vulkan",
    description:
      "Mesa's llvmpipe software rasteriser through Vulkan (lavapipe)",
    match: { description: "llvmpipe", backendType: "vulkan" },
    measured:
      "CI and the development machine (Mesa 22.3, LLVM 15), Deno 2.9.6's WebGPU",
  },
  {
    name: "llvmpipe-gl",
    description: "Mesa's llvmpipe through OpenGL (wgpu's GL backend)",
    match: { description: "llvmpipe", backendType: "gl" },
    measured:
      "the development machine with VK_ICD_FILENAMES=/nonexistent, so wgpu falls back to GL",
  },
  {
    name: "nvidia",
    description: "NVIDIA GPUs through Vulkan (measured on an H200, driver 580)",
    match: { vendor: "4318", backendType: "vulkan" },
    measured:
      "an NVIDIA H200 on 2026-11-28 (docs/gpu/conformance_gpu.md, gpu_check.json)",
  },
  {
    name: "swiftshader",
    description:
      "Chromium's SwiftShader (the software Vulkan of headless Chromium)",
    // Chromium leaves the description empty and names SwiftShader as the
    // architecture (vendor "google").
    match: { architecture: "swiftshader" },
    measured:
      "headless Chromium 150 with --enable-unsafe-webgpu (the book page's conformance test)",
  },
];

/**
 * The identity of the device a backend computes on, from its declared
 * capabilities' properties; `undefined` for a backend that names no device
 * (one that computes on the CPU).
 *
 * @param properties The backend's `capabilities.properties`.
 * @returns The identity, or `undefined`.
 *
 * @example
 * ```ts
 * import { deviceOf } from "@nonlin/conformance";
 * import assert from "node:assert";
 *
 * assert.strictEqual(deviceOf({ kernels: "js" }), undefined);
 * const d = deviceOf({ vendor: "65541", description: "llvmpipe (LLVM 15)", backendType: "gl", isFallbackAdapter: true });
 * assert.strictEqual(d?.backendType, "gl");
 * ```
 */
export function deviceOf(
  properties: Readonly<Record<string, unknown>> | undefined,
): DeviceIdentity | undefined {
  if (properties === undefined || properties === null) return undefined;
  if (!("description" in properties) && !("vendor" in properties)) {
    return undefined;
  }
  const text = (k: string) =>
    properties[k] === undefined ? "" : String(properties[k]);
  return {
    vendor: text("vendor"),
    architecture: text("architecture"),
    device: text("device"),
    description: text("description"),
    backendType: text("backendType") || "unknown",
    fallback: properties["isFallbackAdapter"] === true ||
      properties["fallback"] === true,
    ...(properties["driver"] === undefined ? {} : { driver: text("driver") }),
  };
}

/** Whether a device profile matches an identity. */
export function matchesDevice(
  profile: Pick<DeviceProfile, "match">,
  identity: DeviceIdentity,
): boolean {
  return Object.entries(profile.match).every(([key, want]) => {
    const got = identity[key as keyof DeviceIdentity];
    if (typeof want === "boolean") return got === want;
    return String(got ?? "").toLowerCase().includes(
      String(want).toLowerCase(),
    );
  });
}

/**
 * The name of the first profile that matches a device.
 *
 * @param identity The device, or `undefined` for none.
 * @param profiles The profiles to look in.
 * @returns The profile's name, or `undefined` when none matches.
 *
 * @example
 * ```ts
 * import { deviceProfileOf } from "@nonlin/conformance";
 * import assert from "node:assert";
 *
 * const llvmpipe = { vendor: "65541", architecture: "", device: "0", description: "llvmpipe (LLVM 15.0.6, 256 bits)", backendType: "vulkan", fallback: true };
 * assert.strictEqual(deviceProfileOf(llvmpipe), "llvmpipe-vulkan");
 * assert.strictEqual(deviceProfileOf({ ...llvmpipe, description: "Some GPU" }), undefined);
 * ```
 */
export function deviceProfileOf(
  identity: DeviceIdentity | undefined,
  profiles: readonly DeviceProfile[] = deviceProfiles,
): string | undefined {
  if (identity === undefined) return undefined;
  return profiles.find((p) => matchesDevice(p, identity))?.name;
}

/** One line naming a device, for the top of a run. */
export function describeDevice(identity: DeviceIdentity): string {
  const parts = [
    identity.description || "(no description)",
    `vendor ${identity.vendor || "?"}`,
    ...(identity.architecture ? [`architecture ${identity.architecture}`] : []),
    `device ${identity.device || "?"}`,
    `backend ${identity.backendType}`,
    ...(identity.fallback ? ["fallback adapter"] : []),
    ...(identity.driver ? [`driver ${identity.driver}`] : []),
  ];
  return parts.join(", ");
}
