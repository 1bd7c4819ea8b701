// The four computations every adapter offers, in tfjs and nothing else: no
// validation, no tidy, no backend switching (the caller does all three).
// Gradients come from tfjs's own autodiff: tf.grads for the VJP, tf.grad for
// the derivative, tf.grad of tf.grad for the second derivative.

import * as tf from "@tensorflow/tfjs";
import { type OpName, ops } from "@nonlin/core";
import { tfjsOps, type TfParams } from "./_ops.ts";
import type { TfTensor } from "./_tensor.ts";

/** The names of op's learned parameters, in catalog order. */
export function learnedParams(op: OpName): readonly string[] {
  return Object.entries(ops[op].params)
    .filter(([, spec]) => spec.learned)
    .map(([name]) => name);
}

/** f(x). */
export function forward(op: OpName, x: TfTensor, p: TfParams): TfTensor {
  const { f, branch } = tfjsOps[op];
  return f(x, p, branch?.(x, p));
}

/** The gradients a VJP returns, as tf tensors. */
export interface TfGradients {
  /** dL/dx. */
  readonly dx: TfTensor;
  /** dL/dθ for each learned parameter θ. */
  readonly dparams: Readonly<Record<string, TfTensor>>;
}

/**
 * The VJP by tf.grads: with respect to x and to every learned parameter,
 * which `learned` holds as tf tensors (their gradients take their shapes).
 */
export function vjp(
  op: OpName,
  x: TfTensor,
  dy: TfTensor,
  p: TfParams,
  learned: Readonly<Record<string, TfTensor>>,
): TfGradients {
  const { f, branch } = tfjsOps[op];
  const names = Object.keys(learned);
  if (x.size === 0) {
    // Zeros, not tfjs's answer: tfjs-wasm's Sum over no elements leaves its
    // output uninitialised (dα came out 3.6e-41), and tfjs-webgpu's reduction
    // throws "Dispatch size exceeds WebGPU limits" for 0 elements.
    const dparams: Record<string, TfTensor> = {};
    for (const name of names) dparams[name] = tf.zerosLike(learned[name]!);
    return { dx: tf.zerosLike(x), dparams };
  }
  const withLearned = (values: readonly TfTensor[]): TfParams => {
    const q: Record<string, TfParams[string]> = { ...p };
    names.forEach((name, i) => (q[name] = values[i]!));
    return q;
  };
  const thetas = names.map((name) => learned[name]!);
  const mask = branch?.(x, withLearned(thetas));
  const [dx, ...dthetas] = tf.grads((xi: TfTensor, ...ti: TfTensor[]) =>
    f(xi, withLearned(ti), mask)
  )([x, ...thetas], dy);
  const dparams: Record<string, TfTensor> = {};
  names.forEach((name, i) => (dparams[name] = dthetas[i]!));
  return { dx: dx!, dparams };
}

/** ∂f/∂x elementwise: tf.grad, whose upstream gradient is ones. */
export function derivative(op: OpName, x: TfTensor, p: TfParams): TfTensor {
  const { f, branch } = tfjsOps[op];
  const mask = branch?.(x, p);
  return tf.grad((xi: TfTensor) => f(xi, p, mask))(x);
}

/** ∂²f/∂x² elementwise: tf.grad nested in tf.grad. */
export function secondDerivative(
  op: OpName,
  x: TfTensor,
  p: TfParams,
): TfTensor {
  const { f, branch } = tfjsOps[op];
  const mask = branch?.(x, p);
  return tf.grad((xo: TfTensor) =>
    tf.grad((xi: TfTensor) => f(xi, p, mask))(xo)
  )(x);
}
