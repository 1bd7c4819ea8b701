// Plain-f32 paths of the WebGPU kernels: where a per-op error analysis
// shows that f32 arithmetic with a few error-free steps meets the promise
// (values within 2 ULP, gradients within 4, of the float64 reference), a
// kernel computes the element in f32 and rounds once; elsewhere (the tails
// whose results or intermediates leave the normal range, the cancelling
// windows around a derivative's root) the same element takes the
// double-f32 path of _wgsl_math.ts. The choice is a per-element branch on
// x, so a workgroup (a SIMD vector on llvmpipe) runs the double-f32 code
// only where one of its elements needs it.
//
// Units: u = 2⁻²⁴, the unit roundoff of f32 (a rounding to nearest errs by
// at most u relative); a result whose error before its one final rounding
// is ε·u relative is within ε + ½ ULP (|v|/ulp(v) < 2²⁴).
//
// The primitives (shared by every op, their bounds proved once here):
// - `f_exp(th, tl)`: e^t for t = th + tl, |th| ≤ 150, as 2^k·(1 + r + c)
//   with r the reduced argument. t − k·ln2 is formed exactly (Cody–Waite:
//   k·LN2_HI (|k| < 2⁹, LN2_HI of 15 bits) and th − k·LN2_HI are exact, the rest's rounding error kept
//   by two_sum and folded into c with tl); c = e^r − 1 − r from an f32
//   Horner (truncation below 2⁻³², |r| ≤ 0.3466) errs by ≤ 3.2u·|c| ≤ 0.22u;
//   the pair (h, l) = (fl(1 + r), error + c) is then e^t within 0.3u
//   absolute of e^r ≥ 0.707: **e^t within 0.5u relative** as an unrounded
//   pair (and e^t − 1 within 0.6u relative of itself: for k = 0 the pair is
//   (r, c) itself, no rounding of 1 + r enters).
// - `f_div(a, b)`: a quotient of pairs as a pair. WGSL's division is only
//   within 2.5 ULP, so the f32 quotient q is corrected once from the exact
//   residual a − b·q (two_prod): the pair is within about 2⁻⁴⁰ of the
//   quotient of the pairs, whatever the device's division.
// - `f_mul_round(a, b)`: f32 times a pair, rounded once (two_prod).
// Error-free sums and products go through _wgsl_math.ts's two_sum,
// fast_two_sum and two_prod (opaque to the compiler, fma or Dekker); no
// other step relies on exact arithmetic, so contraction into fma or a
// reassociation can only change an error by a rounding the bounds count.

import {
  erfc,
  ops,
  SELU_ALPHA,
  SELU_LAMBDA,
  TANHSHRINK_SERIES,
} from "@nonlin/core";
import type { KernelName } from "../_definitions.ts";
import { dfLiteral, f32HornerStart, f32Literal } from "./_wgsl_math.ts";

const LN2_HI = 0.693145751953125;
const LN2_LO = Math.LN2 - LN2_HI;

/** e^r − 1 − r = r²·(1/2! + r/3! + … + r⁶/8!): the Horner coefficients. */
const EXP_C = [2, 6, 24, 120, 720, 5040, 40320].map((f) => 1 / f);

/**
 * swish′ near its root, as a function of z = βx: g(z) = σ(z) + zσ(z)σ(−z)
 * = σ(z)·(1 + z + e^z)/(1 + e^z) vanishes at z₀ (1 + z₀ + e^z₀ = 0), and
 * g(z₀ + δ) = δ·Q(δ) with Q smooth (its nearest singularities, the poles of
 * σ at ±iπ, are 3.4 away). Q(δ) = Σ qₖ·(2δ)ᵏ on |δ| <= 1/2 by Chebyshev
 * interpolation of degree 9 in float64 (error below 2⁻³³ of Q); the
 * 1 + z + e^z of Q computed as δ + e^z₀·expm1(δ), without cancellation.
 */
export function swishRootPolynomial(
  degree = 9,
): { z0: number; half: number; q: number[] } {
  let z0 = -1.2784;
  for (let i = 0; i < 60; i++) {
    z0 -= (1 + z0 + Math.exp(z0)) / (1 + Math.exp(z0));
  }
  const half = 0.5;
  const q = (d: number) => {
    const z = z0 + d;
    const h = d + Math.exp(z0) * Math.expm1(d);
    return (h / d) / ((1 + Math.exp(-z)) * (1 + Math.exp(z)));
  };
  return { z0, half, q: chebyshevMonomials(q, half, degree) };
}

/**
 * The monomial coefficients, in t = δ/`half`, of the Chebyshev interpolant
 * of `fn` on [−half, half] at degree + 1 first-kind nodes (never δ = 0 for
 * an odd degree).
 */
function chebyshevMonomials(
  fn: (d: number) => number,
  half: number,
  degree: number,
): number[] {
  const m = degree + 1;
  const values = Array.from(
    { length: m },
    (_, k) => fn(half * Math.cos(Math.PI * (k + 0.5) / m)),
  );
  const c = Array.from({ length: m }, (_, j) =>
    (j === 0 ? 1 : 2) / m *
    values.reduce(
      (s, v, k) => s + v * Math.cos(Math.PI * j * (k + 0.5) / m),
      0,
    ));
  const mono = new Array<number>(m).fill(0);
  let prev = [1];
  let cur = [0, 1];
  const add = (t: number[], s: number) =>
    t.forEach((v, i) => (mono[i] = mono[i]! + s * v));
  add(prev, c[0]!);
  if (m > 1) add(cur, c[1]!);
  for (let j = 2; j < m; j++) {
    const next = [0, ...cur.map((v) => 2 * v)];
    prev.forEach((v, i) => (next[i] = next[i]! - v));
    add(next, c[j]!);
    prev = cur;
    cur = next;
  }
  return mono;
}

const SWISH_ROOT = swishRootPolynomial();

/**
 * A derivative g near its root z₀, from the next derivative g′ (`slope`):
 * g(z₀ + δ) = δ·Q(δ) with Q(δ) the mean of g′ over [z₀, z₀ + δ] (Simpson's
 * rule on 2000 panels: below 2⁻⁴⁰ for the entire or nearly entire g′ here),
 * as Σ qₖ·(δ/half)ᵏ on |δ| <= half by Chebyshev interpolation.
 */
function meanSlopePolynomial(
  slope: (x: number) => number,
  z0: number,
  half: number,
  degree: number,
): { z0: number; half: number; q: number[] } {
  const q = (d: number) => {
    const panels = 2000;
    const h = d / panels;
    let sum = 0;
    for (let k = 0; k <= panels; k++) {
      const x = z0 + k * h;
      const w = k === 0 || k === panels ? 1 : k % 2 === 1 ? 4 : 2;
      sum += w * slope(x);
    }
    return sum * h / 3 / d;
  };
  return { z0, half, q: chebyshevMonomials(q, half, degree) };
}

/**
 * gelu′ near its root: g(x) = Φ(x) + xφ(x) vanishes at x₀ ≈ −0.7518, and
 * g(x₀ + δ) = δ·Q(δ), Q entire (g′ = (2 − x²)φ; meanSlopePolynomial).
 * Q(δ) = Σ qₖ·(2δ)ᵏ on |δ| <= 1/2, Chebyshev degree 12 (below 2⁻⁴⁰).
 */
export function geluRootPolynomial(
  degree = 12,
): { z0: number; half: number; q: number[] } {
  const pdf = (x: number) => Math.exp(-x * x / 2) / Math.sqrt(2 * Math.PI);
  const g = (x: number) => erfc(-x / Math.SQRT2) / 2 + x * pdf(x);
  let z0 = -0.75;
  for (let i = 0; i < 60; i++) z0 -= g(z0) / ((2 - z0 * z0) * pdf(z0));
  return meanSlopePolynomial((x) => (2 - x * x) * pdf(x), z0, 0.5, degree);
}

/**
 * mish′ near its root x₀ ≈ −1.1924 (Newton on the catalog's float64 f′ and
 * f″): mish′(x₀ + δ) = δ·Q(δ) with Q the mean of mish″
 * (meanSlopePolynomial); Q is analytic within 2.8 of x₀ (tanh(softplus x)
 * has poles at 0.35 ± 2.36i), so on |δ| <= 1/2 Chebyshev degree 10 fits
 * it to 2⁻³⁴ relative (Q >= 0.177 there; measured on 1000 points).
 */
export function mishRootPolynomial(
  degree = 10,
): { z0: number; half: number; q: number[] } {
  const d1 = (x: number) => ops.mish.dfdx(x, {});
  const d2 = (x: number) => ops.mish.d2fdx2(x, {});
  let z0 = -1.19;
  for (let i = 0; i < 60; i++) z0 -= d1(z0) / d2(z0);
  return meanSlopePolynomial(d2, z0, 0.5, degree);
}

const MISH_ROOT = mishRootPolynomial();

/**
 * geluTanh′ near its root x₀ ≈ −0.7525 (Newton on the catalog's float64
 * f′ and f″): δ·Q(δ), Q the mean of geluTanh″ (meanSlopePolynomial); σ(z(x))
 * has its nearest poles where z(x) = ±iπ, about 2.3 from x₀, so on
 * |δ| <= 1/2 Chebyshev degree 11 fits Q to 2⁻³⁶·⁹ relative (Q >= 0.245
 * there; measured on 1000 points).
 */
