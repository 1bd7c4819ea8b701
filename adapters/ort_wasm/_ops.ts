// Every catalog op as ONNX graphs: the forward by ONNX's own operator where
// the opset has one (the way an ONNX exporter writes it), and the first
// derivative and the parameter derivatives written from the catalog's
// formulas in ONNX primitives, because onnxruntime-web has no autodiff (its
// training API was removed from the web package).
//
// The derivative graphs hold nonlin's conventions, as they are this
// adapter's own formulas: the left-hand derivative at kinks, NaN kept
// (`keepNaN`), the limits at ±∞ (inputs clipped where a product would be
// ∞·0). The forward graphs are ONNX Runtime's kernels, uncorrected.

import type { OpName } from "@nonlin/core";
import type { GraphBuilder, V } from "./_graph.ts";

/** The ai.onnx opset of every graph: Swish needs 24, Gelu 20. */
export const OPSET = 24;

/** A parameter as a graph receives it: a value, a choice, or a graph input. */
export type OrtParam = number | string | { readonly input: V };

/** The parameters as a graph receives them. */
export type OrtParams = Readonly<Record<string, OrtParam>>;

/** An expression of x in one graph. */
export type Expr = (g: GraphBuilder, x: V, p: OrtParams) => V;

/** One op: its forward, its first derivative and its parameter derivatives. */
export interface OrtOp {
  /** f(x), by ONNX's operator where there is one. */
  readonly f: Expr;
  /** ∂f/∂x, left-hand at kinks. */
  readonly df: Expr;
  /** ∂f/∂θ element by element, for each learned parameter θ. */
  readonly dp: Readonly<Record<string, Expr>>;
}

function num(p: OrtParam | undefined): number {
  if (typeof p !== "number") throw new TypeError(`Expected a number: got ${p}`);
  return p;
}

/** A real parameter as a graph value. */
function val(g: GraphBuilder, p: OrtParam | undefined): V {
  if (typeof p === "number") return g.c(p);
  if (typeof p === "object") return p.input;
  throw new TypeError(`Expected a number or an input: got ${p}`);
}

/** 1 where `cond`, `other` elsewhere; NaN kept. */
function step(g: GraphBuilder, x: V, cond: V, other: V): V {
  return g.keepNaN(x, g.where(cond, g.c(1), other));
}

/**
 * expm1(x) without cancellation (Kahan): u = eˣ; x where u = 1, else
 * (u − 1)·x / log u; −1 below −20, where it is −1 in float32.
 */
function expm1(g: GraphBuilder, x: V): V {
  const u = g.exp(x);
  const kahan = g.div(g.mul(g.sub(u, g.c(1)), x), g.log(u));
  const small = g.where(g.equal(u, g.c(1)), x, kahan);
  return g.where(g.less(x, g.c(-20)), g.c(-1), small);
}

/** sech²(x) as (1/cosh x)², which underflows gradually instead of cancelling. */
function sech2(g: GraphBuilder, x: V): V {
  const r = g.node("Reciprocal", [g.node("Cosh", [x])]);
  return g.mul(r, r);
}

/**
 * σ(z) to a few ulps for the derivative graphs: e^{−|z|}/(1 + e^{−|z|}) for
 * z < 0, 1/(1 + e^{−|z|}) otherwise. ONNX Runtime's Sigmoid kernel (MLAS's
 * logistic) is a rational approximation accurate to ~1e-7 absolute, which is
 * percent-level in the left tail, and flushes below ~−18.
 */
function sigma(g: GraphBuilder, z: V): V {
  const a = g.exp(g.neg(g.node("Abs", [z])));
  const r = g.node("Reciprocal", [g.add(g.c(1), a)]);
  return g.where(g.less(z, g.c(0)), g.mul(a, r), r);
}

/** d/dz [z·σ(z)] = σ(z) + z·σ(z)·σ(−z), z clipped so that z·σ(−z) is never ∞·0. */
function swishSlope(g: GraphBuilder, z: V): V {
  const zc = g.clip(z, -200, 200);
  const s = sigma(g, zc);
  return g.add(s, g.mul(g.mul(zc, s), sigma(g, g.neg(zc))));
}

/** ELU's negative branch slope and value, shared by elu and selu. */
const eluDf = (g: GraphBuilder, x: V, alpha: V): V =>
  g.keepNaN(
    x,
    g.where(g.greater(x, g.c(0)), g.c(1), g.mul(alpha, g.exp(x))),
  );

