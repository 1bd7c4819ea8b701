// The lane algebra (../_lanes.ts) for WGSL: every operation produces WGSL
// source over df values (_wgsl_math.ts), so an op's definition
// (../_definitions.ts) run against it emits the body of one kernel; every
// value is computed to about 2⁻⁴⁰ or better (2⁻³⁰ for a `fast`
// transcendental), and rounded to f32 once. Masks are WGSL bools; `select`
// is WGSL's.
//
// Values that come from an exponential are `sdf` (a df and an exponent of
// its own, _wgsl_math.ts) and so is everything computed from them, until a
// comparison or a function that needs a plain df takes them back: far in an
// exponential's tail (results near or below 2⁻¹²⁶) a df would lose its low
// part, and the value itself, to underflow. The emitter knows statically
// which expressions are scaled and converts where the two meet.

import type { Accuracy, Lanes, LogisticAbs } from "../_lanes.ts";
import { dfLiteral, f32Literal } from "./_wgsl_math.ts";

/** A WGSL expression of type `df` or `sdf`. */
export type V = string;
/** A WGSL expression of type `bool`. */
export type Mask = string;

/** The logistic parts, e = e^−|z| included. */
export type Logistic = LogisticAbs<V>;

const ONE = dfLiteral(1);

/** The WGSL function suffix of an accuracy. */
function suffix(accuracy: Accuracy): string {
  return accuracy === "fast" ? "_fast" : "";
}

/** Builds one WGSL function body, statement by statement. */
export class Wgsl implements Lanes<V> {
  readonly #lines: string[] = [];
  readonly #scaled = new Set<V>();
  readonly #constants = new Map<V, number>();
  /** Expressions bound at the top level, and their variables. */
  readonly #bound = new Map<string, V>();
  #depth = 0;
  /**
   * Scaled expressions that may be large (from the split input, not from an
   * exponential): a constant does not absorb them.
   */
  readonly #wide = new Set<V>();
  #next = 0;

  /** The statements emitted so far. */
  get statements(): string {
    return this.#lines.map((l) => `  ${l}`).join("\n");
  }

  /** Whether `e` is an `sdf` expression. */
  isScaled(e: V): boolean {
    return this.#scaled.has(e);
  }
  /** `e` as an `sdf`. */
  scaled(e: V): V {
    return this.#scaled.has(e) ? e : `sdf_of(${e})`;
  }
  /** `e` as a plain `df`. */
  plain(e: V): V {
    return this.#scaled.has(e) ? `sdf_norm(${e})` : e;
  }
  /** An sdf expression, marked so (and wide if any of `from` is). */
  #s(e: string, ...from: V[]): V {
    this.#scaled.add(e);
    if (from.some((f) => this.#wide.has(f))) this.#wide.add(e);
    return e;
  }
  /** `f` on sdf operands if either is scaled, else `g` on df. */
  #either(a: V, b: V, sdf: string, df: string): V {
    if (this.#scaled.has(a) || this.#scaled.has(b)) {
      return this.#s(`${sdf}(${this.scaled(a)}, ${this.scaled(b)})`, a, b);
    }
    return `${df}(${a}, ${b})`;
  }

