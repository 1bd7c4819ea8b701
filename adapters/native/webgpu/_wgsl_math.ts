// The WGSL math library of the native engine's WebGPU kernels: double-f32
// ("df", a pair hi + lo of f32 with |lo| ≤ ulp(hi)/2, about 2⁻⁴⁴ relative)
// arithmetic, and from it the range-reduced exponential (with e^t − 1),
// log(1 + u) and fdlibm's erfc. WGSL has only f32, and its built-in exp,
// log and tanh have loose, implementation-defined error bounds; the kernels
// compute the catalog's stable formulas in df and round once to f32, the
// way the SIMD kernels compute in float64.
//
// Nothing here may depend on a compiler's floating-point liberties:
// - every rounded sum and product an error-free step relies on passes
//   through opaque(), so no compiler can simplify (a + b) − a to b (the
//   including shader defines opaque_zero(), a zero from a uniform);
// - the error-free sum (two_sum) uses additions only, which WGSL rounds
//   correctly, so fusing a product into it cannot happen;
// - the error-free product uses fma where the device's fma is fused (the
//   runtime probes it and passes FMA_FUSED), and otherwise Dekker's product
//   on halves split by masking the significand bits (integer operations, no
//   multiplication a compiler could fuse into the split);
// - special values (NaN, ±∞) never reach this code: the kernels test them on
//   the bits and take the catalog's limits instead.

import { fdlibmErfCoefficients as E } from "@nonlin/core";

/** An f32 WGSL literal holding exactly `Math.fround(v)`. */
export function f32Literal(v: number): string {
  const f = Math.fround(v);
  if (Object.is(f, -0)) return "-0.0f";
  if (f === 0) return "0.0f";
  if (!Number.isFinite(f)) {
    throw new RangeError(`Not a finite float32 literal: ${v}`);
  }
  return `${String(f)}f`;
}

/** A df WGSL constant: `v` split into hi = fround(v) and lo = fround(v − hi). */
export function dfLiteral(v: number): string {
  const hi = Math.fround(v);
  const lo = Math.fround(v - hi);
  return `df(${f32Literal(hi)}, ${f32Literal(lo)})`;
}

/**
 * Where a Horner of Σ coeffs[k]·xᵏ over |x| ≤ `xmax` can run in plain f32:
 * the smallest m such that coefficients m … n − 1 in an f32 Horner (which
 * errs by at most (n + 1)·2⁻²⁴ of Σ|cₖ|·|x|ᵏ over its terms) stay within
 * the absolute error `allowed`; the lower ones go in pairs (m = n: all).
 */
export function f32HornerStart(
  coeffs: readonly number[],
  xmax: number,
  allowed: number,
): number {
  const n = coeffs.length;
  let m = n;
  while (m > 1) {
    let sum = 0;
    for (let k = m - 1; k < n; k++) sum += Math.abs(coeffs[k]!) * xmax ** k;
    if ((n - m + 2) * 2 ** -24 * sum > allowed) break;
    m--;
  }
  return m;
}

/**
 * Σ coeffs[k]·xᵏ (ascending powers) for |x| ≤ `xmax`, to an absolute error
 * below 2⁻⁴²·`scale`: Horner with the highest coefficients in plain f32 (an
 * f32 Horner errs by at most (n + 1)·2⁻²⁴ of Σ|cₖ|·|x|ᵏ over its terms),
 * and only the lowest ones, whose terms the bound does not allow in f32, in
 * df. The split is chosen here, from the bound, per polynomial and domain.
 */
