/**
 * The JavaScript kernels: one specialised loop per op and per feature
 * (forward, fused VJP, derivative, second derivative), computing in float64
 * and rounding once on store. They are written here from the formulas of the
 * catalog's doc comments, independently of the reference `f`/`dfdx` in
 * `@nonlin/core`, so the reference stays an oracle. Each is an override of
 * its op's definition (`_definitions.ts`); an op without one runs the loops
 * the JavaScript target (`_js_target.ts`) generates from its definition.
 *
 * Shared idiom: for a logistic term σ(z), `e = exp(−|z|)` and
 * `q = 1/(1 + e)` give σ(z) = q (z ≥ 0) or e·q (z < 0), and
 * σ(z)σ(−z) = e·q², with no overflow and no 1 − σ cancellation.
 * Where a product grows × decays (x·σ(βx) at x = −∞), a decayed-to-zero
 * factor wins, so ∞·0 never yields NaN.
 *
 * @module
 */

import { erfc, type OpName, SELU_ALPHA, SELU_LAMBDA } from "@nonlin/core";
import { definitions, type KernelName } from "./_definitions.ts";
import { jsKernelOf } from "./_js_target.ts";
import type {
  KernelArgs,
  KernelSet,
  OpKernel,
  ParamGradients,
} from "./_kernels.ts";

const INV_SQRT_2PI = 0.3989422804014327; // 1/√(2π)
const SQRT_2_OVER_PI = 0.7978845608028654; // √(2/π)
const GELU_CUBIC = 0.044715;
const SIXTH = 1 / 6;
const THIRD = 1 / 3;

function num(args: KernelArgs, name: string): number {
  return args.params[name] as number;
}

function acc(dparams: ParamGradients, name: string): Float64Array {
  return dparams[name]!;
}

/** eˣ and eˣ − 1 from one transcendental call, each accurate (x ≤ 0). */
let expPair = 0;
function expm1AndExp(t: number): number {
  // Returns eᵗ − 1 and leaves eᵗ in `expPair`. Near 0 expm1 carries the
  // digits and eᵗ = (eᵗ − 1) + 1 adds no error; below −1 eᵗ is small and
  // eᵗ − 1 no longer cancels.
  if (t < -1) {
    const e = Math.exp(t);
    expPair = e;
    return e - 1;
  }
  const m = Math.expm1(t);
  expPair = m + 1;
  return m;
}

/** relu and relu-like zero second derivative: 0, or NaN for NaN. */
function zeroD2(x: Float32Array, d2: Float32Array): void {
  for (let i = 0, n = x.length; i < n; i++) {
    const v = x[i]!;
    d2[i] = v === v ? 0 : v;
  }
}

const relu: OpKernel = {
  forward(x, y) {
    for (let i = 0, n = x.length; i < n; i++) {
      const v = x[i]!;
      y[i] = v > 0 ? v : v === v ? 0 : v;
    }
  },
  vjp(x, dy, dx) {
    for (let i = 0, n = x.length; i < n; i++) {
      const v = x[i]!;
      dx[i] = dy[i]! * (v > 0 ? 1 : v === v ? 0 : v);
    }
  },
  derivative(x, d) {
    for (let i = 0, n = x.length; i < n; i++) {
      const v = x[i]!;
      d[i] = v > 0 ? 1 : v === v ? 0 : v;
    }
  },
  secondDerivative: zeroD2,
};

function leakyForward(x: Float32Array, y: Float32Array, a: number): void {
  // With α = 0 the limit at −∞ is 0, not 0·∞.
  if (a === 0) return relu.forward(x, y, { params: {} });
  for (let i = 0, n = x.length; i < n; i++) {
    const v = x[i]!;
    y[i] = v > 0 ? v : a * v;
  }
}

function leakyDerivative(x: Float32Array, d: Float32Array, a: number): void {
  for (let i = 0, n = x.length; i < n; i++) {
    const v = x[i]!;
    d[i] = v > 0 ? 1 : v === v ? a : v;
  }
}

