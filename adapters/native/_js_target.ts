/**
 * The JavaScript target of the lane algebra: each op's definition
 * (`_definitions.ts`) compiled once, at load, into float64 scalar loops
 * (source text given to `new Function`), so that an op with a definition
 * runs in JavaScript with no hand-written kernel. A hand-tuned kernel in
 * `_js_kernels.ts` overrides the generated one where it pays.
 *
 * The generated loops read x as float64, compute with `Math`'s functions
 * (more accurate than the SIMD set's `fast` exponential, as accurate as its
 * `accurate` one) and round once on store. Masks are booleans and `select`
 * a conditional, so only the branch taken is computed.
 *
 * @module
 */

import { erfc } from "@nonlin/core";
import type { Accuracy, Lanes, Logistic, LogisticAbs } from "./_lanes.ts";
import type { Definition, Loop } from "./_definitions.ts";
import type { KernelArgs, OpKernel, ParamGradients } from "./_kernels.ts";

/** Helpers the generated source calls (V8 inlines them). */
const PRELUDE = `
const pmax = (a, b) => (a < b ? b : a);
const pmin = (a, b) => (b < a ? b : a);
const copySign = (a, s) => (s < 0 || (s === 0 && 1 / s < 0) ? -Math.abs(a) : Math.abs(a));
`;

/** Source text of a number literal that reads back exactly. */
function literal(value: number): string {
  if (Object.is(value, -0)) return "(-0)";
  if (value !== value) return "NaN";
  if (value === Infinity) return "Infinity";
  if (value === -Infinity) return "(-Infinity)";
  return value < 0 ? `(${value})` : String(value);
}

/**
 * The lane algebra over float64 scalars, as JavaScript source: `V` is an
 * expression, {@linkcode JsSource.let} declares a variable, and the
 * statements accumulate in {@linkcode JsSource.lines}.
 */
export class JsSource implements Lanes<string> {
  /** The statements emitted so far, in order. */
  readonly lines: string[] = [];
  readonly #prefix: string;
  #count = 0;
  #indent = "";

  /** @param prefix The variables' name prefix. */
  constructor(prefix = "t") {
    this.#prefix = prefix;
  }

  c(value: number): string {
    return literal(value);
  }
  let(e: string): string {
    const name = `${this.#prefix}${this.#count++}`;
    this.lines.push(`${this.#indent}let ${name} = ${e};`);
    return name;
  }
  set(variable: string, e: string): void {
    this.lines.push(`${this.#indent}${variable} = ${e};`);
  }
  when(mask: string, body: () => void): void {
    this.lines.push(`${this.#indent}if (${mask}) {`);
    const outer = this.#indent;
    this.#indent += "  ";
    body();
    this.#indent = outer;
    this.lines.push(`${this.#indent}}`);
  }
  add(a: string, b: string): string {
    return `(${a} + ${b})`;
  }
  sub(a: string, b: string): string {
    return `(${a} - ${b})`;
  }
  mul(a: string, b: string): string {
    return `(${a} * ${b})`;
  }
  div(a: string, b: string): string {
    return `(${a} / ${b})`;
  }
  madd(a: string, b: string, c: string): string {
    return `(${a} * ${b} + ${c})`;
  }
  poly(x: string, coeffs: readonly number[]): string {
    let p = literal(coeffs[coeffs.length - 1]!);
    for (let k = coeffs.length - 2; k >= 0; k--) {
      p = `(${p} * ${x} + ${literal(coeffs[k]!)})`;
    }
    return p;
  }
  sqrt(a: string): string {
    return `Math.sqrt(${a})`;
  }
  abs(a: string): string {
    return `Math.abs(${a})`;
  }
  neg(a: string): string {
    return `(-${a})`;
  }
  negAbs(a: string): string {
    return `(-Math.abs(${a}))`;
  }
  copySign(a: string, s: string): string {
    return `copySign(${a}, ${s})`;
  }
  max(a: string, b: string): string {
    return `pmax(${a}, ${b})`;
  }
  min(a: string, b: string): string {
    return `pmin(${a}, ${b})`;
  }
  gt(a: string, b: string): string {
    return `(${a} > ${b})`;
  }
  ge(a: string, b: string): string {
    return `(${a} >= ${b})`;
  }
  lt(a: string, b: string): string {
    return `(${a} < ${b})`;
  }
  le(a: string, b: string): string {
    return `(${a} <= ${b})`;
  }
  eq(a: string, b: string): string {
    return `(${a} === ${b})`;
  }
  ne(a: string, b: string): string {
    return `(${a} !== ${b})`;
  }
  and(a: string, b: string): string {
    return `(${a} && ${b})`;
  }
  select(mask: string, a: string, b: string): string {
    return `(${mask} ? ${a} : ${b})`;
  }
  keep(mask: string, a: string): string {
    return `(${mask} ? ${a} : 0)`;
  }
  exp(t: string, _accuracy: Accuracy): string {
    return `Math.exp(${t})`;
  }
  expm1(t: string, _accuracy: Accuracy): string {
    return `Math.expm1(${t})`;
  }
  expAndExpm1(t: string, _accuracy: Accuracy): { e: string; m: string } {
    const tl = this.let(t);
    return {
      e: this.let(`Math.exp(${tl})`),
      m: this.let(`Math.expm1(${tl})`),
    };
  }
  log1p(u: string): string {
    return `Math.log1p(${u})`;
  }
  logistic(z: string, accuracy: Accuracy): Logistic<string> {
    return this.logisticAbs(z, accuracy);
  }
  logisticAbs(z: string, _accuracy: Accuracy): LogisticAbs<string> {
    // e = e^−|z| ≤ 1 and q = 1/(1 + e): no overflow, no 1 − σ cancellation.
    const zl = this.let(z);
    const e = this.let(`Math.exp(-Math.abs(${zl}))`);
    const q = this.let(`1 / (1 + ${e})`);
    const eq = this.let(`${e} * ${q}`);
    const pos = this.let(`${zl} >= 0`);
    return {
      e,
      sigmoid: this.let(`(${pos} ? ${q} : ${eq})`),
      sigmoidNeg: this.let(`(${pos} ? ${eq} : ${q})`),
      s: this.let(`${eq} * ${q}`),
    };
  }
  tanh(y: string, _accuracy: Accuracy): string {
    return `Math.tanh(${y})`;
  }
  erfcFast(w: string): string {
    return `erfc(${w})`;
  }
  erfcNearHalf(w: string): string {
    return `erfc(${w})`;
  }
}