export function mixedPoly(
  x: string,
  coeffs: readonly number[],
  xmax: number,
  scale: number,
): string {
  const n = coeffs.length;
  // m: the first coefficient evaluated in f32 (m = n: all in df).
  const m = f32HornerStart(coeffs, xmax, 2 ** -42 * scale);
  if (m >= n) {
    let p = dfLiteral(coeffs[n - 1]!);
    for (let k = n - 2; k >= 0; k--) {
      p = `df_add(df_mul(${p}, ${x}), ${dfLiteral(coeffs[k]!)})`;
    }
    return p;
  }
  let t = f32Literal(coeffs[n - 1]!);
  for (let k = n - 2; k >= m; k--) {
    t = `(${t} * ${x}.x + ${f32Literal(coeffs[k]!)})`;
  }
  if (m === 0) return `df(${t}, 0.0f)`;
  let p = `df_add(df_mul_f(${x}, ${t}), ${dfLiteral(coeffs[m - 1]!)})`;
  for (let k = m - 2; k >= 0; k--) {
    p = `df_add(df_mul(${p}, ${x}), ${dfLiteral(coeffs[k]!)})`;
  }
  return p;
}

/**
 * P(x)/Q(x) over [lo, hi] as WGSL (a df quotient), to an absolute error
 * below about 2⁻⁴²·`scale`: each polynomial's split from the smallest |Q|
 * and largest |P/Q| on the interval (sampled).
 */
function mixedRatio(
  x: string,
  p: readonly number[],
  q: readonly number[],
  lo: number,
  hi: number,
  scale: number,
): string {
  const at = (c: readonly number[], v: number) =>
    c.reduceRight((acc, ck) => acc * v + ck, 0);
  let minQ = Infinity;
  let maxRatio = 0;
  for (let i = 0; i <= 1000; i++) {
    const v = lo + (hi - lo) * i / 1000;
    minQ = Math.min(minQ, Math.abs(at(q, v)));
    maxRatio = Math.max(maxRatio, Math.abs(at(p, v) / at(q, v)));
  }
  const xmax = Math.max(Math.abs(lo), Math.abs(hi));
  // An error e in P moves P/Q by e/|Q|, one in Q by e·|P/Q|/|Q|.
  const num = mixedPoly(x, p, xmax, scale * minQ);
  const den = mixedPoly(x, q, xmax, (scale * minQ) / Math.max(maxRatio, 1e-3));
  return `df_div(${num}, ${den})`;
}

const LN2_HI = 0.693145751953125; // 15 bits: k·LN2_HI is exact for |k| < 2⁹
const LN2_LO = Math.LN2 - LN2_HI;

/** 1/k! for k = 2 … 11 (e^r − 1 = r + r²/2! + … + r¹¹/11!, |r| ≤ ln2/2). */
const EXPM1_COEFFS = (() => {
  const c: number[] = [];
  let f = 1;
  for (let k = 2; k <= 12; k++) {
    f *= k;
    c.push(1 / f);
  }
  return c;
})();

/**
 * The library's WGSL source.
 *
 * @param fmaFused Whether the device's `fma` is fused (exact a·b + c
 * rounded once): then the error-free product uses it.
 */
