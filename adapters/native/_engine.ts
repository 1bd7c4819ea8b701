// The native engine behind mod.ts: validation, parameter resolution, output
// allocation, and dispatch to the active kernel set.

import {
  checkBroadcast,
  checkSameShape,
  describe,
  getOp,
  isTensor,
  type OpName,
  type OpSpec,
  type ResolvedOptions,
  resolveParams,
  toFloat32,
} from "@nonlin/core";
import type {
  AlphaBroadcast,
  KernelArgs,
  KernelSet,
  OpKernel,
} from "./_kernels.ts";
import { jsKernels } from "./_js_kernels.ts";
import { broadcastIndex } from "./_broadcast.ts";
import { NativeTensor, tensorData, wrapTensor } from "./native_tensor.ts";

let active: KernelSet = jsKernels;

/**
 * Selects the kernel set every op runs from now on.
 *
 * @returns The set that was active before, to restore it.
 */
export function useKernels(set: KernelSet): KernelSet {
  const before = active;
  active = set;
  return before;
}

/** The kernel set ops run on now. */
export function activeKernels(): KernelSet {
  return active;
}

/** Kernel arguments plus, for prelu, α's shape (the shape of dα). */
export interface Prepared {
  readonly spec: OpSpec;
  readonly kernel: OpKernel;
  readonly args: KernelArgs;
  readonly alphaShape?: readonly number[];
}

const INDEX_CACHE_SIZE = 8;
const indexCache = new Map<string, Int32Array | null>();

/** The α-to-x index map, cached by shapes (maps are read-only to kernels). */
function cachedIndex(
  from: readonly number[],
  to: readonly number[],
): Int32Array | null {
  const key = `${from.join(",")}|${to.join(",")}`;
  let index = indexCache.get(key);
  if (index === undefined) {
    index = broadcastIndex(from, to);
    if (indexCache.size >= INDEX_CACHE_SIZE) {
      indexCache.delete(indexCache.keys().next().value!);
    }
    indexCache.set(key, index);
  }
  return index;
}

function prepareAlpha(
  value: ResolvedOptions[string],
  xShape: readonly number[],
): { alpha: AlphaBroadcast; shape: readonly number[] } {
  let data: Float32Array | undefined;
  let shape: readonly number[];
  if (typeof value === "number") {
    return {
      alpha: { values: new Float64Array([value]), index: null },
      shape: [],
    };
  }
  if (value instanceof Float32Array) {
    data = value; // resolveParams checked every element
    shape = [value.length];
  } else {
    data = tensorData(value, "prelu alpha");
    shape = (value as NativeTensor).shape;
    for (let i = 0; i < data.length; i++) {
      const a = data[i]!;
      if (a !== a || a === Infinity || a === -Infinity) {
        throw new RangeError(
          `prelu alpha must hold finite numbers in (-∞, ∞): element ${i} is ${a}`,
        );
      }
    }
  }
  checkBroadcast(shape, xShape, "prelu alpha");
  return {
    alpha: {
      values: Float64Array.from(data),
      index: cachedIndex(shape, xShape),
    },
    shape,
  };
}

export function prepare(
  op: unknown,
  options: unknown,
  xShape: readonly number[],
): Prepared {
  const spec = getOp(op);
  const resolved = resolveParams(spec.name, options);
  const kernel = active.ops[spec.name as OpName];
  const params: Record<string, number | string> = {};
  let alpha: ReturnType<typeof prepareAlpha> | undefined;
  for (const [name, p] of Object.entries(spec.params)) {
    if (p.kind === "tensor") alpha = prepareAlpha(resolved[name]!, xShape);
    else params[name] = resolved[name] as number | string;
  }
  if (alpha === undefined) return { spec, kernel, args: { params } };
  return {
    spec,
    kernel,
    args: { params, alpha: alpha.alpha },
    alphaShape: alpha.shape,
  };
}

/** Runs `compute` and turns its result or its error into a promise. */
function settle<T>(compute: () => T): Promise<T> {
  try {
    return Promise.resolve(compute());
  } catch (error) {
    return Promise.reject(error);
  }
}

type Loop = "forward" | "derivative" | "secondDerivative";

/**
 * One elementwise pass: resident in, resident out (synchronously, errors
 * thrown); host in, a promise of a new Float32Array (errors as rejections).
 */