  /** A df constant. */
  c(value: number): V {
    const literal = dfLiteral(value);
    this.#constants.set(literal, value);
    return literal;
  }
  /** Binds `e`, an `sdf` expression, to a new variable. */
  letScaled(e: string): V {
    this.#wide.add(e);
    return this.let(this.#s(e));
  }
  /** Binds `e` (a df, an sdf or a mask) to a new variable. */
  let(e: V): V {
    // The same expression bound before at the top level (a definition asks
    // for erfc(w) twice, say): its variable, computed once.
    const known = this.#bound.get(e);
    if (known !== undefined) return known;
    const name = `v${this.#next++}`;
    this.#lines.push(`var ${name} = ${e};`);
    if (this.#scaled.has(e)) this.#scaled.add(name);
    if (this.#wide.has(e)) this.#wide.add(name);
    // Only top-level bindings are in scope for every later statement.
    if (this.#depth === 0) this.#bound.set(e, name);
    return name;
  }
  /** Assigns to a variable of {@linkcode Wgsl.let}, in the variable's type. */
  set(variable: V, e: V): void {
    const v = this.#scaled.has(variable) ? this.scaled(e) : this.plain(e);
    this.#lines.push(`${variable} = ${v};`);
    // Expressions over the variable's old value are no longer its binding.
    const word = new RegExp(`\\b${variable}\\b`);
    for (const [expr, name] of this.#bound) {
      if (name === variable || word.test(expr)) this.#bound.delete(expr);
    }
  }
  /** `if (mask) { body }`. */
  when(mask: V, body: () => void): void {
    this.#lines.push(`if (${mask}) {`);
    this.#depth++;
    body();
    this.#depth--;
    this.#lines.push(`}`);
  }
  /** Binds a mask to a new variable. */
  letMask(e: Mask): Mask {
    return this.let(e);
  }
  add(a: V, b: V): V {
    // A constant (1 + e, 2 + m): the sum is a plain df, and a scaled term
    // small enough to underflow is below the constant's precision anyway.
    if (
      (this.#bigConstant(a) && !this.#wide.has(b)) ||
      (this.#bigConstant(b) && !this.#wide.has(a))
    ) {
      return `df_add(${this.plain(a)}, ${this.plain(b)})`;
    }
    return this.#either(a, b, "sdf_add", "df_add");
  }
  /** Whether `e` is a constant of magnitude at least 2⁻²⁰. */
  #bigConstant(e: V): boolean {
    const v = this.#constants.get(e);
    return v !== undefined && Math.abs(v) >= 2 ** -20;
  }
  sub(a: V, b: V): V {
    return this.add(a, this.neg(b));
  }
  mul(a: V, b: V): V {
    // dy = 1 (the VJP bodies run with it): nothing to multiply.
    if (a === ONE) return b;
    if (b === ONE) return a;
    // ±2ⁿ: both parts scaled, exactly (no error-free product needed).
    const pa = this.#powerOfTwo(a);
    const pb = this.#powerOfTwo(b);
    if (pa !== undefined || pb !== undefined) {
      const [v, c] = pa !== undefined ? [b, pa] : [a, pb!];
      const f = f32Literal(c);
      if (this.#scaled.has(v)) return this.#s(`sdf(${v}.v * ${f}, ${v}.k)`, v);
      return `(${v} * ${f})`;
    }
    return this.#either(a, b, "sdf_mul", "df_mul");
  }
  /** The value of a constant ±2ⁿ (|n| ≤ 8), else undefined. */
  #powerOfTwo(e: V): number | undefined {
    const v = this.#constants.get(e);
    if (v === undefined || v === 0) return undefined;
    const n = Math.log2(Math.abs(v));
    return Number.isInteger(n) && Math.abs(n) <= 8 ? v : undefined;
  }
  /** a·b, ±∞ (low part 0) where the product overflows float32. */
  mulSat(a: V, b: V): V {
    return `df_mul_sat(${this.plain(a)}, ${this.plain(b)})`;
  }
  div(a: V, b: V): V {
    if (a === ONE) {
      return this.#scaled.has(b)
        ? this.#s(`sdf_recip(${b})`, b)
        : `df_recip(${b})`;
    }
    return this.#either(a, b, "sdf_div", "df_div");
  }
  /** a·b + c. */
  madd(a: V, b: V, c: V): V {
    return this.add(this.mul(a, b), c);
  }
  /** Horner: Σ coeffs[k]·xᵏ. */
  poly(x: V, coeffs: readonly number[]): V {
    const xl = this.let(this.plain(x));
    let p = this.c(coeffs[coeffs.length - 1]!);
    for (let k = coeffs.length - 2; k >= 0; k--) {
      p = this.madd(p, xl, this.c(coeffs[k]!));
    }
    return p;
  }
  /** √a, to the df precision. */
  sqrt(a: V): V {
    return `df_sqrt(${this.plain(a)})`;
  }
  #cmp(f: string, a: V, b: V): Mask {
    return `${f}(${this.plain(a)}, ${this.plain(b)})`;
  }
  eq(a: V, b: V): Mask {
    return this.#cmp("df_eq", a, b);
  }
  /** a ≠ b (never true here: no NaN reaches a body). */
  ne(a: V, b: V): Mask {
    return `!${this.eq(a, b)}`;
  }
  /** `mask ? a : b`. */
  select(mask: Mask, a: V, b: V): V {
    if (this.#scaled.has(a) || this.#scaled.has(b)) {
      return this.#s(
        `sdf_select(${this.scaled(b)}, ${this.scaled(a)}, ${mask})`,
        a,
        b,
      );
    }
    return `select(${b}, ${a}, ${mask})`;
  }
  /** `mask ? a : 0`. */
  keep(mask: Mask, a: V): V {
    return this.select(mask, a, this.c(0));
  }
  and(a: Mask, b: Mask): Mask {
    return `(${a} && ${b})`;
  }
  /** −|a|. */
  negAbs(a: V): V {
    return this.neg(this.abs(a));
  }
  abs(a: V): V {
    return this.#scaled.has(a) ? this.#s(`sdf_abs(${a})`, a) : `df_abs(${a})`;
  }
  neg(a: V): V {
    return this.#scaled.has(a) ? this.#s(`sdf_neg(${a})`, a) : `(-(${a}))`;
  }
  /** |a| with the sign of `s`. */
  copySign(a: V, s: V): V {
    const sv = this.#scaled.has(s) ? `${s}.v` : s;
    if (this.#scaled.has(a)) {
      return this.#s(`sdf(df_copy_sign(${a}.v, ${sv}), ${a}.k)`, a);
    }
    return `df_copy_sign(${a}, ${sv})`;
  }
  max(a: V, b: V): V {
    return this.#cmp("df_max", a, b);
  }
  min(a: V, b: V): V {
    return this.#cmp("df_min", a, b);
  }
  gt(a: V, b: V): Mask {
    return this.#cmp("df_gt", a, b);
  }
  ge(a: V, b: V): Mask {
    return this.#cmp("df_ge", a, b);
  }
  lt(a: V, b: V): Mask {
    return this.#cmp("df_lt", a, b);
  }
  le(a: V, b: V): Mask {
    return this.#cmp("df_le", a, b);
  }
  /** Lanes with lo < v < hi. */
  between(v: V, lo: number, hi: number): Mask {
    return this.and(this.gt(v, this.c(lo)), this.lt(v, this.c(hi)));
  }

  /** eᵗ (any finite t), scaled: about 2⁻³⁰ for `fast`, 2⁻⁴² for `accurate`. */
  exp(t: V, accuracy: Accuracy = "accurate"): V {
    return this.let(this.#s(`sdf_exp${suffix(accuracy)}(${this.plain(t)})`));
  }
  /** eᵗ − 1, to the same accuracy as {@linkcode Wgsl.exp} (a plain df). */
  expm1(t: V, accuracy: Accuracy = "accurate"): V {
    return this.let(`df_expm1${suffix(accuracy)}(${this.plain(t)})`);
  }
  /** eᵗ (scaled) and eᵗ − 1 from one reduction. */
  expAndExpm1(t: V, accuracy: Accuracy = "accurate"): { e: V; m: V } {
    const tl = this.let(this.plain(t));
    const p = `p${this.#next++}`;
    this.#lines.push(`let ${p} = df_exp_parts${suffix(accuracy)}(${tl});`);
    const e = this.let(this.#s(`sdf_exp_of(${p}, ${tl})`));
    return { e, m: this.let(`expm1_of(${p})`) };
  }
  /**
   * The logistic parts from e = e^−|z| (never overflowing): q = 1/(1 + e),
   * σ(z) = z ≥ 0 ? q : e·q, σ(−z) the other, s = e·q².
   */
  logistic(z: V, accuracy?: Accuracy): Logistic {
    const zl = this.let(this.plain(z));
    const e = this.exp(this.negAbs(zl), accuracy);
    const q = this.let(this.div(this.c(1), this.add(this.c(1), e)));
    const eq = this.let(this.mul(e, q));
    const pos = this.letMask(`(${zl}.x >= 0.0f)`);
    return {
      e,
      sigmoid: this.let(this.select(pos, q, eq)),
      sigmoidNeg: this.let(this.select(pos, eq, q)),
      s: this.let(this.mul(eq, q)),
    };
  }
  /** The same parts as {@linkcode Wgsl.logistic}. */
  logisticAbs(z: V, accuracy?: Accuracy): Logistic {
    return this.logistic(z, accuracy);
  }
  /**
   * tanh y = sign(y)·(−m)/(2 + m), m = e^−2|y| − 1, with its exponent split
   * off (scaled, |tanh| ≤ 1): tanh²y for tiny y is then rounded once.
   */
  tanh(y: V, accuracy?: Accuracy): V {
    const yl = this.let(this.plain(y));
    const m = this.expm1(this.mul(this.c(-2), this.abs(yl)), accuracy);
    const t = this.copySign(this.div(this.neg(m), this.add(this.c(2), m)), yl);
    return this.let(this.#s(`sdf_split(${t})`));
  }
  /** log(1 + u) for 0 ≤ u ≤ 1 (scaled as u). */
  log1p(u: V): V {
    return this.let(this.#s(`sdf_log1p(${this.scaled(u)})`));
  }
  /** erfc(w) for finite w (fdlibm's regions in df, the tail scaled). */
  erfc(w: V): V {
    return this.let(this.#s(`sdf_erfc(${this.plain(w)})`));
  }
  /** erfc(w): the df erfc is accurate everywhere. */
  erfcFast(w: V): V {
    return this.erfc(w);
  }
  /** erfc(w): the df erfc is accurate everywhere. */
  erfcNearHalf(w: V): V {
    return this.erfc(w);
  }
}
