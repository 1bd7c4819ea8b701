/**
 * A small reverse-mode autodiff over the native engine: write a composition
 * with {@linkcode Variable} methods (`x.mul(x.sigmoid())`, any catalog op
 * through `x.op("gelu")`) and differentiate it with {@linkcode grad} or
 * {@linkcode valueAndGrad}, as the book does with `y.backward()`,
 * `tf.GradientTape` or `jax.grad`.
 *
 * The output need not be a scalar: its gradient is seeded with ones, so the
 * gradient is that of the sum of the output, which for an elementwise
 * composition is its elementwise derivative (PyTorch's
 * `y.backward(torch.ones_like(y))`). Multiply the output by an array first
 * for another upstream gradient.
 *
 * Precision, chosen deliberately: values and gradients between operations
 * are float64. The inputs are float32 data (or float64 numbers, for
 * parameters like β) and every result is rounded to float32 once, at the end,
 * the same "round once" rule as the fused kernels. A composition then loses
 * accuracy only where its formula is ill-conditioned (1 + erf(x/√2) for
 * x ≪ 0), never because float32 rounding happened between its steps, so the
 * tape both gives users float32-exact gradients of well-conditioned
 * compositions and serves the tests as an independent check of each fused
 * VJP at a few ULP. The arithmetic's backward formulas are the stable ones
 * (σ' = σ(x)σ(−x), tanh' = sech² without 1 − tanh²). Catalog ops in a
 * composition (`x.op(...)`) run the engine's float32 kernels and fused VJPs:
 * their input and upstream gradient are rounded to float32 there, exactly as
 * the contract's functions see them.
 *
 * Not supported: nesting (`grad` inside the function given to `grad`), and
 * so higher derivatives through the tape; use `secondDerivative` for those.
 *
 * @example
 * ```ts
 * import { grad, valueAndGrad } from "@nonlin/native";
 * import assert from "node:assert";
 *
 * // d/dx of x·σ(x) (SiLU) at 0 is σ(0) = 0.5.
 * const dsilu = grad((x) => x.mul(x.sigmoid()));
 * assert.deepStrictEqual(dsilu([0]), new Float32Array([0.5]));
 *
 * // Several inputs: d/dβ of Σ x·σ(βx) at β = 0 is Σ x²/4.
 * const both = valueAndGrad((x, b) => x.mul(x.mul(b).sigmoid()), { argnums: [0, 1] });
 * const { value, grad: [dx, db] } = both([1, 2], 0);
 * assert.deepStrictEqual(value, new Float32Array([0.5, 1]));
 * assert.deepStrictEqual(dx, new Float32Array([0.5, 0.5]));
 * assert.strictEqual(db, 1.25);
 * ```
 *
 * @module
 */

import {
  type ArrayInput,
  describe,
  erf as erf64,
  isTensor,
  type LearnedParamName,
  type OpName,
  type ParamsOf,
  type Tensor,
  toFloat32,
} from "@nonlin/core";
import { broadcastIndex, broadcastShapes } from "./_broadcast.ts";
import { prepare } from "./_engine.ts";
import { tensorData, wrapTensor } from "./native_tensor.ts";

/** Data the autodiff takes: a native tensor, host data, or a number (0-d). */
export type AutodiffInput = Tensor | ArrayInput | number;

/** An operand of a {@linkcode Variable} method: a variable or a constant. */
export type Operand = Variable | AutodiffInput;

/**
 * The parameters of a catalog op inside a composition: as in the contract,
 * except that a learned parameter may be a {@linkcode Variable}, so gradients
 * flow to it (a one-element variable for a real parameter; for prelu's α, a
 * variable whose shape broadcasts to x).
 */
export type VariableParams<N extends OpName> = WithVariables<
  ParamsOf<N>,
  LearnedParamName<N>
>;
/** `P` with the fields named in `L` also accepting a {@linkcode Variable}. */
export type WithVariables<P, L> = {
  readonly [K in keyof P]: K extends L ? P[K] | Variable : P[K];
};

/** One recorded operation: its output, and how to send the output's gradient to its inputs. */
interface Step {
  readonly out: Variable;
  readonly backward: (g: Float64Array) => void;
}

class Tape {
  readonly steps: Step[] = [];
  open = true;
}

let current: Tape | undefined;

const TWO_OVER_SQRT_PI = 1.1283791670955126;

