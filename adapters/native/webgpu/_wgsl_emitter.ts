// The lane algebra (../_lanes.ts) for WGSL: every operation produces WGSL
// source over df values (_wgsl_math.ts), so an op's definition
// (../_definitions.ts) run against it emits the body of one kernel; every
// value is computed to about 2⁻⁴⁴ whatever accuracy a formula asks for, and
// rounded to f32 once. Masks are WGSL bools; `select` is WGSL's.

import type { Accuracy, Lanes, LogisticAbs } from "../_lanes.ts";
import { dfLiteral } from "./_wgsl_math.ts";

/** A WGSL expression of type `df`. */
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
  #next = 0;

  /** The statements emitted so far. */
  get statements(): string {
    return this.#lines.map((l) => `  ${l}`).join("\n");
  }

  /** A df constant. */
  c(value: number): V {
    return dfLiteral(value);
  }
  /** Binds `e` (a df or a mask) to a new variable. */
  let(e: V): V {
    const name = `v${this.#next++}`;
    this.#lines.push(`var ${name} = ${e};`);
    return name;
  }
  /** Assigns to a variable of {@linkcode Wgsl.let}. */
  set(variable: V, e: V): void {
    this.#lines.push(`${variable} = ${e};`);
  }
  /** `if (mask) { body }`. */
  when(mask: V, body: () => void): void {
    this.#lines.push(`if (${mask}) {`);
    body();
    this.#lines.push(`}`);
  }
  /** Binds a mask to a new variable. */
  letMask(e: Mask): Mask {
    return this.let(e);
  }
  add(a: V, b: V): V {
    return `df_add(${a}, ${b})`;
  }
  sub(a: V, b: V): V {
    return `df_sub(${a}, ${b})`;
  }
  mul(a: V, b: V): V {
    // dy = 1 (the VJP bodies run with it): nothing to multiply.
    if (a === ONE) return b;
    if (b === ONE) return a;
    return `df_mul(${a}, ${b})`;
  }
  /** a·b, ±∞ (low part 0) where the product overflows float32. */
  mulSat(a: V, b: V): V {
    return `df_mul_sat(${a}, ${b})`;
  }
  div(a: V, b: V): V {
    return `df_div(${a}, ${b})`;
  }
  /** a·b + c. */
  madd(a: V, b: V, c: V): V {
    return this.add(this.mul(a, b), c);
  }
  /** Horner: Σ coeffs[k]·xᵏ. */
  poly(x: V, coeffs: readonly number[]): V {
    const xl = this.let(x);
    let p = this.c(coeffs[coeffs.length - 1]!);
    for (let k = coeffs.length - 2; k >= 0; k--) {
      p = this.madd(p, xl, this.c(coeffs[k]!));
    }
    return p;
  }
  /** √a, to the df precision. */
  sqrt(a: V): V {
    return `df_sqrt(${a})`;
  }
  eq(a: V, b: V): Mask {
    return `df_eq(${a}, ${b})`;
  }
  /** a ≠ b (never true here: no NaN reaches a body). */
  ne(a: V, b: V): Mask {
    return `!df_eq(${a}, ${b})`;
  }
  /** `mask ? a : b`. */
  select(mask: Mask, a: V, b: V): V {
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
    return `(-df_abs(${a}))`;
  }
  abs(a: V): V {
    return `df_abs(${a})`;
  }
  neg(a: V): V {
    return `(-(${a}))`;
  }
  /** |a| with the sign of `s`. */
  copySign(a: V, s: V): V {
    return `df_copy_sign(${a}, ${s})`;
  }
  max(a: V, b: V): V {
    return `df_max(${a}, ${b})`;
  }
  min(a: V, b: V): V {
    return `df_min(${a}, ${b})`;
  }
  gt(a: V, b: V): Mask {
    return `df_gt(${a}, ${b})`;
  }
  ge(a: V, b: V): Mask {
    return `df_ge(${a}, ${b})`;
  }
  lt(a: V, b: V): Mask {
    return `df_lt(${a}, ${b})`;
  }
  le(a: V, b: V): Mask {
    return `df_le(${a}, ${b})`;
  }
  /** Lanes with lo < v < hi. */
  between(v: V, lo: number, hi: number): Mask {
    return this.and(this.gt(v, this.c(lo)), this.lt(v, this.c(hi)));
  }

  /** eᵗ (any finite t): about 2⁻³⁰ for `fast`, the df precision for `accurate`. */
  exp(t: V, accuracy: Accuracy = "accurate"): V {
    return this.let(`df_exp${suffix(accuracy)}(${t})`);
  }
  /** eᵗ − 1, to the same accuracy as {@linkcode Wgsl.exp}. */
  expm1(t: V, accuracy: Accuracy = "accurate"): V {
    return this.let(`df_expm1${suffix(accuracy)}(${t})`);
  }
  /** eᵗ and eᵗ − 1 from one reduction. */
  expAndExpm1(t: V, accuracy: Accuracy = "accurate"): { e: V; m: V } {
    const p = `p${this.#next++}`;
    this.#lines.push(`let ${p} = df_exp_parts${suffix(accuracy)}(${t});`);
    const e = this.let(`df_scale2(df_add(df(1.0f, 0.0f), ${p}.q), ${p}.k)`);
    return { e, m: this.let(`expm1_of(${p})`) };
  }
  /**
   * The logistic parts from e = e^−|z| (never overflowing): q = 1/(1 + e),
   * σ(z) = z ≥ 0 ? q : e·q, σ(−z) the other, s = e·q².
   */
  logistic(z: V, accuracy?: Accuracy): Logistic {
    const zl = this.let(z);
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
  /** tanh y = sign(y)·(−m)/(2 + m), m = e^−2|y| − 1. */
  tanh(y: V, accuracy?: Accuracy): V {
    const yl = this.let(y);
    const m = this.expm1(this.mul(this.c(-2), this.abs(yl)), accuracy);
    return this.let(
      this.copySign(this.div(this.neg(m), this.add(this.c(2), m)), yl),
    );
  }
  /** log(1 + u) for 0 ≤ u ≤ 1. */
  log1p(u: V): V {
    return this.let(`df_log1p(${u})`);
  }
  /** erfc(w) for finite w (fdlibm's regions in df). */
  erfc(w: V): V {
    return this.let(`df_erfc(${w})`);
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