export function geluTanhRootPolynomial(
  degree = 11,
): { z0: number; half: number; q: number[] } {
  const tanhForm = { approximate: "tanh" } as const;
  const d1 = (x: number) => ops.gelu.dfdx(x, tanhForm);
  const d2 = (x: number) => ops.gelu.d2fdx2(x, tanhForm);
  let z0 = -0.75;
  for (let i = 0; i < 60; i++) z0 -= d1(z0) / d2(z0);
  return meanSlopePolynomial(d2, z0, 0.5, degree);
}

const GELU_TANH_ROOT = geluTanhRootPolynomial();

/**
 * swish″'s bracket B(a) = 2 − a·tanh(a/2), a = |βx|, near its root
 * a₀ ≈ 2.3994: δ·Q(δ), Q the mean of B′ = −tanh(a/2) − (a/2)sech²(a/2)
 * (meanSlopePolynomial); tanh(a/2) has its poles at ±iπ, 3.95 from a₀, so
 * on |δ| <= 3/2 Chebyshev degree 14 fits Q to 2⁻³⁵·⁹ relative (|Q| >=
 * 1.08 there; measured on 1000 points).
 */
export function swishCurvatureRootPolynomial(
  degree = 14,
): { z0: number; half: number; q: number[] } {
  const b = (a: number) => 2 - a * Math.tanh(a / 2);
  const slope = (a: number) =>
    -Math.tanh(a / 2) - a / 2 / Math.cosh(a / 2) ** 2;
  let z0 = 2.4;
  for (let i = 0; i < 60; i++) z0 -= b(z0) / slope(z0);
  return meanSlopePolynomial(slope, z0, 1.5, degree);
}

const SWISH_CURVATURE_ROOT = swishCurvatureRootPolynomial();

/**
 * mish″ near its roots x₁ ≈ −2.2564 and x₂ ≈ 1.4906 (Newton on the
 * catalog's float64 f″): f″(xᵢ + δ) = δ·Q(δ), Q interpolated on |δ| <= 1/2
 * from f″(xᵢ + δ)/δ itself at the first-kind nodes of an odd degree (none
 * at δ = 0; at the nearest, |δ| = 0.03, float64's f″ is within 2⁻⁴⁵ of
 * itself); mish's singularities are 2.6 or more away, and degree 13 fits
 * Q to 2⁻⁴⁰·⁸ relative (|Q| >= 0.068 and 0.115; measured on 1000 points).
 */
export function mishCurvatureRootPolynomials(
  degree = 13,
): { z0: number; half: number; q: number[] }[] {
  const d2 = (x: number) => ops.mish.d2fdx2(x, {});
  return [-2.256, 1.491].map((start) => {
    let z0 = start;
    for (let i = 0; i < 60; i++) {
      const h = 1e-6;
      z0 -= d2(z0) / ((d2(z0 + h) - d2(z0 - h)) / (2 * h));
    }
    const q = chebyshevMonomials((d) => d2(z0 + d) / d, 0.5, degree);
    return { z0, half: 0.5, q };
  });
}

const MISH_CURVATURE_ROOTS = mishCurvatureRootPolynomials();

const GELU_C1 = 2 * Math.sqrt(2 / Math.PI);
const GELU_C3 = GELU_C1 * 0.044715;

/**
 * geluTanh″ = σ(z)σ(−z)·C(|x|) with C(a) = 2z′ + a·z″ − a·z′²·tanh(z/2)
 * (z = c₁a + c₃a³; even in x), near C's root a₀ ≈ 1.4185: C(a₀ + δ) =
 * δ·Q(δ), Q interpolated on |δ| <= 3/4 from C(a₀ + δ)/δ in float64 at the
 * nodes of an odd degree (none at δ = 0; C's float64 error there below
 * 2⁻⁴⁸); degree 11 fits Q to 2⁻³⁷ relative (|Q| >= 3.5 there; measured
 * on 1000 points).
 */
export function geluTanhCurvatureRootPolynomial(
  degree = 11,
): { z0: number; half: number; q: number[] } {
  const c = (a: number) => {
    const z = GELU_C1 * a + GELU_C3 * a ** 3;
    const zp = GELU_C1 + 3 * GELU_C3 * a * a;
    return 2 * zp + 6 * GELU_C3 * a * a - a * zp * zp * Math.tanh(z / 2);
  };
  let z0 = 1.4;
  for (let i = 0; i < 60; i++) {
    const h = 1e-7;
    z0 -= c(z0) / ((c(z0 + h) - c(z0 - h)) / (2 * h));
  }
  return {
    z0,
    half: 0.75,
    q: chebyshevMonomials((d) => c(z0 + d) / d, 0.75, degree),
  };
}

const GELU_TANH_CURVATURE_ROOT = geluTanhCurvatureRootPolynomial();

const GELU_ROOT = geluRootPolynomial();

/**
 * h(a) = e^(a²)·erfc(a)·(a + 1) for 0 <= a <= 10.2 (|x| <= 14.4 in Φ(x)),
 * as a polynomial in u = 2t/tmax − 1, t = a/(a + 3): h is smooth and
 * between 0.61 and 1 there (erfc(a)e^(a²) is entire, and the factor a + 1
 * takes out its 1/(a√π) decay), and Chebyshev interpolation of degree 12
 * fits it to 2⁻³⁴ relative. Its float64 values from erfc where e^(a²)
 * does not overflow the product's precision (a < 5), and from erfc's
 * continued fraction beyond.
 */
export function erfcxPolynomial(
  degree = 12,
): { amax: number; c: number; tmax: number; q: number[] } {
  const amax = 10.2;
  const c = 3;
  const tmax = amax / (amax + c);
  const h = (a: number) => {
    let v: number;
    if (a < 5) v = Math.exp(a * a) * erfc(a);
    else {
      let f = 0;
      for (let k = 60; k >= 1; k--) f = (k / 2) / (a + f);
      v = 1 / (Math.sqrt(Math.PI) * (a + f));
    }
    return v * (a + 1);
  };
  const q = chebyshevMonomials(
    (u) => {
      const t = (u + 1) / 2 * tmax;
      return h(c * t / (1 - t));
    },
    1,
    degree,
  );
  return { amax, c, tmax, q };
}

const ERFCX = erfcxPolynomial();

/**
 * Q(v) = (x − tanh x)/x³ with v = x², for 0 <= v <= 2 (|x| <= √2), as a
 * polynomial in t = v − 1: Q is analytic but for its poles at v = −π²/4
 * (tanh's at ±iπ/2), so Chebyshev interpolation of degree 12 on [−1, 1]
 * fits it to 2⁻³⁴·⁹ relative (Q >= 0.18 there; measured on 20000 points). Its float64 values from
 * the catalog's series below v = 1/4, and from x − tanh x (cancelling by at
 * most 12×, so within 2⁻⁴⁹) above.
 */
export function tanhshrinkPolynomial(degree = 12): { q: number[] } {
  const quotient = (v: number) => {
    if (v < 0.25) {
      let p = 0;
      for (let k = TANHSHRINK_SERIES.length - 1; k >= 0; k--) {
        p = p * v + TANHSHRINK_SERIES[k]!;
      }
      return p;
    }
    const x = Math.sqrt(v);
    return (x - Math.tanh(x)) / (x * v);
  };
  return { q: chebyshevMonomials((t) => quotient(t + 1), 1, degree) };
}

const TANHSHRINK = tanhshrinkPolynomial();

/**
 * `fname(zh, zl)`: f′ = δ·Q(δ) for z = zh + zl within `half` of the root
 * z₀ (a root polynomial above): δ = z − z₀ exact as a pair (z − z₀'s high
 * part by Sterbenz), Q's constant term as a pair, the rest in f32.
 */
function rootFunction(
  fname: string,
  root: { z0: number; half: number; q: readonly number[] },
): string {
  const z0h = Math.fround(root.z0);
  const q = root.q;
  let horner = f32Literal(q[q.length - 1]!);
  for (let k = q.length - 2; k >= 1; k--) {
    horner = `(${horner} * t + ${f32Literal(q[k]!)})`;
  }
  return `fn ${fname}(zh: f32, zl: f32) -> df {
  let d = two_sum(zh - ${f32Literal(z0h)}, zl - ${f32Literal(root.z0 - z0h)});
  let t = d.x * ${f32Literal(1 / root.half)};
  let q = ${horner};
  let s = fast_two_sum(${f32Literal(q[0]!)}, t * q);
  return f_mul2(d, df(s.x, s.y + ${f32Literal(q[0]! - Math.fround(q[0]!))}));
}`;
}

/**
 * Σ coeffs[k]·xᵏ as a pair (`x` a pair variable) for |x| <= `xmax`, to an
 * absolute error below 2⁻²⁹·`scale`: the highest coefficients in an f32
 * Horner (it errs by at most (n + 1)·u of Σ|cₖ||x|ᵏ over its terms), only
 * the lowest ones, which that bound does not allow, in pairs.
 */
function pairPoly(
  x: string,
  coeffs: readonly number[],
  xmax: number,
  scale: number,
): string {
  const n = coeffs.length;
  const m = f32HornerStart(coeffs, xmax, 2 ** -29 * scale);
  let p: string;
  if (m >= n) p = dfLiteral(coeffs[n - 1]!);
  else {
    let t = f32Literal(coeffs[n - 1]!);
    for (let k = n - 2; k >= m; k--) {
      t = `(${t} * ${x}.x + ${f32Literal(coeffs[k]!)})`;
    }
    if (m === 0) return `df(${t}, 0.0f)`;
    p = `df(${t}, 0.0f)`;
  }
  for (let k = Math.min(m, n - 1) - 1; k >= 0; k--) {
    p = `f_add2(f_mul2(${p}, ${x}), ${dfLiteral(coeffs[k]!)})`;
  }
  return p;
}

