/**
 * One definition per op: the lane formulas of f, f′, f″ and the fused VJP
 * (dx and the learned-parameter terms), written once against the lane
 * algebra of `_lanes.ts`, from which every kernel target is derived: the
 * WebAssembly SIMD loops (`wasm/_module.ts` wraps them), the JavaScript loops
 * (`_js_target.ts` generates them) and the WGSL kernels. A target may keep a
 * hand-tuned kernel for an op as an override of its definition (the
 * JavaScript set does for most ops, the SIMD set runs the loops that only
 * select, compare or clamp on float32 lanes); it never keeps a second list.
 *
 * The formulas follow the catalog's stable forms (`@nonlin/core`); the
 * comments say why each form is used where the catalog does not.
 *
 * Special values: a definition gives NaN for NaN and the limits at ±∞ by
 * construction in every loop except those it lists in `finiteOnly`; for
 * those, a target computes non-finite x another way (the SIMD set hands
 * them to the JavaScript kernels, which must then override that loop).
 *
 * Adding an op: its catalog entry, then its entry here (the table is typed
 * over every op, so a missing one does not compile), its tests, and the
 * generated docs.
 *
 * @module
 */

import {
  type OpName,
  SELU_ALPHA,
  SELU_LAMBDA,
  TANHSHRINK_SERIES,
} from "@nonlin/core";
import type { Accuracy, Lanes } from "./_lanes.ts";

/** The op's scalar parameters, as lane values (the same in every lane). */
export type Params<V> = Readonly<Record<string, V>>;

/** The four loops of a kernel. */
export type Loop = "forward" | "derivative" | "secondDerivative" | "vjp";

/** The four loops, in the order targets build them. */
export const LOOPS: readonly Loop[] = [
  "forward",
  "derivative",
  "secondDerivative",
  "vjp",
];

/**
 * The names definitions are keyed by: every catalog op, and `geluTanh`, the
 * tanh form of gelu (its `approximate: "tanh"`), which has formulas of its
 * own.
 */
export type KernelName = OpName | "geluTanh";

/** One op's lane formulas. */
export interface Definition {
  /** The scalar parameters every loop takes, in order. */
  readonly params: readonly string[];
  /** The learned parameters whose sums the VJP returns, in order. */
  readonly grads: readonly string[];
  /** The loops whose formulas hold for finite x only (see the module doc). */
  readonly finiteOnly: readonly Loop[];
  /** Parameters the op fixes rather than takes (silu: swish's β = 1). */
  readonly fixed?: Readonly<Record<string, number>>;
  /**
   * What each learned-parameter sum is multiplied by once, after the loop
   * (softplus: 1/β²), as a lane expression of the parameters.
   */
  gradScale?<V>(k: Lanes<V>, p: Params<V>): V;
  /** f(x). */
  forward<V>(k: Lanes<V>, x: V, p: Params<V>): V;
  /** f′(x), left-hand at kinks. */
  derivative<V>(k: Lanes<V>, x: V, p: Params<V>): V;
  /** f″(x), left-hand at kinks. */
  secondDerivative<V>(k: Lanes<V>, x: V, p: Params<V>): V;
  /**
   * dy·f′(x) and one term dy·∂f/∂θ(x) per learned parameter θ, which the
   * target sums over the elements (softplus's is β²·∂f/∂β: its target
   * divides the sum by β² once).
   */
  vjp<V>(
    k: Lanes<V>,
    x: V,
    dy: V,
    p: Params<V>,
  ): { readonly dx: V; readonly grads: readonly V[] };
}

/** The loops that delegate every input that is not finite. */
const ALL: readonly Loop[] = LOOPS;
/**
 * Forward by construction (NaN stays NaN, the clamped exponential gives the
 * limits at ±∞ exactly), the rest delegated.
 */
const GRADIENTS: readonly Loop[] = ["derivative", "secondDerivative", "vjp"];

