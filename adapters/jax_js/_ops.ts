// Every catalog op written the way a jax-js user computes it: jax.nn's own
// function where one exists, otherwise the catalog formula in jax.numpy.
// Nothing here corrects jax-js's results (its kink convention included): the
// conformance suite must see what jax-js does.
//
// jax-js arrays move into the op they are passed to; an array used twice is
// passed as `.ref` the first time (jax-js's ownership rule, also under jit).

import { type Array as JaxArray, nn, numpy as np } from "@jax-js/jax";
import type { OpName } from "@nonlin/core";

/** A parameter as an op expression receives it. */
export type JaxParam = number | string | JaxArray;

/** The parameters as an op expression receives them. */
export type JaxParams = Readonly<Record<string, JaxParam>>;

/** One op: x and the parameters in (both moved), f(x) out. */
export type JaxOp = (x: JaxArray, p: JaxParams) => JaxArray;

function real(p: JaxParam | undefined): number | JaxArray {
  if (p === undefined || typeof p === "string") {
    throw new TypeError(`Expected a number or an array: got ${p}`);
  }
  return p;
}

function num(p: JaxParam | undefined): number {
  if (typeof p !== "number") {
    throw new TypeError(`Expected a number: got ${p}`);
  }
  return p;
}

/** The jax-js expression of every op. */
export const jaxOps: { readonly [N in OpName]: JaxOp } = {
  relu: (x) => nn.relu(x),
  leakyRelu: (x, p) => nn.leakyRelu(x, real(p.alpha)),
  // jax.nn has no prelu; leakyRelu's slope broadcasts like prelu's α.
  prelu: (x, p) => nn.leakyRelu(x, real(p.alpha)),
  relu6: (x) => nn.relu6(x),
  elu: (x, p) => nn.elu(x, real(p.alpha)),
  selu: (x) => nn.selu(x),
  // jax.nn.celu uses α twice without `.ref`, so a traced α (for its
  // gradient) is freed before its second use (jax-js 0.1.25, nn.ts celu):
  // then the same expression, with α referenced.
  celu: (x, p) => {
    const alpha = real(p.alpha);
    if (typeof alpha === "number") return nn.celu(x, alpha);
    const negative = np.exp(x.ref.div(alpha.ref)).sub(1).mul(alpha);
    return np.where(np.less(x.ref, 0), negative, x);
  },
  sigmoid: (x) => nn.sigmoid(x),
  logSigmoid: (x) => nn.logSigmoid(x),
  hardSigmoid: (x) => nn.hardSigmoid(x),
  tanh: (x) => np.tanh(x),
  // jax.nn.hard_tanh is clip(x, −1, 1) only; clip takes the bounds.
  hardTanh: (x, p) => np.clip(x, num(p.min), num(p.max)),
  softsign: (x) => nn.softSign(x),
  // PyTorch's softplus(β, threshold) on jax.nn.softplus: linear above the
  // threshold, softplus(βx)/β below. The smooth branch sees 0 above the
  // threshold (JAX's "double where"), so its gradient there is not ∞·0.
  softplus: (x, p) => {
    const beta = real(p.beta);
    const ref = () => (typeof beta === "number" ? beta : beta.ref);
    const linear = np.greater(np.multiply(ref(), x.ref), num(p.threshold));
    const bx = np.where(linear.ref, 0, np.multiply(ref(), x.ref));
    const smooth = np.divide(nn.softplus(bx), beta);
    return np.where(linear, x, smooth);
  },
  // jax-js defaults to the tanh form; the catalog's default is the exact one.
  gelu: (x, p) => nn.gelu(x, { approximate: p.approximate === "tanh" }),
  // jax.nn.swish is silu (β = 1); with β: x·σ(βx).
  swish: (x, p) => np.multiply(x.ref, nn.sigmoid(np.multiply(real(p.beta), x))),
  silu: (x) => nn.silu(x),
  mish: (x) => nn.mish(x),
  hardSwish: (x) => nn.hardSwish(x),
  // jax.nn has no hardshrink: PyTorch's where(|x| > λ, x, 0).
  hardshrink: (x, p) =>
    np.where(np.greater(np.abs(x.ref), real(p.lambda)), x, 0),
  // jax.nn has no softshrink: PyTorch's x ∓ λ outside [−λ, λ], else 0.
  softshrink: (x, p) => {
    const l = num(p.lambda);
    const below = np.where(np.less(x.ref, -l), np.add(x.ref, l), 0);
    return np.where(np.greater(x.ref, l), np.subtract(x, l), below);
  },
  // jax.nn has no tanhshrink: x − tanh x, as written.
  tanhshrink: (x) => np.subtract(x.ref, np.tanh(x)),
  // jax.nn has no threshold: PyTorch's value where x ≤ threshold (NaN passes).
  threshold: (x, p) =>
    np.where(np.lessEqual(x.ref, num(p.threshold)), num(p.value), x),
  // jax-js's nn has no squareplus: JAX's formula (x + √(x² + b))/2, halved
  // term by term, since jax-js's jit rounds the gradient of the halved sum
  // differently in grad and vjp (the contract holds them to the same bits).
  squareplus: (x, p) =>
    np.add(
      np.multiply(x.ref, 0.5),
      np.multiply(np.sqrt(np.add(np.square(x), num(p.b))), 0.5),
    ),
};