/**
 * Φ(x) and φ(x) as pairs for |x| <= 14.4, times 2^sk (sk = 64 below −9,
 * so that they and their pairs' low parts stay normal down to x = −14),
 * from one exponential and no branch:
 * with a = |x|/√2 (a pair, within 2⁻⁴⁸), erfc(a) = e^(−a²)·h(a)/(a + 1)
 * (erfcxPolynomial), e^(−a²) = e^(−x²/2) from −x²/2 exact as a pair
 * (within 0.5u), h's argument u as a pair (t = a/(a + 3) by f_div) and h
 * by pairPoly to 2⁻²⁷·⁷ absolute (0.3u of h >= 0.63): erfc within 0.8u
 * relative; Φ = erfc/2 for x < 0 and 1 − erfc/2 for x >= 0 (no
 * cancellation: erfc/2 <= 1/2), φ = e^(−x²/2)/√(2π) within 0.6u.
 */
function geluPartsFunction(): string {
  const k = 2 / ERFCX.tmax;
  return `struct GeluParts { cdf: df, pdf: df }
fn f_gelu_parts(x: f32, sk: i32) -> GeluParts {
  let a = f_mul(abs(x), ${dfLiteral(Math.SQRT1_2)});
  let sq = two_prod(x, x);
  let ex = f_exp(-0.5f * sq.x, -0.5f * sq.y);
  let e = f_exp_pair(Fexp(ex.r, ex.c, ex.k + sk));
  let t = f_div(a, f_add2(a, df(${f32Literal(ERFCX.c)}, 0.0f)));
  let u = f_add2(f_mul2(t, ${dfLiteral(k)}), df(-1.0f, 0.0f));
  let h = ${pairPoly("u", ERFCX.q, 1, 2.5)};
  let half_erfc = 0.5f * f_div(f_mul2(e, h), f_add2(a, df(1.0f, 0.0f)));
  let cdf = select(half_erfc, f_add2(df(1.0f, 0.0f), -half_erfc), x >= 0.0f);
  return GeluParts(cdf, f_mul2(e, ${dfLiteral(1 / Math.sqrt(2 * Math.PI))}));
}`;
}

/** The WGSL of the plain-f32 primitives (needs _wgsl_math.ts's library). */
export function wgslF32(): string {
  let horner = f32Literal(EXP_C[EXP_C.length - 1]!);
  for (let i = EXP_C.length - 2; i >= 0; i--) {
    horner = `(${horner} * r + ${f32Literal(EXP_C[i]!)})`;
  }
  return `
// ------------------------------------------------------------ plain f32

/** e^(th + tl) = 2^k·(1 + r + c), |r| <= 0.3466 (|th| <= 150). */
struct Fexp { r: f32, c: f32, k: i32 }
fn f_exp(th: f32, tl: f32) -> Fexp {
  let kf = round(th * 1.44269504f);
  // Exact: kf·LN2_HI has at most 24 bits, and th − kf·LN2_HI is below 0.5
  // with th's granularity.
  let r1 = th - kf * ${f32Literal(LN2_HI)};
  let rs = two_sum(r1, -(kf * ${f32Literal(LN2_LO)}));
  let r = rs.x;
  let c0 = (r * r) * ${horner};
  // e^(r + rl) = e^r + rl·e^r (rl² below 2⁻³⁴).
  let rl = rs.y + tl;
  return Fexp(r, c0 + rl * ((1.0f + r) + c0), i32(kf));
}
/** e^t as a pair within 0.5u relative, for −125 <= k <= 127 (2^k normal). */
fn f_exp_pair(e: Fexp) -> df {
  let h = fast_two_sum(1.0f, e.r);
  let v = fast_two_sum(h.x, h.y + e.c);
  let a = pow2(e.k);
  return v * a;
}
/** e^t − 1 as a pair within 0.6u relative of itself, for k >= −125. */
fn f_expm1_pair(e: Fexp) -> df {
  let h = fast_two_sum(1.0f, e.r);
  let a = pow2(e.k);
  let m = two_sum(-1.0f, h.x * a);
  // |m.x| >= 0.29 for k != 0, |r| >= |c| for k = 0: both normalize.
  return select(fast_two_sum(m.x, m.y + (h.y + e.c) * a), fast_two_sum(e.r, e.c), e.k == 0);
}
/** a/b as a pair (for a, b and the residual normal, b != 0). */
fn f_div(a: df, b: df) -> df {
  let q = a.x / b.x;
  let p = two_prod(b.x, q);
  // a.x − p.x is exact (p.x is within a few ULP of a.x).
  let rho = (((a.x - p.x) - p.y) + a.y) - q * b.y;
  return df(q, rho / b.x);
}
/** a·b as a pair, f32 a. */
fn f_mul(a: f32, b: df) -> df {
  let p = two_prod(a, b.x);
  return df(p.x, p.y + a * b.y);
}
/** a·b as a pair. */
fn f_mul2(a: df, b: df) -> df {
  let p = two_prod(a.x, b.x);
  return df(p.x, p.y + (a.x * b.y + a.y * b.x));
}
/** a + b as a pair. */
fn f_add2(a: df, b: df) -> df {
  let s = two_sum(a.x, b.x);
  return df(s.x, s.y + (a.y + b.y));
}
/** a·b rounded once, f32 a (a·b.x finite). */
fn f_mul_round(a: f32, b: df) -> f32 {
  let p = f_mul(a, b);
  return p.x + p.y;
}
/** The pair rounded to f32. */
fn f_round(a: df) -> f32 { return a.x + a.y; }
/**
 * dy·s rounded once with IEEE semantics for a special dy and for an
 * overflowing product (s a finite pair).
 */
fn f_scale_dy(dy: f32, s: df) -> f32 {
  let p = dy * s.x;
  if (is_special(dy) || is_special(p)) { return ieee_mul(dy, f_round(s)); }
  return f_mul_round(dy, s);
}

/**
 * log(1 + u) for a pair 0 < u <= 1: 2·atanh(s) with s = u/(2 + u), or above
 * √2 − 1, ln 2 + 2·atanh(s) with s = (u − 1)/(u + 3), |s| <= 0.1716, s a
 * pair (f_div); 2s + 2s·w·P(w), w = s², P = 1/3 + w/5 + … + w⁵/13 in f32
 * (its error, 2u of P, is 0.06u of the result; truncation below 2⁻³⁰):
 * within 0.1u of log(1 + u) plus u's own error (relative sensitivity
 * u/((1 + u)·log(1 + u)) <= 1).
 */
fn f_log1p(u: df) -> df {
  let upper = u.x > ${f32Literal(Math.SQRT2 - 1)};
  let num = select(u, f_add2(u, df(-1.0f, 0.0f)), upper);
  let den = select(f_add2(u, df(2.0f, 0.0f)), f_add2(u, df(3.0f, 0.0f)), upper);
  let s = f_div(num, den);
  let w = s.x * s.x;
  let p = ${
    (() => {
      const c = [1 / 3, 1 / 5, 1 / 7, 1 / 9, 1 / 11, 1 / 13];
      let e = f32Literal(c[c.length - 1]!);
      for (let k = c.length - 2; k >= 0; k--) {
        e = `(${e} * w + ${f32Literal(c[k]!)})`;
      }
      return e;
    })()
  };
  let s2 = 2.0f * s;
  let atanh2 = f_add2(s2, df(s2.x * w * p, 0.0f));
  return select(atanh2, f_add2(atanh2, ${dfLiteral(Math.LN2)}), upper);
}

/**
 * dy·s·post (post a power of two <= 1, s a pair scaled up by 1/post): the
 * product rounded once where it is large, then scaled exactly, so that the
 * error-free product's parts stay normal (on a device that flushes
 * subnormals, Dekker's partial products of a result near 2⁻¹¹³ would not);
 * for |dy| > 10³⁰, where dy·s could overflow, dy is scaled first.
 */
fn f_scale_dy_post(dy: f32, s: df, post: f32) -> f32 {
  if (abs(dy) > 1.0e30f) { return f_scale_dy(dy * post, s); }
  return f_scale_dy(dy, s) * post;
}

/**
 * The logistic pieces of z = zh + zl (|zh| <= 64): e = e^−|z| and
 * d = 1 + e as pairs (e within 0.5u, d within 0.5u·e), zneg = z < 0.
 * σ(z) = zneg ? e/d : 1/d, σ(z)σ(−z) = e/d².
 */
struct Flog { e: df, d: df, zneg: bool }
fn f_logistic(zh: f32, zl: f32) -> Flog {
  let zneg = zh < 0.0f;
  let e = f_exp_pair(f_exp(select(-zh, zh, zneg), select(-zl, zl, zneg)));
  let d0 = fast_two_sum(1.0f, e.x);
  return Flog(e, df(d0.x, d0.y + e.y), zneg);
}
/** σ(z) as a pair: within 0.5u·e/(1 + e) <= 0.25u relative. */
fn f_sigmoid(g: Flog) -> df {
  return f_div(select(df(1.0f, 0.0f), g.e, g.zneg), g.d);
}
/** d² as a pair (d.y² below 2⁻⁴⁶ dropped). */
fn f_square(d: df) -> df {
  let p = two_prod(d.x, d.x);
  return df(p.x, p.y + 2.0f * d.x * d.y);
}
/** σ(z)σ(−z) = e/d² as a pair: within 0.5u·(1 − e)/(1 + e) <= 0.5u relative. */
fn f_logistic_slope(g: Flog) -> df { return f_div(g.e, f_square(g.d)); }
${rootFunction("f_swish_root", SWISH_ROOT)}
${rootFunction("f_gelu_root", GELU_ROOT)}
${geluPartsFunction()}`;
}