const SIXTH = 1 / 6;
const THIRD = 1 / 3;
const SELU_LA = SELU_LAMBDA * SELU_ALPHA;
const INV_SQRT_2PI = 0.3989422804014327;
const SQRT_2_OVER_PI = 0.7978845608028654;
const GELU_CUBIC = 0.044715;

type Unary = <V>(k: Lanes<V>, x: V, p: Params<V>) => V;

/** A VJP whose dx is dy·f′ and that has no learned parameter. */
function chain(derivative: Unary): Definition["vjp"] {
  return (k, x, dy, p) => ({
    dx: k.mul(dy, derivative(k, x, p)),
    grads: [],
  });
}

/** 0, or NaN for NaN (the second derivative of piecewise-linear ops). */
function zeroOrNaN<V>(k: Lanes<V>, x: V): V {
  return k.keep(k.ne(x, x), x);
}

/** `mask ? 1 : (NaN ? NaN : 0)`. */
function slope<V>(k: Lanes<V>, x: V, mask: V): V {
  return k.select(mask, k.c(1), zeroOrNaN(k, x));
}

/** ReLU (the SIMD set runs it on float32 lanes). */
const relu: Definition = {
  params: [],
  grads: [],
  finiteOnly: [],
  // max(x, 0) with NaN kept; + 0 turns −0 into +0.
  forward: (k, x) => k.add(k.max(x, k.c(0)), k.c(0)),
  derivative: (k, x) => slope(k, x, k.gt(x, k.c(0))),
  secondDerivative: zeroOrNaN,
  vjp: chain((k, x) => slope(k, x, k.gt(x, k.c(0)))),
};

function relu6Inside<V>(k: Lanes<V>, x: V): V {
  return k.and(k.gt(x, k.c(0)), k.le(x, k.c(6)));
}

const relu6: Definition = {
  params: [],
  grads: [],
  finiteOnly: [],
  forward: (k, x) => k.add(k.min(k.max(x, k.c(0)), k.c(6)), k.c(0)),
  derivative: (k, x) => slope(k, x, relu6Inside(k, x)),
  secondDerivative: zeroOrNaN,
  vjp: chain((k, x) => slope(k, x, relu6Inside(k, x))),
};

/** hardTanh: clamp(x, min, max), NaN kept; slope 1 on (min, max]. */
const hardTanh: Definition = {
  params: ["min", "max"],
  grads: [],
  finiteOnly: [],
  forward: (k, x, p) => k.min(k.max(x, p.min!), p.max!),
  derivative: (k, x, p) => slope(k, x, hardTanhInside(k, x, p)),
  secondDerivative: zeroOrNaN,
  vjp: chain((k, x, p) => slope(k, x, hardTanhInside(k, x, p))),
};

function hardTanhInside<V>(k: Lanes<V>, x: V, p: Params<V>): V {
  return k.and(k.gt(x, p.min!), k.le(x, p.max!));
}

/** x > 0 ? 1 : (x is NaN ? NaN : a). */
function leakySlope<V>(k: Lanes<V>, x: V, a: V): V {
  return k.select(k.gt(x, k.c(0)), k.c(1), k.select(k.eq(x, x), a, x));
}

