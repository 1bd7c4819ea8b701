/**
 * The lane formulas of every SIMD kernel: for each op, forward, derivative,
 * second derivative and the fused VJP (dx and the learned-parameter terms),
 * written on one vector of lanes. `_module.ts` wraps them in the loops.
 *
 * The formulas are those of the JavaScript kernels (`../_js_kernels.ts`),
 * which follow the catalog's stable forms; the comments there say why each
 * form is used. Two lane kinds:
 * - `f32`: ops that are exact in float32 (clamps and selects: relu, relu6,
 *   hardTanh), four lanes at a time;
 * - `f64`: everything else, two float64 lanes at a time (an f32x4 vector is
 *   widened into two), so each result is rounded to float32 once.
 *
 * The loops a kernel lists in `delegates` compute only finite inputs: the
 * loop records any vector holding NaN or ±∞ and the JavaScript kernels
 * finish those elements, so the special values are exactly the JavaScript
 * path's. The other loops give NaN and the limits at ±∞ by construction
 * (`simd_kernels_test.ts` holds both to the JavaScript kernels' results).
 *
 * @module
 */

import { SELU_ALPHA, SELU_LAMBDA } from "@nonlin/core";
import { F32x4, F64x2, type Local, V128 } from "./_asm.ts";
import type { Accuracy, K, V } from "./_vmath.ts";

type L = Local<"v128">;

/** The kernel's scalar parameters, splatted to every lane. */
export type Params = Readonly<Record<string, L>>;

/** One elementwise loop body: `x` in, the result out. */
export type Unary = (k: K, x: L, p: Params) => V;

/** The VJP body: dx and one term per learned parameter (summed by the loop). */
export type VjpBody = (
  k: K,
  x: L,
  dy: L,
  p: Params,
) => { readonly dx: V; readonly grads: readonly V[] };

/** The four loops. */
export type Loop = "forward" | "derivative" | "secondDerivative" | "vjp";

const ALL: readonly Loop[] = [
  "forward",
  "derivative",
  "secondDerivative",
  "vjp",
];
/**
 * Forward by construction (NaN stays NaN, the clamped exponential gives the
 * limits at ±∞ exactly), the rest delegated.
 */
const GRADIENTS: readonly Loop[] = ["derivative", "secondDerivative", "vjp"];

/** The four loops of one kernel family. */
export interface KernelDef {
  /** `f32`: four float32 lanes; `f64`: two float64 lanes. */
  readonly lanes: "f32" | "f64";
  /** The scalar parameters every loop takes (float64 arguments), in order. */
  readonly params: readonly string[];
  /** The learned parameters whose sums the VJP returns, in order. */
  readonly grads: readonly string[];
  /** The loops whose non-finite inputs go to the JavaScript kernels. */
  readonly delegates: readonly Loop[];
  readonly forward: Unary;
  readonly derivative: Unary;
  readonly secondDerivative: Unary;
  readonly vjp: VjpBody;
}

const SIXTH = 1 / 6;
const THIRD = 1 / 3;
const SELU_LA = SELU_LAMBDA * SELU_ALPHA;
const INV_SQRT_2PI = 0.3989422804014327;
const SQRT_2_OVER_PI = 0.7978845608028654;
const GELU_CUBIC = 0.044715;

/** A VJP whose dx is dy·f′ and that has no learned parameter. */
function chain(derivative: Unary): VjpBody {
  return (k, x, dy, p) => ({
    dx: k.mul(dy, derivative(k, x, p)),
    grads: [],
  });
}

/** float64 lanes: 0, or NaN for NaN (the second derivative of piecewise-linear ops). */
function zeroOrNaN(_k: K, x: L): V {
  return V128.and(F64x2.ne(x, x), x);
}

// ------------------------------------------------------------ float32 lanes

/** f32x4: 0, or NaN for NaN. */
function zeroOrNaN32(x: L): V {
  return V128.and(F32x4.ne(x, x), x);
}

/** f32x4 lanes `mask ? 1 : (NaN ? NaN : 0)`. */
function slope32(k: K, x: L, mask: V): V {
  const one = k.ci(0x3f800000);
  return V128.or(V128.and(mask, one), zeroOrNaN32(x));
}