/** The source of one loop's function. */
function loopSource(def: Definition, loop: Loop): string {
  const k = new JsSource();
  const p: Record<string, string> = {};
  def.params.forEach((name, j) => (p[name] = `p${j}`));
  const reads = def.params.map((name, j) =>
    `  const p${j} = ${
      name in (def.fixed ?? {})
        ? literal(def.fixed![name]!)
        : `args.params[${JSON.stringify(name)}]`
    };`
  );
  if (loop !== "vjp") {
    const y = def[loop](k, "v", p);
    return [
      "(x, out, args) => {",
      ...reads,
      "  for (let i = 0, n = x.length; i < n; i++) {",
      "    const v = x[i];",
      ...k.lines.map((l) => `    ${l}`),
      `    out[i] = ${y};`,
      "  }",
      "}",
    ].join("\n");
  }
  const r = def.vjp(k, "v", "g", p);
  const sums = def.grads.map((_, j) => `s${j}`);
  const outside = new JsSource("u");
  const scale = def.grads.length > 0 && def.gradScale !== undefined
    ? ` * ${outside.let(def.gradScale(outside, p))}`
    : "";
  return [
    "(x, dy, dx, dparams, args) => {",
    ...reads,
    ...outside.lines.map((l) => `  ${l}`),
    ...sums.map((s) => `  let ${s} = 0;`),
    "  for (let i = 0, n = x.length; i < n; i++) {",
    "    const v = x[i];",
    "    const g = dy[i];",
    ...k.lines.map((l) => `    ${l}`),
    `    dx[i] = ${r.dx};`,
    ...r.grads.map((e, j) => `    s${j} += ${e};`),
    "  }",
    ...def.grads.map((name, j) =>
      `  dparams[${JSON.stringify(name)}][0] += s${j}${scale};`
    ),
    "}",
  ].join("\n");
}

/**
 * The JavaScript loops of one definition.
 *
 * @throws {TypeError} Where the definition has loops that hold for finite x
 * only: those need a hand-written override.
 */
export function jsKernelOf(name: string, def: Definition): OpKernel {
  if (def.finiteOnly.length > 0) {
    throw new TypeError(
      `The JavaScript kernels of ${name} need an override: its definition's ${
        def.finiteOnly.join(", ")
      } hold for finite x only`,
    );
  }
  try {
    return generatedKernel(def);
  } catch (error) {
    // A Content-Security-Policy without 'unsafe-eval' forbids new Function.
    if (error instanceof EvalError) return interpretedKernel(def);
    throw error;
  }
}