/** Fused leaky VJP with one α; returns Σ dy·∂f/∂α = Σ dy·(x > 0 ? 0 : x). */
function leakyVjp(
  x: Float32Array,
  dy: Float32Array,
  dx: Float32Array,
  a: number,
): number {
  let s = 0;
  for (let i = 0, n = x.length; i < n; i++) {
    const v = x[i]!;
    const g = dy[i]!;
    if (v > 0) {
      dx[i] = g;
      s += g * 0;
    } else {
      dx[i] = g * (v === v ? a : v);
      s += g * v;
    }
  }
  return s;
}

const leakyRelu: OpKernel = {
  forward(x, y, args) {
    leakyForward(x, y, num(args, "alpha"));
  },
  vjp(x, dy, dx, dparams, args) {
    acc(dparams, "alpha")[0]! += leakyVjp(x, dy, dx, num(args, "alpha"));
  },
  derivative(x, d, args) {
    leakyDerivative(x, d, num(args, "alpha"));
  },
  secondDerivative: zeroD2,
};

const prelu: OpKernel = {
  forward(x, y, args) {
    const { values, index } = args.alpha!;
    if (index === null && values.length === 1) {
      return leakyForward(x, y, values[0]!);
    }
    for (let i = 0, n = x.length; i < n; i++) {
      const v = x[i]!;
      const a = values[index === null ? i : index[i]!]!;
      y[i] = v > 0 || v !== v ? v : a === 0 ? 0 : a * v;
    }
  },
  vjp(x, dy, dx, dparams, args) {
    const { values, index } = args.alpha!;
    const g = acc(dparams, "alpha");
    if (index === null && values.length === 1) {
      g[0]! += leakyVjp(x, dy, dx, values[0]!);
      return;
    }
    for (let i = 0, n = x.length; i < n; i++) {
      const v = x[i]!;
      const d = dy[i]!;
      const k = index === null ? i : index[i]!;
      if (v > 0) {
        dx[i] = d;
        g[k]! += d * 0;
      } else {
        dx[i] = d * (v === v ? values[k]! : v);
        g[k]! += d * v;
      }
    }
  },
  derivative(x, d, args) {
    const { values, index } = args.alpha!;
    if (index === null && values.length === 1) {
      return leakyDerivative(x, d, values[0]!);
    }
    for (let i = 0, n = x.length; i < n; i++) {
      const v = x[i]!;
      d[i] = v > 0 ? 1 : v === v ? values[index === null ? i : index[i]!]! : v;
    }
  },
  secondDerivative: zeroD2,
};

function relu6Slope(v: number): number {
  return v > 0 && v <= 6 ? 1 : v === v ? 0 : v;
}

const relu6: OpKernel = {
  forward(x, y) {
    for (let i = 0, n = x.length; i < n; i++) {
      const v = x[i]!;
      y[i] = v > 6 ? 6 : v > 0 ? v : v === v ? 0 : v;
    }
  },
  vjp(x, dy, dx) {
    for (let i = 0, n = x.length; i < n; i++) {
      dx[i] = dy[i]! * relu6Slope(x[i]!);
    }
  },
  derivative(x, d) {
    for (let i = 0, n = x.length; i < n; i++) d[i] = relu6Slope(x[i]!);
  },
  secondDerivative: zeroD2,
};

/** elu with scale λ (1 for elu, SELU's λ for selu) and α. */
function eluForward(
  x: Float32Array,
  y: Float32Array,
  l: number,
  a: number,
): void {
  const la = l * a;
  for (let i = 0, n = x.length; i < n; i++) {
    const v = x[i]!;
    // The exponential is taken only on the branch that uses it.
    y[i] = v > 0 ? l * v : la * Math.expm1(v);
  }
}

function eluDerivative(
  x: Float32Array,
  d: Float32Array,
  l: number,
  a: number,
  second: boolean,
): void {
  const la = l * a;
  const above = second ? 0 : l;
  for (let i = 0, n = x.length; i < n; i++) {
    const v = x[i]!;
    d[i] = v > 0 ? above : la * Math.exp(v);
  }
}