const relu: KernelDef = {
  lanes: "f32",
  params: [],
  grads: [],
  delegates: [],
  // max(x, 0) with NaN kept (pmax keeps its first operand's NaN); + 0 turns −0 into +0.
  forward: (k, x) => F32x4.add(F32x4.pmax(x, k.ci(0)), k.ci(0)),
  derivative: (k, x) => slope32(k, x, F32x4.gt(x, k.ci(0))),
  secondDerivative: (_k, x) => zeroOrNaN32(x),
  vjp: (k, x, dy) => ({
    dx: F32x4.mul(dy, slope32(k, x, F32x4.gt(x, k.ci(0)))),
    grads: [],
  }),
};

const SIX_F32 = 0x40c00000;

const relu6: KernelDef = {
  lanes: "f32",
  params: [],
  grads: [],
  delegates: [],
  forward: (k, x) =>
    F32x4.add(
      F32x4.pmin(F32x4.pmax(x, k.ci(0)), k.ci(SIX_F32)),
      k.ci(0),
    ),
  derivative: (k, x) => slope32(k, x, relu6Inside(k, x)),
  secondDerivative: (_k, x) => zeroOrNaN32(x),
  vjp: (k, x, dy) => ({
    dx: F32x4.mul(dy, slope32(k, x, relu6Inside(k, x))),
    grads: [],
  }),
};

function relu6Inside(k: K, x: L): V {
  return V128.and(F32x4.gt(x, k.ci(0)), F32x4.le(x, k.ci(SIX_F32)));
}

/**
 * hardTanh in float32. Parameters: `lo`, `hi` (the bounds rounded to
 * float32: clamping against them gives the float64 clamp rounded), and
 * `above`, `atMost` (the least float32 above min and the greatest float32
 * not above max, so `x > min && x <= max` is `above <= x && x <= atMost`
 * exactly, as the JavaScript kernel compares in float64).
 */
const hardTanh: KernelDef = {
  lanes: "f32",
  params: ["lo", "hi", "above", "atMost"],
  grads: [],
  delegates: [],
  forward: (_k, x, p) => F32x4.pmin(F32x4.pmax(x, p.lo!), p.hi!),
  derivative: (k, x, p) => slope32(k, x, hardTanhInside(x, p)),
  secondDerivative: (_k, x) => zeroOrNaN32(x),
  vjp: (k, x, dy, p) => ({
    dx: F32x4.mul(dy, slope32(k, x, hardTanhInside(x, p))),
    grads: [],
  }),
};

function hardTanhInside(x: L, p: Params): V {
  return V128.and(F32x4.ge(x, p.above!), F32x4.le(x, p.atMost!));
}

// ------------------------------------------------------------ float64 lanes

/** x > 0 ? 1 : (x is NaN ? NaN : a). */
function leakySlope(k: K, x: L, a: V): V {
  return k.select(k.gt(x, k.c(0)), k.c(1), k.select(k.eq(x, x), a, x));
}

/** leakyRelu with α ≠ 0 (α = 0 runs relu's forward, whose −∞ limit is 0). */
const leakyRelu: KernelDef = {
  lanes: "f64",
  params: ["alpha"],
  grads: ["alpha"],
  delegates: [],
  forward: (k, x, p) => k.select(k.gt(x, k.c(0)), x, k.mul(p.alpha!, x)),
  derivative: (k, x, p) => leakySlope(k, x, p.alpha!),
  secondDerivative: (k, x) => zeroOrNaN(k, x),
  vjp: (k, x, dy, p) => ({
    dx: k.mul(dy, leakySlope(k, x, p.alpha!)),
    // ∂/∂α = x ≤ 0 ? x : 0 (dy·0 still gives NaN for dy = ±∞, as in JS).
    grads: [k.mul(dy, k.select(k.gt(x, k.c(0)), k.c(0), x))],
  }),
};

/**
 * λ·elu_α(x) = x > 0 ? λx : λα(eˣ − 1). `scale` gives λ and `la` the float64
 * product λα (elu: 1 and α; selu: its constants).
 */
