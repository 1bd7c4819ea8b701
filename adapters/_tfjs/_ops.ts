// Every catalog op written the way a TensorFlow.js user computes it: tfjs's
// own op where one exists, otherwise the composition tfjs-layers uses (its
// activations.ts), otherwise the catalog formula in tfjs primitives. Nothing
// here corrects tfjs's results: the conformance suite must see what tfjs does.

import * as tf from "@tensorflow/tfjs";
import type { OpName } from "@nonlin/core";
import type { TfTensor } from "./_tensor.ts";

/**
 * A parameter as an op expression receives it: a number for a constant, a tf
 * tensor when a gradient is taken with respect to it (and always for prelu's
 * α), a string for a choice.
 */
export type TfParam = number | string | TfTensor;

/** The parameters as an op expression receives them. */
export type TfParams = Readonly<Record<string, TfParam>>;

/** One op in tfjs. */
export interface TfOp {
  /**
   * For a piecewise composition: the boolean mask that picks each element's
   * branch. It is computed before any gradient tape starts, because tfjs has
   * no gradient for comparisons (`Greater`, `LessEqual`) and refuses to
   * differentiate through a `tf.where` whose condition depends on x.
   */
  readonly branch?: (x: TfTensor, p: TfParams) => TfTensor;
  /** f(x): x and the parameters (and the branch mask, if any) in, x's shape out. */
  readonly f: (x: TfTensor, p: TfParams, branch?: TfTensor) => TfTensor;
}

/** A learned or real parameter: a number or a tensor, never a choice. */
function real(p: TfParam): number | TfTensor {
  if (typeof p === "string") {
    throw new TypeError(`Expected a number or a tensor: got "${p}"`);
  }
  return p;
}

/**
 * α broadcast to x's shape where tfjs's Prelu would get it wrong: tfjs-wasm's
 * kernel broadcasts α only along the trailing axes, so an α that is a scalar
 * or matches x's trailing dimensions is passed as it is (no copy, and
 * tfjs-webgpu's reduction of a broadcast scalar's gradient over a large x is
 * avoided), and any other (α of shape [2, 1] on x of shape [2, 3]) is
 * expanded first.
 */
function expanded(alpha: number | TfTensor, x: TfTensor): TfTensor {
  if (typeof alpha === "number" || x.size === 0) return alpha as TfTensor;
  const dims = [...alpha.shape];
  while (dims.length > 0 && dims[0] === 1) dims.shift();
  const trailing = dims.every((d, i) =>
    d === x.shape[x.rank - dims.length + i]
  );
  return trailing ? alpha : tf.broadcastTo(alpha, x.shape);
}

/** elu_α through tfjs's own elu on the non-positive part: relu(x) + α·elu(min(x, 0)). */
function scaledElu(x: TfTensor, alpha: number | TfTensor): TfTensor {
  return tf.add(tf.relu(x), tf.mul(alpha, tf.elu(tf.minimum(x, 0))));
}

/**
 * The tfjs expression of every op. Expressions take a parameter as a number
 * when it is constant and as a tensor when its gradient is wanted; an op whose
 * tfjs kernel takes the parameter only as a number switches to the tfjs op
 * that takes a tensor (leakyRelu → prelu, as a tfjs user trains the slope).
 */
