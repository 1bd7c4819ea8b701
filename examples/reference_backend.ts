/**
 * A complete nonlin backend written outside the library, the way a third
 * party would write one: every op, the VJP, both elementwise derivatives,
 * resident tensors and the Float32Array convenience form, checked against the
 * contract by the conformance suite:
 *
 * ```sh
 * deno task conformance --backend ./examples/reference_backend.ts
 * ```
 *
 * It computes each element with the float64 reference of the op catalog and
 * rounds the result once to float32, so it is slow but exact: every value is
 * the reference rounded to float32, and every parameter gradient is the
 * float64 sum rounded once. A backend for another engine (onnxruntime-web,
 * say) keeps this module's shape and replaces the arithmetic.
 *
 * @example
 * ```ts
 * import * as reference from "./reference_backend.ts";
 * import assert from "node:assert";
 *
 * assert.deepStrictEqual(await reference.relu([-1, 2]), new Float32Array([0, 2]));
 * const { dx } = await reference.vjp("relu", [0, 3], { dy: [5, 5] });
 * assert.deepStrictEqual(dx, new Float32Array([0, 5])); // relu'(0) = 0
 * ```
 *
 * @module
 */

import {
  type ArrayInput,
  type BackendInfo,
  checkAliasing,
  checkBroadcast,
  checkOut,
  checkSameShape,
  checkShape,
  checkVjpOut,
  type ElementwiseDerivative,
  getOp,
  isTensor,
  type OpFunction,
  type OpFunctions,
  type OpName,
  opNames,
  type OpSpec,
  outOption,
  refuseResidentOut,
  type ResolvedParams,
  resolveParams,
  type ScalarFn,
  type Tensor,
  toFloat32,
  type Vjp,
  withoutOut,
} from "@nonlin/core";

const NAME = "example-reference";

/** This backend's identity: always available, complete, float32 results. */
export const backend: BackendInfo = Object.freeze({
  name: NAME,
  available: true,
  precision: "float32",
  capabilities: Object.freeze({
    unsupported: Object.freeze([]),
    properties: Object.freeze({
      engine: "float64 catalog reference, rounded once to float32",
    }),
  }),
});

/** A tensor of this backend: a Float32Array kept in the JS heap. */
class ReferenceTensor implements Tensor {
  readonly backend = NAME;
  readonly shape: readonly number[];
  readonly size: number;
  #data: Float32Array | undefined;

  constructor(data: Float32Array, shape: readonly number[]) {
    this.#data = data;
    this.shape = shape;
    this.size = data.length;
  }

  get disposed(): boolean {
    return this.#data === undefined;
  }

  get data(): Float32Array {
    if (this.#data === undefined) {
      throw new TypeError(
        `Tensor was disposed: shape [${this.shape.join(", ")}] on ${NAME}`,
      );
    }
    return this.#data;
  }

  read(): Promise<Float32Array> {
    try {
      return Promise.resolve(this.data.slice());
    } catch (error) {
      return Promise.reject(error);
    }
  }

  dispose(): void {
    this.#data = undefined;
  }
}

/**
 * Uploads host data as a resident tensor (a copy).
 *
 * @param data The elements, row-major.
 * @param shape Defaults to `[data.length]`; `[]` makes a 0-d tensor.
 * @returns The tensor.
 */
export function tensor(data: ArrayInput, shape?: readonly number[]): Tensor {
  const values = toFloat32(data, "data").slice();
  return new ReferenceTensor(
    values,
    checkShape(shape ?? [values.length], values.length),
  );
}

/** Host data or one of our tensors, as data and shape. */
interface Operand {
  readonly data: Float32Array;
  readonly shape: readonly number[];
  readonly resident: boolean;
}

function operand(value: unknown, name: string): Operand {
  if (isTensor(value)) {
    if (!(value instanceof ReferenceTensor)) {
      throw new TypeError(
        `${name} must be a tensor of ${NAME}: got a tensor of ${value.backend}`,
      );
    }
    return { data: value.data, shape: value.shape, resident: true };
  }
  const data = toFloat32(value, name);
  return { data, shape: [data.length], resident: false };
}

