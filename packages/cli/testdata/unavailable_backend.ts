/**
 * A test backend that loads but says it cannot run here, as tfjs-webgpu does
 * without a GPU adapter. Its functions are the reference ones: the CLI must
 * refuse to use it on the strength of `backend.available` alone.
 *
 * @module
 */

import type { BackendInfo } from "@nonlin/core";

export * from "./reference_backend.ts";

const REASON = "navigator.gpu is undefined";

/** The backend's identity. */
export const backend: BackendInfo = {
  name: "unavailable",
  available: false,
  reason: REASON,
  precision: "float32",
  capabilities: { unsupported: [], properties: {} },
};
