// The example reference backend with one deliberate departure per check kind,
// for the tests that prove each check can fail. Every departure is applied to
// the reference's own results, in both the resident and the array form.

import type {
  ArrayInput,
  ElementwiseDerivative,
  OpFunction,
  Tensor,
  Vjp,
} from "@nonlin/core";
import * as reference from "../../examples/reference_backend.ts";
import { dataOf, rewrite as rewriteEach, ulpsAway } from "./faults/_fault.ts";

export * from "../../examples/reference_backend.ts";

export const backend = { ...reference.backend, name: "broken-example" };

/** Rewrites each element of a result, in whichever form it came, by x. */
function rewrite<T extends Tensor | Promise<Float32Array>>(
  result: T,
  x: Tensor | ArrayInput,
  change: (y: number, x: number) => number,
): T {
  const xs = dataOf(x);
  return rewriteEach(result, (y, i) => change(y, xs[i]!));
}

// kink: relu'(0) = 1, the right-hand derivative.
export const derivative: ElementwiseDerivative =
  ((op: string, x: Tensor | ArrayInput, ...rest: unknown[]) => {
    const out = (reference.derivative as (
      ...a: unknown[]
    ) => Tensor | Promise<Float32Array>)(op, x, ...rest);
    if (op === "relu") return rewrite(out, x, (y, v) => (v === 0 ? 1 : y));
    // derivative (and finiteDifference): elu' off by 2⁻¹⁰ for x < −1.
    if (op === "elu") {
      return rewrite(out, x, (y, v) => (v < -1 ? y * (1 + 2 ** -10) : y));
    }
    return out;
  }) as ElementwiseDerivative;

// signOfZero: tanh(−0) = +0.
export const tanh = ((x: Tensor | ArrayInput) =>
  rewrite(
    (reference.tanh as (x: unknown) => Tensor | Promise<Float32Array>)(x),
    x,
    (y) => (y === 0 ? 0 : y),
  )) as OpFunction<"tanh">;

// flushToZero: subnormal results of sigmoid become 0.
export const sigmoid = ((x: Tensor | ArrayInput) =>
  rewrite(
    (reference.sigmoid as (x: unknown) => Tensor | Promise<Float32Array>)(x),
    x,
    (y) => (y !== 0 && Math.abs(y) < 2 ** -126 ? 0 : y),
  )) as OpFunction<"sigmoid">;

// values: softplus 128 ULP off for x > 1.
export const softplus = ((x: Tensor | ArrayInput, options?: unknown) =>
  rewrite(
    (reference.softplus as (
      x: unknown,
      o?: unknown,
    ) => Tensor | Promise<Float32Array>)(x, options),
    x,
    (y, v) => (v > 1 ? ulpsAway(y, 128) : y),
  )) as OpFunction<"softplus">;

// special: gelu(NaN) = 0.
export const gelu = ((x: Tensor | ArrayInput, options?: unknown) =>
  rewrite(
    (reference.gelu as (
      x: unknown,
      o?: unknown,
    ) => Tensor | Promise<Float32Array>)(x, options),
    x,
    (y, v) => (v !== v ? 0 : y),
  )) as OpFunction<"gelu">;

// resident: the array form of swish is one ULP off for x > 0.
export const swish = ((x: Tensor | ArrayInput, options?: unknown) => {
  const out = (reference.swish as (
    x: unknown,
    o?: unknown,
  ) => Tensor | Promise<Float32Array>)(x, options);
  return out instanceof Promise
    ? rewrite(out, x, (y, v) => (v > 0 ? ulpsAway(y, 1) : y))
    : out;
}) as OpFunction<"swish">;

// shapes: hardSwish's resident result is always flat.
export const hardSwish = ((x: Tensor | ArrayInput) => {
  const out =
    (reference.hardSwish as (x: unknown) => Tensor | Promise<Float32Array>)(x);
  if (out instanceof Promise) return out;
  const flat = reference.tensor(dataOf(out), [out.size]);
  out.dispose();
  return flat;
}) as OpFunction<"hardSwish">;

// dparams: leakyRelu's ∂/∂α is 1% too large.
export const vjp: Vjp =
  ((op: string, x: Tensor | ArrayInput, options: unknown) => {
    const result = (reference.vjp as (...a: unknown[]) => unknown)(
      op,
      x,
      options,
    );
    if (op !== "leakyRelu") return result;
    const scale = (g: { dparams: { alpha: Tensor | Float32Array } }) => {
      const a = g.dparams.alpha;
      const data = a instanceof Float32Array ? a : dataOf(a);
      for (let i = 0; i < data.length; i++) data[i] = data[i]! * 1.01;
      return g;
    };
    return result instanceof Promise
      ? result.then(scale)
      : scale(result as never);
  }) as Vjp;
