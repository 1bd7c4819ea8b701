/**
 * A test backend like `reference_backend.ts` that cannot compute second
 * derivatives, as a tfjs backend cannot for some ops: it throws
 * `NotSupportedError`, which the CLI reports instead of failing.
 *
 * @module
 */

import {
  type BackendInfo,
  type BackendModule,
  NotSupportedError,
  opNames,
} from "@nonlin/core";
import { backend as reference } from "./reference_backend.ts";

export * from "./reference_backend.ts";

const REASON = "this fixture has no second derivatives";

/** The backend's identity. */
export const backend: BackendInfo = {
  ...reference,
  name: "no-second-derivative",
  capabilities: {
    ...reference.capabilities,
    unsupported: opNames.map((op) => ({
      op,
      feature: "secondDerivative",
      reason: REASON,
    })),
  },
};

/** Always rejects with `NotSupportedError`. */
export const secondDerivative = ((op: string) =>
  Promise.reject(
    new NotSupportedError(backend.name, op, "secondDerivative", REASON),
  )) as unknown as BackendModule["secondDerivative"];