export const tfjsOps: { readonly [N in OpName]: TfOp } = {
  relu: { f: (x) => tf.relu(x) },
  // tf.leakyRelu takes α only as a number; tf.prelu is tfjs's leaky ReLU with
  // a tensor slope, the op a tfjs user trains α with.
  leakyRelu: {
    f: (x, p) => {
      const alpha = real(p.alpha!);
      return typeof alpha === "number"
        ? tf.leakyRelu(x, alpha)
        : tf.prelu(x, alpha);
    },
  },
  // α is expanded to x's shape first: tfjs-wasm's Prelu kernel broadcasts α
  // only along the last axis (α of shape [2, 1] on x of shape [2, 3] came out
  // as the wrong slopes), and BroadcastTo's gradient sums dα back to α's shape.
  prelu: { f: (x, p) => tf.prelu(x, expanded(real(p.alpha!), x)) },
  relu6: { f: (x) => tf.relu6(x) },
  // tf.elu has no α; tfjs-layers refuses α ≠ 1 ("not implemented yet").
  elu: {
    f: (x, p) => {
      const alpha = real(p.alpha!);
      return alpha === 1 ? tf.elu(x) : scaledElu(x, alpha);
    },
  },
  selu: { f: (x) => tf.selu(x) },
  // max(0, x) + min(0, α(e^{x/α} − 1)) = relu(x) + α·elu(min(x, 0)/α) for α > 0.
  celu: {
    f: (x, p) => {
      const alpha = real(p.alpha!);
      return tf.add(
        tf.relu(x),
        tf.mul(alpha, tf.elu(tf.div(tf.minimum(x, 0), alpha))),
      );
    },
  },
  sigmoid: { f: (x) => tf.sigmoid(x) },
  logSigmoid: { f: (x) => tf.logSigmoid(x) },
  // Not tfjs-layers' hardSigmoid, which is Keras's clip(0.2x + 0.5, 0, 1).
  hardSigmoid: { f: (x) => tf.div(tf.relu6(tf.add(x, 3)), 6) },
  tanh: { f: (x) => tf.tanh(x) },
  hardTanh: {
    f: (x, p) => tf.clipByValue(x, p.min as number, p.max as number),
  },
  // tfjs-layers' softsign.
  softsign: { f: (x) => tf.div(x, tf.add(tf.abs(x), 1)) },
  // PyTorch's threshold on top of tf.softplus (which has its own, ~15.9).
  softplus: {
    branch: (x, p) => {
      const beta = real(p.beta!);
      return tf.greater(
        beta === 1 ? x : tf.mul(x, beta),
        p.threshold as number,
      );
    },
    f: (x, p, linear) => {
      const beta = real(p.beta!);
      const smooth = beta === 1
        ? tf.softplus(x)
        : tf.div(tf.softplus(tf.mul(x, beta)), beta);
      return tf.where(linear!, x, smooth);
    },
  },
  // tfjs-layers' gelu and gelu_new, operation for operation.
  gelu: {
    f: (x, p) => {
      if (p.approximate === "tanh") {
        const inner = tf.mul(
          tf.sqrt(tf.div(2, Math.PI)),
          tf.add(x, tf.mul(0.044715, tf.pow(x, 3))),
        );
        return tf.mul(0.5, tf.mul(x, tf.add(1, tf.tanh(inner))));
      }
      const cdf = tf.mul(0.5, tf.add(1, tf.erf(tf.div(x, Math.sqrt(2)))));
      return tf.mul(x, cdf);
    },
  },
  // tfjs-layers' swish, with its α as β.
  swish: { f: (x, p) => tf.mul(tf.sigmoid(tf.mul(x, real(p.beta!))), x) },
  silu: { f: (x) => tf.mul(tf.sigmoid(x), x) },
  // tfjs-layers' mish.
  mish: { f: (x) => tf.mul(x, tf.tanh(tf.softplus(x))) },
  hardSwish: { f: (x) => tf.div(tf.mul(x, tf.relu6(tf.add(x, 3))), 6) },
  // x·step(|x| − λ): tfjs's step keeps the derivative a function of x.
  hardshrink: {
    f: (x, p) => tf.mul(x, tf.step(tf.sub(tf.abs(x), p.lambda as number))),
  },
  // Soft thresholding as a tfjs user writes it: sign(x)·relu(|x| − λ).
  softshrink: {
    f: (x, p) =>
      tf.mul(tf.sign(x), tf.relu(tf.sub(tf.abs(x), p.lambda as number))),
  },
  // PyTorch's tanhshrink, x − tanh x, as written.
  tanhshrink: { f: (x) => tf.sub(x, tf.tanh(x)) },
  // PyTorch's threshold: the value where x ≤ threshold (NaN passes).
  threshold: {
    branch: (x, p) => tf.lessEqual(x, p.threshold as number),
    f: (x, p, below) =>
      tf.where(below!, tf.fill(x.shape, p.value as number), x),
  }, // Squareplus as a tfjs user writes it: (x + √(x² + b))/2.
  squareplus: {
    f: (x, p) =>
      tf.div(tf.add(x, tf.sqrt(tf.add(tf.square(x), p.b as number))), 2),
  },
};
