/**
 * A third-party backend for the bench's tests: the contract implemented on
 * the catalog's float64 reference, loaded by module path like any backend
 * outside this repository. Slow, exact, and not a nonlin built-in.
 *
 * @module
 */

import {
  type BackendInfo,
  type OpName,
  opNames,
  ops,
  resolveParams,
  type Tensor,
  toFloat32,
} from "@nonlin/core";

type Scalar = (x: number, p: Record<string, number | string>) => number;

class FixtureTensor implements Tensor {
  readonly backend = "reference-fixture";
  readonly shape: readonly number[];
  readonly size: number;
  #data: Float32Array | undefined;

  constructor(data: Float32Array, shape: readonly number[] = [data.length]) {
    this.#data = data;
    this.shape = shape;
    this.size = data.length;
  }

  get disposed(): boolean {
    return this.#data === undefined;
  }

  get data(): Float32Array {
    if (this.#data === undefined) throw new TypeError("Tensor is disposed");
    return this.#data;
  }

  read(): Promise<Float32Array> {
    return Promise.resolve(this.data.slice());
  }

  dispose(): void {
    this.#data = undefined;
  }
}

/** Identity, availability and capabilities. */
export const backend: BackendInfo = {
  name: "reference-fixture",
  available: true,
  precision: "float32",
  capabilities: {
    unsupported: [],
    properties: { engine: "float64 reference, rounded" },
  },
};

/** Uploads host data. */
export function tensor(
  data: Float32Array | readonly number[],
  shape?: readonly number[],
): Tensor {
  return new FixtureTensor(toFloat32(data, "data").slice(), shape);
}

function params(op: OpName, options: unknown): Record<string, number | string> {
  return resolveParams(op, options) as Record<string, number | string>;
}

function map(x: Float32Array, f: (v: number) => number): Float32Array {
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = f(x[i]!);
  return out;
}

function elementwise(op: OpName, which: "f" | "dfdx" | "d2fdx2") {
  const g = ops[op][which] as Scalar;
  return (x: unknown, options?: unknown) => {
    const p = params(op, options);
    if (x instanceof FixtureTensor) {
      return new FixtureTensor(map(x.data, (v) => g(v, p)), x.shape);
    }
    return Promise.resolve(map(toFloat32(x, "x"), (v) => g(v, p)));
  };
}

function vjpOf(
  op: OpName,
  x: Float32Array,
  dy: Float32Array,
  options: unknown,
) {
  const p = params(op, options);
  const dfdx = ops[op].dfdx as Scalar;
  const dx = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) dx[i] = dy[i]! * dfdx(x[i]!, p);
  const dparams: Record<string, Float32Array> = {};
  for (
    const [name, d] of Object.entries(ops[op].dfdp as Record<string, Scalar>)
  ) {
    let s = 0;
    for (let i = 0; i < x.length; i++) s += dy[i]! * d(x[i]!, p);
    dparams[name] = new Float32Array([s]);
  }
  return { dx, dparams };
}

/** The vector–Jacobian product. */
export function vjp(
  op: OpName,
  x: unknown,
  options: { dy: unknown; params?: unknown },
): unknown {
  if (x instanceof FixtureTensor) {
    const r = vjpOf(
      op,
      x.data,
      (options.dy as FixtureTensor).data,
      options.params,
    );
    const dparams: Record<string, Tensor> = {};
    for (const [k, v] of Object.entries(r.dparams)) {
      dparams[k] = new FixtureTensor(v, []);
    }
    return { dx: new FixtureTensor(r.dx, x.shape), dparams };
  }
  return Promise.resolve(
    vjpOf(op, toFloat32(x, "x"), toFloat32(options.dy, "dy"), options.params),
  );
}

/** The elementwise first derivative. */
export function derivative(op: OpName, x: unknown, options?: unknown): unknown {
  return elementwise(op, "dfdx")(x, options);
}

/** The elementwise second derivative. */
export function secondDerivative(
  op: OpName,
  x: unknown,
  options?: unknown,
): unknown {
  return elementwise(op, "d2fdx2")(x, options);
}

const forward = Object.fromEntries(
  opNames.map((op) => [op, elementwise(op, "f")]),
);

export const {
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
} = forward;