const elu: OpKernel = {
  forward(x, y, args) {
    eluForward(x, y, 1, num(args, "alpha"));
  },
  vjp(x, dy, dx, dparams, args) {
    const a = num(args, "alpha");
    let s = 0;
    for (let i = 0, n = x.length; i < n; i++) {
      const v = x[i]!;
      const g = dy[i]!;
      if (v > 0) {
        dx[i] = g;
        s += g * 0;
      } else {
        const m = expm1AndExp(v); // ∂/∂α = eˣ − 1, ∂/∂x = αeˣ
        dx[i] = g * (a * expPair);
        s += g * m;
      }
    }
    acc(dparams, "alpha")[0]! += s;
  },
  derivative(x, d, args) {
    eluDerivative(x, d, 1, num(args, "alpha"), false);
  },
  secondDerivative(x, d2, args) {
    eluDerivative(x, d2, 1, num(args, "alpha"), true);
  },
};

const selu: OpKernel = {
  forward(x, y) {
    eluForward(x, y, SELU_LAMBDA, SELU_ALPHA);
  },
  vjp(x, dy, dx) {
    const la = SELU_LAMBDA * SELU_ALPHA;
    for (let i = 0, n = x.length; i < n; i++) {
      const v = x[i]!;
      dx[i] = dy[i]! * (v > 0 ? SELU_LAMBDA : la * Math.exp(v));
    }
  },
  derivative(x, d) {
    eluDerivative(x, d, SELU_LAMBDA, SELU_ALPHA, false);
  },
  secondDerivative(x, d2) {
    eluDerivative(x, d2, SELU_LAMBDA, SELU_ALPHA, true);
  },
};

/**
 * CELU's ∂/∂α at t = x/α ≤ 0: eᵗ − 1 − t·eᵗ = −Σ_{k≥2} (k − 1)tᵏ/k!. The
 * closed form cancels as t → 0 (both terms ≈ t, the result ≈ −t²/2), so
 * small |t| takes the series, whose terms after t⁶ are below 2⁻⁵³ of the sum.
 */
function celuAlphaSlope(t: number, m: number, e: number): number {
  if (t > -1e-3) {
    return -t * t *
      (0.5 + t * (1 / 3 + t * (1 / 8 + t * (1 / 30 + t * (1 / 144)))));
  }
  return m - (e === 0 ? 0 : t * e);
}

const celu: OpKernel = {
  forward(x, y, args) {
    const a = num(args, "alpha");
    for (let i = 0, n = x.length; i < n; i++) {
      const v = x[i]!;
      y[i] = v > 0 ? v : a * Math.expm1(v / a);
    }
  },
  vjp(x, dy, dx, dparams, args) {
    const a = num(args, "alpha");
    let s = 0;
    for (let i = 0, n = x.length; i < n; i++) {
      const v = x[i]!;
      const g = dy[i]!;
      if (v > 0) {
        dx[i] = g;
        s += g * 0;
      } else {
        const t = v / a;
        const m = expm1AndExp(t);
        dx[i] = g * expPair;
        s += g * celuAlphaSlope(t, m, expPair);
      }
    }
    acc(dparams, "alpha")[0]! += s;
  },
  derivative(x, d, args) {
    const a = num(args, "alpha");
    for (let i = 0, n = x.length; i < n; i++) {
      const v = x[i]!;
      d[i] = v > 0 ? 1 : Math.exp(v / a);
    }
  },
  secondDerivative(x, d2, args) {
    const a = num(args, "alpha");
    for (let i = 0, n = x.length; i < n; i++) {
      const v = x[i]!;
      d2[i] = v > 0 ? 0 : Math.exp(v / a) / a;
    }
  },
};

