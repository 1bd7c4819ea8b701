/**
 * A test backend that cannot run anywhere: it says so in `backend`, as a
 * WebGPU backend does on a machine without a GPU. Its functions are the
 * reference ones (`examples/reference_backend.ts`): the figures must leave it
 * out on the strength of `backend.available` alone.
 *
 * @module
 */

import type { BackendInfo } from "@nonlin/core";

export * from "../../../examples/reference_backend.ts";

/** The backend's identity: unavailable, with the reason. */
export const backend: BackendInfo = {
  name: "unavailable",
  available: false,
  reason: "needs hardware this machine lacks",
  precision: "float32",
  capabilities: { unsupported: [], properties: {} },
};
