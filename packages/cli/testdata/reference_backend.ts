/**
 * A test backend that implements the nonlin contract by evaluating the
 * catalog's float64 reference and rounding once to float32. The CLI tests
 * load it by module path (`--backend ./packages/cli/testdata/reference_backend.ts`),
 * which is how a user tries out a backend that is not built in.
 *
 * @module
 */

import {
  type ArrayInput,
  type BackendInfo,
  type BackendModule,
  checkBroadcast,
  checkSameShape,
  checkShape,
  getOp,
  isTensor,
  type OpName,
  opNames,
  type ParamSpec,
  resolveParams,
  type Tensor,
  toFloat32,
} from "@nonlin/core";

const NAME = "reference";

class ReferenceTensor implements Tensor {
  readonly backend = NAME;
  readonly shape: readonly number[];
  readonly size: number;
  #data: Float32Array | undefined;

  constructor(data: Float32Array, shape: readonly number[]) {
    this.shape = checkShape(shape, data.length);
    this.size = data.length;
    this.#data = data;
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

interface Host {
  readonly data: Float32Array;
  readonly shape: readonly number[];
}

function host(value: unknown, what: string): Host {
  if (isTensor(value)) {
    if (!(value instanceof ReferenceTensor)) {
      throw new TypeError(
        `${what} belongs to backend ${value.backend}, not ${NAME}`,
      );
    }
    return { data: value.data, shape: value.shape };
  }
  const data = toFloat32(value, what);
  return { data, shape: [data.length] };
}

/** Where element `i` of x reads a parameter of shape `pShape` broadcast to `xShape`. */
function broadcastIndex(
  i: number,
  xShape: readonly number[],
  pShape: readonly number[],
): number {
  let index = 0;
  let stride = 1;
  let rest = i;
  const offset = xShape.length - pShape.length;
  for (let d = xShape.length - 1; d >= 0; d--) {
    const coordinate = rest % xShape[d]!;
    rest = Math.floor(rest / xShape[d]!);
    if (d >= offset) {
      const p = pShape[d - offset]!;
      if (p !== 1) index += coordinate * stride;
      stride *= p;
    }
  }
  return index;
}

/** The op's parameters resolved, with tensor parameters as host data. */
function prepare(op: OpName, options: unknown, x: Host) {
  const spec = getOp(op);
  const resolved = resolveParams(op, options);
  const scalars: Record<string, number | string> = {};
  const tensors: Record<string, Host> = {};
  for (const [name, value] of Object.entries(resolved)) {
    if (typeof value === "number" || typeof value === "string") {
      if ((spec.params[name] as ParamSpec).kind === "tensor") {
        tensors[name] = {
          data: new Float32Array([value as number]),
          shape: [],
        };
      } else {
        scalars[name] = value;
      }
    } else {
      const t = host(value, `${op} ${name}`);
      checkBroadcast(t.shape, x.shape, `${op} ${name}`);
      tensors[name] = t;
    }
  }
  const at = (i: number): Record<string, number | string> => {
    const p = { ...scalars };
    for (const [name, t] of Object.entries(tensors)) {
      p[name] = t.data[broadcastIndex(i, x.shape, t.shape)]!;
    }
    return p;
  };
  return { spec, tensors, at };
}

function forward(op: OpName, x: Host, options: unknown): Float32Array {
  const { spec, at } = prepare(op, options, x);
  return x.data.map((v, i) => spec.f(v, at(i)));
}

function gradients(op: OpName, x: Host, dy: Host, options: unknown) {
  checkSameShape(x.shape, dy.shape, "x and dy");
  const { spec, tensors, at } = prepare(op, options, x);
  const dx = new Float32Array(x.data.length);
  const dparams: Record<string, Host> = {};
  for (const [name, param] of Object.entries(spec.params)) {
    if (!param.learned) continue;
    const t = tensors[name];
    const sums = new Float64Array(t === undefined ? 1 : t.data.length);
    for (let i = 0; i < x.data.length; i++) {
      const j = t === undefined ? 0 : broadcastIndex(i, x.shape, t.shape);
      sums[j]! += dy.data[i]! * spec.dfdp[name]!(x.data[i]!, at(i));
    }
    dparams[name] = { data: Float32Array.from(sums), shape: t?.shape ?? [] };
  }
  for (let i = 0; i < x.data.length; i++) {
    dx[i] = dy.data[i]! * spec.dfdx(x.data[i]!, at(i));
  }
  return { dx: { data: dx, shape: x.shape }, dparams };
}

function secondDerivativeOf(
  op: OpName,
  x: Host,
  options: unknown,
): Float32Array {
  const { spec, at } = prepare(op, options, x);
  return x.data.map((v, i) => spec.d2fdx2(v, at(i)));
}

/** Runs `compute` on host data or on a resident tensor, as the contract's two forms do. */
function bothForms(
  x: unknown,
  compute: (x: Host) => Float32Array,
): Tensor | Promise<Float32Array> {
  if (isTensor(x)) {
    const h = host(x, "x");
    return new ReferenceTensor(compute(h), h.shape);
  }
  try {
    return Promise.resolve(compute(host(x, "x")));
  } catch (error) {
    return Promise.reject(error);
  }
}

function opFunction(op: OpName) {
  return (x: unknown, options?: unknown) =>
    bothForms(x, (h) => forward(op, h, options));
}

const ops = Object.fromEntries(
  opNames.map((op) => [op, opFunction(op)]),
) as unknown as Omit<
  BackendModule,
  "backend" | "tensor" | "vjp" | "derivative" | "secondDerivative"
>;

/** The backend's identity. */
export const backend: BackendInfo = {
  name: NAME,
  available: true,
  precision: "float32",
  capabilities: {
    unsupported: [],
    properties: {
      engine: "float64 reference rounded to float32",
      fixture: true,
    },
  },
};

/** Uploads host data. */
export const tensor: BackendModule["tensor"] = (
  data: ArrayInput,
  shape?: readonly number[],
): Tensor => {
  const d = toFloat32(data, "data");
  return new ReferenceTensor(d.slice(), shape ?? [d.length]);
};

/** The vector–Jacobian product. */
export const vjp =
  ((op: OpName, x: unknown, options: { dy: unknown; params?: unknown }) => {
    getOp(op);
    if (isTensor(x)) {
      const g = gradients(
        op,
        host(x, "x"),
        host(options.dy, "dy"),
        options.params,
      );
      return {
        dx: new ReferenceTensor(g.dx.data, g.dx.shape),
        dparams: Object.fromEntries(
          Object.entries(g.dparams).map((
            [k, v],
          ) => [k, new ReferenceTensor(v.data, v.shape)]),
        ),
      };
    }
    try {
      const g = gradients(
        op,
        host(x, "x"),
        host(options?.dy, "dy"),
        options?.params,
      );
      return Promise.resolve({
        dx: g.dx.data,
        dparams: Object.fromEntries(
          Object.entries(g.dparams).map(([k, v]) => [k, v.data]),
        ),
      });
    } catch (error) {
      return Promise.reject(error);
    }
  }) as unknown as BackendModule["vjp"];

/** The elementwise first derivative. */
export const derivative =
  ((op: OpName, x: unknown, options?: unknown) =>
    bothForms(x, (h) => {
      const ones = {
        data: new Float32Array(h.data.length).fill(1),
        shape: h.shape,
      };
      return gradients(op, h, ones, options).dx.data;
    })) as unknown as BackendModule["derivative"];

/** The elementwise second derivative. */
export const secondDerivative =
  ((op: OpName, x: unknown, options?: unknown) =>
    bothForms(
      x,
      (h) => secondDerivativeOf(op, h, options),
    )) as unknown as BackendModule[
      "secondDerivative"
    ];

// An ES module's export names are static, so a backend module names its ops
// here; the BackendModule check in the tests proves the list complete.
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
} = ops;