/** leakyRelu with α ≠ 0 (α = 0 runs relu's forward, whose −∞ limit is 0). */
const leakyRelu: Definition = {
  params: ["alpha"],
  grads: ["alpha"],
  finiteOnly: [],
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
  scale: <V>(k: Lanes<V>, p: Params<V>) => V,
  la: <V>(k: Lanes<V>, p: Params<V>) => V,
  grads: readonly string[],
): Pick<Definition, "forward" | "derivative" | "secondDerivative" | "vjp"> {
  const below = <V>(k: Lanes<V>, x: V, p: Params<V>) =>
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

const elu: Definition = {
  params: ["alpha"],
  grads: ["alpha"],
  finiteOnly: GRADIENTS,
  ...eluFamily((k) => k.c(1), (_k, p) => p.alpha!, ["alpha"]),
};

const selu: Definition = {
  params: [],
  grads: [],
  finiteOnly: GRADIENTS,
  ...eluFamily((k) => k.c(SELU_LAMBDA), (k) => k.c(SELU_LA), []),
};

const celu: Definition = {
  params: ["alpha"],
  grads: ["alpha"],
  finiteOnly: GRADIENTS,
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

const sigmoid: Definition = {
  params: [],
  grads: [],
  finiteOnly: GRADIENTS,
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

const logSigmoid: Definition = {
  params: [],
  grads: [],
  finiteOnly: ALL,
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

function hardSigmoidSlope<V>(k: Lanes<V>, x: V): V {
  const inside = k.let(
    k.and(k.gt(x, k.c(-3)), k.le(x, k.c(3))),
  );
  return k.select(inside, k.c(SIXTH), zeroOrNaN(k, x));
}

const hardSigmoid: Definition = {
  params: [],
  grads: [],
  finiteOnly: [],
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
function tanhParts<V>(k: Lanes<V>, x: V, accuracy: Accuracy) {
  const { e, m } = k.expAndExpm1(k.mul(k.c(-2), k.abs(x)), accuracy);
  const q = k.let(k.div(k.c(1), k.add(k.c(1), e)));
  return {
    tanh: k.let(k.copySign(k.mul(k.neg(m), q), x)),
    sech2: k.let(k.mul(k.mul(k.mul(k.c(4), e), q), q)),
  };
}

const tanh: Definition = {
  params: [],
  grads: [],
  finiteOnly: GRADIENTS,
  forward: (k, x) => tanhParts(k, x, "fast").tanh,
  derivative: (k, x) => tanhParts(k, x, "fast").sech2,
  secondDerivative: (k, x) => {
    const { tanh, sech2 } = tanhParts(k, x, "fast");
    return k.mul(k.mul(k.c(-2), tanh), sech2);
  },
  vjp: chain((k, x) => tanhParts(k, x, "fast").sech2),
};

function softsignDen<V>(k: Lanes<V>, x: V): V {
  return k.let(k.add(k.c(1), k.abs(x)));
}

const softsign: Definition = {
  params: [],
  grads: [],
  finiteOnly: ALL,
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

const softplus: Definition = {
  params: ["beta", "threshold"],
  grads: ["beta"],
  finiteOnly: ALL,
  gradScale: (k, p) => k.div(k.c(1), k.mul(p.beta!, p.beta!)),
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
function normalCdf<V>(k: Lanes<V>, x: V): V {
  return k.let(
    k.mul(k.c(0.5), k.erfcFast(k.mul(k.neg(x), k.c(Math.SQRT1_2)))),
  );
}

/** φ(x) = e^(−x²/2)/√(2π). */
function normalPdf<V>(k: Lanes<V>, x: V, accuracy: Accuracy): V {
  const t = k.mul(k.mul(k.c(-0.5), x), x);
  return k.let(k.mul(k.c(INV_SQRT_2PI), k.exp(t, accuracy)));
}

/**
 * Recomputes `value` with `accurate()` in the lanes where `near` holds, and
 * only for vectors that have such a lane: the cancelling window around a
 * root of a derivative, outside which the fast parts' 2⁻²⁷ is enough.
 */
function nearRoot<V>(k: Lanes<V>, value: V, near: V, accurate: () => V): V {
  const mask = k.let(near);
  k.when(mask, () => {
    k.set(value, k.select(mask, accurate(), value));
  });
  return value;
}

/** Lanes with lo < v < hi. */
function between<V>(k: Lanes<V>, v: V, lo: number, hi: number): V {
  return k.and(k.gt(v, k.c(lo)), k.lt(v, k.c(hi)));
}

/**
 * Φ(x) + xφ(x). It cancels around its root x ≈ −0.7518; on (−1.1, −0.4),
 * where the cancellation exceeds about 4×, Φ comes from fdlibm's first
 * region (w = −x/√2 ∈ (0.28, 0.78)) and φ from the accurate exponential.
 */
function geluSlope<V>(k: Lanes<V>, x: V): V {
  return geluSlopeNearRoot(
    k,
    x,
    k.let(k.madd(x, normalPdf(k, x, "fast"), normalCdf(k, x))),
  );
}

/**
 * gelu′ = `d` (computed from fast parts, bound by `let`) with the window
 * around its root redone accurately; shared with the SIMD set's tuned gelu
 * loops, which compute `d` their own way.
 */
export function geluSlopeNearRoot<V>(k: Lanes<V>, x: V, d: V): V {
  return nearRoot(k, d, between(k, x, -1.1, -0.4), () => {
    const w = k.mul(k.neg(x), k.c(Math.SQRT1_2));
    const cdf = k.mul(k.c(0.5), k.erfcNearHalf(w));
    return k.madd(x, normalPdf(k, x, "accurate"), cdf);
  });
}

const gelu: Definition = {
  params: [],
  grads: [],
  finiteOnly: ALL,
  forward: (k, x) => k.mul(x, normalCdf(k, x)),
  derivative: geluSlope,
  // φ(x)(2 − x²); 2 − x² is exact for float32 x.
  secondDerivative: (k, x) =>
    k.mul(k.sub(k.c(2), k.mul(x, x)), normalPdf(k, x, "fast")),
  vjp: chain(geluSlope),
};

/** z = 2u = 2√(2/π)(x + 0.044715x³), in the JavaScript kernel's order. */
function geluTanhZ<V>(k: Lanes<V>, x: V): V {
  const cubic = k.mul(k.mul(k.mul(k.c(GELU_CUBIC), x), x), x);
  return k.let(k.mul(k.c(2 * SQRT_2_OVER_PI), k.add(x, cubic)));
}

/** u′ = √(2/π)(1 + 3·0.044715x²). */
function geluTanhDu<V>(k: Lanes<V>, x: V): V {
  const inner = k.mul(k.mul(k.c(3 * GELU_CUBIC), x), x);
  return k.let(k.mul(k.c(SQRT_2_OVER_PI), k.add(k.c(1), inner)));
}

/** σ(2u) + 2xu′σ(2u)σ(−2u). */
function geluTanhSlope<V>(k: Lanes<V>, x: V): V {
  const lg = k.logistic(geluTanhZ(k, x), "accurate");
  const du = geluTanhDu(k, x);
  return k.madd(k.mul(k.mul(k.c(2), x), du), lg.s, lg.sigmoid);
}

const geluTanh: Definition = {
  params: [],
  grads: [],
  finiteOnly: ALL,
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
function swishZ<V>(k: Lanes<V>, x: V, p: Params<V>): V {
  return k.let(k.mul(p.beta!, x));
}

/**
 * σ(z) + zσ(z)σ(−z). It cancels around its root z ≈ −1.2785; on
 * (−1.6, −0.97), where the cancellation exceeds about 6×, the logistic
 * parts come from the accurate exponential.
 */
function swishSlopeOfZ<V>(k: Lanes<V>, z: V): V {
  const slope = (accuracy: Accuracy) => {
    const lg = k.logistic(z, accuracy);
    return k.madd(z, lg.s, lg.sigmoid);
  };
  const d = k.let(slope("fast"));
  return nearRoot(k, d, between(k, z, -1.6, -0.97), () => slope("accurate"));
}

function swishSlope<V>(k: Lanes<V>, x: V, p: Params<V>): V {
  return swishSlopeOfZ(k, swishZ(k, x, p));
}

function swishFamily(
  grads: readonly string[],
): Pick<Definition, "forward" | "derivative" | "secondDerivative" | "vjp"> {
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

const swish: Definition = {
  params: ["beta"],
  grads: ["beta"],
  finiteOnly: ALL,
  ...swishFamily(["beta"]),
};

/** silu: swish's loops with β passed as 1 and no β gradient. */
const silu: Definition = {
  params: ["beta"],
  grads: [],
  finiteOnly: ALL,
  fixed: { beta: 1 },
  ...swishFamily([]),
};

/**
 * Mish in closed form from e = e^−|x| (see the JavaScript kernel): with
 * p = 1 + e, for x ≥ 0: tanh(sp) = (1 + 2e)/(1 + 2e + 2e²),
 * sech(sp) = 2e·p/(p² + e²); for x < 0: tanh(sp) = w/(w + 2) with
 * w = e(e + 2), sech(sp) = 2p/(p² + 1). k = sech²(sp)·σ(x).
 */
function mishParts<V>(k: Lanes<V>, x: V, accuracy: Accuracy) {
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

function mishSlope<V>(k: Lanes<V>, x: V): V {
  const m = mishParts(k, x, "accurate");
  return k.madd(x, m.k, m.t);
}

const mish: Definition = {
  params: [],
  grads: [],
  finiteOnly: ALL,
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

function hardSwishSlope<V>(k: Lanes<V>, x: V): V {
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

const hardSwish: Definition = {
  params: [],
  grads: [],
  finiteOnly: [],
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
    const inside = k.let(k.and(k.gt(x, k.c(-3)), k.le(x, k.c(3))));
    return k.select(inside, k.c(THIRD), zeroOrNaN(k, x));
  },
  vjp: chain(hardSwishSlope),
};

/** x > λ or x ≤ −λ: where hardshrink and softshrink pass x (left-hand at −λ). */
function shrinkSlope<V>(k: Lanes<V>, x: V, p: Params<V>): V {
  return k.select(
    k.gt(x, p.lambda!),
    k.c(1),
    slope(k, x, k.le(x, k.neg(p.lambda!))),
  );
}

/** hardshrink: x where |x| > λ, else 0 (NaN kept). */
const hardshrink: Definition = {
  params: ["lambda"],
  grads: [],
  finiteOnly: [],
  forward: (k, x, p) => k.select(k.gt(k.abs(x), p.lambda!), x, zeroOrNaN(k, x)),
  derivative: shrinkSlope,
  secondDerivative: zeroOrNaN,
  vjp: chain(shrinkSlope),
};

/** softshrink: x ∓ λ outside [−λ, λ], else 0 (NaN kept); its slope is hardshrink's. */
const softshrink: Definition = {
  params: ["lambda"],
  grads: [],
  finiteOnly: [],
  forward: (k, x, p) =>
    k.select(
      k.gt(x, p.lambda!),
      k.sub(x, p.lambda!),
      k.select(
        k.lt(x, k.neg(p.lambda!)),
        k.add(x, p.lambda!),
        zeroOrNaN(k, x),
      ),
    ),
  derivative: shrinkSlope,
  secondDerivative: zeroOrNaN,
  vjp: chain(shrinkSlope),
};

/**
 * tanhshrink: x − tanh x, as x³·P(x²) (the catalog's series, ten terms: the
 * next is below 2⁻³⁰ of the sum) where |x| < 1/2 and the subtraction would
 * cancel; above, the accurate tanh, whose error the subtraction magnifies at
 * most 12-fold.
 */
const tanhshrink: Definition = {
  params: [],
  grads: [],
  finiteOnly: [],
  forward: (k, x) => {
    const x2 = k.let(k.mul(x, x));
    const series = k.mul(
      k.mul(x, x2),
      k.poly(x2, TANHSHRINK_SERIES.slice(0, 10)),
    );
    return k.select(
      k.lt(k.abs(x), k.c(0.5)),
      series,
      k.sub(x, k.tanh(x, "accurate")),
    );
  },
  // tanh²x: a square, no cancellation.
  derivative: (k, x) => {
    const t = k.let(k.tanh(x, "fast"));
    return k.mul(t, t);
  },
  secondDerivative: (k, x) => {
    const { tanh, sech2 } = tanhParts(k, x, "fast");
    return k.mul(k.mul(k.c(2), tanh), sech2);
  },
  vjp: chain((k, x) => {
    const t = k.let(k.tanh(x, "fast"));
    return k.mul(t, t);
  }),
};

/** threshold: x above the threshold, else the value (NaN kept). */
const threshold: Definition = {
  params: ["threshold", "value"],
  grads: [],
  finiteOnly: [],
  forward: (k, x, p) =>
    k.select(
      k.gt(x, p.threshold!),
      x,
      k.select(k.eq(x, x), p.value!, x),
    ),
  derivative: (k, x, p) => slope(k, x, k.gt(x, p.threshold!)),
  secondDerivative: zeroOrNaN,
  vjp: chain((k, x, p) => slope(k, x, k.gt(x, p.threshold!))),
};

/**
 * s = √(x² + b), and |x| at b = 0: x² of a float32 x is exact in float64 and
 * cannot overflow, but in float32 lanes (WebGPU) it underflows below
 * |x| ≈ 1e-19, where √(x²) would lose x (squareplus would give x/2).
 */
export function squareplusRoot<V>(
  k: Lanes<V>,
  x: V,
  p: Params<V>,
): V {
  return k.let(
    k.select(
      k.eq(p.b!, k.c(0)),
      k.abs(x),
      k.sqrt(k.add(k.mul(x, x), p.b!)),
    ),
  );
}

/**
 * g = (1 − |x|/s)/2 as b/(2s(s + |x|)), without the cancellation for large
 * |x|: f′(x) is g below 0 and 1 − g above. 0 where the denominator is 0
 * (b = 0 at x = 0: relu's left-hand slope; or s(s + |x|) underflowing in
 * float32 lanes, which happens only at b = 0, where g is 0).
 */
function squareplusG<V>(k: Lanes<V>, x: V, s: V, p: Params<V>): V {
  const den = k.let(k.mul(k.mul(k.c(2), s), k.add(s, k.abs(x))));
  return k.select(k.eq(den, k.c(0)), k.c(0), k.div(p.b!, den));
}

function squareplusSlope<V>(k: Lanes<V>, x: V, p: Params<V>): V {
  const g = k.let(squareplusG(k, x, squareplusRoot(k, x, p), p));
  return k.select(k.gt(x, k.c(0)), k.sub(k.c(1), g), g);
}

/**
 * squareplus: (x + s)/2 at and above 0; below, b/(2(s − x)), which does not
 * cancel as x + s does once x² ≫ b. The limits at ±∞ come out of the
 * formulas (b/∞ = 0), so no loop delegates.
 */
const squareplus: Definition = {
  params: ["b"],
  grads: [],
  finiteOnly: [],
  forward: (k, x, p) => {
    const s = squareplusRoot(k, x, p);
    return k.select(
      k.ge(x, k.c(0)),
      k.mul(k.add(x, s), k.c(0.5)),
      k.div(p.b!, k.mul(k.c(2), k.sub(s, x))),
    );
  },
  derivative: squareplusSlope,
  // b/(2s³) by divisions (s³ overflows float32 in WGSL's lanes), 0 where
  // s = 0 (b = 0 at x = 0).
  secondDerivative: (k, x, p) => {
    const s = squareplusRoot(k, x, p);
    const d2 = k.div(k.div(k.div(k.mul(p.b!, k.c(0.5)), s), s), s);
    return k.select(k.eq(s, k.c(0)), k.c(0), d2);
  },
  vjp: chain(squareplusSlope),
};

/**
 * Every op's definition. prelu's is leakyRelu's (its α per element is a
 * target's gather, not a formula); gelu's is its exact form, `geluTanh` its
 * tanh form; silu runs swish's formulas with β passed as 1.
 */
export const definitions: { readonly [N in KernelName]: Definition } = {
  relu,
  relu6,
  hardTanh,
  leakyRelu,
  prelu: leakyRelu,
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
  hardshrink,
  softshrink,
  tanhshrink,
  threshold,
  squareplus,
};