/** The loops generated from `def` as they are, finite-only loops included. */
export function generatedKernel(def: Definition): OpKernel {
  const compile = (loop: Loop) =>
    new Function("erfc", `${PRELUDE}\nreturn ${loopSource(def, loop)};`)(
      erfc,
    );
  return {
    forward: compile("forward"),
    derivative: compile("derivative"),
    secondDerivative: compile("secondDerivative"),
    vjp: compile("vjp"),
  };
}

/** The source of one generated loop, for reading and tests. */
export function jsLoopSource(def: Definition, loop: Loop): string {
  return loopSource(def, loop);
}

type Thunk = () => number;

/**
 * The lane algebra over float64 scalars as closures, for runtimes that
 * forbid `new Function` (a page whose Content-Security-Policy has no
 * `'unsafe-eval'`): the same definition, interpreted, at a few times the
 * generated loops' cost. Masks are 1 or 0.
 */
class JsClosures implements Lanes<Thunk> {
  /** The statements of the loop body, in order. */
  readonly body: (() => void)[] = [];
  readonly slots: number[] = [];
  readonly #lets = new Map<Thunk, number>();
  #target = this.body;

  c(value: number): Thunk {
    return () => value;
  }
  let(e: Thunk): Thunk {
    const slots = this.slots;
    const i = slots.push(0) - 1;
    this.#target.push(() => {
      slots[i] = e();
    });
    const variable = () => slots[i]!;
    this.#lets.set(variable, i);
    return variable;
  }
  set(variable: Thunk, e: Thunk): void {
    // A variable made by `let` reads its slot; find it by identity.
    const slots = this.slots;
    const i = this.#lets.get(variable);
    if (i === undefined) throw new TypeError("set() needs a variable of let()");
    this.#target.push(() => {
      slots[i] = e();
    });
  }
  when(mask: Thunk, body: () => void): void {
    const outer = this.#target;
    const inner: (() => void)[] = [];
    this.#target = inner;
    body();
    this.#target = outer;
    outer.push(() => {
      if (mask()) { for (const s of inner) s(); }
    });
  }
  add(a: Thunk, b: Thunk): Thunk {
    return () => a() + b();
  }
  sub(a: Thunk, b: Thunk): Thunk {
    return () => a() - b();
  }
  mul(a: Thunk, b: Thunk): Thunk {
    return () => a() * b();
  }
  div(a: Thunk, b: Thunk): Thunk {
    return () => a() / b();
  }
  madd(a: Thunk, b: Thunk, c: Thunk): Thunk {
    return () => a() * b() + c();
  }
  poly(x: Thunk, coeffs: readonly number[]): Thunk {
    const cs = [...coeffs];
    return () => {
      const v = x();
      let p = cs[cs.length - 1]!;
      for (let k = cs.length - 2; k >= 0; k--) p = p * v + cs[k]!;
      return p;
    };
  }
  sqrt(a: Thunk): Thunk {
    return () => Math.sqrt(a());
  }
  abs(a: Thunk): Thunk {
    return () => Math.abs(a());
  }
  neg(a: Thunk): Thunk {
    return () => -a();
  }
  negAbs(a: Thunk): Thunk {
    return () => -Math.abs(a());
  }
  copySign(a: Thunk, s: Thunk): Thunk {
    return () => {
      const v = s();
      return v < 0 || (v === 0 && 1 / v < 0) ? -Math.abs(a()) : Math.abs(a());
    };
  }
  max(a: Thunk, b: Thunk): Thunk {
    return () => {
      const u = a();
      const v = b();
      return u < v ? v : u;
    };
  }
  min(a: Thunk, b: Thunk): Thunk {
    return () => {
      const u = a();
      const v = b();
      return v < u ? v : u;
    };
  }
  gt(a: Thunk, b: Thunk): Thunk {
    return () => (a() > b() ? 1 : 0);
  }
  ge(a: Thunk, b: Thunk): Thunk {
    return () => (a() >= b() ? 1 : 0);
  }
  lt(a: Thunk, b: Thunk): Thunk {
    return () => (a() < b() ? 1 : 0);
  }
  le(a: Thunk, b: Thunk): Thunk {
    return () => (a() <= b() ? 1 : 0);
  }
  eq(a: Thunk, b: Thunk): Thunk {
    return () => (a() === b() ? 1 : 0);
  }
  ne(a: Thunk, b: Thunk): Thunk {
    return () => (a() !== b() ? 1 : 0);
  }
  and(a: Thunk, b: Thunk): Thunk {
    return () => (a() && b() ? 1 : 0);
  }
  select(mask: Thunk, a: Thunk, b: Thunk): Thunk {
    return () => (mask() ? a() : b());
  }
  keep(mask: Thunk, a: Thunk): Thunk {
    return () => (mask() ? a() : 0);
  }
  exp(t: Thunk, _accuracy: Accuracy): Thunk {
    return () => Math.exp(t());
  }
  expm1(t: Thunk, _accuracy: Accuracy): Thunk {
    return () => Math.expm1(t());
  }
  expAndExpm1(t: Thunk, _accuracy: Accuracy): { e: Thunk; m: Thunk } {
    const tl = this.let(t);
    return {
      e: this.let(() => Math.exp(tl())),
      m: this.let(() => Math.expm1(tl())),
    };
  }
  log1p(u: Thunk): Thunk {
    return () => Math.log1p(u());
  }
  logistic(z: Thunk, accuracy: Accuracy): Logistic<Thunk> {
    return this.logisticAbs(z, accuracy);
  }
  logisticAbs(z: Thunk, _accuracy: Accuracy): LogisticAbs<Thunk> {
    const zl = this.let(z);
    const e = this.let(() => Math.exp(-Math.abs(zl())));
    const q = this.let(() => 1 / (1 + e()));
    const eq = this.let(() => e() * q());
    return {
      e,
      sigmoid: this.let(() => (zl() >= 0 ? q() : eq())),
      sigmoidNeg: this.let(() => (zl() >= 0 ? eq() : q())),
      s: this.let(() => eq() * q()),
    };
  }
  tanh(y: Thunk, _accuracy: Accuracy): Thunk {
    return () => Math.tanh(y());
  }
  erfcFast(w: Thunk): Thunk {
    return () => erfc(w());
  }
  erfcNearHalf(w: Thunk): Thunk {
    return () => erfc(w());
  }
}

