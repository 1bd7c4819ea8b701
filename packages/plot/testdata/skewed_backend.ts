/**
 * A test backend built on the float64 reference (the README's third-party
 * example, `examples/reference_backend.ts`), wrong on purpose in known
 * places, so that the figures' differences can be checked against numbers
 * known in advance:
 * - relu(x) is one float32 ULP too large for x > 4;
 * - relu'(−1) is NaN;
 * - mish has no derivative (NotSupportedError, and said so in capabilities).
 * Every other export is the reference's.
 *
 * @module
 */

import {
  type ArrayInput,
  type BackendInfo,
  type ElementwiseDerivative,
  nextFloat32,
  NotSupportedError,
  type OpFunction,
  type OpName,
  toFloat32,
} from "@nonlin/core";
import * as reference from "../../../examples/reference_backend.ts";

export * from "../../../examples/reference_backend.ts";

const NAME = "skewed";

/** The backend's identity. */
export const backend: BackendInfo = {
  name: NAME,
  available: true,
  precision: "float32",
  capabilities: {
    unsupported: [{
      op: "mish",
      feature: "derivative",
      reason: "left out on purpose",
    }],
    properties: {},
  },
};

/** relu from the reference, one ULP too large where x > 4 (there y = x). */
export const relu: OpFunction<"relu"> = (async (x: ArrayInput) => {
  const y = await reference.relu(x);
  return y.map((v) => v > 4 ? nextFloat32(v, true) : v);
}) as OpFunction<"relu">;

/** f'(x) from the reference, with the faults above. */
export const derivative: ElementwiseDerivative = ((
  op: OpName,
  x: ArrayInput,
  options?: unknown,
) => {
  if (op === "mish") {
    throw new NotSupportedError(NAME, op, "derivative", "left out on purpose");
  }
  const xs = toFloat32(x, "x");
  return reference.derivative(op, xs, options as never).then((dy) => {
    if (op === "relu") {
      for (let i = 0; i < xs.length; i++) if (xs[i] === -1) dy[i] = NaN;
    }
    return dy;
  });
}) as ElementwiseDerivative;