/**
 * One loop's plain-f32 path: `guard`, a WGSL bool of the f32 input `x`
 * (finite and, for the forward loop, nonzero) and the parameters, says
 * where it holds; `body`, the statements of `fn(x: f32) -> df` returning
 * the result as an unrounded pair (the kernel rounds it once, or multiplies
 * it by dy and rounds once). `grad`, for a VJP with a learned parameter:
 * the statements of `fn(x: f32) -> df` returning ∂f/∂θ as a pair.
 */
export interface F32Path {
  readonly guard: string;
  readonly body: string;
  readonly grad?: string;
  /**
   * A power of two (a WGSL f32 of `x`) the rounded result (in the VJP,
   * dy·f′, f_scale_dy_post) is multiplied by, exactly while it is normal: for a body that computes
   * its result scaled up, so that its pairs stay normal (default 1; not
   * applied to `grad`).
   */
  readonly post?: string;
  /**
   * An exponent k (a WGSL i32 of `x`): the result is the pair times 2^k,
   * rounded once whatever its range, subnormal results included
   * (sdf_round; in the VJP, dy times it by round_mul). For a body whose
   * results reach below 2⁻¹²⁶, computed scaled up so that its pairs stay
   * normal. Instead of `post`.
   */
  readonly postExp?: string;
}

/** The plain-f32 loops of a kernel (absent: double-f32 throughout). */
export interface F32Paths {
  readonly forward?: F32Path;
  readonly derivative?: F32Path;
  readonly secondDerivative?: F32Path;
  readonly vjp?: F32Path;
}

// ---------------------------------------------------------------- sigmoid

/**
 * σ(x) for x >= −64 (x clamped to 64, where σ is 1 in f32): the pair is
 * within 0.25u of σ (f_sigmoid), so the value is within 0.75 ULP; below −64
 * the result nears the subnormal range (σ(−87.3) = 2⁻¹²⁶) and the
 * double-f32 path rounds it from its bits.
 */
const sigmoidForward: F32Path = {
  guard: "x >= -64.0f",
  body: `return f_sigmoid(f_logistic(min(x, 64.0f), 0.0f));`,
};

/**
 * σ′(x) = σ(x)σ(−x) = e/(1 + e)², e = e^−|x|, for |x| <= 64: the pair is
 * within 0.5u (f_logistic_slope), so f′ is within 1 ULP and dy·f′, rounded
 * once from the pair, within 1 ULP. Beyond, e^−|x| nears 2⁻¹²⁶.
 */
const sigmoidSlope: F32Path = {
  guard: "abs(x) <= 64.0f",
  body: `return f_logistic_slope(f_logistic(x, 0.0f));`,
};

// ------------------------------------------------------------------- tanh

/**
 * tanh|x| = −m/(2 + m), m = e^−2|x| − 1 (no cancellation: m from
 * f_expm1_pair, within 0.6u of itself), |x| clamped to 12 (tanh is 1 in
 * f32 from 9.01). The quotient's relative sensitivity to m is
 * 2/(2 + m) <= 2 where |m| is near 1, and there m's error is 0.5u·e, not
 * 0.6u·|m|: at most 0.67u (m = −0.5) before the rounding, so within
 * 1.2 ULP. For |x| < 2⁻⁶⁰ (tanh x = x, subnormals included) the double-f32
 * path keeps the bits on devices that flush.
 */
const tanhForward: F32Path = {
  guard: "abs(x) >= 8.6736174e-19f",
  body: `let m = f_expm1_pair(f_exp(-2.0f * min(abs(x), 12.0f), 0.0f));
  let d0 = fast_two_sum(2.0f, m.x);
  let t = f_div(-m, df(d0.x, d0.y + m.y));
  return select(t, -t, x < 0.0f);`,
};

/**
 * tanh′(x) = 4·σ(2x)σ(−2x) (2|x| exact), |x| <= 32: within 1 ULP as
 * σ′ above (the factor 4 is exact).
 */
const tanhSlope: F32Path = {
  guard: "abs(x) <= 32.0f",
  body: `return 4.0f * f_logistic_slope(f_logistic(2.0f * x, 0.0f));`,
};

// ------------------------------------------------------- swish and silu

/** z = βx as a pair (β a double-f32 parameter: its low part enters). */
const SWISH_Z = `let beta = param(0u);
  let z = f_mul(x, beta);
  let zl = z.y;`;

/**
 * x·σ(βx) for 2⁻⁴⁰ <= |x| <= 2⁶⁰ and βx >= −40: z = βx exact as a pair,
 * σ(z) within 0.25u, one product rounded once: within 0.75 ULP. Outside,
 * the result or the product's error term leaves the normal range.
 */
const swishForward: F32Path = {
  guard:
    "abs(x) >= 9.094947e-13f && abs(x) <= 1.1529215e18f && x * param(0u).x >= -40.0f",
  body: `${SWISH_Z}
  let zc = min(z.x, 64.0f);
  return f_mul(x, f_sigmoid(f_logistic(zc, select(zl, 0.0f, zc < z.x))));`,
};

/**
 * f′ = σ(z) + z·σ(z)σ(−z), z = βx, for |z| <= 64 and |x| <= 2⁴⁰. Away
 * from the root z₀ ≈ −1.2785 (|z − z₀| >= 1/2) both terms as pairs within
 * 0.5u, summed exactly: the error is 0.5u·κ with κ = (σ + |z|s)/|σ + zs|
 * = (1 + w)/|1 − w|, w = |z|σ(|z|) for z < 0 (κ = 1 for z >= 0); there
 * w <= 0.54 or w >= 1.52, κ <= 4.8: within 2.9 ULP. Near the root,
 * f′ = δ·Q(δ) with δ = z − z₀ exact as a pair (z − z₀'s high part by
 * Sterbenz) and Q from f_swish_root (no cancellation): for β = 1 every
 * float32 z in the window checked by a float32 emulation of these steps,
 * 1.23 ULP worst. dy·f′ is rounded once
 * from the pair. ∂f/∂β = x²·σ(z)σ(−z): x² exact, a product of pairs within
 * 0.6u.
 */
const swishSlope: F32Path = {
  guard: "abs(x) <= 1.0995116e12f && abs(x * param(0u).x) <= 64.0f",
  body: `${SWISH_Z}
  let g = f_logistic(z.x, zl);
  let zs = f_mul2(df(z.x, zl), f_logistic_slope(g));
  let near = abs(z.x - ${f32Literal(SWISH_ROOT.z0)}) < ${
    f32Literal(SWISH_ROOT.half)
  };
  return select(f_add2(f_sigmoid(g), zs), f_swish_root(z.x, zl), near);`,
  grad: `${SWISH_Z}
  let s = f_logistic_slope(f_logistic(z.x, zl));
  return f_mul2(two_prod(x, x), s);`,
};

/**
 * swish″ = β·σ(z)σ(−z)·B(|z|), z = βx exact as a pair, B(a) = 2 −
 * a·tanh(a/2) = 2 + a·m/(1 + e) with e = e^−a (0.5u) and m = e − 1 (0.6u
 * of itself) from one f_exp: tanh(a/2) within 0.85u, so B within
 * 0.85u·κ, κ = a·tanh(a/2)/|B| <= 2.15 outside |a − a₀| < 3/2 (float64 at
 * steps of 10⁻³ to 64): 1.83u; σσ(−z) = e/(1 + e)² within 0.5u; the
 * products with the β pair: within 2.4u, so 2.9 ULP. Within the window,
 * where B cancels without bound, B = δ·Q(δ) (swishCurvatureRootPolynomial,
 * δ = a − a₀ exact as a pair, Q by pairPoly to 2⁻²⁶ absolute, 0.23u of
 * |Q| >= 1.08, an error target that keeps most of its Horner in f32): f″
 * within 0.8u, so 1.3 ULP. For |z| <= 64 and |β| >= 2⁻⁶⁰ (the result and its pairs
 * normal).
 */
const swishCurvature: F32Path = {
  guard: "abs(x * param(0u).x) <= 64.0f && abs(param(0u).x) >= 8.6736174e-19f",
  body: `${SWISH_Z}
  let a = select(z, -z, z.x < 0.0f);
  let ex = f_exp(-a.x, -a.y);
  let e = f_exp_pair(ex);
  let m = f_expm1_pair(ex);
  let d0 = fast_two_sum(1.0f, e.x);
  let d = df(d0.x, d0.y + e.y);
  let s = f_div(e, f_square(d));
  let closed = f_add2(df(2.0f, 0.0f), f_div(f_mul2(a, m), d));
  let delta = f_add2(a, ${dfLiteral(-SWISH_CURVATURE_ROOT.z0)});
  let t = ${f32Literal(1 / 1.5)} * delta;
  let root = f_mul2(delta, ${pairPoly("t", SWISH_CURVATURE_ROOT.q, 1, 8)});
  let b = select(closed, root, abs(delta.x) < 1.5f);
  return f_mul2(f_mul2(beta, s), b);`,
};

// ------------------------------------------------------------------- gelu

/** Below −9 the parts are computed times 2⁶⁴ (f_gelu_parts). */
const GELU_SCALE = {
  sk: "select(0, 64, x < -9.0f)",
  post: `select(1.0f, ${f32Literal(2 ** -64)}, x < -9.0f)`,
};