/** The op's parameters, resolved per element of x (prelu's α is broadcast). */
function paramsPerElement(
  op: OpName,
  options: unknown,
  x: Operand,
): { at: (i: number) => ResolvedParams; alpha?: BroadcastParam } {
  const resolved = resolveParams(op, options);
  const scalars: Record<string, number | string> = {};
  let alpha: BroadcastParam | undefined;
  for (const [name, value] of Object.entries(resolved)) {
    if (typeof value === "number" || typeof value === "string") {
      scalars[name] = value;
    } else {
      alpha = broadcastParam(
        name,
        operand(value, `${op} ${name}`),
        x.shape,
        op,
      );
    }
  }
  if (alpha === undefined) return { at: () => scalars };
  const perElement = { ...scalars };
  const { name, data, index } = alpha;
  return {
    at: (i) => {
      perElement[name] = data[index[i]!]!;
      return perElement;
    },
    alpha,
  };
}

/** A tensor parameter and, for each element of x, the index it broadcasts from. */
interface BroadcastParam {
  readonly name: string;
  readonly data: Float32Array;
  readonly shape: readonly number[];
  /** `index[i]` is the parameter element that x's element `i` uses. */
  readonly index: Int32Array;
}

function broadcastParam(
  name: string,
  param: Operand,
  xShape: readonly number[],
  op: string,
): BroadcastParam {
  checkBroadcast(param.shape, xShape, `${op} ${name}`);
  const size = xShape.reduce((a, b) => a * b, 1);
  const index = new Int32Array(size);
  const offset = xShape.length - param.shape.length;
  for (let i = 0; i < size; i++) {
    let rest = i;
    let at = 0;
    let stride = 1;
    for (let d = xShape.length - 1; d >= offset; d--) {
      const coordinate = rest % xShape[d]!;
      rest = (rest - coordinate) / xShape[d]!;
      const extent = param.shape[d - offset]!;
      if (extent !== 1) at += coordinate * stride;
      stride *= extent;
    }
    index[i] = at;
  }
  return { name, data: param.data, shape: param.shape, index };
}

/** Applies a scalar reference function to every element, rounding once. */
function elementwise(
  fn: ScalarFn,
  x: Float32Array,
  at: (i: number) => ResolvedParams,
): Float32Array {
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = fn(x[i]!, at(i));
  return out;
}

/**
 * Returns a result in the caller's form: a tensor, or a promise of host data
 * (copied into the caller's `out` where given, already checked).
 */
function deliver(
  resident: boolean,
  compute: () => Float32Array,
  shape: readonly number[],
  out?: Float32Array,
): Tensor | Promise<Float32Array> {
  if (resident) return new ReferenceTensor(compute(), shape);
  try {
    const result = compute();
    if (out === undefined) return Promise.resolve(result);
    out.set(result);
    return Promise.resolve(out);
  } catch (error) {
    return Promise.reject(error);
  }
}

/**
 * The host form's `out` (checked: a Float32Array of x's length, exactly x
 * or sharing none of its bytes) and the parameters without it.
 */
function hostOut(
  input: Operand,
  options: unknown,
  what: string,
): { out?: Float32Array; params: unknown } {
  const given = outOption(options);
  if (input.resident) {
    refuseResidentOut(given, what);
    return { params: options };
  }
  if (given === undefined) return { params: options };
  const out = checkOut(given, input.data.length, "out");
  checkAliasing(out, input.data, "out and x", true);
  return { out, params: withoutOut(options) };
}

/**
 * Runs a call; bad input throws in the resident form and rejects in the
 * host form, as the contract's two forms promise.
 */
function settle<T>(x: unknown, call: () => T): T | Promise<never> {
  try {
    return call();
  } catch (error) {
    if (isTensor(x)) throw error;
    return Promise.reject(error);
  }
}

function opFunction<N extends OpName>(op: N): OpFunction<N> {
  const spec = getOp(op);
  const run = (
    x: unknown,
    options?: unknown,
  ): Tensor | Promise<Float32Array> =>
    settle(x, () => {
      const input = operand(x, "x");
      const { out, params } = hostOut(input, options, op);
      const { at } = paramsPerElement(op, params, input);
      return deliver(
        input.resident,
        () => elementwise(spec.f, input.data, at),
        input.shape,
        out,
      );
    });
  return run as OpFunction<N>;
}

function derivativeOf(pick: (spec: OpSpec) => ScalarFn): ElementwiseDerivative {
  const run = (op: unknown, x: unknown, options?: unknown) =>
    settle(x, () => {
      const spec = getOp(op);
      const input = operand(x, "x");
      const { out, params } = hostOut(input, options, spec.name);
      const { at } = paramsPerElement(spec.name as OpName, params, input);
      return deliver(
        input.resident,
        () => elementwise(pick(spec), input.data, at),
        input.shape,
        out,
      );
    });
  return run as ElementwiseDerivative;
}

