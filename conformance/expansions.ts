/**
 * Each op written out as a composition of elementary operations, for the
 * `fusedVjp` check: native's autodiff differentiates the composition, and
 * the result must agree with native's fused VJP of the op. Piecewise ops
 * use masks computed from x (constants to the autodiff, so their branches
 * follow the pinned left-hand convention exactly); the rest is the formula of
 * the catalog entry, as written in the book where it gives one.
 *
 * @module
 */

import type { OpName } from "@nonlin/core";

/** What the compositions need of native's autodiff `Variable`. */
export interface Variable {
  add(other: Variable | number | unknown): Variable;
  sub(other: Variable | number | unknown): Variable;
  mul(other: Variable | number | unknown): Variable;
  div(other: Variable | number | unknown): Variable;
  neg(): Variable;
  exp(): Variable;
  log1p(): Variable;
  expm1(): Variable;
  tanh(): Variable;
  sigmoid(): Variable;
  erf(): Variable;
  sqrt(): Variable;
}

/** A learned parameter as a variable, a fixed one as its value. */
export type ExpansionParams = Readonly<
  Record<string, Variable | number | string>
>;

/** Builds a mask over x, shaped like x: 1 where the predicate holds, else 0. */
export type Where = (predicate: (x: number, i: number) => boolean) => unknown;

/**
 * One op's composition, of x, its parameters (learned ones as variables),
 * masks over x, and the numeric value of any parameter.
 */
export type Expansion = (
  x: Variable,
  p: ExpansionParams,
  where: Where,
  value: (name: string) => number,
) => Variable;

const SQRT_2_OVER_PI = 0.7978845608028654;
const SELU_LAMBDA = 1.0507009873554805;
const SELU_ALPHA = 1.6732632423543772;

/** x where the mask is 1, else `other`: x·m + other·(1 − m). */
function select(x: Variable, mask: unknown, other: Variable): Variable {
  return x.mul(mask).add(other.sub(other.mul(mask)));
}

/** min(x, 0) by mask: x where x ≤ 0. */
function negativePart(x: Variable, where: Where): Variable {
  return x.mul(where((v) => v <= 0));
}

/** The composition of every op. */
export const expansions: { readonly [N in OpName]: Expansion } = {
  relu: (x, _p, where) => x.mul(where((v) => v > 0)),
  leakyRelu: (x, p, where) =>
    x.mul(where((v) => v > 0)).add(negativePart(x, where).mul(p.alpha)),
  prelu: (x, p, where) =>
    x.mul(where((v) => v > 0)).add(negativePart(x, where).mul(p.alpha)),
  relu6: (x, _p, where) =>
    select(
      x,
      where((v) => v > 0 && v <= 6),
      x.mul(0).add(where((v) => v > 6)).mul(6),
    ),
  elu: (x, p, where) =>
    x.mul(where((v) => v > 0)).add(negativePart(x, where).expm1().mul(p.alpha)),
  selu: (x, _p, where) =>
    x.mul(where((v) => v > 0)).add(
      negativePart(x, where).expm1().mul(SELU_ALPHA),
    ).mul(SELU_LAMBDA),
  celu: (x, p, where) =>
    x.mul(where((v) => v > 0)).add(
      negativePart(x, where).div(p.alpha).expm1().mul(p.alpha),
    ),
  sigmoid: (x) => x.exp().div(x.exp().add(1)),
  logSigmoid: (x) => x.neg().exp().log1p().neg(),
  hardSigmoid: (x, _p, where) =>
    select(
      x.add(3).div(6),
      where((v) => v > -3 && v <= 3),
      x.mul(0).add(where((v) => v > 3)),
    ),
  tanh: (x) => {
    const e = x.mul(-2).exp();
    return e.neg().add(1).div(e.add(1));
  },
  hardTanh: (x, _p, where, value) =>
    select(
      x,
      where((v) => v > value("min") && v <= value("max")),
      x.mul(0).add(where((v) => v <= value("min"))).mul(value("min")).add(
        x.mul(0).add(where((v) => v > value("max"))).mul(value("max")),
      ),
    ),
  softsign: (x, _p, where) =>
    x.div(x.mul(where((v) => v >= 0)).sub(x.mul(where((v) => v < 0))).add(1)),
  softplus: (x, p, where, value) =>
    select(
      x,
      where((v) => value("beta") * v > value("threshold")),
      x.mul(p.beta).exp().log1p().div(p.beta),
    ),
  gelu: (x, p) =>
    p.approximate === "tanh"
      ? x.mul(0.5).mul(
        x.add(x.mul(x).mul(x).mul(0.044715)).mul(SQRT_2_OVER_PI).tanh().add(1),
      )
      : x.mul(0.5).mul(x.mul(Math.SQRT1_2).erf().add(1)),
  swish: (x, p) => x.mul(x.mul(p.beta).sigmoid()),
  silu: (x) => x.mul(x.sigmoid()),
  mish: (x) => x.mul(x.exp().log1p().tanh()),
  hardSwish: (x, _p, where) =>
    select(
      x.mul(x.add(3)).div(6),
      where((v) => v > -3 && v <= 3),
      x.mul(where((v) => v > 3)),
    ),
  // x outside the band; at −λ, x + λ: 0 with slope 1 (the left-hand one).
  hardshrink: (x, _p, where, value) =>
    x.mul(where((v) => Math.abs(v) > value("lambda"))).add(
      x.add(value("lambda")).mul(where((v) => v === -value("lambda"))),
    ),
  // x ∓ λ outside the band; x + λ at −λ too, for the left-hand slope 1.
  softshrink: (x, _p, where, value) =>
    x.sub(value("lambda")).mul(where((v) => v > value("lambda"))).add(
      x.add(value("lambda")).mul(where((v) => v <= -value("lambda"))),
    ),
  tanhshrink: (x) => x.sub(x.tanh()),
  threshold: (x, _p, where, value) =>
    select(
      x,
      where((v) => v > value("threshold")),
      x.mul(0).add(value("value")),
    ),
  // (x + √(x² + b))/2 as written (its float64 cancellation for large
  // negative x is within the check's composition slack); with b = 0 it is
  // relu, whose mask gives the left-hand slope at 0 (√(x²)'s is 0/0).
  squareplus: (x, _p, where, value) =>
    value("b") === 0
      ? x.mul(where((v) => v > 0))
      : x.add(x.mul(x).add(value("b")).sqrt()).mul(0.5),
};