/**
 * x·Φ(x) for x >= −13 (Φ from f_gelu_parts with x clamped to 10, where
 * 1 − Φ = 8·10⁻²⁴: x·Φ rounds to x beyond): Φ within 0.8u, one product
 * rounded once (below −9 times 2⁶⁴, then scaled back exactly): within
 * 1.3 ULP. Below −13 the result nears the subnormal range (gelu(−13.2) ≈
 * −2⁻¹²⁶) and the double-f32 path rounds it from its bits.
 */
const geluForward: F32Path = {
  guard: "x >= -13.0f",
  body: `return f_mul(x, f_gelu_parts(min(x, 10.0f), ${GELU_SCALE.sk}).cdf);`,
  post: GELU_SCALE.post,
};

/**
 * gelu′ = Φ(x) + xφ(x) for x >= −13 (times 2⁶⁴ below −9): Φ within 0.8u and xφ within 0.6u,
 * summed exactly, so 0.8u·κ with κ = (Φ + |x|φ)/|Φ + xφ| <= 2.7 outside
 * |x − x₀| < 1/2 (x₀ ≈ −0.7518 its root): within 2.7 ULP. Near the root
 * δ·Q(δ) (geluRootPolynomial): every 7th float32 x of the window checked by a
 * float32 emulation of these steps, 1.77 ULP worst. dy·f′ rounded once from the pair.
 */
const geluSlope: F32Path = {
  guard: "x >= -13.0f",
  post: GELU_SCALE.post,
  body: `let xc = min(x, 10.0f);
  let g = f_gelu_parts(xc, ${GELU_SCALE.sk});
  let d = f_add2(g.cdf, f_mul(xc, g.pdf));
  let near = abs(xc - ${f32Literal(GELU_ROOT.z0)}) < ${
    f32Literal(GELU_ROOT.half)
  };
  return select(d, f_gelu_root(xc, 0.0f), near);`,
};

// ------------------------------------------------------------- elu, selu

/** The negative side's exponential of elu/selu (x clamped to 0 above). */
const ELU_E = `let ex = f_exp(min(x, 0.0f), 0.0f);`;

/** x > 0, or −80 <= x < −2⁻⁶⁰ (e^x normal; tinier |x| keeps its bits). */
const ELU_GUARD = "x > 0.0f || (x >= -80.0f && x <= -8.6736174e-19f)";

/**
 * λ·elu_α(x): x > 0, λx (exact for elu; for selu λ a pair, one product
 * rounded once, x <= 3·10³⁸ so that it stays finite), else λα·(eˣ − 1)
 * with eˣ − 1 within 0.6u of itself (f_expm1_pair): within 1.2 ULP. `scale`
 * and `la` are WGSL pairs (λ and λα).
 */
function eluForward(scale: string, la: string): F32Path {
  return {
    // |x| >= 2⁻⁶⁰ on both sides: λx of a tinier x keeps its bits there.
    guard: `abs(x) >= 8.6736174e-19f && x >= -80.0f && x <= 3.0e38f`,
    body: `${ELU_E}
  let below = f_mul2(${la}, f_expm1_pair(ex));
  return select(below, f_mul(x, ${scale}), x > 0.0f);`,
  };
}

/**
 * λ·elu_α′: λ above 0, λα·eˣ at and below 0 (left-hand at the kink), eˣ
 * within 0.5u: within 1 ULP; dy·f′ rounded once. ∂f/∂α = eˣ − 1 below 0
 * (within 0.6u), 0 above.
 */
function eluSlope(scale: string, la: string, grad: boolean): F32Path {
  return {
    guard: ELU_GUARD.replace("x > 0.0f", "x >= 0.0f"),
    body: `${ELU_E}
  return select(f_mul2(${la}, f_exp_pair(ex)), ${scale}, x > 0.0f);`,
    ...(grad
      ? {
        grad: `${ELU_E}
  return select(f_expm1_pair(ex), df(0.0f, 0.0f), x > 0.0f);`,
      }
      : {}),
  };
}

const ONE_PAIR = "df(1.0f, 0.0f)";
const ALPHA = "param(0u)";
const SELU_L = dfLiteral(SELU_LAMBDA);
const SELU_LA = dfLiteral(SELU_LAMBDA * SELU_ALPHA);

// ------------------------------------------------------------------- mish

/**
 * x·tanh(softplus(x)) from e = e^−|x| (the definition's closed form): for
 * x >= 0 t = (1 + 2e)/(1 + 2e + 2e²), for x < 0 t = w/(w + 2) with
 * w = e(e + 2); sums of positive pairs, one quotient: t within 1u (for
 * x < 0, t's sensitivity to w is 2/(w + 2) <= 1 and w's to e below 1.5),
 * one product rounded once: within 1.5 ULP. For x >= −60 (below, x·t
 * nears 2⁻¹²⁶ in its low part) and |x| >= 2⁻⁶⁰ (tinier x keeps its bits).
 */
const mishForward: F32Path = {
  guard: "x >= -60.0f && abs(x) >= 8.6736174e-19f",
  body: `let e = f_exp_pair(f_exp(-min(abs(x), 60.0f), 0.0f));
  let two_e = 2.0f * e;
  let one = df(1.0f, 0.0f);
  let w = f_mul2(e, f_add2(e, df(2.0f, 0.0f)));
  let pos_num = f_add2(one, two_e);
  let num = select(w, pos_num, x >= 0.0f);
  let den = select(f_add2(w, df(2.0f, 0.0f)), f_add2(pos_num, 2.0f * f_mul2(e, e)), x >= 0.0f);
  return f_mul(x, f_div(num, den));`,
};

/**
 * mish′ = t + x·sech²(sp)·σ(x) (the definition's parts) over one common
 * denominator, from e = e^−|x|: with p = 1 + e,
 * f′ = (a·D + 4x·b·p)/D², where for x >= 0 a = 1 + 2e, b = e²,
 * D = a + 2e², and for x < 0 a = w = e(e + 2), b = e, D = w + 2.
 * e is within 0.5u (f_exp_pair); every other step is a pair operation
 * (within 2⁻⁴⁰ of its result), and the numerator's two terms cancel by at
 * most (|a·D| + |4xbp|)/|N| <= 4.8 outside the root window below, so the
 * pair steps cost below 2⁻³⁷. What is left is e's error carried through:
 * |∂ln f′/∂ln e| <= 1.08 outside |x − x₀| < 1/2 (computed in float64 over
 * [−60, 60] at steps of 6·10⁻⁴), so f′ is within 0.55u + 2⁻³⁷: 1.1 ULP.
 * Inside the window (x₀ ≈ −1.1924, where the terms cancel without bound),
 * f′ = δ·Q(δ), δ = x − x₀ exact as a pair (two_sum, x₀ a pair constant)
 * and Q by pairPoly (2⁻²⁹ of Q >= 0.177) from mishRootPolynomial (2⁻³⁴):
 * within 0.6 ULP. dy·f′ rounded once from the pair. For x >= −60 (below,
 * e and the pairs near 2⁻¹²⁶); x clamped to 60 above (f′ is 1 to 2⁻⁹⁰).
 */
const mishSlope: F32Path = {
  guard: "x >= -60.0f",
  body: `let xc = min(x, 60.0f);
  let e = f_exp_pair(f_exp(-abs(xc), 0.0f));
  let pos = x >= 0.0f;
  let e2 = f_square(e);
  let w = f_mul2(e, f_add2(e, df(2.0f, 0.0f)));
  let a = select(w, f_add2(df(1.0f, 0.0f), 2.0f * e), pos);
  let b = select(e, e2, pos);
  let den = select(f_add2(w, df(2.0f, 0.0f)), f_add2(a, 2.0f * e2), pos);
  let p0 = fast_two_sum(1.0f, e.x);
  let p = df(p0.x, p0.y + e.y);
  let n = f_add2(f_mul2(a, den), f_mul(4.0f * xc, f_mul2(b, p)));
  let closed = f_div(n, f_square(den));
  let d = f_add2(two_sum(x, ${f32Literal(-Math.fround(MISH_ROOT.z0))}), df(${
    f32Literal(-(MISH_ROOT.z0 - Math.fround(MISH_ROOT.z0)))
  }, 0.0f));
  let t = ${f32Literal(1 / MISH_ROOT.half)} * d;
  let root = f_mul2(d, ${pairPoly("t", MISH_ROOT.q, 1, 0.17)});
  return select(closed, root, abs(d.x) < ${f32Literal(MISH_ROOT.half)});`,
};

// -------------------------------------------------------------- geluTanh

/**
 * geluTanh's z = 2√(2/π)(x + 0.044715x³) = c₁x + c₃x³ and z′ = c₁ + 3c₃x²
 * as pairs (x³ and x² exact as pairs, c₁ and c₃ pair constants, the two
 * terms of one sign: within 2⁻⁴⁴), for x clamped to [−11, 10] (z from
 * −112.5 to 87; beyond, σ(z) is 1 to 2⁻¹²⁵, or x·σ(z) and f′ round to −0);
 * and the logistic pieces of z (as f_logistic, z clamped to 64): in the
 * tail x < −8.8 (z < −62.7), e = e^z times 2¹²⁸ (so that it and its pair
 * stay normal) and d = 1, since σ(z) = e^z and σ(z)σ(−z) = e^z there to
 * 2⁻⁸⁹ (the results there go subnormal from x ≈ −10.05, and round to −0
 * below −10.9: `postExp` rounds them once).
 */
