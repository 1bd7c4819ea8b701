// The kernel sets of @nonlin/native and the choice between them: the
// WebAssembly SIMD set where the runtime has WebAssembly SIMD (the default),
// the JavaScript set everywhere. NONLIN_NATIVE_KERNELS=js|wasm-simd picks
// the set at load time (where the environment is readable: Deno.env with
// permission, else process.env in Node); useKernelSet() switches at run
// time. The SIMD set splits large calls over helper threads where shared
// memory and blocking waits exist: navigator.hardwareConcurrency threads
// (at most 16) by default, NONLIN_NATIVE_THREADS=N for N (1: none).

import type { KernelSet } from "./_kernels.ts";
import { jsKernels } from "./_js_kernels.ts";
import { useKernels } from "./_engine.ts";
import {
  defaultThreads,
  loadSimdKernels,
  simdSupport,
} from "./wasm/_simd_kernels.ts";
import { MAX_THREADS } from "./wasm/_threads.ts";

/** The names of the kernel sets. */
export type KernelSetName = "js" | "wasm-simd";

/** The environment variable that picks the kernel set at load time. */
export const KERNELS_VARIABLE = "NONLIN_NATIVE_KERNELS";
/**
 * The environment variable that sets how many threads the SIMD set's large
 * calls use, the calling thread included ("1": no helper thread).
 */
export const THREADS_VARIABLE = "NONLIN_NATIVE_THREADS";

/**
 * The thread count from {@linkcode THREADS_VARIABLE}, or the default.
 *
 * @throws {RangeError} For a value that is not an integer from 1 to 256.
 */
export function threadCount(value: string | undefined): number {
  if (value === undefined || value.trim() === "") return defaultThreads();
  const n = Number(value);
  if (!/^\s*\d+\s*$/.test(value) || n < 1 || n > MAX_THREADS) {
    throw new RangeError(
      `${THREADS_VARIABLE} must be an integer from 1 to ${MAX_THREADS}: got "${value}"`,
    );
  }
  return n;
}

const sets = new Map<KernelSetName, KernelSet>([["js", jsKernels]]);
const simdUnavailable = await loadSimd(
  (options) => loadSimdKernels(options).then((loaded) => loaded.kernels),
  simdSupport(),
);

/**
 * Loads the SIMD set into `sets` with `load`; returns why it cannot run
 * here, or undefined when it loaded.
 */
export async function loadSimd(
  load: (options: { fma: boolean; threads: number }) => Promise<KernelSet>,
  support: { simd: boolean; relaxed: boolean },
  into: Map<KernelSetName, KernelSet> = sets,
): Promise<string | undefined> {
  if (!support.simd) return "this runtime does not validate WebAssembly SIMD";
  try {
    // Relaxed SIMD's multiply–add where it exists: fused or not, the error
    // bounds of the kernels hold (wasm/_vmath.ts).
    into.set(
      "wasm-simd",
      await load({
        fma: support.relaxed,
        threads: threadCount(environment(THREADS_VARIABLE)),
      }),
    );
    return undefined;
  } catch (error) {
    if (error instanceof RangeError) throw error; // a bad setting
    return `the WebAssembly SIMD kernels did not load: ${
      (error as Error).message
    }`;
  }
}

/**
 * An environment variable, where this runtime lets us read it: Deno's
 * (without prompting: only with the permission granted), else Node's
 * `process.env`.
 */
export function environment(
  variable: string,
  scope: object = globalThis,
): string | undefined {
  const g = scope as {
    Deno?: {
      env: { get(name: string): string | undefined };
      permissions: {
        querySync?(d: { name: "env"; variable: string }): { state: string };
      };
    };
    process?: { env?: Record<string, string | undefined> };
  };
  const deno = g.Deno;
  if (deno !== undefined) {
    const state = deno.permissions.querySync?.({ name: "env", variable })
      .state;
    return state === "granted" ? deno.env.get(variable) : undefined;
  }
  return g.process?.env?.[variable];
}

/**
 * Makes every op run on the named kernel set from now on.
 *
 * @throws {RangeError} For a name that is not a kernel set, or a set that
 * cannot run here (the message says why).
 */
export function useKernelSet(name: KernelSetName): void {
  const set = sets.get(name);
  if (set === undefined) {
    if (name === "wasm-simd") {
      throw new RangeError(
        `Kernel set "wasm-simd" is not available: ${simdUnavailable}`,
      );
    }
    throw new RangeError(
      `Unknown kernel set: "${name}" (expected "js" or "wasm-simd")`,
    );
  }
  useKernels(set);
}

/** The kernel sets that can run here, the default first. */
export function availableKernelSets(): KernelSetName[] {
  return [...sets.keys()].sort((a) => (a === "wasm-simd" ? -1 : 1));
}

/** Why the SIMD set cannot run here, or undefined. */
export function simdUnavailableReason(): string | undefined {
  return simdUnavailable;
}

/**
 * The kernel sets that cannot run here, each with why, for the backend's
 * properties: a set that failed to load is never a silent fallback.
 */
export function unavailableKernelSets(): Readonly<Record<string, string>> {
  return simdUnavailable === undefined ? {} : { "wasm-simd": simdUnavailable };
}

const chosen = environment(KERNELS_VARIABLE);
if (chosen !== undefined && chosen !== "") {
  if (chosen !== "js" && chosen !== "wasm-simd") {
    throw new RangeError(
      `${KERNELS_VARIABLE} must be "js" or "wasm-simd": got "${chosen}"`,
    );
  }
  useKernelSet(chosen);
} else {
  useKernels(sets.get("wasm-simd") ?? jsKernels);
}