export function wgslMath(fmaFused: boolean): string {
  const twoProd = fmaFused
    ? `  return df(p, fma(a, b, -p));`
    : `  let ah = split_hi(a);
  let al = a - ah;
  let bh = split_hi(b);
  let bl = b - bh;
  return df(p, ((ah * bh - p) + ah * bl + al * bh) + al * bl);`;
  // Region coefficients of fdlibm's erf/erfc (packages/core/erf.ts).
  const pp = [E.PP0, E.PP1, E.PP2, E.PP3, E.PP4];
  const qq = [1, E.QQ1, E.QQ2, E.QQ3, E.QQ4, E.QQ5];
  const pa = [E.PA0, E.PA1, E.PA2, E.PA3, E.PA4, E.PA5, E.PA6];
  const qa = [1, E.QA1, E.QA2, E.QA3, E.QA4, E.QA5, E.QA6];
  const ra = [E.RA0, E.RA1, E.RA2, E.RA3, E.RA4, E.RA5, E.RA6, E.RA7];
  const sa = [1, E.SA1, E.SA2, E.SA3, E.SA4, E.SA5, E.SA6, E.SA7, E.SA8];
  const rb = [E.RB0, E.RB1, E.RB2, E.RB3, E.RB4, E.RB5, E.RB6];
  const sb = [1, E.SB1, E.SB2, E.SB3, E.SB4, E.SB5, E.SB6, E.SB7];
  return `
alias df = vec2<f32>;

// ---------------------------------------------------------------- bits

// Not a constant expression: Tint (Chromium) rejects a constant NaN.
fn f32_nan() -> f32 { return bitcast<f32>(0x7fc00000u ^ opaque_zero()); }
fn f32_inf(negative: bool) -> f32 {
  return bitcast<f32>(select(0x7f800000u, 0xff800000u, negative));
}
fn is_special(x: f32) -> bool { return (bitcast<u32>(x) & 0x7f800000u) == 0x7f800000u; }
fn is_nan(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }
fn is_inf(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) == 0x7f800000u; }
fn sign_bit(x: f32) -> bool { return (bitcast<u32>(x) & 0x80000000u) != 0u; }
fn is_zero(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) == 0u; }
/** 2^k for -126 <= k <= 127, built from its bits. */
fn pow2(k: i32) -> f32 { return bitcast<f32>(u32(k + 127) << 23u); }
/**
 * x·2^k for |k| <= 379 in up to three products by powers of two, without a
 * branch (every kernel inlines it many times): exact while the result is
 * normal and x >= 1 or k >= -126 (the first product then stays normal).
 */
fn scale2(x: f32, k: i32) -> f32 {
  let k1 = clamp(k, -126, 127);
  let k2 = clamp(k - k1, -126, 127);
  let k3 = clamp(k - k1 - k2, -126, 127);
  return ((x * pow2(k1)) * pow2(k2)) * pow2(k3);
}

/**
 * The IEEE product a·b for a, b that may be NaN or ±∞ (0·∞ = NaN), from the
 * bits: compilers may assume floats are finite, so no float operation sees
 * a special value.
 */
fn ieee_mul(a: f32, b: f32) -> f32 {
  if (is_nan(a) || is_nan(b)) { return f32_nan(); }
  let negative = sign_bit(a) != sign_bit(b);
  if (is_inf(a) || is_inf(b)) {
    if (is_zero(a) || is_zero(b)) { return f32_nan(); }
    return f32_inf(negative);
  }
  return a * b;
}

// ------------------------------------------------------- error-free steps

/**
 * x unchanged, but opaque to the compiler: shader compilers (Mesa's NIR
 * among them) simplify (a + b) − a to b unless told the operation is exact,
 * which WGSL cannot say; XOR with a zero read from a uniform hides the sum.
 */
fn opaque(x: f32) -> f32 { return bitcast<f32>(bitcast<u32>(x) ^ opaque_zero()); }
fn two_sum(a: f32, b: f32) -> df {
  let s = opaque(a + b);
  let bb = s - a;
  return df(s, (a - (s - bb)) + (b - bb));
}
/** For |a| >= |b| (or a = 0). */
fn fast_two_sum(a: f32, b: f32) -> df {
  let s = opaque(a + b);
  return df(s, b - (s - a));
}
/** The upper 12 significant bits of a, by masking (no multiplication). */
fn split_hi(a: f32) -> f32 { return bitcast<f32>(bitcast<u32>(a) & 0xfffff000u); }
fn two_prod(a: f32, b: f32) -> df {
  let p = opaque(a * b);
${twoProd}
}

// ------------------------------------------------------- df arithmetic

fn df_f(a: f32) -> df { return df(a, 0.0f); }
/**
 * a + b to about 2⁻⁴⁷·(|a| + |b|): the high parts' error-free sum, the low
 * parts added in f32. Where a and b cancel, the inputs' own error (2⁻⁴⁴
 * of each) dominates this one, so the kernels use it everywhere but in the
 * parameter sums (df_add_exact).
 */
fn df_add(a: df, b: df) -> df {
  let s = two_sum(a.x, b.x);
  return fast_two_sum(s.x, s.y + (a.y + b.y));
}
/** a + b to about 2⁻⁴⁴ of the sum whatever the cancellation (the parameter sums). */
fn df_add_exact(a: df, b: df) -> df {
  let s = two_sum(a.x, b.x);
  let t = two_sum(a.y, b.y);
  let u = fast_two_sum(s.x, s.y + t.x);
  return fast_two_sum(u.x, u.y + t.y);
}
/** a + b for f32 a, b (a df sum with no rounding). */
fn df_add_ff(a: f32, b: f32) -> df { return two_sum(a, b); }
fn df_sub(a: df, b: df) -> df { return df_add(a, -b); }
fn df_mul(a: df, b: df) -> df {
  let p = two_prod(a.x, b.x);
  return fast_two_sum(p.x, p.y + (a.x * b.y + a.y * b.x));
}
fn df_mul_sat(a: df, b: df) -> df {
  let p = a.x * b.x;
  if (is_inf(p)) { return df(p, 0.0f); }
  return df_mul(a, b);
}
fn df_mul_f(a: df, b: f32) -> df {
  let p = two_prod(a.x, b);
  return fast_two_sum(p.x, p.y + a.y * b);
}
fn df_div(a: df, b: df) -> df {
  // WGSL's f32 division is within 2.5 ULP (2⁻²²): one correction from the
  // df remainder leaves 2.5 ULP of the correction, about 2⁻⁴⁴ of the quotient.
  let q1 = a.x / b.x;
  let r = df_sub(a, df_mul_f(b, q1));
  return fast_two_sum(q1, r.x / b.x);
}
/** 1/b. */
fn df_recip(b: df) -> df {
  let q1 = 1.0f / b.x;
  let r = df_sub(df(1.0f, 0.0f), df_mul_f(b, q1));
  return fast_two_sum(q1, r.x * q1);
}
/** √a for a >= 0: the f32 root (loose in WGSL) and one df Newton step. */
fn df_sqrt(a: df) -> df {
  if (a.x <= 0.0f) { return df(0.0f, 0.0f); }
  let s = sqrt(a.x);
  let r = df_sub(a, two_prod(s, s));
  return df_add(df(s, 0.0f), df(r.x / (2.0f * s), 0.0f));
}
fn df_abs(a: df) -> df { return select(a, -a, a.x < 0.0f); }
fn df_gt(a: df, b: df) -> bool { return a.x > b.x || (a.x == b.x && a.y > b.y); }
fn df_ge(a: df, b: df) -> bool { return a.x > b.x || (a.x == b.x && a.y >= b.y); }
fn df_lt(a: df, b: df) -> bool { return df_gt(b, a); }
fn df_le(a: df, b: df) -> bool { return df_ge(b, a); }
fn df_eq(a: df, b: df) -> bool { return a.x == b.x && a.y == b.y; }
fn df_min(a: df, b: df) -> df { return select(a, b, df_gt(a, b)); }
fn df_max(a: df, b: df) -> df { return select(a, b, df_lt(a, b)); }
/** |a| with the sign of s (s's sign bit, so −0 counts as negative). */
fn df_copy_sign(a: df, s: df) -> df {
  let m = df_abs(a);
  return select(m, -m, sign_bit(s.x));
}
/** a·2^k, both parts scaled. */
fn df_scale2(a: df, k: i32) -> df { return df(scale2(a.x, k), scale2(a.y, k)); }
/** The nearest f32, as a df. */
fn df_round(a: df) -> df { return df(a.x + a.y, 0.0f); }

// ---------------------------------------------------------- exponential

/** e^t = 2^k·(1 + q), q = e^r − 1 with |r| <= ln2/2 (t clamped to [−150, 89]). */
struct ExpParts { q: df, k: i32 }

fn exp_reduce(t0: df) -> ExpParts {
  let t = select(t0, df(clamp(t0.x, -150.0f, 89.0f), 0.0f), t0.x < -150.0f || t0.x > 89.0f);
  let kf = round(t.x * 1.4426950408889634f);
  // t − k·ln2 with ln2 = LN2_HI + LN2_LO: k·LN2_HI and t.x − k·LN2_HI are exact.
  let r1 = t.x - kf * ${f32Literal(LN2_HI)};
  return ExpParts(df_add(two_sum(r1, t.y), df_mul_f(${
    dfLiteral(LN2_LO)
  }, -kf)), i32(kf));
}

fn df_exp_parts(t0: df) -> ExpParts {
  let rk = exp_reduce(t0);
  let r = rk.q;
  // q = r + r²·p, p = 1/2! + r/3! + … + r⁹/11! from the split Horner
  // (|r| ≤ ln2/2; p's error below 2⁻⁴⁰, so q's below 2⁻⁴² of e^r; the
  // r¹²/12! left out, below 2⁻⁴⁶).
  let p = ${mixedPoly("r", EXPM1_COEFFS.slice(0, 10), Math.LN2 / 2, 5)};
  let q = df_add(r, df_mul(df_mul(r, r), p));
  return ExpParts(q, rk.k);
}

/**
 * The parts to about 2⁻³⁰ of e^t (the lanes' fast, 2⁻²⁶): p = 1/2 + r·p₂
 * with p₂ = 1/3! + … + r⁶/9! in f32 (its error, at most 2⁻²⁸ of 1/6, moves
 * q by under 2⁻³¹·r²).
 */
fn df_exp_parts_fast(t0: df) -> ExpParts {
  let rk = exp_reduce(t0);
  let r = rk.q;
  let p2 = ${
    (() => {
      const c = EXPM1_COEFFS.slice(1, 8);
      let e = f32Literal(c[c.length - 1]!);
      for (let k = c.length - 2; k >= 0; k--) {
        e = `(${e} * r.x + ${f32Literal(c[k]!)})`;
      }
      return e;
    })()
  };
  let p = df_add(df_mul_f(r, p2), df(0.5f, 0.0f));
  let q = df_add(r, df_mul(df_mul(r, r), p));
  return ExpParts(q, rk.k);
}

/** e^t. */
fn df_exp(t: df) -> df {
  let e = df_exp_parts(t);
  return df_scale2(df_add(df(1.0f, 0.0f), e.q), e.k);
}

/** e^t, to about 2⁻³⁰. */
fn df_exp_fast(t: df) -> df {
  let e = df_exp_parts_fast(t);
  return df_scale2(df_add(df(1.0f, 0.0f), e.q), e.k);
}

/** e^t − 1, accurate relative to itself near 0. */
fn df_expm1(t: df) -> df { return expm1_of(df_exp_parts(t)); }
/** e^t − 1 to about 2⁻³⁰ of itself. */
fn df_expm1_fast(t: df) -> df { return expm1_of(df_exp_parts_fast(t)); }
fn expm1_of(e: ExpParts) -> df {
  if (e.k == 0) { return e.q; }
  // 2^k·q + (2^k − 1); 2^k − 1 is exact in f32 for −24 <= k <= 24.
  if (e.k >= -24 && e.k <= 24) {
    return df_add(df_scale2(e.q, e.k), df(pow2(e.k) - 1.0f, 0.0f));
  }
  return df_sub(df_scale2(df_add(df(1.0f, 0.0f), e.q), e.k), df(1.0f, 0.0f));
}

// ------------------------------------------------------------- logarithm

/**
 * log(1 + u) for 0 <= u <= 1: 2·atanh(s) with s = u/(2 + u), or above
 * √2 − 1, ln 2 + 2·atanh(s) with s = (u − 1)/(u + 3); |s| <= 0.1716.
 */
fn df_log1p(u: df) -> df {
  let upper = u.x > ${f32Literal(Math.SQRT2 - 1)};
  let num = select(u, df_sub(u, df(1.0f, 0.0f)), upper);
  let den = select(df_add(u, df(2.0f, 0.0f)), df_add(u, df(3.0f, 0.0f)), upper);
  let s = df_div(num, den);
  let w = df_mul(s, s);
  // 2s + 2s·w·(1/3 + w/5 + …): w <= 0.0295, the terms from w³ on in f32.
  var tail = 0.0f;
  ${
    [1 / 7, 1 / 9, 1 / 11, 1 / 13, 1 / 15, 1 / 17].reverse().map((c) =>
      `tail = tail * w.x + ${f32Literal(c)};`
    ).join("\n  ")
  }
  let series = df_add(df_mul(df_add(df_mul_f(w, tail), ${
    dfLiteral(1 / 5)
  }), w), ${dfLiteral(1 / 3)});
  let s2 = df_add(s, s);
  let atanh2 = df_add(df_mul(df_mul(s2, w), series), s2);
  return select(atanh2, df_add(atanh2, ${dfLiteral(Math.LN2)}), upper);
}

// ------------------------------------------------------- scaled values

/**
 * v·2^k: a df with an exponent of its own, so that a value below 2⁻¹⁰⁰ (an
 * exponential far in its tail, and the products it enters) keeps the df
 * precision that a df would lose to underflow of its low part (and of
 * itself, below 2⁻¹²⁶); the result is rounded once, subnormal or not
 * (sdf_round). The emitter (_wgsl_emitter.ts) uses it where a value comes
 * from an exponential.
 */
struct sdf { v: df, k: i32 }

fn sdf_of(a: df) -> sdf { return sdf(a, 0); }
/**
 * a with its exponent split off (1 <= |v| < 2). A subnormal a (whose low
 * part is 0) is read from its bits as an integer times 2⁻¹⁴⁹, with no
 * float operation on it: a device that flushes subnormals keeps it.
 */
fn sdf_split(a: df) -> sdf {
  let bits = bitcast<u32>(a.x);
  if ((bits & 0x7fffffffu) == 0u) { return sdf(a, 0); }
  var b = a;
  var k = 0;
  if ((bits & 0x7f800000u) == 0u) {
    let m = f32(bits & 0x007fffffu);
    b = df(select(m, -m, (bits & 0x80000000u) != 0u), 0.0f);
    k = -149;
  }
  let e = exponent_of(b.x);
  return sdf(df_scale2(b, -e), k + e);
}
/** The binary exponent of x, −1000 for zero (x normal or zero). */
fn exponent_of(x: f32) -> i32 {
  let e = i32((bitcast<u32>(x) >> 23u) & 0xffu);
  return select(e - 127, -1000, e == 0);
}
/** a·2^−k as a df (shifts beyond ±326 saturate: the value is gone or infinite). */
fn sdf_at(a: sdf, k: i32) -> df { return df_scale2(a.v, clamp(a.k - k, -326, 326)); }
fn sdf_norm(a: sdf) -> df { return sdf_at(a, 0); }
fn sdf_neg(a: sdf) -> sdf { return sdf(-a.v, a.k); }
fn sdf_abs(a: sdf) -> sdf { return sdf(df_abs(a.v), a.k); }
fn sdf_mul(a: sdf, b: sdf) -> sdf { return sdf(df_mul(a.v, b.v), a.k + b.k); }
fn sdf_div(a: sdf, b: sdf) -> sdf { return sdf(df_div(a.v, b.v), a.k - b.k); }
fn sdf_recip(b: sdf) -> sdf { return sdf(df_recip(b.v), -b.k); }
/** a + b at the exponent of the larger: the smaller's underflow is below its precision. */
fn sdf_add(a: sdf, b: sdf) -> sdf {
  // No branch (every kernel inlines it many times): equal exponents shift by 0.
  let k = select(b.k, a.k, exponent_of(a.v.x) + a.k >= exponent_of(b.v.x) + b.k);
  return sdf(df_add(sdf_at(a, k), sdf_at(b, k)), k);
}
fn sdf_select(f: sdf, t: sdf, c: bool) -> sdf {
  return sdf(select(f.v, t.v, c), select(f.k, t.k, c));
}
/**
 * e^t: a plain df (exponent 0) down to 2⁻⁴⁰, so that the lanes outside
 * the tails take sdf's fast paths (equal exponents); below that scaled;
 * zero below −150 (where e^t·2¹²⁸ still rounds to 0).
 */
fn sdf_exp_of(e: ExpParts, t: df) -> sdf {
  let tail = e.k < -40;
  let gone = t.x < -150.0f;
  let v = df_scale2(df_add(df(1.0f, 0.0f), e.q), select(e.k, 0, tail));
  return sdf(select(v, df(0.0f, 0.0f), gone), select(select(0, e.k, tail), 0, gone));
}
fn sdf_exp(t: df) -> sdf { return sdf_exp_of(df_exp_parts(t), t); }
fn sdf_exp_fast(t: df) -> sdf { return sdf_exp_of(df_exp_parts_fast(t), t); }
/** log(1 + u) for 0 <= u <= 1: below 2⁻³⁰, u·(1 − u/2) (to 2⁻⁶⁰), scaled as u. */
fn sdf_log1p(u: sdf) -> sdf {
  let un = sdf_norm(u);
  if (un.x < 9.3e-10f) {
    return sdf(df_mul(u.v, df_sub(df(1.0f, 0.0f), df_mul_f(un, 0.5f))), u.k);
  }
  return sdf(df_log1p(un), 0);
}
/**
 * The f32 nearest to a (one rounding, subnormal results included: the
 * df scaled so that 2⁻¹⁴⁹ is 1, rounded to an integer with the low part
 * deciding).
 */
fn sdf_round(a: sdf) -> f32 {
  let h = a.v.x + a.v.y;
  if (a.k == 0 || is_zero(h) || is_special(h)) { return h; }
  let e = exponent_of(h) + a.k;
  if (e >= -126) { return scale2(h, clamp(a.k, -326, 326)); }
  if (e < -151) { return bitcast<f32>(bitcast<u32>(h) & 0x80000000u); }
  let m = df_scale2(a.v, a.k + 149);
  let r = round(m.x);
  let d = (m.x - r) + m.y;
  let ri = select(select(r, r - 1.0f, d < -0.5f), r + 1.0f, d > 0.5f);
  // |ri|·2⁻¹⁴⁹ from the bits (|ri| <= 2²³, 2²³ being the least normal):
  // no float operation produces the subnormal, so no device flushes it.
  return bitcast<f32>((bitcast<u32>(h) & 0x80000000u) | u32(abs(ri)));
}

// -------------------------------------------------------- error function

/**
 * erfc(w) for finite w: fdlibm's regions (packages/core/erf.ts) in df, the
 * tail (w ≥ 1.25) scaled, as the exponential it is.
 */
fn sdf_erfc(w: df) -> sdf {
  let a = df_abs(w);
  let one = df(1.0f, 0.0f);
  if (a.x < 0.84375f) {
    // erf(w) = w + w·P(w²)/Q(w²).
    let z = df_mul(w, w);
    let y = ${mixedRatio("z", pp, qq, 0, 0.72, 0.25)};
    let wy = df_mul(w, y);
    if (w.x < 0.25f) { return sdf_of(df_sub(one, df_add(w, wy))); }
    return sdf_of(df_sub(df(0.5f, 0.0f), df_add(wy, df_sub(w, df(0.5f, 0.0f)))));
  }
  if (a.x < 1.25f) {
    let s = df_sub(a, one);
    let e1 = ${mixedRatio("s", pa, qa, -0.16, 0.25, 0.07)};
    if (w.x > 0.0f) { return sdf_of(df_sub(${dfLiteral(1 - E.ERX)}, e1)); }
    return sdf_of(df_add(one, df_add(${dfLiteral(E.ERX)}, e1)));
  }
  if (a.x >= 28.0f) {
    return sdf_of(select(df(0.0f, 0.0f), df(2.0f, 0.0f), w.x < 0.0f));
  }
  let inv = df_recip(df_mul(a, a));
  var ratio: df;
  if (a.x < ${f32Literal(1 / 0.35)}) {
    ratio = ${mixedRatio("inv", ra, sa, 0.12, 0.65, 64)};
  } else {
    ratio = ${mixedRatio("inv", rb, sb, 0.0012, 0.123, 64)};
  }
  // exp(−a² − 0.5625 + R/S)/a with −a² formed in df (2⁻⁴⁴ relative, so at
  // a < 28 its absolute error stays below 2⁻³⁴).
  let t = df_add(df_sub(-df_mul(a, a), df(0.5625f, 0.0f)), ratio);
  let tail = sdf_div(sdf_exp(t), sdf_of(a));
  if (w.x > 0.0f) { return tail; }
  return sdf_of(df_sub(df(2.0f, 0.0f), sdf_norm(tail)));
}
`;
}