const GELU_TANH_Z = `let tail = x < -8.8f;
  let xc = clamp(x, -11.0f, 10.0f);
  let sq = two_prod(xc, xc);
  let cube = f_mul(xc, sq);
  let z = f_add2(f_mul(xc, ${
  dfLiteral(2 * Math.sqrt(2 / Math.PI))
}), f_mul2(cube, ${dfLiteral(2 * Math.sqrt(2 / Math.PI) * 0.044715)}));
  let zc = min(z.x, 64.0f);
  let zl = select(z.y, 0.0f, zc < z.x);
  let zneg = zc < 0.0f;
  let ex = f_exp(select(-zc, zc, zneg), select(-zl, zl, zneg));
  let e = f_exp_pair(Fexp(ex.r, ex.c, ex.k + select(0, 128, tail)));
  let d0 = fast_two_sum(1.0f, e.x);
  let g = Flog(e, select(df(d0.x, d0.y + e.y), df(1.0f, 0.0f), tail), zneg);`;

/** 2⁻¹²⁸ in the tail: the results there are computed times 2¹²⁸. */
const GELU_TANH_POST = "select(0, -128, x < -8.8f)";

/**
 * x·σ(z), for |x| >= 2⁻⁶⁰ (a tinier x keeps its bits on the double-f32
 * path): σ within 0.25u (f_sigmoid; in the tail e^z within 0.5u; z's 2⁻⁴⁴
 * moves σ by |z|σ(−z)·2⁻⁴⁴ < 2⁻³⁷), one product, rounded once (postExp):
 * within 1 ULP. The factor is x itself above (σ = 1 beyond 10 gives x),
 * and x clamped to −11 below (x·σ(z) rounds to −0 there either way).
 */
const geluTanhForward: F32Path = {
  guard: "abs(x) >= 8.6736174e-19f",
  body: `${GELU_TANH_Z}
  return f_mul(max(x, -11.0f), f_sigmoid(g));`,
  postExp: GELU_TANH_POST,
};

/**
 * geluTanh′ = σ(z) + x·z′·σ(z)σ(−z) (x clamped to 10 above, where f′ is 1
 * to 2⁻⁸⁰): σ within 0.25u, the product within 0.5u (σσ(−z) within 0.5u,
 * the rest pairs), summed as pairs, so 0.5u·κ with
 * κ = (σ + |xz′|σσ(−z))/|f′| <= 2.72 outside |x − x₀| < 1/2 (float64 over
 * [−8.8, 10] at steps of 2·10⁻⁴; in the tail κ < 1.01): within 1.9 ULP.
 * Within the window, where the terms cancel without bound, δ·Q(δ)
 * (geluTanhRootPolynomial; δ exact as a pair, Q by pairPoly to 2⁻²⁹ of
 * 0.3): within 0.6 ULP. Rounded once (postExp); dy·f′ too (round_mul).
 */
const geluTanhSlope: F32Path = {
  guard: "true",
  body: `${GELU_TANH_Z}
  let dz = f_add2(${dfLiteral(2 * Math.sqrt(2 / Math.PI))}, f_mul2(sq, ${
    dfLiteral(3 * 2 * Math.sqrt(2 / Math.PI) * 0.044715)
  }));
  let closed = f_add2(f_sigmoid(g), f_mul(xc, f_mul2(dz, f_logistic_slope(g))));
  let d = f_add2(two_sum(x, ${
    f32Literal(-Math.fround(GELU_TANH_ROOT.z0))
  }), df(${
    f32Literal(-(GELU_TANH_ROOT.z0 - Math.fround(GELU_TANH_ROOT.z0)))
  }, 0.0f));
  let t = ${f32Literal(1 / GELU_TANH_ROOT.half)} * d;
  let root = f_mul2(d, ${pairPoly("t", GELU_TANH_ROOT.q, 1, 0.3)});
  return select(closed, root, abs(d.x) < ${f32Literal(GELU_TANH_ROOT.half)});`,
  postExp: GELU_TANH_POST,
};

/**
 * geluTanh″ = σ(z)σ(−z)·C(a), a = |x| (f″ is even), C(a) = 2z′ + a·z″ −
 * a·z′²·tanh(z/2) with z, z′ as in GELU_TANH_Z and a·z″ = 6c₃a² (pairs):
 * tanh(z/2) = −m/(1 + e), e = e^−z, m = e − 1 from one exponential, within
 * 0.85u, so C within 0.85u·κ, κ = a·z′²·tanh(z/2)/|C| <= 2.03 outside
 * |a − a₀| < 3/4 (float64 over [0, 12] at steps of 10⁻⁴): 1.7u; σσ(−z) =
 * e/(1 + e)² within 0.5u: within 2.2u, so 2.7 ULP. Within the window,
 * where C cancels without bound, δ·Q(δ) (geluTanhCurvatureRootPolynomial,
 * Q by pairPoly to 0.25u): within 1.3 ULP. For a > 8.8 (z > 62.7) e is
 * computed times 2¹²⁸, tanh(z/2) is 1 and the result (subnormal from about
 * 10, −0 beyond 11.5, where a is clamped) is rounded once (postExp).
 */
const geluTanhCurvature: F32Path = {
  guard: "true",
  body: `let ac = min(abs(x), 11.5f);
  let tail = ac > 8.8f;
  let sq = two_prod(ac, ac);
  let z = f_add2(f_mul(ac, ${dfLiteral(GELU_C1)}), f_mul2(f_mul(ac, sq), ${
    dfLiteral(GELU_C3)
  }));
  let ex = f_exp(-z.x, -z.y);
  let e = f_exp_pair(Fexp(ex.r, ex.c, ex.k + select(0, 128, tail)));
  let m = select(f_expm1_pair(Fexp(ex.r, ex.c, max(ex.k, -125))), df(-1.0f, 0.0f), tail);
  let d0 = fast_two_sum(1.0f, e.x);
  let d = select(df(d0.x, d0.y + e.y), df(1.0f, 0.0f), tail);
  let s = f_div(e, f_square(d));
  let th = f_div(-m, d);
  let zp = f_add2(${dfLiteral(GELU_C1)}, f_mul2(sq, ${dfLiteral(3 * GELU_C3)}));
  let lin = f_add2(2.0f * zp, f_mul2(sq, ${dfLiteral(6 * GELU_C3)}));
  let closed = f_add2(lin, -f_mul(ac, f_mul2(f_square(zp), th)));
  let delta = f_add2(two_sum(ac, ${
    f32Literal(-Math.fround(GELU_TANH_CURVATURE_ROOT.z0))
  }), df(${
    f32Literal(
      -(GELU_TANH_CURVATURE_ROOT.z0 - Math.fround(GELU_TANH_CURVATURE_ROOT.z0)),
    )
  }, 0.0f));
  let t = ${f32Literal(1 / 0.75)} * delta;
  let root = f_mul2(delta, ${pairPoly("t", GELU_TANH_CURVATURE_ROOT.q, 1, 28)});
  return f_mul2(s, select(closed, root, abs(delta.x) < 0.75f));`,
  postExp: "select(0, -128, abs(x) > 8.8f)",
};

/**
 * gelu″ = φ(x)(2 − x²): e^(−x²/2) from −x²/2 exact as a pair (within 0.5u),
 * 2 − x² exact as a pair (no cancellation error at ±√2), one product:
 * within 1 ULP. For |x| <= 12 (φ and its pair normal).
 */
const geluCurvature: F32Path = {
  guard: "abs(x) <= 12.0f",
  body: `let sq = two_prod(x, x);
  let e = f_exp_pair(f_exp(-0.5f * sq.x, -0.5f * sq.y));
  let pdf = f_mul2(e, ${dfLiteral(1 / Math.sqrt(2 * Math.PI))});
  return f_mul2(pdf, f_add2(df(2.0f, 0.0f), -sq));`,
};

/** δ = x − x₀ as a pair (x₀ a pair constant; two_sum exact). */
function rootDelta(name: string, z0: number): string {
  return `let ${name} = f_add2(two_sum(x, ${
    f32Literal(-Math.fround(z0))
  }), df(${f32Literal(-(z0 - Math.fround(z0)))}, 0.0f));`;
}

/**
 * mish″ = sech²(sp)σ(x)·(2 − 2x·tσ(x) + xσ(−x)) (the definition's parts)
 * over one denominator, from e = e^−|x| and p = 1 + e:
 * f″ = 4E·N/T³ with N = 2T·p − 2x·A + x·B·T, where for x >= 0 T = 1 + 2e
 * + 2e², A = 1 + 2e, B = e, E = e², and for x < 0 T = w + 2, w = e(e + 2),
 * A = w·e, B = 1, E = e. e is within 0.5u; the rest are pair operations
 * (2⁻⁴⁰ each), N cancelling by at most 8.1 outside the root windows below:
 * below 2⁻³⁶. e's error carried through, |∂ln f″/∂ln e| <= 2 outside
 * |x − xᵢ| < 1/2 (float64 over [−60, 60] at steps of 10⁻⁴): within 1u +
 * 2⁻³⁶, so 1.5 ULP. Within the windows about the roots x₁ ≈ −2.2564 and
 * x₂ ≈ 1.4906, δ·Q(δ) (mishCurvatureRootPolynomials; Q by pairPoly to
 * 0.25u): within 0.8 ULP. For −60 <= x <= 32 (e², the result and its pairs
 * normal).
 */