const sigmoid: OpKernel = {
  forward(x, y) {
    for (let i = 0, n = x.length; i < n; i++) {
      const v = x[i]!;
      const e = Math.exp(-Math.abs(v));
      const q = 1 / (1 + e);
      y[i] = v >= 0 ? q : e * q;
    }
  },
  vjp(x, dy, dx) {
    for (let i = 0, n = x.length; i < n; i++) {
      const e = Math.exp(-Math.abs(x[i]!));
      const q = 1 / (1 + e);
      dx[i] = dy[i]! * (e * q * q);
    }
  },
  derivative(x, d) {
    for (let i = 0, n = x.length; i < n; i++) {
      const e = Math.exp(-Math.abs(x[i]!));
      const q = 1 / (1 + e);
      d[i] = e * q * q;
    }
  },
  secondDerivative(x, d2) {
    // σ'' = −σ(x)σ(−x)·tanh(x/2).
    for (let i = 0, n = x.length; i < n; i++) {
      const v = x[i]!;
      const e = Math.exp(-Math.abs(v));
      const q = 1 / (1 + e);
      d2[i] = -(e * q * q) * Math.tanh(0.5 * v);
    }
  },
};

const logSigmoid: OpKernel = {
  forward(x, y) {
    // min(x, 0) − log1p(e^−|x|).
    for (let i = 0, n = x.length; i < n; i++) {
      const v = x[i]!;
      y[i] = (v < 0 ? v : 0) - Math.log1p(Math.exp(-Math.abs(v)));
    }
  },
  vjp(x, dy, dx) {
    for (let i = 0, n = x.length; i < n; i++) {
      const v = x[i]!;
      const e = Math.exp(-Math.abs(v));
      const q = 1 / (1 + e);
      dx[i] = dy[i]! * (v >= 0 ? e * q : q);
    }
  },
  derivative(x, d) {
    // σ(−x).
    for (let i = 0, n = x.length; i < n; i++) {
      const v = x[i]!;
      const e = Math.exp(-Math.abs(v));
      const q = 1 / (1 + e);
      d[i] = v >= 0 ? e * q : q;
    }
  },
  secondDerivative(x, d2) {
    for (let i = 0, n = x.length; i < n; i++) {
      const e = Math.exp(-Math.abs(x[i]!));
      const q = 1 / (1 + e);
      d2[i] = -(e * q * q);
    }
  },
};

function hardSigmoidSlope(v: number): number {
  return v > -3 && v <= 3 ? SIXTH : v === v ? 0 : v;
}

const hardSigmoid: OpKernel = {
  forward(x, y) {
    for (let i = 0, n = x.length; i < n; i++) {
      const v = x[i]!;
      y[i] = v <= -3 ? 0 : v >= 3 ? 1 : (v + 3) / 6;
    }
  },
  vjp(x, dy, dx) {
    for (let i = 0, n = x.length; i < n; i++) {
      dx[i] = dy[i]! * hardSigmoidSlope(x[i]!);
    }
  },
  derivative(x, d) {
    for (let i = 0, n = x.length; i < n; i++) d[i] = hardSigmoidSlope(x[i]!);
  },
  secondDerivative: zeroD2,
};

/** sech²(x) = 4e/(1 + e)² with e = e^−2|x|: no overflow of cosh, no 1 − tanh². */
function sech2(v: number): number {
  const e = Math.exp(-2 * Math.abs(v));
  const q = 1 / (1 + e);
  return 4 * e * q * q;
}

const tanh: OpKernel = {
  forward(x, y) {
    for (let i = 0, n = x.length; i < n; i++) y[i] = Math.tanh(x[i]!);
  },
  vjp(x, dy, dx) {
    for (let i = 0, n = x.length; i < n; i++) dx[i] = dy[i]! * sech2(x[i]!);
  },
  derivative(x, d) {
    for (let i = 0, n = x.length; i < n; i++) d[i] = sech2(x[i]!);
  },
  secondDerivative(x, d2) {
    for (let i = 0, n = x.length; i < n; i++) {
      const v = x[i]!;
      d2[i] = -2 * Math.tanh(v) * sech2(v);
    }
  },
};