// Accessors to Variable's private state for this module, set by its static block.
let makeVariable: (
  tape: Tape,
  value: Float64Array,
  shape: readonly number[],
) => Variable;
let valueOf: (v: Variable) => Float64Array;
let gradOf: (v: Variable) => Float64Array | undefined;
let seedGrad: (v: Variable, g: Float64Array) => void;
let tapeOf: (v: Variable) => Tape;

/**
 * A value on the tape of one {@linkcode grad} call: float64 data with a
 * shape. Its methods record an operation and return a new variable. Binary
 * operations broadcast by NumPy's rules and take a variable, a number, host
 * data or a native tensor.
 *
 * @example
 * ```ts
 * import { grad } from "@nonlin/native";
 * import assert from "node:assert";
 *
 * // gelu as 0.5x(1 + erf(x/√2)); its derivative at 0 is 0.5.
 * const dgelu = grad((x) => x.mul(0.5).mul(x.mul(Math.SQRT1_2).erf().add(1)));
 * assert.strictEqual(dgelu([0])[0], 0.5);
 * ```
 */
export class Variable {
  #tape: Tape;
  #value: Float64Array;
  #grad: Float64Array | undefined;
  /** The shape; `[]` for a scalar. */
  readonly shape: readonly number[];

  private constructor(
    tape: Tape,
    value: Float64Array,
    shape: readonly number[],
  ) {
    this.#tape = tape;
    this.#value = value;
    this.shape = shape;
  }

  static {
    makeVariable = (tape, value, shape) => new Variable(tape, value, shape);
    valueOf = (v) => v.#live().#value;
    gradOf = (v) => v.#grad;
    seedGrad = (v, g) => {
      v.#grad = g;
    };
    tapeOf = (v) => v.#tape;
  }

  /** The number of elements. */
  get size(): number {
    return this.#value.length;
  }

  /** The value, rounded to float32 (a copy). */
  toFloat32(): Float32Array {
    return Float32Array.from(this.#live().#value);
  }

  #live(): this {
    if (!this.#tape.open) {
      throw new TypeError(
        "Cannot use a variable after its grad() call has returned: variables live only inside the function given to grad()",
      );
    }
    return this;
  }