function eluFamily(
  scale: (k: K, p: Params) => V,
  la: (k: K, p: Params) => V,
  grads: readonly string[],
): Pick<KernelDef, "forward" | "derivative" | "secondDerivative" | "vjp"> {
  const below = (k: K, x: L, p: Params) =>
    k.mul(la(k, p), k.exp(k.min(x, k.c(0)), "fast"));
  return {
    forward: (k, x, p) =>
      k.select(
        k.gt(x, k.c(0)),
        k.mul(scale(k, p), x),
        k.mul(la(k, p), k.expm1(k.min(x, k.c(0)), "fast")),
      ),
    derivative: (k, x, p) =>
      k.select(k.gt(x, k.c(0)), scale(k, p), below(k, x, p)),
    secondDerivative: (k, x, p) =>
      k.select(k.gt(x, k.c(0)), k.c(0), below(k, x, p)),
    vjp: (k, x, dy, p) => {
      const pos = k.let(k.gt(x, k.c(0)));
      const { e, m } = k.expAndExpm1(k.min(x, k.c(0)), "fast");
      const dx = k.mul(dy, k.select(pos, scale(k, p), k.mul(la(k, p), e)));
      if (grads.length === 0) return { dx, grads: [] };
      // ∂/∂α = eˣ − 1 below 0, 0 above.
      return { dx, grads: [k.mul(dy, k.select(pos, k.c(0), m))] };
    },
  };
}

const elu: KernelDef = {
  lanes: "f64",
  params: ["alpha"],
  grads: ["alpha"],
  delegates: GRADIENTS,
  ...eluFamily((k) => k.c(1), (_k, p) => p.alpha!, ["alpha"]),
};

const selu: KernelDef = {
  lanes: "f64",
  params: [],
  grads: [],
  delegates: GRADIENTS,
  ...eluFamily((k) => k.c(SELU_LAMBDA), (k) => k.c(SELU_LA), []),
};

const celu: KernelDef = {
  lanes: "f64",
  params: ["alpha"],
  grads: ["alpha"],
  delegates: GRADIENTS,
  forward: (k, x, p) => {
    const t = k.min(k.div(x, p.alpha!), k.c(0));
    return k.select(k.gt(x, k.c(0)), x, k.mul(p.alpha!, k.expm1(t, "fast")));
  },
  derivative: (k, x, p) => {
    const t = k.min(k.div(x, p.alpha!), k.c(0));
    return k.select(k.gt(x, k.c(0)), k.c(1), k.exp(t, "fast"));
  },
  secondDerivative: (k, x, p) => {
    const t = k.min(k.div(x, p.alpha!), k.c(0));
    return k.select(
      k.gt(x, k.c(0)),
      k.c(0),
      k.div(k.exp(t, "fast"), p.alpha!),
    );
  },
  vjp: (k, x, dy, p) => {
    const pos = k.let(k.gt(x, k.c(0)));
    const t = k.let(k.min(k.div(x, p.alpha!), k.c(0)));
    // The closed form eᵗ − 1 − t·eᵗ cancels (by up to 2/|t|), so its parts
    // are accurate; near 0 the series −t²(1/2 + t/3 + t²/8 + t³/30 + t⁴/144).
    const { e, m } = k.expAndExpm1(t, "accurate");
    const series = k.mul(
      k.neg(k.mul(t, t)),
      k.poly(t, [0.5, 1 / 3, 1 / 8, 1 / 30, 1 / 144]),
    );
    const slope = k.select(
      k.gt(t, k.c(-1e-3)),
      series,
      k.sub(m, k.mul(t, e)),
    );
    return {
      dx: k.mul(dy, k.select(pos, k.c(1), e)),
      grads: [k.mul(dy, k.select(pos, k.c(0), slope))],
    };
  },
};

const sigmoid: KernelDef = {
  lanes: "f64",
  params: [],
  grads: [],
  delegates: GRADIENTS,
  forward: (k, x) => k.logistic(x, "fast").sigmoid,
  derivative: (k, x) => k.logistic(x, "fast").s,
  secondDerivative: (k, x) => {
    // σ'' = −σ(x)σ(−x)·tanh(x/2), tanh(x/2) = sign(x)·(−m)·q with
    // m = e^−|x| − 1 (no 1 − e cancellation near 0).
    const { e, m } = k.expAndExpm1(k.negAbs(x), "fast");
    const q = k.let(k.div(k.c(1), k.add(k.c(1), e)));
    const s = k.mul(k.mul(e, q), q);
    const th = k.copySign(k.mul(k.neg(m), q), x);
    return k.mul(k.neg(s), th);
  },
  vjp: (k, x, dy) => ({ dx: k.mul(dy, k.logistic(x, "fast").s), grads: [] }),
};

