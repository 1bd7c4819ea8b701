/**
 * The facts about the machine that every report carries, so that numbers
 * from different machines are never compared blind.
 *
 * @module
 */

import { requestAdapter } from "./_gpu.ts";
import { webGpuIdentity } from "@nonlin/core/webgpu";

/** The CPU as /proc/cpuinfo describes it. */
export interface CpuFacts {
  /** The model name. */
  readonly model: string;
  /** Logical processors the OS shows. */
  readonly logicalCores: number;
  /** Physical cores, when /proc/cpuinfo says. */
  readonly physicalCores?: number;
  /** The SIMD extensions that matter for float32 kernels. */
  readonly simd: readonly string[];
  /** Where the facts came from. */
  readonly source: string;
}

/** The GPU adapter the runtime offers, as WebGPU describes it. */
export interface GpuFacts {
  /** Whether an adapter was found. */
  readonly available: boolean;
  /** Why not. */
  readonly reason?: string;
  /** `GPUAdapterInfo.vendor`. */
  readonly vendor?: string;
  /** `GPUAdapterInfo.architecture`. */
  readonly architecture?: string;
  /** `GPUAdapterInfo.device`. */
  readonly device?: string;
  /** `GPUAdapterInfo.description`: the driver's name for the adapter. */
  readonly description?: string;
  /** Whether it is a software fallback (llvmpipe, SwiftShader). */
  readonly isFallbackAdapter?: boolean;
  /** `limits.maxBufferSize`, bytes. */
  readonly maxBufferSize?: number;
  /** `limits.maxStorageBufferBindingSize`, bytes. */
  readonly maxStorageBufferBindingSize?: number;
}

/** Everything a report says about where it was measured. */
export interface MachineFacts {
  /** The CPU. */
  readonly cpu: CpuFacts;
  /** Total memory, bytes. */
  readonly memoryBytes?: number;
  /** `Deno.build.os` and `Deno.osRelease()`. */
  readonly os: string;
  /** `Deno.build.arch`. */
  readonly arch: string;
  /** 1, 5 and 15 minute load averages at the start of the run. */
  readonly loadAverage?: readonly number[];
  /** Runtime versions. */
  readonly versions: {
    readonly deno: string;
    readonly v8: string;
    readonly typescript: string;
    /** tfjs-core's version, when a tfjs backend ran. */
    readonly tfjs?: string;
  };
  /** What the runtime's WebAssembly engine validates. */
  readonly wasm: { readonly simd: boolean; readonly threads: boolean };
  /** The GPU adapter. */
  readonly gpu: GpuFacts;
}

// wasm-feature-detect's probes: a function using v128, and a shared memory
// with an atomic instruction.
const SIMD_PROBE = new Uint8Array([
  0,
  97,
  115,
  109,
  1,
  0,
  0,
  0,
  1,
  5,
  1,
  96,
  0,
  1,
  123,
  3,
  2,
  1,
  0,
  10,
  10,
  1,
  8,
  0,
  65,
  0,
  253,
  15,
  253,
  98,
  11,
]);
const THREADS_PROBE = new Uint8Array([
  0,
  97,
  115,
  109,
  1,
  0,
  0,
  0,
  1,
  4,
  1,
  96,
  0,
  0,
  3,
  2,
  1,
  0,
  5,
  4,
  1,
  3,
  1,
  1,
  10,
  11,
  1,
  9,
  0,
  65,
  0,
  254,
  16,
  2,
  0,
  26,
  11,
]);

/**
 * Gathers the machine facts: CPU (from /proc/cpuinfo where it exists), memory,
 * OS, Deno/V8/TypeScript versions, tfjs's version when asked, WebAssembly SIMD
 * and threads, and the WebGPU adapter.
 *
 * @param options `tfjs: true` imports tfjs-core for its version.
 * @returns The facts.
 *
 * @example
 * ```ts
 * import { machineFacts } from "@nonlin/bench";
 * import assert from "node:assert";
 *
 * const facts = await machineFacts({ gpu: false });
 * assert.ok(facts.cpu.logicalCores >= 1);
 * assert.strictEqual(facts.versions.deno, Deno.version.deno);
 * ```
 */
export async function machineFacts(
  options: { readonly tfjs?: boolean; readonly gpu?: boolean } = {},
): Promise<MachineFacts> {
  let tfjs: string | undefined;
  if (options.tfjs) {
    const tf = await import("@tensorflow/tfjs-core");
    tfjs = tf.version_core;
  }
  let memoryBytes: number | undefined;
  let loadAverage: number[] | undefined;
  try {
    memoryBytes = Deno.systemMemoryInfo().total;
    loadAverage = Deno.loadavg().map((l) => Math.round(l * 100) / 100);
  } catch { /* not permitted: left out */ }
  return {
    cpu: await cpuFacts(),
    ...(memoryBytes === undefined ? {} : { memoryBytes }),
    os: `${Deno.build.os} ${safe(() => Deno.osRelease(), "")}`.trim(),
    arch: Deno.build.arch,
    ...(loadAverage === undefined ? {} : { loadAverage }),
    versions: {
      deno: Deno.version.deno,
      v8: Deno.version.v8,
      typescript: Deno.version.typescript,
      ...(tfjs === undefined ? {} : { tfjs }),
    },
    wasm: {
      simd: WebAssembly.validate(SIMD_PROBE),
      threads: typeof SharedArrayBuffer === "function" &&
        WebAssembly.validate(THREADS_PROBE),
    },
    gpu: options.gpu === false
      ? { available: false, reason: "not queried" }
      : await gpuFacts(),
  };
}

async function cpuFacts(): Promise<CpuFacts> {
  const logical = navigator.hardwareConcurrency ?? 1;
  let text: string;
  try {
    text = await Deno.readTextFile("/proc/cpuinfo");
  } catch {
    return {
      model: "unknown",
      logicalCores: logical,
      simd: [],
      source: "navigator.hardwareConcurrency",
    };
  }
  const field = (name: string) =>
    text.match(new RegExp(`^${name}\\s*:\\s*(.*)$`, "m"))?.[1]?.trim();
  const processors = text.match(/^processor\s*:/gm)?.length ?? logical;
  const coreIds = new Set(
    [...text.matchAll(/^physical id\s*:\s*(\d+)[\s\S]*?^core id\s*:\s*(\d+)/gm)]
      .map((m) => `${m[1]}:${m[2]}`),
  );
  const flags = new Set((field("flags") ?? "").split(/\s+/));
  const simd = [
    "sse4_2",
    "avx",
    "avx2",
    "fma",
    "avx512f",
    "avx512_bf16",
    "asimd",
    "sve",
  ]
    .filter((f) => flags.has(f));
  return {
    model: field("model name") ?? field("Hardware") ?? field("cpu model") ??
      "unknown",
    logicalCores: processors,
    ...(coreIds.size > 0 ? { physicalCores: coreIds.size } : {}),
    simd,
    source: "/proc/cpuinfo",
  };
}

async function gpuFacts(): Promise<GpuFacts> {
  const found = await requestAdapter();
  if (found.adapter === undefined) {
    return { available: false, reason: found.reason };
  }
  const { info, limits } = found.adapter;
  return {
    available: true,
    ...webGpuIdentity(info),
    maxBufferSize: limits.maxBufferSize,
    maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
  };
}

function safe<T>(f: () => T, fallback: T): T {
  try {
    return f();
  } catch {
    return fallback;
  }
}