/** The elementwise first derivative with respect to x, left-hand at kinks. */
export const derivative: ElementwiseDerivative = derivativeOf((spec) =>
  spec.dfdx
);

/** The elementwise second derivative with respect to x, left-hand at kinks. */
export const secondDerivative: ElementwiseDerivative = derivativeOf((spec) =>
  spec.d2fdx2
);

function vjpImpl(op: unknown, x: unknown, options: unknown) {
  const spec = getOp(op);
  if (typeof options !== "object" || options === null) {
    throw new TypeError(
      `Options of the ${spec.name} VJP must be an object holding dy`,
    );
  }
  const { dy, params, out } = options as {
    dy?: unknown;
    params?: unknown;
    out?: unknown;
  };
  const input = operand(x, "x");
  if (dy === undefined) {
    throw new TypeError(`dy of the ${spec.name} VJP is required`);
  }
  const upstream = operand(dy, "dy");
  if (upstream.resident !== input.resident) {
    throw new TypeError(
      `dy must be ${
        input.resident ? "a tensor" : "host data"
      } like x in the ${spec.name} VJP`,
    );
  }
  checkSameShape(input.shape, upstream.shape, "x and dy");
  const { at, alpha } = paramsPerElement(spec.name as OpName, params, input);
  // The host form's out arrays, all checked before anything is computed.
  if (input.resident) refuseResidentOut(out, "vjp");
  const given = checkVjpOut(spec.name, out);
  const outs: Record<string, Float32Array> = {};
  let dxOut: Float32Array | undefined;
  if (!input.resident && given.dx !== undefined) {
    dxOut = checkOut(given.dx, input.data.length, "out.dx");
    checkAliasing(dxOut, input.data, "out.dx and x", true);
    checkAliasing(dxOut, upstream.data, "out.dx and dy", true);
  }
  for (const [name, value] of Object.entries(given.dparams ?? {})) {
    const length = alpha?.name === name ? alpha.data.length : 1;
    const d = checkOut(value, length, `out.dparams.${name}`);
    for (
      const other of [input.data, upstream.data, dxOut, ...Object.values(outs)]
    ) {
      if (other !== undefined) {
        checkAliasing(d, other, `out.dparams.${name} and another array`, false);
      }
    }
    outs[name] = d;
  }
  const computeDx = () => {
    const out = new Float32Array(input.data.length);
    for (let i = 0; i < out.length; i++) {
      out[i] = upstream.data[i]! * spec.dfdx(input.data[i]!, at(i));
    }
    return out;
  };
  const dparams: Record<string, Tensor | Promise<Float32Array>> = {};
  for (const [name, dfdp] of Object.entries(spec.dfdp)) {
    const shape = alpha?.name === name ? alpha.shape : [];
    const computeSum = () => {
      // Summed in float64 and rounded once; sums[k] collects the elements
      // broadcast from parameter element k.
      const sums = new Float64Array(
        alpha?.name === name ? alpha.data.length : 1,
      );
      for (let i = 0; i < input.data.length; i++) {
        const term = upstream.data[i]! * dfdp(input.data[i]!, at(i));
        sums[alpha?.name === name ? alpha.index[i]! : 0]! += term;
      }
      return Float32Array.from(sums);
    };
    dparams[name] = deliver(input.resident, computeSum, shape, outs[name]);
  }
  const dx = deliver(input.resident, computeDx, input.shape, dxOut);
  if (input.resident) return { dx, dparams };
  return (async () => {
    const host: Record<string, Float32Array> = {};
    for (const [name, value] of Object.entries(dparams)) {
      host[name] = await value as Float32Array;
    }
    return { dx: await dx, dparams: host };
  })();
}

/** The vector–Jacobian product of any op. */
export const vjp: Vjp =
  ((op: unknown, x: unknown, options: unknown) =>
    settle(x, () => vjpImpl(op, x, options))) as Vjp;

const functions = Object.fromEntries(
  opNames.map((op) => [op, opFunction(op)]),
) as unknown as OpFunctions;

// BEGIN generated by `deno task generate` from the op catalog: do not edit.
/**
 * ReLU, max(x, 0), on the float64 reference.
 * Derivative: 1 if x > 0 else 0 (relu'(0) = 0).
 * The conventions and the float64 reference: `ops.relu` in `@nonlin/core`.
 */