const mishCurvature: F32Path = {
  guard: "x >= -60.0f && x <= 32.0f",
  body: `let xc = clamp(x, -60.0f, 32.0f);
  let e = f_exp_pair(f_exp(-abs(xc), 0.0f));
  let pos = x >= 0.0f;
  let e2 = f_square(e);
  let w = f_mul2(e, f_add2(e, df(2.0f, 0.0f)));
  let a = select(f_mul2(w, e), f_add2(df(1.0f, 0.0f), 2.0f * e), pos);
  let tden = select(f_add2(w, df(2.0f, 0.0f)), f_add2(a, 2.0f * e2), pos);
  let p0 = fast_two_sum(1.0f, e.x);
  let p = df(p0.x, p0.y + e.y);
  let bt = select(tden, f_mul2(e, tden), pos);
  let n = f_add2(f_add2(2.0f * f_mul2(tden, p), f_mul(-2.0f * xc, a)), f_mul(xc, bt));
  let closed = 4.0f * f_div(f_mul2(select(e, e2, pos), n), f_mul2(f_square(tden), tden));
  ${rootDelta("d1", MISH_CURVATURE_ROOTS[0]!.z0)}
  ${rootDelta("d2", MISH_CURVATURE_ROOTS[1]!.z0)}
  let t1 = 2.0f * d1;
  let t2 = 2.0f * d2;
  let r1 = f_mul2(d1, ${pairPoly("t1", MISH_CURVATURE_ROOTS[0]!.q, 1, 0.54)});
  let r2 = f_mul2(d2, ${pairPoly("t2", MISH_CURVATURE_ROOTS[1]!.q, 1, 0.92)});
  return select(select(closed, r2, abs(d2.x) < 0.5f), r1, abs(d1.x) < 0.5f);`,
};

// --------------------------------------------------------------- softplus

/** z = βx as a pair, and whether z > threshold (the pairs compared as df_gt). */
const SOFTPLUS_Z = `let beta = param(0u);
  let th = param(1u);
  let z = f_mul(x, beta);
  let over = z.x > th.x || (z.x == th.x && z.y > th.y);`;

/**
 * (max(z, 0) + log1p(e^−|z|))/β, z = βx exact as a pair, and x where
 * z > threshold: e^−|z| within 0.5u, log1p within 0.1u plus that (f_log1p),
 * the sum of two positive pairs, one quotient by the β pair: within 1.1 ULP.
 * For −80 <= z (e^z normal; |z| clamped to 80 for the logarithm, below
 * 2⁻¹¹⁵ of z beyond) and |x| >= 2⁻⁶⁰.
 */
const softplusForward: F32Path = {
  guard:
    "x * param(0u).x >= -80.0f && abs(x) >= 8.6736174e-19f && abs(x) <= 1.0e30f",
  body: `${SOFTPLUS_Z}
  let a = min(abs(z.x), 80.0f);
  let e = f_exp_pair(f_exp(-a, select(-z.y, z.y, z.x < 0.0f) * select(1.0f, 0.0f, abs(z.x) > 80.0f)));
  let l = f_log1p(e);
  let body = f_div(select(l, f_add2(z, l), z.x > 0.0f), beta);
  return select(body, df(x, 0.0f), over);`,
};

/**
 * softplus′ = σ(z) (1 above the threshold), z = βx exact as a pair, for
 * |z| <= 64: σ's pair within 0.25u, so within 0.75 ULP; dy·f′ rounded once.
 */
const softplusSlope: F32Path = {
  guard: "abs(x * param(0u).x) <= 64.0f",
  body: `${SOFTPLUS_Z}
  return select(f_sigmoid(f_logistic(z.x, z.y)), df(1.0f, 0.0f), over);`,
};

// ------------------------------------------ second derivatives of σ, tanh

/**
 * σ″(z) = −σ(z)σ(−z)·tanh(z/2) = sign(z)·m·e/(1 + e)³ with e = e^−|z| and
 * m = e − 1 from one f_exp (e within 0.5u, m within 0.6u of itself, no
 * 1 − e cancellation near 0; d = 1 + e within 0.25u, so d³ within 0.75u):
 * the product of pairs and one quotient within 1.9u, so within 2.4 ULP.
 * tanh″(x) = 8σ″(2x) (tanh x = 2σ(2x) − 1) and tanhshrink″ = −tanh″.
 * `z` is a WGSL f32 expression of x; for 2⁻⁶⁰ <= |z| <= 64 (the results
 * and their pairs' low parts stay normal).
 */
function logisticCurvature(z: string, factor: number): F32Path {
  return {
    guard: `abs(${z}) >= 8.6736174e-19f && abs(${z}) <= 64.0f`,
    body: `let z = ${z};
  let ex = f_exp(-abs(z), 0.0f);
  let e = f_exp_pair(ex);
  let m = f_expm1_pair(ex);
  let d0 = fast_two_sum(1.0f, e.x);
  let d = df(d0.x, d0.y + e.y);
  let r = ${f32Literal(factor)} * f_div(f_mul2(m, e), f_mul2(f_square(d), d));
  return select(r, -r, z < 0.0f);`,
  };
}

// --------------------------------------------------------------- logSigmoid

/**
 * logσ(x) = min(x, 0) − log1p(e^−|x|): e^−|x| within 0.5u, log1p within
 * 0.1u plus that (f_log1p, relative sensitivity <= 1), and for x < 0 the
 * sum of two negative terms (no cancellation): within 0.6u, so 1.1 ULP.
 * For x <= 64 (e^−x and its pair normal; |x| clamped to 64 for the
 * logarithm, below 2⁻⁹⁰ of x beyond).
 */
const logSigmoidForward: F32Path = {
  guard: "x <= 64.0f",
  body: `let e = f_exp_pair(f_exp(-min(abs(x), 64.0f), 0.0f));
  let l = f_log1p(e);
  return select(-l, f_add2(df(x, 0.0f), -l), x < 0.0f);`,
};

/** logσ′ = σ(−x), as σ (0.75 ULP); for x <= 64 (σ(−x) normal). */
const logSigmoidSlope: F32Path = {
  guard: "x <= 64.0f",
  body: `return f_sigmoid(f_logistic(min(-x, 64.0f), 0.0f));`,
};

/** logσ″ = −σ(x)σ(−x), as σ′ (1 ULP); for |x| <= 64. */
const logSigmoidCurvature: F32Path = {
  guard: "abs(x) <= 64.0f",
  body: `return -f_logistic_slope(f_logistic(x, 0.0f));`,
};

// --------------------------------------------------------- celu, softplus

/** t = min(x, 0)/α as a pair (f_div: within 2⁻⁴⁰, so e^t within 2⁻³³ for |t| <= 80). */
const CELU_T = `let alpha = param(0u);
  let t = f_div(df(min(x, 0.0f), 0.0f), alpha);
  let ex = f_exp(t.x, t.y);`;

/**
 * celu: x above 0, α·(e^t − 1) at and below 0 (e^t − 1 within 0.6u of
 * itself, one product of pairs): within 1.2 ULP. For −80 <= t <= −2⁻⁶⁰ (and
 * x <= −2⁻⁶⁰: tinier results keep their bits on the double-f32 path).
 */
const celuForward: F32Path = {
  guard:
    "x > 0.0f || (x <= -8.6736174e-19f && x / param(0u).x <= -8.6736174e-19f && x / param(0u).x >= -80.0f)",
  body: `${CELU_T}
  return select(f_mul2(alpha, f_expm1_pair(ex)), df(x, 0.0f), x > 0.0f);`,
};

/**
 * celu′ = e^t at and below 0 (within 0.5u: 1 ULP), 1 above; dy·f′ rounded
 * once. ∂f/∂α = e^t − 1 − t·e^t = −Σₙ₌₂ (n − 1)tⁿ/n!: for −1 <= t <= 0 as
 * −t²·P(t), P(t) = Σ (n − 1)tⁿ⁻²/n! to n = 14 (truncation below 2⁻³¹ of
 * P >= 0.26) by pairPoly (2⁻²⁹ of P): within 1.1u; below −1 the closed form
 * (e^t − 1) − t·e^t, cancelling by (|m| + |t|e^t)/|f′| <= 3.8 (at t = −1):
 * within 2.1u, so 2.6 ULP. For t >= −80.
 */
const celuSlope: F32Path = {
  guard: "x >= 0.0f || x / param(0u).x >= -80.0f",
  body: `${CELU_T}
  return select(f_exp_pair(ex), df(1.0f, 0.0f), x > 0.0f);`,
  grad: `${CELU_T}
  let series = -f_mul2(f_mul2(t, t), ${
    pairPoly(
      "t",
      Array.from({ length: 13 }, (_, i) => {
        const n = i + 2;
        let f = 1;
        for (let j = 2; j <= n; j++) f *= j;
        return (n - 1) / f;
      }),
      1,
      0.25,
    )
  });
  let closed = f_add2(f_expm1_pair(ex), -f_mul2(t, f_exp_pair(ex)));
  return select(select(closed, series, t.x >= -1.0f), df(0.0f, 0.0f), x > 0.0f);`,
};

/** celu″ = e^t/α at and below 0 (within 0.5u and a pair quotient: 1 ULP), 0 above. */
const celuCurvature: F32Path = {
  guard: "x >= 0.0f || x / param(0u).x >= -80.0f",
  body: `${CELU_T}
  return select(f_div(f_exp_pair(ex), alpha), df(0.0f, 0.0f), x > 0.0f);`,
};

// --------------------------------------------------------------- tanhshrink

/**
 * tanh|x| as a pair within 0.67u (tanhForward's steps), |x| clamped to 12.
 */
const TANH_ABS = `let m = f_expm1_pair(f_exp(-2.0f * min(abs(x), 12.0f), 0.0f));
  let d0 = fast_two_sum(2.0f, m.x);
  let ta = f_div(-m, df(d0.x, d0.y + m.y));`;