const logSigmoid: KernelDef = {
  lanes: "f64",
  params: [],
  grads: [],
  delegates: ALL,
  // min(x, 0) − log1p(e^−|x|).
  forward: (k, x) =>
    k.sub(k.min(x, k.c(0)), k.log1p(k.exp(k.negAbs(x), "fast"))),
  derivative: (k, x) => k.logistic(x, "fast").sigmoidNeg,
  secondDerivative: (k, x) => k.neg(k.logistic(x, "fast").s),
  vjp: (k, x, dy) => ({
    dx: k.mul(dy, k.logistic(x, "fast").sigmoidNeg),
    grads: [],
  }),
};

function hardSigmoidSlope(k: K, x: L): V {
  const inside = k.f.let(
    V128.and(k.gt(x, k.c(-3)), k.le(x, k.c(3))),
  );
  return k.select(inside, k.c(SIXTH), zeroOrNaN(k, x));
}

const hardSigmoid: KernelDef = {
  lanes: "f64",
  params: [],
  grads: [],
  delegates: [],
  forward: (k, x) =>
    k.select(
      k.le(x, k.c(-3)),
      k.c(0),
      k.select(k.ge(x, k.c(3)), k.c(1), k.mul(k.add(x, k.c(3)), k.c(SIXTH))),
    ),
  derivative: hardSigmoidSlope,
  secondDerivative: (k, x) => zeroOrNaN(k, x),
  vjp: chain(hardSigmoidSlope),
};

/** tanh parts: e = e^−2|x|, m = e − 1, q = 1/(1 + e); tanh|x| = −m·q, sech² = 4e·q². */
function tanhParts(k: K, x: L, accuracy: Accuracy) {
  const { e, m } = k.expAndExpm1(k.mul(k.c(-2), k.abs(x)), accuracy);
  const q = k.let(k.div(k.c(1), k.add(k.c(1), e)));
  return {
    tanh: k.let(k.copySign(k.mul(k.neg(m), q), x)),
    sech2: k.let(k.mul(k.mul(k.mul(k.c(4), e), q), q)),
  };
}

const tanh: KernelDef = {
  lanes: "f64",
  params: [],
  grads: [],
  delegates: GRADIENTS,
  forward: (k, x) => tanhParts(k, x, "fast").tanh,
  derivative: (k, x) => tanhParts(k, x, "fast").sech2,
  secondDerivative: (k, x) => {
    const { tanh, sech2 } = tanhParts(k, x, "fast");
    return k.mul(k.mul(k.c(-2), tanh), sech2);
  },
  vjp: chain((k, x) => tanhParts(k, x, "fast").sech2),
};

function softsignDen(k: K, x: L): L {
  return k.let(k.add(k.c(1), k.abs(x)));
}

const softsign: KernelDef = {
  lanes: "f64",
  params: [],
  grads: [],
  delegates: ALL,
  forward: (k, x) => k.div(x, softsignDen(k, x)),
  derivative: (k, x) => {
    const d = softsignDen(k, x);
    return k.div(k.c(1), k.mul(d, d));
  },
  secondDerivative: (k, x) => {
    // −2 sign(x)/(1 + |x|)³, left-hand (+2) at 0.
    const d = softsignDen(k, x);
    const num = k.select(k.le(x, k.c(0)), k.c(2), k.c(-2));
    return k.div(num, k.mul(k.mul(d, d), d));
  },
  vjp: (k, x, dy) => {
    const d = softsignDen(k, x);
    return { dx: k.mul(dy, k.div(k.c(1), k.mul(d, d))), grads: [] };
  },
};

