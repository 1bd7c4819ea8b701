// The kernel sets of @nonlin/native and the choice between them: the
// WebAssembly SIMD set where the runtime has WebAssembly SIMD (the default),
// the JavaScript set everywhere. NONLIN_NATIVE_KERNELS=js|wasm-simd picks
// the set at load time (where the environment is readable); useKernelSet()
// switches at run time. The SIMD set splits large calls with a worker
// thread where workers and shared memory exist; NONLIN_NATIVE_THREADS=1
// keeps it to one thread.

import type { KernelSet } from "./_kernels.ts";
import { jsKernels } from "./_js_kernels.ts";
import { useKernels } from "./_engine.ts";
import { loadSimdKernels, simdSupport } from "./wasm/_simd_kernels.ts";

/** The names of the kernel sets. */
export type KernelSetName = "js" | "wasm-simd";

/** The environment variable that picks the kernel set at load time. */
export const KERNELS_VARIABLE = "NONLIN_NATIVE_KERNELS";
/** The environment variable that limits the SIMD set to one thread ("1"). */
export const THREADS_VARIABLE = "NONLIN_NATIVE_THREADS";

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
  load: (options: { fma: boolean; threads: boolean }) => Promise<KernelSet>,
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
        threads: environment(THREADS_VARIABLE) !== "1",
      }),
    );
    return undefined;
  } catch (error) {
    return `the WebAssembly SIMD kernels did not load: ${
      (error as Error).message
    }`;
  }
}

/** An environment variable, where this runtime lets us read it. */
function environment(variable: string): string | undefined {
  const deno = (globalThis as {
    Deno?: {
      env: { get(name: string): string | undefined };
      permissions: {
        querySync?(d: { name: "env"; variable: string }): { state: string };
      };
    };
  }).Deno;
  if (deno === undefined) return undefined;
  const state = deno.permissions.querySync?.({ name: "env", variable })
    .state;
  return state === "granted" ? deno.env.get(variable) : undefined;
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