/** hardshrink's and softshrink's slope: 1 where x > λ or x ≤ −λ (left-hand at both kinks). */
function shrinkSlope(g: GraphBuilder, x: V, p: OrtParams): V {
  const l = num(p.lambda);
  const inside = g.and(g.greater(x, g.c(-l)), g.lessEq(x, g.c(l)));
  return step(g, x, g.node("Not", [inside]), g.c(0));
}

/** softplus(βx)/β below the threshold, x above. */
function softplusSmooth(g: GraphBuilder, x: V, p: OrtParams): V {
  const beta = num(p.beta);
  if (beta === 1) return g.node("Softplus", [x]);
  return g.div(g.node("Softplus", [g.mul(x, g.c(beta))]), g.c(beta));
}

const SQRT_2_OVER_PI = 0.7978845608028654;
const INV_SQRT_2PI = 0.3989422804014327;

/** Every catalog op as ONNX graphs. */
export const ortOps: { readonly [N in OpName]: OrtOp } = {
  relu: {
    f: (g, x) => g.node("Relu", [x]),
    df: (g, x) => step(g, x, g.greater(x, g.c(0)), g.c(0)),
    dp: {},
  },
  leakyRelu: {
    f: (g, x, p) => g.node("LeakyRelu", [x], { alpha: { f: num(p.alpha) } }),
    df: (g, x, p) => step(g, x, g.greater(x, g.c(0)), val(g, p.alpha)),
    dp: { alpha: (g, x) => g.where(g.greater(x, g.c(0)), g.c(0), x) },
  },
  prelu: {
    f: (g, x, p) => g.node("PRelu", [x, val(g, p.alpha)]),
    df: (g, x, p) => step(g, x, g.greater(x, g.c(0)), val(g, p.alpha)),
    dp: { alpha: (g, x) => g.where(g.greater(x, g.c(0)), g.c(0), x) },
  },
  // ONNX has no Relu6: Clip(x, 0, 6), as exporters write it.
  relu6: {
    f: (g, x) => g.clip(x, 0, 6),
    df: (g, x) =>
      step(
        g,
        x,
        g.and(g.greater(x, g.c(0)), g.lessEq(x, g.c(6))),
        g.c(0),
      ),
    dp: {},
  },
  elu: {
    f: (g, x, p) => g.node("Elu", [x], { alpha: { f: num(p.alpha) } }),
    df: (g, x, p) => eluDf(g, x, val(g, p.alpha)),
    dp: {
      alpha: (g, x) => g.where(g.greater(x, g.c(0)), g.c(0), expm1(g, x)),
    },
  },
  // ONNX's Selu defaults are λ and α rounded to float32.
  selu: {
    f: (g, x) => g.node("Selu", [x]),
    df: (g, x) =>
      g.mul(g.c(1.0507009873554805), eluDf(g, x, g.c(1.6732632423543772))),
    dp: {},
  },
  celu: {
    f: (g, x, p) => g.node("Celu", [x], { alpha: { f: num(p.alpha) } }),
    df: (g, x, p) =>
      g.keepNaN(
        x,
        g.where(
          g.greater(x, g.c(0)),
          g.c(1),
          g.exp(g.div(x, val(g, p.alpha))),
        ),
      ),
    // ∂/∂α α(e^{x/α} − 1) = expm1(t) − t·eᵗ, t = x/α, for x ≤ 0.
    dp: {
      alpha: (g, x, p) => {
        // t clipped below at −200, where expm1 is −1 and t·eᵗ is 0 (not ∞·0).
        const t = g.node("Max", [g.div(x, val(g, p.alpha)), g.c(-200)]);
        const d = g.sub(expm1(g, t), g.mul(t, g.exp(t)));
        return g.where(g.greater(x, g.c(0)), g.c(0), d);
      },
    },
  },
  sigmoid: {
    f: (g, x) => g.sigmoid(x),
    // σ(x)·σ(−x) rather than σ(1 − σ), which is 0 once σ rounds to 1.
    df: (g, x) => g.mul(sigma(g, x), sigma(g, g.neg(x))),
    dp: {},
  },
  // ONNX has no LogSigmoid: −Softplus(−x).
  logSigmoid: {
    f: (g, x) => g.neg(g.node("Softplus", [g.neg(x)])),
    df: (g, x) => sigma(g, g.neg(x)),
    dp: {},
  },
  hardSigmoid: {
    f: (g, x) =>
      g.node("HardSigmoid", [x], { alpha: { f: 1 / 6 }, beta: { f: 0.5 } }),
    df: (g, x) =>
      g.keepNaN(
        x,
        g.where(
          g.and(g.greater(x, g.c(-3)), g.lessEq(x, g.c(3))),
          g.c(1 / 6),
          g.c(0),
        ),
      ),
    dp: {},
  },
  tanh: {
    f: (g, x) => g.node("Tanh", [x]),
    df: (g, x) => sech2(g, x),
    dp: {},
  },
  hardTanh: {
    f: (g, x, p) => g.clip(x, num(p.min), num(p.max)),
    df: (g, x, p) =>
      step(
        g,
        x,
        g.and(g.greater(x, g.c(num(p.min))), g.lessEq(x, g.c(num(p.max)))),
        g.c(0),
      ),
    dp: {},
  },
  softsign: {
    f: (g, x) => g.node("Softsign", [x]),
    df: (g, x) => {
      const r = g.node("Reciprocal", [g.add(g.c(1), g.node("Abs", [x]))]);
      return g.mul(r, r);
    },
    dp: {},
  },
  // ONNX's Softplus has no β or threshold: PyTorch's form around it.
  softplus: {
    f: (g, x, p) => {
      const smooth = softplusSmooth(g, x, p);
      const bx = g.mul(x, g.c(num(p.beta)));
      return g.where(g.greater(bx, g.c(num(p.threshold))), x, smooth);
    },
    df: (g, x, p) => {
      const bx = g.mul(x, g.c(num(p.beta)));
      return step(
        g,
        x,
        g.greater(bx, g.c(num(p.threshold))),
        sigma(g, bx),
      );
    },
    // ∂/∂β softplus(z)/β = (z·σ(z) − softplus(z))/β², z = βx, below the
    // threshold; as −(|z|·σ(−|z|) + softplus(−|z|))/β², which does not
    // cancel for large z (|z| clipped so that |z|·σ(−|z|) is never ∞·0).
    dp: {
      beta: (g, x, p) => {
        const beta = num(p.beta);
        const z = g.mul(x, g.c(beta));
        const a = g.clip(g.node("Abs", [z]), 0, 1e30);
        const sum = g.add(
          g.mul(a, sigma(g, g.neg(a))),
          g.node("Softplus", [g.neg(a)]),
        );
        const d = g.div(g.neg(sum), g.c(beta * beta));
        return g.keepNaN(
          x,
          g.where(g.greater(z, g.c(num(p.threshold))), g.c(0), d),
        );
      },
    },
  },
  gelu: {
    f: (g, x, p) =>
      g.node("Gelu", [x], { approximate: { s: String(p.approximate) } }),
    df: (g, x, p) => {
      if (p.approximate === "tanh") {
        // 0.5(1 + tanh u) + 0.5x·sech²(u)·u′, x clipped to ±20 (saturated).
        const xc = g.clip(x, -20, 20);
        const x2 = g.mul(xc, xc);
        const u = g.mul(
          g.c(SQRT_2_OVER_PI),
          g.add(xc, g.mul(g.c(0.044715), g.mul(x2, xc))),
        );
        const du = g.mul(
          g.c(SQRT_2_OVER_PI),
          g.add(g.c(1), g.mul(g.c(3 * 0.044715), x2)),
        );
        const left = g.mul(g.c(0.5), g.add(g.c(1), g.node("Tanh", [u])));
        const right = g.mul(g.mul(g.c(0.5), xc), g.mul(sech2(g, u), du));
        return g.keepNaN(x, g.add(left, right));
      }
      // Φ(x) + x·φ(x), x clipped to ±40 where both have saturated.
      const xc = g.clip(x, -40, 40);
      const cdf = g.mul(
        g.c(0.5),
        g.add(g.c(1), g.node("Erf", [g.mul(xc, g.c(Math.SQRT1_2))])),
      );
      const pdf = g.mul(
        g.c(INV_SQRT_2PI),
        g.exp(g.mul(g.c(-0.5), g.mul(xc, xc))),
      );
      return g.keepNaN(x, g.add(cdf, g.mul(xc, pdf)));
    },
    dp: {},
  },
  swish: {
    f: (g, x, p) => g.node("Swish", [x], { alpha: { f: num(p.beta) } }),
    df: (g, x, p) => {
      const beta = num(p.beta);
      // β = 0: swish is x/2 (z = 0 even for infinite x, as the catalog says).
      if (beta === 0) return g.keepNaN(x, g.c(0.5));
      return g.keepNaN(x, swishSlope(g, g.mul(x, g.c(beta))));
    },
    // ∂/∂β x·σ(βx) = x²·σ(βx)·σ(−βx), x clipped where σσ has underflowed.
    dp: {
      beta: (g, x, p) => {
        // β = 0: x²/4 (∞ where x² overflows), not clipped: σσ is 1/4 for
        // every x, so no clip bound saturates it.
        if (num(p.beta) === 0) {
          return g.keepNaN(x, g.mul(g.mul(x, x), g.c(0.25)));
        }
        const xc = g.clip(x, -1e18, 1e18);
        const z = g.mul(xc, g.c(num(p.beta)));
        const d = g.mul(
          g.mul(xc, xc),
          g.mul(sigma(g, z), sigma(g, g.neg(z))),
        );
        return g.keepNaN(x, d);
      },
    },
  },
  silu: {
    f: (g, x) => g.node("Swish", [x], { alpha: { f: 1 } }),
    df: (g, x) => g.keepNaN(x, swishSlope(g, x)),
    dp: {},
  },
  mish: {
    f: (g, x) => g.node("Mish", [x]),
    // tanh(sp) + x·sech²(sp)·σ(x), sp = softplus(x), x clipped to ±200.
    df: (g, x) => {
      const xc = g.clip(x, -200, 200);
      const sp = g.node("Softplus", [xc]);
      const d = g.add(
        g.node("Tanh", [sp]),
        g.mul(g.mul(xc, sech2(g, sp)), sigma(g, xc)),
      );
      return g.keepNaN(x, d);
    },
    dp: {},
  },
  hardSwish: {
    f: (g, x) => g.node("HardSwish", [x]),
    df: (g, x) => {
      const mid = g.div(g.add(g.mul(g.c(2), x), g.c(3)), g.c(6));
      return g.keepNaN(
        x,
        g.where(
          g.lessEq(x, g.c(-3)),
          g.c(0),
          g.where(g.lessEq(x, g.c(3)), mid, g.c(1)),
        ),
      );
    },
    dp: {},
  },
  // ONNX Shrink (what PyTorch exports hardshrink as), bias 0.
  hardshrink: {
    f: (g, x, p) =>
      g.node("Shrink", [x], {
        bias: { f: 0 },
        lambd: { f: num(p.lambda) },
      }),
    df: shrinkSlope,
    dp: {},
  },
  // ONNX Shrink with bias λ (what PyTorch exports softshrink as).
  softshrink: {
    f: (g, x, p) =>
      g.node("Shrink", [x], {
        bias: { f: num(p.lambda) },
        lambd: { f: num(p.lambda) },
      }),
    df: shrinkSlope, // hardshrink's slope
    dp: {},
  },
  // ONNX has no Tanhshrink: x − Tanh(x), as PyTorch exports it.
  tanhshrink: {
    f: (g, x) => g.sub(x, g.node("Tanh", [x])),
    // tanh²x: a square, no cancellation.
    df: (g, x) => {
      const t = g.node("Tanh", [x]);
      return g.mul(t, t);
    },
    dp: {},
  },
  // ONNX has no Threshold: PyTorch's value where x ≤ threshold (NaN passes).
  threshold: {
    f: (g, x, p) =>
      g.where(g.lessEq(x, val(g, p.threshold)), val(g, p.value), x),
    df: (g, x, p) => step(g, x, g.greater(x, val(g, p.threshold)), g.c(0)),
    dp: {},
  },
  // ONNX has no Squareplus: (x + Sqrt(x² + b))/2, as written.
  squareplus: {
    f: (g, x, p) => {
      const s = g.node("Sqrt", [g.add(g.mul(x, x), g.c(num(p.b)))]);
      return g.div(g.add(x, s), g.c(2));
    },
    // (1 + x/s)/2; below 0 b/(2s(s − x)), which does not cancel; beyond
    // |x| = 10¹⁵ (x² overflows float32 past 2⁶⁴) g = (b/4)/|x|/|x| below
    // and 1 − g above; relu's slope for b = 0 (x/s is 0/0 at 0).
    df: (g, x, p) => {
      const b = num(p.b);
      if (b === 0) return step(g, x, g.greater(x, g.c(0)), g.c(0));
      const xc = g.clip(x, -1e15, 1e15);
      const s = g.node("Sqrt", [g.add(g.mul(xc, xc), g.c(b))]);
      const pos = g.greater(x, g.c(0));
      const inside = g.where(
        pos,
        g.div(g.add(g.c(1), g.div(xc, s)), g.c(2)),
        g.div(g.c(b), g.mul(g.mul(g.c(2), s), g.sub(s, xc))),
      );
      const a = g.node("Abs", [x]);
      const far = g.div(g.div(g.c(b / 4), a), a);
      const beyond = g.where(pos, g.sub(g.c(1), far), far);
      return g.keepNaN(
        x,
        g.where(g.greater(a, g.c(1e15)), beyond, inside),
      );
    },
    dp: {},
  },
};