/** The loops of `def`, interpreted (see {@linkcode JsClosures}). */
export function interpretedKernel(def: Definition): OpKernel {
  const build = (loop: Loop) => {
    const input = { x: 0, g: 0 };
    const k = new JsClosures();
    const paramThunks: Record<string, Thunk> = {};
    const values: Record<string, number> = {};
    for (const name of def.params) {
      paramThunks[name] = () => values[name]!;
    }
    const x = () => input.x;
    const g = () => input.g;
    const read = (args: { params: Readonly<Record<string, unknown>> }) => {
      for (const name of def.params) {
        values[name] = def.fixed?.[name] ?? args.params[name] as number;
      }
    };
    if (loop !== "vjp") {
      const y = def[loop](k, x, paramThunks);
      return (xs: Float32Array, out: Float32Array, args: KernelArgs) => {
        read(args);
        for (let i = 0; i < xs.length; i++) {
          input.x = xs[i]!;
          for (const s of k.body) s();
          out[i] = y();
        }
      };
    }
    const r = def.vjp(k, x, g, paramThunks);
    const outside = new JsClosures();
    const scale = def.gradScale?.(outside, paramThunks);
    return (
      xs: Float32Array,
      dy: Float32Array,
      dx: Float32Array,
      dparams: ParamGradients,
      args: KernelArgs,
    ) => {
      read(args);
      const sums = r.grads.map(() => 0);
      for (let i = 0; i < xs.length; i++) {
        input.x = xs[i]!;
        input.g = dy[i]!;
        for (const s of k.body) s();
        dx[i] = r.dx();
        for (let j = 0; j < sums.length; j++) sums[j]! += r.grads[j]!();
      }
      for (const s of outside.body) s();
      const factor = scale === undefined ? 1 : scale();
      def.grads.forEach((name, j) => {
        dparams[name]![0]! += sums[j]! * factor;
      });
    };
  };
  return {
    forward: build("forward") as OpKernel["forward"],
    derivative: build("derivative") as OpKernel["derivative"],
    secondDerivative: build("secondDerivative") as OpKernel["secondDerivative"],
    vjp: build("vjp") as OpKernel["vjp"],
  };
}
