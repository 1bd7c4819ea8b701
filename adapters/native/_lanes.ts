/**
 * The lane algebra: the operations an op's definition (`_definitions.ts`)
 * is written in, and that every kernel target implements. A definition is a
 * function of `Lanes<V>`; it never sees a target. Three targets implement it:
 * - the WebAssembly SIMD emitter `K` (`wasm/_vmath.ts`): `V` is a v128
 *   expression holding two float64 lanes, a mask is all-ones or all-zeros
 *   per lane, and every branch of a `select` is computed;
 * - the JavaScript source generator (`_js_target.ts`): `V` is a float64
 *   scalar expression as source text, a mask a boolean expression, and
 *   `select` a conditional;
 * - a WGSL generator (the WebGPU kernels) the same way, in WGSL.
 *
 * Semantics every target keeps, so that one definition gives the same
 * numbers everywhere (to the accuracy each primitive documents):
 * - arithmetic is IEEE float64 (a target with less, such as WGSL's f32, says
 *   what it loses);
 * - comparisons are false for NaN, so `select(gt(x, c(0)), a, b)` takes `b`
 *   for NaN;
 * - `max(a, b)` is `a < b ? b : a` and `min(a, b)` is `b < a ? b : a`
 *   (WebAssembly's pmax/pmin): a NaN in `a` is kept, `b` is a constant;
 * - the transcendentals are defined on the domains their docs give and need
 *   not handle NaN or ±∞ unless they say so: a definition that feeds them
 *   non-finite x lists the loop in `finiteOnly`.
 *
 * Values returned by {@linkcode Lanes.let} may be used any number of times;
 * any other value should be used once (a target may recompute it).
 *
 * @module
 */

/**
 * How accurate a transcendental must be: `fast` within about 2⁻²⁶
 * (relative), enough where a formula amplifies errors at most about
 * twofold; `accurate` within a few float64 ulps, for formulas that cancel.
 */
export type Accuracy = "fast" | "accurate";

/** The logistic parts of z, from one exponential. */
export interface Logistic<V> {
  /** σ(z). */
  readonly sigmoid: V;
  /** σ(−z). */
  readonly sigmoidNeg: V;
  /** σ(z)σ(−z). */
  readonly s: V;
}

/** The logistic parts with e = e^−|z| as well. */
export interface LogisticAbs<V> extends Logistic<V> {
  /** e^−|z|, in (0, 1]. */
  readonly e: V;
}

/**
 * The operations of the lane algebra over values of type `V` (float64 lanes,
 * or masks of lanes).
 */
export interface Lanes<V> {
  /** A float64 constant in every lane. */
  c(value: number): V;
  /** Binds `e` to a new variable, so it may be used more than once. */
  let(e: V): V;
  /** Assigns `e` to a variable made by {@linkcode Lanes.let}. */
  set(variable: V, e: V): void;
  /**
   * Runs `body` (which may only {@linkcode Lanes.set}) where any lane of
   * `mask` holds: the place for a costly correction that few inputs need.
   */
  when(mask: V, body: () => void): void;

  add(a: V, b: V): V;
  sub(a: V, b: V): V;
  mul(a: V, b: V): V;
  div(a: V, b: V): V;
  /** a·b + c, fused or not. */
  madd(a: V, b: V, c: V): V;
  /** Horner: Σ coeffs[k]·xᵏ (`x` from {@linkcode Lanes.let}). */
  poly(x: V, coeffs: readonly number[]): V;
  /** √a (correctly rounded). */
  sqrt(a: V): V;
  abs(a: V): V;
  neg(a: V): V;
  /** −|a|. */
  negAbs(a: V): V;
  /** |a| with the sign of `s`. */
  copySign(a: V, s: V): V;
  /** `a < b ? b : a`: NaN in `a` kept. */
  max(a: V, b: V): V;
  /** `b < a ? b : a`: NaN in `a` kept. */
  min(a: V, b: V): V;

  gt(a: V, b: V): V;
  ge(a: V, b: V): V;
  lt(a: V, b: V): V;
  le(a: V, b: V): V;
  eq(a: V, b: V): V;
  /** a ≠ b, true for NaN. */
  ne(a: V, b: V): V;
  /** Both masks. */
  and(a: V, b: V): V;
  /** `mask ? a : b`. */
  select(mask: V, a: V, b: V): V;
  /** `mask ? a : 0`. */
  keep(mask: V, a: V): V;

  /** eᵗ for t ≤ 0. */
  exp(t: V, accuracy: Accuracy): V;
  /** eᵗ − 1 for t ≤ 0. */
  expm1(t: V, accuracy: Accuracy): V;
  /** eᵗ and eᵗ − 1 for t ≤ 0, each with a small relative error. */
  expAndExpm1(t: V, accuracy: Accuracy): { readonly e: V; readonly m: V };
  /** log(1 + u) for 0 ≤ u ≤ 1 (u = e^−|z|, say). */
  log1p(u: V): V;
  /** σ(z), σ(−z) and σ(z)σ(−z) for finite z. */
  logistic(z: V, accuracy: Accuracy): Logistic<V>;
  /** The logistic parts and e^−|z| for finite z. */
  logisticAbs(z: V, accuracy: Accuracy): LogisticAbs<V>;
  /** tanh y for finite y, tanh(−0) = −0. */
  tanh(y: V, accuracy: Accuracy): V;
  /** erfc(w) for finite w, to about 2⁻²⁷ (relative). */
  erfcFast(w: V): V;
  /** erfc(w) for 0.25 ≤ w < 0.84375, to a few float64 ulps. */
  erfcNearHalf(w: V): V;
}
