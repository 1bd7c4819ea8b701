/**
 * A test backend that cannot run anywhere: it says so in `backend`, as a
 * WebGPU backend does on a machine without a GPU.
 *
 * @module
 */

import { type BackendInfo, opNames } from "@nonlin/core";

/** The backend's identity: unavailable, with the reason. */
export const backend: BackendInfo = {
  name: "unavailable",
  available: false,
  reason: "needs hardware this machine lacks",
  precision: "float32",
  capabilities: { unsupported: [], properties: {} },
};

function refuse(): never {
  throw new Error("unavailable backend was called");
}

/** Never called. */
export const tensor = refuse;
/** Never called. */
export const vjp = refuse;
/** Never called. */
export const derivative = refuse;
/** Never called. */
export const secondDerivative = refuse;
/** One function per op, named as in the catalog; never called. */
export const {
  relu,
  leakyRelu,
  prelu,
  relu6,
  elu,
  selu,
  celu,
  sigmoid,
  logSigmoid,
  hardSigmoid,
  tanh,
  hardTanh,
  softsign,
  softplus,
  gelu,
  swish,
  silu,
  mish,
  hardSwish,
} = Object.fromEntries(opNames.map((op) => [op, refuse])) as Record<
  string,
  typeof refuse
>;