const hardTanh: OpKernel = {
  forward(x, y, args) {
    const lo = num(args, "min");
    const hi = num(args, "max");
    for (let i = 0, n = x.length; i < n; i++) {
      const v = x[i]!;
      y[i] = v < lo ? lo : v > hi ? hi : v;
    }
  },
  vjp(x, dy, dx, _dparams, args) {
    const lo = num(args, "min");
    const hi = num(args, "max");
    for (let i = 0, n = x.length; i < n; i++) {
      const v = x[i]!;
      dx[i] = dy[i]! * (v > lo && v <= hi ? 1 : v === v ? 0 : v);
    }
  },
  derivative(x, d, args) {
    const lo = num(args, "min");
    const hi = num(args, "max");
    for (let i = 0, n = x.length; i < n; i++) {
      const v = x[i]!;
      d[i] = v > lo && v <= hi ? 1 : v === v ? 0 : v;
    }
  },
  secondDerivative: zeroD2,
};

const softsign: OpKernel = {
  forward(x, y) {
    for (let i = 0, n = x.length; i < n; i++) {
      const v = x[i]!;
      const a = Math.abs(v);
      // ±1 at ±∞, the limit rather than ∞/∞.
      y[i] = a === Infinity ? (v > 0 ? 1 : -1) : v / (1 + a);
    }
  },
  vjp(x, dy, dx) {
    for (let i = 0, n = x.length; i < n; i++) {
      const d = 1 + Math.abs(x[i]!);
      dx[i] = dy[i]! * (1 / (d * d));
    }
  },
  derivative(x, d) {
    for (let i = 0, n = x.length; i < n; i++) {
      const a = 1 + Math.abs(x[i]!);
      d[i] = 1 / (a * a);
    }
  },
  secondDerivative(x, d2) {
    // −2 sign(x)/(1 + |x|)³, left-hand (+2) at 0.
    for (let i = 0, n = x.length; i < n; i++) {
      const v = x[i]!;
      const a = 1 + Math.abs(v);
      d2[i] = (v <= 0 ? 2 : v > 0 ? -2 : v) / (a * a * a);
    }
  },
};

const softplus: OpKernel = {
  forward(x, y, args) {
    const b = num(args, "beta");
    const threshold = num(args, "threshold");
    for (let i = 0, n = x.length; i < n; i++) {
      const v = x[i]!;
      const z = b * v;
      y[i] = z > threshold
        ? v
        : ((z > 0 ? z : 0) + Math.log1p(Math.exp(-Math.abs(z)))) / b;
    }
  },
  vjp(x, dy, dx, dparams, args) {
    const b = num(args, "beta");
    const threshold = num(args, "threshold");
    // Σ dy·(βxσ(βx) − log(1 + e^{βx})), divided by β² once at the end.
    let s = 0;
    for (let i = 0, n = x.length; i < n; i++) {
      const v = x[i]!;
      const g = dy[i]!;
      const z = b * v;
      if (z > threshold) {
        dx[i] = g;
        s += g * 0;
        continue;
      }
      const e = Math.exp(-Math.abs(z));
      const q = 1 / (1 + e);
      const l = Math.log1p(e);
      if (z > 0) {
        dx[i] = g * q;
        s -= g * (z * (e * q) + l); // written with σ(−z) so it does not cancel
      } else {
        const sz = e * q;
        dx[i] = g * sz;
        s += g * ((sz === 0 ? 0 : z * sz) - l);
      }
    }
    acc(dparams, "beta")[0]! += s / (b * b);
  },
  derivative(x, d, args) {
    const b = num(args, "beta");
    const threshold = num(args, "threshold");
    for (let i = 0, n = x.length; i < n; i++) {
      const z = b * x[i]!;
      if (z > threshold) {
        d[i] = 1;
        continue;
      }
      const e = Math.exp(-Math.abs(z));
      const q = 1 / (1 + e);
      d[i] = z >= 0 ? q : e * q;
    }
  },
  secondDerivative(x, d2, args) {
    const b = num(args, "beta");
    const threshold = num(args, "threshold");
    for (let i = 0, n = x.length; i < n; i++) {
      const z = b * x[i]!;
      const e = Math.exp(-Math.abs(z));
      const q = 1 / (1 + e);
      d2[i] = z > threshold ? 0 : b * (e * q * q);
    }
  },
};