const softplus: KernelDef = {
  lanes: "f64",
  params: ["beta", "threshold"],
  grads: ["beta"],
  delegates: ALL,
  forward: (k, x, p) => {
    const z = k.let(k.mul(p.beta!, x));
    const body = k.div(
      k.add(k.max(z, k.c(0)), k.log1p(k.exp(k.negAbs(z), "fast"))),
      p.beta!,
    );
    return k.select(k.gt(z, p.threshold!), x, body);
  },
  derivative: (k, x, p) => {
    const z = k.let(k.mul(p.beta!, x));
    return k.select(
      k.gt(z, p.threshold!),
      k.c(1),
      k.logistic(z, "fast").sigmoid,
    );
  },
  secondDerivative: (k, x, p) => {
    const z = k.let(k.mul(p.beta!, x));
    return k.select(
      k.gt(z, p.threshold!),
      k.c(0),
      k.mul(p.beta!, k.logistic(z, "fast").s),
    );
  },
  vjp: (k, x, dy, p) => {
    const z = k.let(k.mul(p.beta!, x));
    const over = k.let(k.gt(z, p.threshold!));
    const lg = k.logisticAbs(z, "fast");
    const l = k.log1p(lg.e);
    // ∂/∂β·β² = zσ(z) − log(1 + e^z), written without cancellation on each
    // side of 0 (the loop divides the sum by β² once).
    const above = k.neg(k.madd(z, lg.sigmoidNeg, l));
    const below = k.sub(k.mul(z, lg.sigmoid), l);
    const term = k.select(k.gt(z, k.c(0)), above, below);
    return {
      dx: k.mul(dy, k.select(over, k.c(1), lg.sigmoid)),
      grads: [k.mul(dy, k.select(over, k.c(0), term))],
    };
  },
};

/** Φ(x) = erfc(−x/√2)/2, to about 2⁻²⁷. */
function normalCdf(k: K, x: L): L {
  return k.let(
    k.mul(k.c(0.5), k.erfcFast(k.mul(k.neg(x), k.c(Math.SQRT1_2)))),
  );
}

/** φ(x) = e^(−x²/2)/√(2π). */
function normalPdf(k: K, x: L, accuracy: Accuracy): L {
  const t = k.mul(k.mul(k.c(-0.5), x), x);
  return k.let(k.mul(k.c(INV_SQRT_2PI), k.exp(t, accuracy)));
}

/**
 * Recomputes `value` with `accurate()` in the lanes where `near` holds, and
 * only for vectors that have such a lane: the cancelling window around a
 * root of a derivative, outside which the fast parts' 2⁻²⁷ is enough.
 */
function nearRoot(k: K, value: L, near: V, accurate: () => V): L {
  const mask = k.let(near);
  k.f.when(V128.anyTrue(mask), () => {
    k.f.set(value, k.select(mask, accurate(), value));
  });
  return value;
}

/** Lanes with lo < v < hi. */
function between(k: K, v: V, lo: number, hi: number): V {
  return V128.and(k.gt(v, k.c(lo)), k.lt(v, k.c(hi)));
}

/**
 * Φ(x) + xφ(x). It cancels around its root x ≈ −0.7518; on (−1.1, −0.4),
 * where the cancellation exceeds about 4×, Φ comes from fdlibm's first
 * region (w = −x/√2 ∈ (0.28, 0.78)) and φ from the accurate exponential.
 */
function geluSlope(k: K, x: L): V {
  const d = k.let(k.madd(x, normalPdf(k, x, "fast"), normalCdf(k, x)));
  return nearRoot(k, d, between(k, x, -1.1, -0.4), () => {
    const w = k.mul(k.neg(x), k.c(Math.SQRT1_2));
    const cdf = k.mul(k.c(0.5), k.erfcNearHalf(w));
    return k.madd(x, normalPdf(k, x, "accurate"), cdf);
  });
}

const gelu: KernelDef = {
  lanes: "f64",
  params: [],
  grads: [],
  delegates: ALL,
  forward: (k, x) => k.mul(x, normalCdf(k, x)),
  derivative: geluSlope,
  // φ(x)(2 − x²); 2 − x² is exact for float32 x.
  secondDerivative: (k, x) =>
    k.mul(k.sub(k.c(2), k.mul(x, x)), normalPdf(k, x, "fast")),
  vjp: chain(geluSlope),
};

/** z = 2u = 2√(2/π)(x + 0.044715x³), in the JavaScript kernel's order. */
function geluTanhZ(k: K, x: L): L {
  const cubic = k.mul(k.mul(k.mul(k.c(GELU_CUBIC), x), x), x);
  return k.let(k.mul(k.c(2 * SQRT_2_OVER_PI), k.add(x, cubic)));
}

/** u′ = √(2/π)(1 + 3·0.044715x²). */
function geluTanhDu(k: K, x: L): L {
  const inner = k.mul(k.mul(k.c(3 * GELU_CUBIC), x), x);
  return k.let(k.mul(k.c(SQRT_2_OVER_PI), k.add(k.c(1), inner)));
}