/**
 * x − tanh x. For |x| <= √2, x³·Q(x²) (tanhshrinkPolynomial: Q within
 * 2⁻³⁴ and its evaluation by pairPoly within 2⁻²⁹ of Q; x² exact as a pair,
 * t = x² − 1 exact): within 0.1u, so 0.6 ULP. Above, |x| − tanh|x| with
 * tanh|x| within 0.67u, cancelling by tanh/(x − tanh) <= 1.69 (at √2):
 * within 1.2u, so 1.7 ULP (|x| above 12: tanh is 1 to 2⁻³³ of x − 1).
 * For |x| >= 2⁻³⁰ (x³ and its pairs normal).
 */
const tanhshrinkForward: F32Path = {
  guard: "abs(x) >= 9.3132257e-10f",
  body: `let xc = clamp(x, -2.0f, 2.0f);
  let sq = two_prod(xc, xc);
  let t = f_add2(sq, df(-1.0f, 0.0f));
  let poly = f_mul2(f_mul(xc, sq), ${pairPoly("t", TANHSHRINK.q, 1, 0.18)});
  ${TANH_ABS}
  let a = f_add2(df(abs(x), 0.0f), -ta);
  return select(select(a, -a, x < 0.0f), poly, sq.x <= 2.0f);`,
};

/**
 * tanhshrink′ = tanh²x: the pair within 0.67u squared, within 1.4u, so
 * 1.9 ULP; dy·f′ rounded once. For |x| >= 2⁻⁴⁰ (x² and its pair normal).
 */
const tanhshrinkSlope: F32Path = {
  guard: "abs(x) >= 9.094947e-13f",
  body: `${TANH_ABS}
  return f_square(ta);`,
};

// ------------------------------------------------------- softplus VJP, f″

/**
 * The softplus VJP: dx as softplusSlope (0.75 ULP), and ∂f/∂β·β² =
 * zσ(z) − log(1 + e^z), which on both sides of 0 is −(|z|·e/(1 + e) +
 * log1p(e)), e = e^−|z|: a sum of two positive terms, no cancellation:
 * e/(1 + e) within 0.5u, times |z| exact as a pair, log1p within 0.6u (as
 * in softplusForward): within 0.7u, so 1.2 ULP per term; 0 above the
 * threshold. (The sum is scaled by 1/β² once.) For |z| <= 64.
 */
const softplusVjp: F32Path = {
  guard: "abs(x * param(0u).x) <= 64.0f",
  body: `${SOFTPLUS_Z}
  return select(f_sigmoid(f_logistic(z.x, z.y)), df(1.0f, 0.0f), over);`,
  grad: `${SOFTPLUS_Z}
  let g = f_logistic(z.x, z.y);
  let za = select(df(z.x, z.y), -df(z.x, z.y), z.x < 0.0f);
  let a = f_mul2(za, f_div(g.e, g.d));
  let term = -f_add2(a, f_log1p(g.e));
  return select(term, df(0.0f, 0.0f), over);`,
};

/**
 * softplus″ = β·σ(z)σ(−z) (0 above the threshold): σσ within 0.5u, times
 * the β pair: 1.1 ULP. For |z| <= 64 and |β| >= 2⁻⁶⁰.
 */
const softplusCurvature: F32Path = {
  guard: "abs(x * param(0u).x) <= 64.0f && abs(param(0u).x) >= 8.6736174e-19f",
  body: `${SOFTPLUS_Z}
  let s = f_mul2(beta, f_logistic_slope(f_logistic(z.x, z.y)));
  return select(s, df(0.0f, 0.0f), over);`,
};

/** λ·elu_α″: λα·eˣ at and below 0 (within 0.5u: 1 ULP), 0 above. */
function eluCurvature(la: string): F32Path {
  return {
    guard: ELU_GUARD.replace("x > 0.0f", "x >= 0.0f"),
    body: `${ELU_E}
  return select(f_mul2(${la}, f_exp_pair(ex)), df(0.0f, 0.0f), x > 0.0f);`,
  };
}

// ------------------------------------------------------------- squareplus

/**
 * s = √(x² + b) as a pair: x² exact as a pair, plus the b pair; the f32
 * root s₀ (WGSL's is loose, a few ULP) corrected once from the exact
 * residual a − s₀² (two_prod; a.x − s₀² exact by Sterbenz): within 2⁻⁴⁰.
 * b = 0: s = |x|. For 2⁻⁶⁰ <= |x| <= 10¹² and b = 0 or 10⁻³⁰ <= b <= 10²⁴
 * (s³ finite, x² negligible or normal beside b, the pairs normal).
 */
const SQUAREPLUS_S = `let b = param(0u);
  let sq = two_prod(x, x);
  let a = f_add2(sq, b);
  let s0 = sqrt(a.x);
  let r = two_prod(s0, s0);
  let sr = df(s0, (((a.x - r.x) - r.y) + a.y) / (2.0f * s0));
  let s = select(sr, df(abs(x), 0.0f), b.x == 0.0f);`;

const SQUAREPLUS_GUARD =
  "abs(x) >= 8.6736174e-19f && abs(x) <= 1.0e12f && (param(0u).x == 0.0f || (param(0u).x >= 1.0e-30f && param(0u).x <= 1.0e24f))";

/**
 * squareplus = (x + s)/2 at and above 0 (a sum of two positive pairs),
 * b/(2(s + |x|)) below (one pair quotient, no cancellation): within
 * 2⁻³⁹ before the one rounding, so 0.5 ULP (plus 2⁻¹⁵ of one).
 */
const squareplusForward: F32Path = {
  guard: SQUAREPLUS_GUARD,
  body: `${SQUAREPLUS_S}
  let below = f_div(b, 2.0f * f_add2(s, df(-x, 0.0f)));
  return select(below, 0.5f * f_add2(df(x, 0.0f), s), x >= 0.0f);`,
};

/**
 * squareplus′: g = b/(2s(s + |x|)) below 0, 1 − g above (g <= 1/2, no
 * cancellation), pairs throughout: 0.5 ULP; dy·f′ rounded once. g = 0
 * for b = 0 (relu's slopes).
 */
const squareplusSlope: F32Path = {
  guard: SQUAREPLUS_GUARD,
  body: `${SQUAREPLUS_S}
  let g0 = f_div(b, f_mul2(2.0f * s, f_add2(s, df(abs(x), 0.0f))));
  let g = select(g0, df(0.0f, 0.0f), b.x == 0.0f);
  return select(g, f_add2(df(1.0f, 0.0f), -g), x > 0.0f);`,
};

/** squareplus″ = b/(2s³), pairs throughout: 0.5 ULP (0 for b = 0, where s³ of a tiny x would underflow). */
const squareplusCurvature: F32Path = {
  guard: SQUAREPLUS_GUARD,
  body: `${SQUAREPLUS_S}
  let c = f_div(0.5f * b, f_mul2(f_square(s), s));
  return select(c, df(0.0f, 0.0f), b.x == 0.0f);`,
};

/** The plain-f32 paths, by kernel. */
export const f32Paths: { readonly [N in KernelName]?: F32Paths } = {
  sigmoid: {
    forward: sigmoidForward,
    derivative: sigmoidSlope,
    secondDerivative: logisticCurvature("x", 1),
    vjp: sigmoidSlope,
  },
  logSigmoid: {
    forward: logSigmoidForward,
    derivative: logSigmoidSlope,
    secondDerivative: logSigmoidCurvature,
    vjp: logSigmoidSlope,
  },
  tanh: {
    forward: tanhForward,
    derivative: tanhSlope,
    secondDerivative: logisticCurvature("2.0f * x", 8),
    vjp: tanhSlope,
  },
  tanhshrink: {
    forward: tanhshrinkForward,
    derivative: tanhshrinkSlope,
    secondDerivative: logisticCurvature("2.0f * x", -8),
    vjp: tanhshrinkSlope,
  },
  swish: {
    forward: swishForward,
    derivative: swishSlope,
    secondDerivative: swishCurvature,
    vjp: swishSlope,
  },
  silu: {
    forward: swishForward,
    derivative: swishSlope,
    secondDerivative: swishCurvature,
    vjp: swishSlope,
  },
  gelu: {
    forward: geluForward,
    derivative: geluSlope,
    secondDerivative: geluCurvature,
    vjp: geluSlope,
  },
  geluTanh: {
    forward: geluTanhForward,
    derivative: geluTanhSlope,
    secondDerivative: geluTanhCurvature,
    vjp: geluTanhSlope,
  },
  elu: {
    forward: eluForward(ONE_PAIR, ALPHA),
    derivative: eluSlope(ONE_PAIR, ALPHA, true),
    secondDerivative: eluCurvature(ALPHA),
    vjp: eluSlope(ONE_PAIR, ALPHA, true),
  },
  selu: {
    forward: eluForward(SELU_L, SELU_LA),
    derivative: eluSlope(SELU_L, SELU_LA, false),
    secondDerivative: eluCurvature(SELU_LA),
    vjp: eluSlope(SELU_L, SELU_LA, false),
  },
  celu: {
    forward: celuForward,
    derivative: celuSlope,
    secondDerivative: celuCurvature,
    vjp: celuSlope,
  },
  mish: {
    forward: mishForward,
    derivative: mishSlope,
    secondDerivative: mishCurvature,
    vjp: mishSlope,
  },
  softplus: {
    forward: softplusForward,
    derivative: softplusSlope,
    secondDerivative: softplusCurvature,
    vjp: softplusVjp,
  },
  squareplus: {
    forward: squareplusForward,
    derivative: squareplusSlope,
    secondDerivative: squareplusCurvature,
    vjp: squareplusSlope,
  },
};