/** Φ(x) through erfc, so the left tail keeps its digits. */
function normalCdf(v: number): number {
  return 0.5 * erfc(-v * Math.SQRT1_2);
}

/** Φ(x) + xφ(x). */
function geluSlope(v: number): number {
  const phi = INV_SQRT_2PI * Math.exp(-0.5 * v * v);
  return normalCdf(v) + (phi === 0 ? 0 : v * phi);
}

/** The tanh form's derivative σ(2u) + 2xu'σ(2u)σ(−2u). */
function geluTanhSlope(v: number): number {
  const z = 2 * SQRT_2_OVER_PI * (v + GELU_CUBIC * v * v * v);
  const e = Math.exp(-Math.abs(z));
  const q = 1 / (1 + e);
  const s = e * q * q;
  const du = SQRT_2_OVER_PI * (1 + 3 * GELU_CUBIC * v * v);
  return (z >= 0 ? q : e * q) + (s === 0 ? 0 : 2 * v * du * s);
}

const gelu: OpKernel = {
  forward(x, y, args) {
    if (args.params.approximate === "tanh") {
      // 0.5x(1 + tanh u) = xσ(2u): no cancellation in 1 + tanh u.
      for (let i = 0, n = x.length; i < n; i++) {
        const v = x[i]!;
        const z = 2 * SQRT_2_OVER_PI * (v + GELU_CUBIC * v * v * v);
        const e = Math.exp(-Math.abs(z));
        const sz = z >= 0 ? 1 / (1 + e) : e / (1 + e);
        y[i] = sz === 0 ? -0 : v * sz;
      }
      return;
    }
    for (let i = 0, n = x.length; i < n; i++) {
      const v = x[i]!;
      const p = normalCdf(v);
      y[i] = p === 0 ? -0 : v * p;
    }
  },
  vjp(x, dy, dx, _dparams, args) {
    if (args.params.approximate === "tanh") {
      for (let i = 0, n = x.length; i < n; i++) {
        dx[i] = dy[i]! * geluTanhSlope(x[i]!);
      }
      return;
    }
    for (let i = 0, n = x.length; i < n; i++) dx[i] = dy[i]! * geluSlope(x[i]!);
  },
  derivative(x, d, args) {
    if (args.params.approximate === "tanh") {
      for (let i = 0, n = x.length; i < n; i++) d[i] = geluTanhSlope(x[i]!);
      return;
    }
    for (let i = 0, n = x.length; i < n; i++) d[i] = geluSlope(x[i]!);
  },
  secondDerivative(x, d2, args) {
    if (args.params.approximate === "tanh") {
      // s·(4u' + 2xu'' − 4xu'²·tanh u), s = σ(2u)σ(−2u).
      for (let i = 0, n = x.length; i < n; i++) {
        const v = x[i]!;
        const u = SQRT_2_OVER_PI * (v + GELU_CUBIC * v * v * v);
        const e = Math.exp(-2 * Math.abs(u));
        const q = 1 / (1 + e);
        const s = e * q * q;
        const du = SQRT_2_OVER_PI * (1 + 3 * GELU_CUBIC * v * v);
        const d2u = SQRT_2_OVER_PI * 6 * GELU_CUBIC * v;
        d2[i] = s === 0
          ? 0
          : s * (4 * du + 2 * v * d2u - 4 * v * du * du * Math.tanh(u));
      }
      return;
    }
    // φ(x)(2 − x²).
    for (let i = 0, n = x.length; i < n; i++) {
      const v = x[i]!;
      const phi = INV_SQRT_2PI * Math.exp(-0.5 * v * v);
      d2[i] = phi === 0 ? -0 : (2 - v * v) * phi;
    }
  },
};