export const relu: OpFunction<"relu"> = functions.relu;
/**
 * Leaky ReLU, x if x > 0 else αx, on the float64 reference.
 * Derivative: 1 if x > 0 else α (leakyRelu'(0) = α).
 * Parameter alpha = 0.01 (slope for x ≤ 0).
 * The conventions and the float64 reference: `ops.leakyRelu` in `@nonlin/core`.
 */
export const leakyRelu: OpFunction<"leakyRelu"> = functions.leakyRelu;
/**
 * pReLU, x if x > 0 else αx, α a learned tensor, on the float64 reference.
 * Derivative: 1 if x > 0 else α (prelu'(0) = α); ∂/∂α = min(x, 0).
 * Parameter alpha, required (slope for x ≤ 0, broadcastable to x).
 * The conventions and the float64 reference: `ops.prelu` in `@nonlin/core`.
 */
export const prelu: OpFunction<"prelu"> = functions.prelu;
/**
 * ReLU6, min(max(x, 0), 6), on the float64 reference.
 * Derivative: 1 if 0 < x ≤ 6 else 0 (relu6'(0) = 0, relu6'(6) = 1).
 * The conventions and the float64 reference: `ops.relu6` in `@nonlin/core`.
 */
export const relu6: OpFunction<"relu6"> = functions.relu6;
/**
 * ELU, x if x > 0 else α(eˣ − 1), on the float64 reference.
 * Derivative: 1 if x > 0 else αeˣ (elu'(0) = α).
 * Parameter alpha = 1 (value approached as x → −∞ is −α).
 * The conventions and the float64 reference: `ops.elu` in `@nonlin/core`.
 */
export const elu: OpFunction<"elu"> = functions.elu;
/**
 * SELU, λ·(x if x > 0 else α(eˣ − 1)), λ ≈ 1.0507, α ≈ 1.6733, on the float64 reference.
 * Derivative: λ if x > 0 else λαeˣ (selu'(0) = λα).
 * The conventions and the float64 reference: `ops.selu` in `@nonlin/core`.
 */
export const selu: OpFunction<"selu"> = functions.selu;
/**
 * CELU, max(0, x) + min(0, α(e^{x/α} − 1)), on the float64 reference.
 * Derivative: 1 if x > 0 else e^{x/α} (celu'(0) = 1).
 * Parameter alpha = 1 (scale of the negative part).
 * The conventions and the float64 reference: `ops.celu` in `@nonlin/core`.
 */
export const celu: OpFunction<"celu"> = functions.celu;
/**
 * Sigmoid, 1 / (1 + e⁻ˣ), on the float64 reference.
 * Derivative: σ(x)σ(−x) = σ(x)(1 − σ(x)).
 * The conventions and the float64 reference: `ops.sigmoid` in `@nonlin/core`.
 */
export const sigmoid: OpFunction<"sigmoid"> = functions.sigmoid;
/**
 * Log-sigmoid, log σ(x) = −softplus(−x), on the float64 reference.
 * Derivative: σ(−x).
 * The conventions and the float64 reference: `ops.logSigmoid` in `@nonlin/core`.
 */
export const logSigmoid: OpFunction<"logSigmoid"> = functions.logSigmoid;
/**
 * Hard sigmoid, relu6(x + 3) / 6, on the float64 reference.
 * Derivative: 1/6 if −3 < x ≤ 3 else 0.
 * The conventions and the float64 reference: `ops.hardSigmoid` in `@nonlin/core`.
 */
export const hardSigmoid: OpFunction<"hardSigmoid"> = functions.hardSigmoid;
/**
 * Tanh, (1 − e⁻²ˣ) / (1 + e⁻²ˣ), on the float64 reference.
 * Derivative: 1 − tanh²(x).
 * The conventions and the float64 reference: `ops.tanh` in `@nonlin/core`.
 */
export const tanh: OpFunction<"tanh"> = functions.tanh;
/**
 * Hard tanh, clamp(x, min, max), on the float64 reference.
 * Derivative: 1 if min < x ≤ max else 0.
 * Parameter min = -1 (lower bound).
 * Parameter max = 1 (upper bound).
 * The conventions and the float64 reference: `ops.hardTanh` in `@nonlin/core`.
 */
export const hardTanh: OpFunction<"hardTanh"> = functions.hardTanh;
/**
 * Softsign, x / (1 + |x|), on the float64 reference.
 * Derivative: 1 / (1 + |x|)².
 * The conventions and the float64 reference: `ops.softsign` in `@nonlin/core`.
 */