/** σ(2u) + 2xu′σ(2u)σ(−2u). */
function geluTanhSlope(k: K, x: L): V {
  const lg = k.logistic(geluTanhZ(k, x), "accurate");
  const du = geluTanhDu(k, x);
  return k.madd(k.mul(k.mul(k.c(2), x), du), lg.s, lg.sigmoid);
}

const geluTanh: KernelDef = {
  lanes: "f64",
  params: [],
  grads: [],
  delegates: ALL,
  // 0.5x(1 + tanh u) = xσ(2u): no cancellation in 1 + tanh u.
  forward: (k, x) => k.mul(x, k.logistic(geluTanhZ(k, x), "fast").sigmoid),
  derivative: geluTanhSlope,
  secondDerivative: (k, x) => {
    // s·(4u′ + 2xu″ − 4xu′²·tanh u) with s = σ(2u)σ(−2u), tanh u = sign(u)(−m)q.
    const z = geluTanhZ(k, x);
    const { e, m } = k.expAndExpm1(k.negAbs(z), "accurate");
    const q = k.let(k.div(k.c(1), k.add(k.c(1), e)));
    const s = k.let(k.mul(k.mul(e, q), q));
    const th = k.copySign(k.mul(k.neg(m), q), z);
    const du = geluTanhDu(k, x);
    const d2u = k.mul(k.c(SQRT_2_OVER_PI * 6 * GELU_CUBIC), x);
    const fourXdu2 = k.mul(k.mul(k.mul(k.c(4), x), du), du);
    const inner = k.sub(
      k.add(k.mul(k.c(4), du), k.mul(k.mul(k.c(2), x), d2u)),
      k.mul(fourXdu2, th),
    );
    return k.mul(s, inner);
  },
  vjp: chain(geluTanhSlope),
};

/** z = βx (0 for β = 0 at any finite x). */
function swishZ(k: K, x: L, p: Params): L {
  return k.let(k.mul(p.beta!, x));
}

/**
 * σ(z) + zσ(z)σ(−z). It cancels around its root z ≈ −1.2785; on
 * (−1.6, −0.97), where the cancellation exceeds about 6×, the logistic
 * parts come from the accurate exponential.
 */
function swishSlopeOfZ(k: K, z: L): L {
  const slope = (accuracy: Accuracy) => {
    const lg = k.logistic(z, accuracy);
    return k.madd(z, lg.s, lg.sigmoid);
  };
  const d = k.let(slope("fast"));
  return nearRoot(k, d, between(k, z, -1.6, -0.97), () => slope("accurate"));
}

function swishSlope(k: K, x: L, p: Params): V {
  return swishSlopeOfZ(k, swishZ(k, x, p));
}

function swishFamily(
  grads: readonly string[],
): Pick<KernelDef, "forward" | "derivative" | "secondDerivative" | "vjp"> {
  return {
    forward: (k, x, p) => k.mul(x, k.logistic(swishZ(k, x, p), "fast").sigmoid),
    derivative: swishSlope,
    secondDerivative: (k, x, p) => {
      // βσ(z)σ(−z)(2 − z·tanh(z/2)), tanh(z/2) = sign(z)(−m)q, m = e^−|z| − 1.
      const z = swishZ(k, x, p);
      const { e, m } = k.expAndExpm1(k.negAbs(z), "accurate");
      const q = k.let(k.div(k.c(1), k.add(k.c(1), e)));
      const s = k.mul(k.mul(e, q), q);
      const th = k.copySign(k.mul(k.neg(m), q), z);
      return k.mul(k.mul(p.beta!, s), k.sub(k.c(2), k.mul(z, th)));
    },
    vjp: (k, x, dy, p) => {
      const z = swishZ(k, x, p);
      const dx = k.mul(dy, swishSlopeOfZ(k, z));
      if (grads.length === 0) return { dx, grads: [] };
      // ∂/∂β = x²σ(z)σ(−z): a product, no cancellation.
      const s = k.logistic(z, "fast").s;
      return { dx, grads: [k.mul(dy, k.mul(k.mul(x, x), s))] };
    },
  };
}

const swish: KernelDef = {
  lanes: "f64",
  params: ["beta"],
  grads: ["beta"],
  delegates: ALL,
  ...swishFamily(["beta"]),
};

