/**
 * A test backend built on the float64 reference, wrong on purpose in known
 * places, so that the figures' differences can be checked against numbers
 * known in advance:
 * - relu(x) is one float32 ULP too large for x > 4;
 * - relu'(−1) is NaN;
 * - mish has no derivative (NotSupportedError, and said so in capabilities).
 * Only the convenience forms of the ops and `derivative` work; the rest of
 * the contract exists so that `loadBackend` accepts the module.
 *
 * @module
 */

import {
  type BackendInfo,
  NotSupportedError,
  type OpName,
  opNames,
  ops,
  resolveParams,
} from "@nonlin/core";

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

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** The next float32 above a positive float32. */
export function nextUp(x: number): number {
  f32[0] = x;
  u32[0] = u32[0]! + 1;
  return f32[0]!;
}

function evaluate(
  op: OpName,
  x: Float32Array,
  options: unknown,
  which: "f" | "dfdx",
): Float32Array {
  const p = resolveParams(op, options) as Record<string, number | string>;
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = ops[op][which](x[i]!, p);
  return out;
}

function opFunction(op: OpName) {
  return (x: Float32Array, options?: unknown): Promise<Float32Array> => {
    const y = evaluate(op, x, options, "f");
    if (op === "relu") {
      for (let i = 0; i < x.length; i++) if (x[i]! > 4) y[i] = nextUp(y[i]!);
    }
    return Promise.resolve(y);
  };
}

/** f'(x) from the reference, with the faults above. */
export function derivative(
  op: OpName,
  x: Float32Array,
  options?: unknown,
): Promise<Float32Array> {
  if (op === "mish") {
    throw new NotSupportedError(NAME, op, "derivative", "left out on purpose");
  }
  const dy = evaluate(op, x, options, "dfdx");
  if (op === "relu") {
    for (let i = 0; i < x.length; i++) if (x[i] === -1) dy[i] = NaN;
  }
  return Promise.resolve(dy);
}

function unsupported(feature: string): () => never {
  return () => {
    throw new NotSupportedError(
      NAME,
      "any",
      feature,
      "this test backend has only the convenience forms",
    );
  };
}

/** Not supported. */
export const tensor: () => never = unsupported("tensor");
/** Not supported. */
export const vjp: () => never = unsupported("vjp");
/** Not supported. */
export const secondDerivative: () => never = unsupported("secondDerivative");

/** One function per op, named as in the catalog. */
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
} = Object.fromEntries(opNames.map((op) => [op, opFunction(op)])) as Record<
  OpName,
  ReturnType<typeof opFunction>
>;