export const softsign: OpFunction<"softsign"> = functions.softsign;
/**
 * Softplus, (1/β)·log(1 + e^{βx}); x where βx > threshold, on the float64 reference.
 * Derivative: σ(βx); 1 where βx > threshold.
 * Parameter beta = 1 (sharpness; softplus → relu as β grows).
 * Parameter threshold = 20 (above this βx the function is taken as linear).
 * The conventions and the float64 reference: `ops.softplus` in `@nonlin/core`.
 */
export const softplus: OpFunction<"softplus"> = functions.softplus;
/**
 * GELU, xΦ(x); tanh form 0.5x(1 + tanh(√(2/π)(x + 0.044715x³))), on the float64 reference.
 * Derivative: Φ(x) + xφ(x).
 * Parameter approximate = "none" | "tanh" ("none" for xΦ(x), "tanh" for the tanh approximation).
 * The conventions and the float64 reference: `ops.gelu` in `@nonlin/core`.
 */
export const gelu: OpFunction<"gelu"> = functions.gelu;
/**
 * Swish, x·σ(βx), on the float64 reference.
 * Derivative: σ(βx) + βxσ(βx)σ(−βx).
 * Parameter beta = 1 (sharpness; swish → relu as β → ∞, x/2 at β = 0).
 * The conventions and the float64 reference: `ops.swish` in `@nonlin/core`.
 */
export const swish: OpFunction<"swish"> = functions.swish;
/**
 * SiLU, x·σ(x), on the float64 reference.
 * Derivative: σ(x) + xσ(x)σ(−x).
 * The conventions and the float64 reference: `ops.silu` in `@nonlin/core`.
 */
export const silu: OpFunction<"silu"> = functions.silu;
/**
 * Mish, x·tanh(softplus(x)), on the float64 reference.
 * Derivative: tanh(sp(x)) + x·sech²(sp(x))·σ(x).
 * The conventions and the float64 reference: `ops.mish` in `@nonlin/core`.
 */
export const mish: OpFunction<"mish"> = functions.mish;
/**
 * Hard swish, x·relu6(x + 3) / 6, on the float64 reference.
 * Derivative: 0 if x ≤ −3, (2x + 3)/6 if −3 < x ≤ 3, else 1.
 * The conventions and the float64 reference: `ops.hardSwish` in `@nonlin/core`.
 */
export const hardSwish: OpFunction<"hardSwish"> = functions.hardSwish;
/**
 * Hard shrink, x if |x| > λ else 0, on the float64 reference.
 * Derivative: 1 if x > λ or x ≤ −λ else 0 (hardshrink'(λ) = 0, hardshrink'(−λ) = 1).
 * Parameter lambda = 0.5 (half-width of the band set to 0).
 * The conventions and the float64 reference: `ops.hardshrink` in `@nonlin/core`.
 */
export const hardshrink: OpFunction<"hardshrink"> = functions.hardshrink;
/**
 * Soft shrink, x − λ if x > λ, x + λ if x < −λ, else 0, on the float64 reference.
 * Derivative: 1 if x > λ or x ≤ −λ else 0 (softshrink'(λ) = 0, softshrink'(−λ) = 1).
 * Parameter lambda = 0.5 (half-width of the band set to 0, and the shift outside it).
 * The conventions and the float64 reference: `ops.softshrink` in `@nonlin/core`.
 */
export const softshrink: OpFunction<"softshrink"> = functions.softshrink;
/**
 * Tanh shrink, x − tanh x, on the float64 reference.
 * Derivative: tanh²x.
 * The conventions and the float64 reference: `ops.tanhshrink` in `@nonlin/core`.
 */
export const tanhshrink: OpFunction<"tanhshrink"> = functions.tanhshrink;
/**
 * Threshold, x if x > threshold else value, on the float64 reference.
 * Derivative: 1 if x > threshold else 0 (threshold'(threshold) = 0).
 * Parameter threshold, required (x above it passes).
 * Parameter value, required (what replaces x at or below the threshold).
 * The conventions and the float64 reference: `ops.threshold` in `@nonlin/core`.
 */
export const threshold: OpFunction<"threshold"> = functions.threshold;
/**
 * Squareplus, (x + √(x² + b)) / 2, on the float64 reference.
 * Derivative: (1 + x/√(x² + b)) / 2 (with b = 0, squareplus'(0) = 0).
 * Parameter b = 4 (curvature at 0: squareplus(0) = √b/2; b = 0 is relu).
 * The conventions and the float64 reference: `ops.squareplus` in `@nonlin/core`.
 */
export const squareplus: OpFunction<"squareplus"> = functions.squareplus;
// END generated