/** silu: swish's loops with β passed as 1 and no β gradient. */
const silu: KernelDef = {
  lanes: "f64",
  params: ["beta"],
  grads: [],
  delegates: ALL,
  ...swishFamily([]),
};

/**
 * Mish in closed form from e = e^−|x| (see the JavaScript kernel): with
 * p = 1 + e, for x ≥ 0: tanh(sp) = (1 + 2e)/(1 + 2e + 2e²),
 * sech(sp) = 2e·p/(p² + e²); for x < 0: tanh(sp) = w/(w + 2) with
 * w = e(e + 2), sech(sp) = 2p/(p² + 1). k = sech²(sp)·σ(x).
 */
function mishParts(k: K, x: L, accuracy: Accuracy) {
  const pos = k.let(k.ge(x, k.c(0)));
  const e = k.exp(k.negAbs(x), accuracy);
  const e2 = k.let(k.mul(e, e));
  const p = k.let(k.add(k.c(1), e));
  const twoE = k.let(k.add(e, e));
  const tNum = k.let(
    k.select(pos, k.add(k.c(1), twoE), k.mul(e, k.add(e, k.c(2)))),
  );
  const tDen = k.add(tNum, k.select(pos, k.add(e2, e2), k.c(2)));
  const sechNum = k.mul(k.add(p, p), k.select(pos, e, k.c(1)));
  const sechDen = k.madd(p, p, k.select(pos, e2, k.c(1)));
  const t = k.let(k.div(tNum, tDen));
  const sech = k.let(k.div(sechNum, sechDen));
  const inv = k.let(k.div(k.c(1), p));
  const ei = k.let(k.mul(e, inv));
  const sig = k.let(k.select(pos, inv, ei));
  const sigNeg = k.let(k.select(pos, ei, inv));
  const kk = k.let(k.mul(k.mul(sech, sech), sig));
  return { t, k: kk, sig, sigNeg };
}

function mishSlope(k: K, x: L): V {
  const m = mishParts(k, x, "accurate");
  return k.madd(x, m.k, m.t);
}

const mish: KernelDef = {
  lanes: "f64",
  params: [],
  grads: [],
  delegates: ALL,
  forward: (k, x) => k.mul(x, mishParts(k, x, "fast").t),
  derivative: mishSlope,
  secondDerivative: (k, x) => {
    // k·(2 − 2x·t·σ(x) + x·σ(−x)).
    const m = mishParts(k, x, "accurate");
    const twoXtSig = k.mul(k.mul(k.mul(k.c(2), x), m.t), m.sig);
    return k.mul(m.k, k.madd(x, m.sigNeg, k.sub(k.c(2), twoXtSig)));
  },
  vjp: chain(mishSlope),
};

function hardSwishSlope(k: K, x: L): V {
  return k.select(
    k.le(x, k.c(-3)),
    k.c(0),
    k.select(
      k.gt(x, k.c(3)),
      k.c(1),
      k.mul(k.add(k.add(x, x), k.c(3)), k.c(SIXTH)),
    ),
  );
}

const hardSwish: KernelDef = {
  lanes: "f64",
  params: [],
  grads: [],
  delegates: [],
  forward: (k, x) =>
    k.select(
      k.le(x, k.c(-3)),
      k.c(0),
      k.select(
        k.ge(x, k.c(3)),
        x,
        k.mul(k.mul(x, k.add(x, k.c(3))), k.c(SIXTH)),
      ),
    ),
  derivative: hardSwishSlope,
  secondDerivative: (k, x) => {
    const inside = k.f.let(V128.and(k.gt(x, k.c(-3)), k.le(x, k.c(3))));
    return k.select(inside, k.c(THIRD), zeroOrNaN(k, x));
  },
  vjp: chain(hardSwishSlope),
};

/**
 * Every kernel family, by kernel name. Catalog ops map onto them in
 * `_simd_kernels.ts`: prelu with one α runs leakyRelu's loops, gelu's two
 * forms are two families, silu runs swish's loops with β = 1.
 */
export const kernelDefs: Readonly<Record<string, KernelDef>> = {
  relu,
  relu6,
  hardTanh,
  leakyRelu,
  elu,
  selu,
  celu,
  sigmoid,
  logSigmoid,
  hardSigmoid,
  tanh,
  softsign,
  softplus,
  gelu,
  geluTanh,
  swish,
  silu,
  mish,
  hardSwish,
};