  /** Adds `g` into this variable's gradient (created on first use). */
  #accumulate(): Float64Array {
    return this.#grad ??= new Float64Array(this.#value.length);
  }

  #unary(
    forward: (x: number) => number,
    slope: (x: number, y: number) => number,
  ): Variable {
    const x = this.#live().#value;
    const y = new Float64Array(x.length);
    for (let i = 0; i < x.length; i++) y[i] = forward(x[i]!);
    const out = new Variable(this.#tape, y, this.shape);
    this.#tape.steps.push({
      out,
      backward: (g) => {
        const gx = this.#accumulate();
        for (let i = 0; i < x.length; i++) {
          gx[i]! += g[i]! * slope(x[i]!, y[i]!);
        }
      },
    });
    return out;
  }

  #binary(
    other: Operand,
    forward: (a: number, b: number) => number,
    da: (a: number, b: number, g: number) => number,
    db: (a: number, b: number, g: number) => number,
  ): Variable {
    const tape = this.#live().#tape;
    const b = operand(other, tape);
    const av = this.#value;
    const bv = b.#live().#value;
    const shape = broadcastShapes(this.shape, b.shape);
    const n = shape.reduce((p, d) => p * d, 1);
    const ia = broadcastIndex(this.shape, shape);
    const ib = broadcastIndex(b.shape, shape);
    const sa = av.length === 1 && n !== 1;
    const sb = bv.length === 1 && n !== 1;
    const at = (k: number) => (ia !== null ? ia[k]! : sa ? 0 : k);
    const bt = (k: number) => (ib !== null ? ib[k]! : sb ? 0 : k);
    const y = new Float64Array(n);
    for (let k = 0; k < n; k++) y[k] = forward(av[at(k)]!, bv[bt(k)]!);
    const out = new Variable(tape, y, shape);
    tape.steps.push({
      out,
      backward: (g) => {
        const ga = this.#accumulate();
        const gb = b.#accumulate();
        for (let k = 0; k < n; k++) {
          const i = at(k);
          const j = bt(k);
          ga[i]! += da(av[i]!, bv[j]!, g[k]!);
          gb[j]! += db(av[i]!, bv[j]!, g[k]!);
        }
      },
    });
    return out;
  }

  /** this + other. */
  add(other: Operand): Variable {
    return this.#binary(
      other,
      (a, b) => a + b,
      (_a, _b, g) => g,
      (_a, _b, g) => g,
    );
  }

  /** this − other. */
  sub(other: Operand): Variable {
    return this.#binary(
      other,
      (a, b) => a - b,
      (_a, _b, g) => g,
      (_a, _b, g) => -g,
    );
  }

  /** this · other. */
  mul(other: Operand): Variable {
    return this.#binary(
      other,
      (a, b) => a * b,
      (_a, b, g) => g * b,
      (a, _b, g) => g * a,
    );
  }

  /** this / other. */
  div(other: Operand): Variable {
    return this.#binary(
      other,
      (a, b) => a / b,
      (_a, b, g) => g / b,
      (a, b, g) => -(g * (a / b)) / b,
    );
  }

  /** −this. */
  neg(): Variable {
    return this.#unary((x) => -x, () => -1);
  }

  /** eˣ. */
  exp(): Variable {
    return this.#unary(Math.exp, (_x, y) => y);
  }

  /** log x (natural). */
  log(): Variable {
    return this.#unary(Math.log, (x) => 1 / x);
  }

  /** log(1 + x). */
  log1p(): Variable {
    return this.#unary(Math.log1p, (x) => 1 / (1 + x));
  }

  /** eˣ − 1; its derivative eˣ is taken directly, not as (eˣ − 1) + 1. */
  expm1(): Variable {
    return this.#unary(Math.expm1, (x) => Math.exp(x));
  }

  /** tanh x; derivative sech²x = 4e/(1 + e)², e = e^−2|x|. */
  tanh(): Variable {
    return this.#unary(Math.tanh, (x) => {
      const e = Math.exp(-2 * Math.abs(x));
      return (4 * e) / ((1 + e) * (1 + e));
    });
  }

  /** σ(x) = 1/(1 + e⁻ˣ), float64; derivative σ(x)σ(−x) without cancellation. */
  sigmoid(): Variable {
    return this.#unary(
      (
        x,
      ) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x))),
      (x) => {
        const e = Math.exp(-Math.abs(x));
        return e / ((1 + e) * (1 + e));
      },
    );
  }

  /** erf x (the `@nonlin/core` float64 erf); derivative (2/√π)e^−x². */
  erf(): Variable {
    return this.#unary(erf64, (x) => TWO_OVER_SQRT_PI * Math.exp(-x * x));
  }

  /** √x. */
  sqrt(): Variable {
    return this.#unary(Math.sqrt, (_x, y) => 0.5 / y);
  }

  /** x². */
  square(): Variable {
    return this.#unary((x) => x * x, (x) => 2 * x);
  }

  /** |x|; its derivative is sign(x), 0 at 0 (PyTorch's choice). */
  abs(): Variable {
    return this.#unary(
      Math.abs,
      (x) => (x > 0 ? 1 : x < 0 ? -1 : x === x ? 0 : x),
    );
  }

  /**
   * A catalog op, run by the engine's float32 kernel; its backward pass is
   * the op's fused VJP, which also sends gradients to learned parameters
   * given as variables.
   *
   * @param name The catalog op.
   * @param params Its parameters; learned ones may be variables.
   */
  op<N extends OpName>(name: N, params?: VariableParams<N>): Variable {
    const tape = this.#live().#tape;
    const given: Record<string, unknown> = { ...params };
    const learned: [string, Variable][] = [];
    for (const [key, value] of Object.entries(given)) {
      if (!(value instanceof Variable)) continue;
      const v = value.#live();
      if (v.#tape !== tape) throw new TypeError(FOREIGN);
      learned.push([key, v]);
      // A real parameter is one number (kept in float64, like any number
      // parameter); a tensor parameter (prelu α) becomes a float32 tensor.
      given[key] = v.shape.length === 0 || name !== "prelu"
        ? scalarOf(v, `${name} ${key}`)
        : wrapTensor(Float32Array.from(v.#value), v.shape);
    }
    const x = Float32Array.from(this.#value);
    const { kernel, args, spec } = prepare(name, given, this.shape);
    const y = new Float32Array(x.length);
    kernel.forward(x, y, args);
    const out = new Variable(tape, Float64Array.from(y), this.shape);
    tape.steps.push({
      out,
      backward: (g) => {
        const sums: Record<string, Float64Array> = {};
        for (const [key, p] of Object.entries(spec.params)) {
          if (p.learned) {
            sums[key] = new Float64Array(
              p.kind === "tensor" ? args.alpha!.values.length : 1,
            );
          }
        }
        const dx = new Float32Array(x.length);
        kernel.vjp(x, Float32Array.from(g), dx, sums, args);
        const gx = this.#accumulate();
        for (let i = 0; i < dx.length; i++) gx[i]! += dx[i]!;
        for (const [key, v] of learned) {
          const gv = v.#accumulate();
          const sum = sums[key]!;
          for (let i = 0; i < gv.length; i++) gv[i]! += sum[i]!;
        }
      },
    });
    return out;
  }
}

const FOREIGN =
  "Cannot mix variables of different grad() calls: nested grad() is not supported";

function scalarOf(v: Variable, what: string): number {
  if (v.size !== 1) {
    throw new RangeError(
      `${what} must be a one-element variable: got shape [${
        v.shape.join(", ")
      }]`,
    );
  }
  return valueOf(v)[0]!;
}

/** Input data as float64 values and a shape; numbers stay float64. */
function load(
  data: unknown,
  what: string,
): { value: Float64Array; shape: readonly number[] } {
  if (typeof data === "number") {
    return { value: new Float64Array([data]), shape: [] };
  }
  if (isTensor(data)) {
    return {
      value: Float64Array.from(tensorData(data, what)),
      shape: data.shape,
    };
  }
  const f32 = toFloat32(data, what);
  return { value: Float64Array.from(f32), shape: [f32.length] };
}

/** A variable of `tape`, or a constant put on it. */
function operand(value: Operand, tape: Tape): Variable {
  if (value instanceof Variable) {
    valueOf(value); // throws for a variable of a finished call
    if (tapeOf(value) !== tape) throw new TypeError(FOREIGN);
    return value;
  }
  const { value: data, shape } = load(value, "Operand");
  return makeVariable(tape, data, shape);
}

/** A function of variables, as {@linkcode grad} differentiates it. */
export type VariableFunction = (...xs: Variable[]) => Variable;

/** What a gradient comes back as, given its argument: tensor, number or Float32Array. */
export type GradOf<A> = A extends Tensor ? Tensor
  : A extends number ? number
  : Float32Array;

/** What the value comes back as: a tensor when any argument is a tensor. */
export type ValueOf<A extends readonly unknown[]> =
  [Extract<A[number], Tensor>] extends [never] ? Float32Array
    : Tensor;

/** Options of {@linkcode grad} and {@linkcode valueAndGrad}. */
export interface GradOptions<I extends number | readonly number[]> {
  /**
   * The argument, or arguments, to differentiate with respect to; an array
   * gives an array of gradients in its order.
   *
   * @default 0
   */
  readonly argnums?: I;
}

/** The gradients for arguments `A` and argnums `I`. */
export type Grads<A extends readonly unknown[], I> = I extends readonly number[]
  ? { -readonly [K in keyof I]: GradOf<A[I[K] & number]> }
  : I extends number ? GradOf<A[I]>
  : never;

/** The function {@linkcode grad} returns. */
export type GradFunction<I> = <const A extends readonly AutodiffInput[]>(
  ...args: A
) => Grads<A, I>;

/** The function {@linkcode valueAndGrad} returns. */
export type ValueAndGradFunction<I> = <
  const A extends readonly AutodiffInput[],
>(
  ...args: A
) => { value: ValueOf<A>; grad: Grads<A, I> };

/** Records `f` on a fresh tape, runs it backwards, rounds the results to float32. */
function run(
  f: VariableFunction,
  args: readonly unknown[],
  argnums: number | readonly number[],
): { value: unknown; grad: unknown } {
  if (current !== undefined) throw new TypeError(FOREIGN);
  const nums = typeof argnums === "number" ? [argnums] : argnums;
  for (const i of nums) {
    if (!Number.isInteger(i) || i < 0 || i >= args.length) {
      throw new RangeError(
        `argnums must name arguments 0 to ${args.length - 1}: got ${i}`,
      );
    }
  }
  const tape = new Tape();
  const inputs = args.map((a, i) => {
    const { value, shape } = load(a, `Argument ${i}`);
    return makeVariable(tape, value, shape);
  });
  current = tape;
  try {
    const out: unknown = f(...inputs);
    if (!(out instanceof Variable)) {
      throw new TypeError(
        `The function given to grad() must return a variable: got ${
          describe(out)
        }`,
      );
    }
    if (tapeOf(out) !== tape) throw new TypeError(FOREIGN);
    const y = valueOf(out);
    // Seed with ones: the gradient of the sum of the output.
    seedGrad(out, new Float64Array(y.length).fill(1));
    for (let k = tape.steps.length - 1; k >= 0; k--) {
      const { out: o, backward } = tape.steps[k]!;
      const g = gradOf(o);
      if (g !== undefined) backward(g);
    }
    const resident = args.some(isTensor);
    const value = resident
      ? wrapTensor(Float32Array.from(y), out.shape)
      : Float32Array.from(y);
    const grads = nums.map((i) => {
      const v = inputs[i]!;
      const g = gradOf(v) ?? new Float64Array(v.size);
      const arg = args[i];
      if (typeof arg === "number") return Math.fround(g[0]!);
      const f32 = Float32Array.from(g);
      return isTensor(arg) ? wrapTensor(f32, v.shape) : f32;
    });
    return { value, grad: typeof argnums === "number" ? grads[0] : grads };
  } finally {
    current = undefined;
    tape.open = false;
  }
}

function checkFunction(f: unknown): void {
  if (typeof f !== "function") {
    throw new TypeError(
      `grad() takes a function of variables: got ${describe(f)}`,
    );
  }
}

/**
 * Differentiates a composition: `grad(f)(x)` is the gradient of the sum of
 * `f(x)` with respect to `x` (for an elementwise `f`, its elementwise
 * derivative), `grad(f, { argnums: [0, 1] })(x, b)` the gradients with
 * respect to both arguments. Arguments are native tensors (their gradients
 * come back as tensors), host data (Float32Array gradients) or numbers
 * (number gradients, rounded to float32).
 *
 * @param f The composition, written with {@linkcode Variable} methods.
 * @param options Which arguments to differentiate.
 * @returns A function of the arguments returning the gradient(s).
 * @throws {TypeError} From the returned function: `f` returns something
 * other than a variable, an argument is not numeric data, a nested `grad`.
 * @throws {RangeError} From the returned function: an `argnums` entry that
 * names no argument, operands whose shapes do not broadcast.
 *
 * @example
 * ```ts
 * import { grad, tensor } from "@nonlin/native";
 * import assert from "node:assert";
 *
 * // tanh' = 1 − tanh²: 1 at 0; a tensor in gives a tensor out.
 * const dtanh = grad((x) => x.tanh());
 * const g = dtanh(tensor([0, 0]));
 * assert.deepStrictEqual(await g.read(), new Float32Array([1, 1]));
 * ```
 */
export function grad(f: VariableFunction): GradFunction<0>;
/**
 * {@linkcode grad} with respect to the argument(s) that `options.argnums`
 * names: one index gives one gradient, an array gives an array of them.
 *
 * @param f The composition, written with {@linkcode Variable} methods.
 * @param options Which arguments to differentiate.
 * @returns A function of the arguments returning the gradient(s).
 */
export function grad<const I extends number | readonly number[]>(
  f: VariableFunction,
  options: GradOptions<I>,
): GradFunction<I>;
export function grad(
  f: VariableFunction,
  options?: GradOptions<number | readonly number[]>,
): GradFunction<number | readonly number[]> {
  checkFunction(f);
  const argnums = options?.argnums ?? 0;
  return ((...args: unknown[]) => run(f, args, argnums).grad) as never;
}

/**
 * Like {@linkcode grad}, and also returns the value of `f` (rounded to
 * float32; a tensor when any argument is a tensor), from the same pass.
 *
 * @param f The composition, written with {@linkcode Variable} methods.
 * @param options Which arguments to differentiate.
 * @returns A function of the arguments returning `{ value, grad }`.
 *
 * @example
 * ```ts
 * import { valueAndGrad } from "@nonlin/native";
 * import assert from "node:assert";
 *
 * const f = valueAndGrad((x) => x.square().mul(3));
 * const { value, grad } = f([2]);
 * assert.deepStrictEqual(value, new Float32Array([12]));
 * assert.deepStrictEqual(grad, new Float32Array([12]));
 * ```
 */
export function valueAndGrad(f: VariableFunction): ValueAndGradFunction<0>;
/**
 * {@linkcode valueAndGrad} with respect to the argument(s) that
 * `options.argnums` names.
 *
 * @param f The composition, written with {@linkcode Variable} methods.
 * @param options Which arguments to differentiate.
 * @returns A function of the arguments returning `{ value, grad }`.
 */
export function valueAndGrad<const I extends number | readonly number[]>(
  f: VariableFunction,
  options: GradOptions<I>,
): ValueAndGradFunction<I>;
export function valueAndGrad(
  f: VariableFunction,
  options?: GradOptions<number | readonly number[]>,
): ValueAndGradFunction<number | readonly number[]> {
  checkFunction(f);
  const argnums = options?.argnums ?? 0;
  return ((...args: unknown[]) => run(f, args, argnums)) as never;
}