// Swish's loops, shared with silu (β = 1). z = βx, with β = 0 meaning z = 0
// even at x = ±∞ (swish with β = 0 is x/2 everywhere).

function swishForward(x: Float32Array, y: Float32Array, b: number): void {
  for (let i = 0, n = x.length; i < n; i++) {
    const v = x[i]!;
    const z = b === 0 ? (v === v ? 0 : v) : b * v;
    const e = Math.exp(-Math.abs(z));
    const sz = z >= 0 ? 1 / (1 + e) : e / (1 + e);
    y[i] = sz === 0 ? (v > 0 ? 0 : -0) : v * sz;
  }
}

/** dx = dy·(σ(z) + zσ(z)σ(−z)); returns Σ dy·x²σ(z)σ(−z). */
function swishVjp(
  x: Float32Array,
  dy: Float32Array,
  dx: Float32Array,
  b: number,
): number {
  let sum = 0;
  for (let i = 0, n = x.length; i < n; i++) {
    const v = x[i]!;
    const g = dy[i]!;
    const z = b === 0 ? (v === v ? 0 : v) : b * v;
    const e = Math.exp(-Math.abs(z));
    const q = 1 / (1 + e);
    const s = e * q * q;
    if (s === 0) {
      dx[i] = g * (z >= 0 ? q : 0);
      sum += g * 0;
    } else {
      dx[i] = g * ((z >= 0 ? q : e * q) + z * s);
      sum += g * (v * v * s);
    }
  }
  return sum;
}

function swishDerivative(x: Float32Array, d: Float32Array, b: number): void {
  for (let i = 0, n = x.length; i < n; i++) {
    const v = x[i]!;
    const z = b === 0 ? (v === v ? 0 : v) : b * v;
    const e = Math.exp(-Math.abs(z));
    const q = 1 / (1 + e);
    const s = e * q * q;
    d[i] = (z >= 0 ? q : e * q) + (s === 0 ? 0 : z * s);
  }
}

function swishSecondDerivative(
  x: Float32Array,
  d2: Float32Array,
  b: number,
): void {
  // βσ(z)σ(−z)(2 − z·tanh(z/2)).
  for (let i = 0, n = x.length; i < n; i++) {
    const v = x[i]!;
    const z = b === 0 ? (v === v ? 0 : v) : b * v;
    const e = Math.exp(-Math.abs(z));
    const q = 1 / (1 + e);
    const s = e * q * q;
    d2[i] = s === 0 ? 0 : b * s * (2 - z * Math.tanh(0.5 * z));
  }
}

const swish: OpKernel = {
  forward(x, y, args) {
    swishForward(x, y, num(args, "beta"));
  },
  vjp(x, dy, dx, dparams, args) {
    acc(dparams, "beta")[0]! += swishVjp(x, dy, dx, num(args, "beta"));
  },
  derivative(x, d, args) {
    swishDerivative(x, d, num(args, "beta"));
  },
  secondDerivative(x, d2, args) {
    swishSecondDerivative(x, d2, num(args, "beta"));
  },
};

const silu: OpKernel = {
  forward(x, y) {
    swishForward(x, y, 1);
  },
  vjp(x, dy, dx) {
    swishVjp(x, dy, dx, 1);
  },
  derivative(x, d) {
    swishDerivative(x, d, 1);
  },
  secondDerivative(x, d2) {
    swishSecondDerivative(x, d2, 1);
  },
};

