// The `backend` export of @nonlin/native and @nonlin/native/js.

import type { BackendInfo } from "@nonlin/core";
import type { KernelSet } from "./_kernels.ts";

/** A backend identity whose properties describe the kernels as they run now. */
export function nativeBackendInfo(
  name: string,
  kernels: () => KernelSet,
  kernelSets: () => readonly string[],
  unavailable: () => Readonly<Record<string, string>> = () => ({}),
): BackendInfo {
  return Object.freeze({
    name,
    available: true,
    precision: "float32",
    capabilities: Object.freeze({
      unsupported: Object.freeze([]),
      get properties() {
        const set = kernels();
        const missing = Object.entries(unavailable());
        return Object.freeze({
          engine: engineDescription(),
          kernels: set.name,
          kernelSets: kernelSets().join(", "),
          // Why a kernel set did not load, so a fallback is never silent.
          ...(missing.length === 0 ? {} : {
            kernelSetsUnavailable: missing.map(([name, why]) =>
              `${name}: ${why}`
            ).join("; "),
          }),
          simd: set.simd,
          threads: 1,
          ...set.properties,
          arithmetic: "float64, rounded once to float32",
          fusedVjp: true,
          autodiff: true,
          storage: set.allocate === undefined
            ? "Float32Array, row-major"
            : "WebAssembly linear memory, row-major",
        });
      },
    }),
  });
}

function engineDescription(): string {
  const deno =
    (globalThis as { Deno?: { version: { deno: string; v8: string } } }).Deno;
  if (deno) return `Deno ${deno.version.deno}, V8 ${deno.version.v8}`;
  return globalThis.navigator?.userAgent ?? "JavaScript";
}