function elementwise(
  loop: Loop,
  op: unknown,
  x: unknown,
  options: unknown,
): NativeTensor | Promise<Float32Array> {
  if (isTensor(x)) {
    const data = tensorData(x, "x");
    const { kernel, args } = prepare(op, options, x.shape);
    const out = new Float32Array(data.length);
    kernel[loop](data, out, args);
    return wrapTensor(out, x.shape);
  }
  return settle(() => {
    getOp(op);
    const data = toFloat32(x, "x");
    const { kernel, args } = prepare(op, options, [data.length]);
    const out = new Float32Array(data.length);
    kernel[loop](data, out, args);
    return out;
  });
}

/** The function exported for one catalog op. */
export function opFunction(
  name: OpName,
): (x: unknown, options?: unknown) => unknown {
  const fn = (x: unknown, options?: unknown) =>
    elementwise("forward", name, x, options);
  Object.defineProperty(fn, "name", { value: name });
  return fn;
}

/** `derivative` and `secondDerivative`. */
export function derivativeFunction(
  loop: "derivative" | "secondDerivative",
): (op: unknown, x: unknown, options?: unknown) => unknown {
  return (op, x, options) => elementwise(loop, op, x, options);
}

function vjpOptions(options: unknown): { dy: unknown; params: unknown } {
  if (typeof options !== "object" || options === null || !("dy" in options)) {
    throw new TypeError(
      `vjp options must be an object { dy, params }: got ${describe(options)}`,
    );
  }
  const o = options as { dy: unknown; params?: unknown };
  return { dy: o.dy, params: o.params };
}

interface VjpResult<T> {
  dx: T;
  dparams: Record<string, T>;
}

function runVjp(
  op: unknown,
  x: Float32Array,
  xShape: readonly number[],
  dy: Float32Array,
  params: unknown,
): {
  dx: Float32Array;
  dparams: Record<string, { data: Float32Array; shape: readonly number[] }>;
} {
  const { spec, kernel, args, alphaShape } = prepare(op, params, xShape);
  const sums: Record<string, Float64Array> = {};
  for (const [name, p] of Object.entries(spec.params)) {
    if (!p.learned) continue;
    sums[name] = new Float64Array(
      p.kind === "tensor" ? args.alpha!.values.length : 1,
    );
  }
  const dx = new Float32Array(x.length);
  kernel.vjp(x, dy, dx, sums, args);
  const dparams: Record<
    string,
    { data: Float32Array; shape: readonly number[] }
  > = {};
  for (const [name, sum] of Object.entries(sums)) {
    const shape = spec.params[name]!.kind === "tensor" ? alphaShape! : [];
    dparams[name] = { data: Float32Array.from(sum), shape };
  }
  return { dx, dparams };
}

const MIXED = "x and dy must both be native tensors or both be host arrays";

/** The exported `vjp`. */
export function vjp(
  op: unknown,
  x: unknown,
  options: unknown,
): VjpResult<NativeTensor> | Promise<VjpResult<Float32Array>> {
  if (isTensor(x)) {
    const xs = tensorData(x, "x");
    getOp(op);
    const { dy, params } = vjpOptions(options);
    if (!isTensor(dy)) {
      throw new TypeError(`${MIXED}: x is a tensor, dy is ${describe(dy)}`);
    }
    const dys = tensorData(dy, "dy");
    checkSameShape(x.shape, dy.shape, "x and dy");
    const r = runVjp(op, xs, x.shape, dys, params);
    const dparams: Record<string, NativeTensor> = {};
    for (const [name, g] of Object.entries(r.dparams)) {
      dparams[name] = wrapTensor(g.data, g.shape);
    }
    return { dx: wrapTensor(r.dx, x.shape), dparams };
  }
  return settle(() => {
    getOp(op);
    const xs = toFloat32(x, "x");
    const { dy, params } = vjpOptions(options);
    if (isTensor(dy)) {
      throw new TypeError(`${MIXED}: dy is a tensor, x is host data`);
    }
    const dys = toFloat32(dy, "dy");
    checkSameShape([xs.length], [dys.length], "x and dy");
    const r = runVjp(op, xs, [xs.length], dys, params);
    const dparams: Record<string, Float32Array> = {};
    for (const [name, g] of Object.entries(r.dparams)) dparams[name] = g.data;
    return { dx: r.dx, dparams };
  });
}

/** The exported `tensor`. */
export function tensor(data: unknown, shape?: readonly number[]): NativeTensor {
  return new NativeTensor(data as Float32Array, shape);
}