// Mish in closed form. With E = eˣ, sp = log(1 + E):
//   tanh(sp) = E(E + 2)/(E(E + 2) + 2),  sech(sp) = 2(1 + E)/((1 + E)² + 1),
// and for x ≥ 0 the same divided through by E² (e = e⁻ˣ):
//   tanh(sp) = (1 + 2e)/(1 + 2e + 2e²),  sech(sp) = 2e(1 + e)/((1 + e)² + e²).
// One exponential, no overflow, no 1 − tanh² cancellation.
// mishParts leaves t = tanh(sp), k = sech²(sp)·σ(x), σ(x) and σ(−x) in these
// slots (module state rather than an object, so nothing is allocated per
// element).
let mishT = 0;
let mishK = 0;
let mishSig = 0;
let mishSigNeg = 0;
function mishParts(v: number): void {
  if (v >= 0) {
    const e = Math.exp(-v);
    const e2 = e * e;
    const p = 1 + e;
    const sech = (2 * e * p) / (p * p + e2);
    mishT = (1 + 2 * e) / (1 + 2 * e + 2 * e2);
    mishSig = 1 / p;
    mishK = sech * sech * mishSig;
    mishSigNeg = e * mishSig;
  } else {
    const e = Math.exp(v);
    const p = 1 + e;
    const sech = (2 * p) / (p * p + 1);
    const w = e * (e + 2);
    mishT = w / (w + 2);
    mishSigNeg = 1 / p;
    mishSig = e * mishSigNeg;
    mishK = sech * sech * mishSig;
  }
}

function mishSlope(v: number): number {
  mishParts(v);
  return mishT + (mishK === 0 ? 0 : v * mishK);
}

const mish: OpKernel = {
  forward(x, y) {
    for (let i = 0, n = x.length; i < n; i++) {
      const v = x[i]!;
      mishParts(v);
      y[i] = mishT === 0 ? -0 : v * mishT;
    }
  },
  vjp(x, dy, dx) {
    for (let i = 0, n = x.length; i < n; i++) dx[i] = dy[i]! * mishSlope(x[i]!);
  },
  derivative(x, d) {
    for (let i = 0, n = x.length; i < n; i++) d[i] = mishSlope(x[i]!);
  },
  secondDerivative(x, d2) {
    // k·(2 − 2x·t·σ(x) + x·σ(−x)).
    for (let i = 0, n = x.length; i < n; i++) {
      const v = x[i]!;
      mishParts(v);
      const k = mishK;
      d2[i] = k === 0 ? 0 : k * (2 - 2 * v * mishT * mishSig + v * mishSigNeg);
    }
  },
};

function hardSwishSlope(v: number): number {
  return v <= -3 ? 0 : v > 3 ? 1 : (2 * v + 3) / 6;
}

const hardSwish: OpKernel = {
  forward(x, y) {
    for (let i = 0, n = x.length; i < n; i++) {
      const v = x[i]!;
      y[i] = v <= -3 ? 0 : v >= 3 ? v : (v * (v + 3)) / 6;
    }
  },
  vjp(x, dy, dx) {
    for (let i = 0, n = x.length; i < n; i++) {
      dx[i] = dy[i]! * hardSwishSlope(x[i]!);
    }
  },
  derivative(x, d) {
    for (let i = 0, n = x.length; i < n; i++) d[i] = hardSwishSlope(x[i]!);
  },
  secondDerivative(x, d2) {
    for (let i = 0, n = x.length; i < n; i++) {
      const v = x[i]!;
      d2[i] = v > -3 && v <= 3 ? THIRD : v === v ? 0 : v;
    }
  },
};

/** The JavaScript kernel set, the engine's default. */
/**
 * The hand-tuned loops, each an override of its op's definition
 * (`_definitions.ts`): they fuse the special values into the loop, pick
 * `Math`'s functions per branch, and keep the reference's exact limits
 * where the definitions hand non-finite inputs to them.
 */
export const jsOverrides: { readonly [N in OpName]?: OpKernel } = {
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
};

/**
 * The JavaScript kernel set: every op's override where it has one, else the
 * loops generated from its definition.
 */
export const jsKernels: KernelSet = Object.freeze({
  name: "js",
  simd: false,
  ops: Object.freeze(
    Object.fromEntries(
      (Object.keys(definitions) as KernelName[]).flatMap((name) =>
        name === "geluTanh"
          ? []
          : [[name, jsOverrides[name] ?? jsKernelOf(name, definitions[name])]]
      ),
    ) as { readonly [N in OpName]: OpKernel },
  ),
});
