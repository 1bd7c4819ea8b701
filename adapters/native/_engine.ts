// The native engine behind mod.ts (and js.ts): validation, parameter
// resolution, output allocation, and dispatch to a kernel set. An engine is
// bound to a backend name and a kernel set; mod.ts's engine follows the
// active set (`useKernels`), js.ts's always runs the JavaScript loops.

import {
  checkBroadcast,
  checkSameShape,
  checkShape,
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
  Storage,
} from "./_kernels.ts";
import { jsKernels } from "./_js_kernels.ts";
import { broadcastIndex } from "./_broadcast.ts";
import {
  BACKEND_NAME,
  type NativeTensor,
  setDefaultStorage,
  tensorData,
  wrapTensor,
} from "./native_tensor.ts";

let active: KernelSet = jsKernels;

/**
 * Selects the kernel set every op of `@nonlin/native` runs from now on (and
 * where its new tensors live). Tensors made before keep their storage and
 * stay usable with either set.
 *
 * @returns The set that was active before, to restore it.
 */
export function useKernels(set: KernelSet): KernelSet {
  const before = active;
  active = set;
  setDefaultStorage(set.allocate);
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
  backend: string,
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
    data = tensorData(value, "prelu alpha", backend);
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

/**
 * Validates an op and its options and resolves the kernel arguments for the
 * active kernel set (or `kernels`, for the tensors of `backend`).
 */
export function prepare(
  op: unknown,
  options: unknown,
  xShape: readonly number[],
  kernels: KernelSet = active,
  backend: string = BACKEND_NAME,
): Prepared {
  const spec = getOp(op);
  const resolved = resolveParams(spec.name, options);
  const kernel = kernels.ops[spec.name as OpName];
  const params: Record<string, number | string> = {};
  let alpha: ReturnType<typeof prepareAlpha> | undefined;
  for (const [name, p] of Object.entries(spec.params)) {
    if (p.kind === "tensor") {
      alpha = prepareAlpha(resolved[name]!, xShape, backend);
    } else params[name] = resolved[name] as number | string;
  }
  if (alpha === undefined) return { spec, kernel, args: { params } };
  return {
    spec,
    kernel,
    args: { params, alpha: alpha.alpha },
    alphaShape: alpha.shape,
  };
}

type Loop = "forward" | "derivative" | "secondDerivative";

interface VjpResult<T> {
  dx: T;
  dparams: Record<string, T>;
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

const MIXED = "x and dy must both be native tensors or both be host arrays";

/**
 * The engine of one backend module: its ops, derivatives, VJP and tensor
 * upload, on the kernel set `kernels()` returns at each call.
 */
export class Engine {
  /** The backend name its tensors carry. */
  readonly name: string;
  readonly #kernels: () => KernelSet;
  /** Prepared arguments of calls without options, per kernel set and op. */
  readonly #defaults = new WeakMap<KernelSet, Map<unknown, Prepared>>();

  constructor(name: string, kernels: () => KernelSet) {
    this.name = name;
    this.#kernels = kernels;
  }

  /**
   * `prepare` for a call; a call without options (the usual one for ops
   * without parameters) reuses the arguments prepared the first time.
   * prelu is never cached: its α is required, so it always has options.
   */
  #prepare(
    set: KernelSet,
    op: unknown,
    options: unknown,
    xShape: readonly number[],
  ): Prepared {
    if (options !== undefined) {
      return prepare(op, options, xShape, set, this.name);
    }
    let cache = this.#defaults.get(set);
    if (cache === undefined) this.#defaults.set(set, cache = new Map());
    let p = cache.get(op);
    if (p === undefined) {
      p = prepare(op, options, xShape, set, this.name);
      cache.set(op, p);
    }
    return p;
  }

  /** The kernel set calls run on now. */
  get kernels(): KernelSet {
    return this.#kernels();
  }

  /**
   * A new output of `length` elements: in the set's storage for a resident
   * result, an ordinary Float32Array for a host one.
   */
  #output(
    set: KernelSet,
    length: number,
    resident = true,
  ): Storage | Float32Array {
    return set.allocate === undefined || !resident
      ? new Float32Array(length)
      : set.allocate(length);
  }

  /**
   * One elementwise pass: resident in, resident out (synchronously, errors
   * thrown); host in, a promise of a new Float32Array (errors as rejections).
   */
  elementwise(
    loop: Loop,
    op: unknown,
    x: unknown,
    options: unknown,
  ): NativeTensor | Promise<Float32Array> {
    const set = this.#kernels();
    if (isTensor(x)) {
      tensorData(x, "x", this.name);
      const { kernel, args } = this.#prepare(set, op, options, x.shape);
      // The output first: allocating may grow the memory, which detaches
      // older views, so x's view is taken after.
      const out = this.#output(set, x.size);
      kernel[loop](tensorData(x, "x", this.name), viewOf(out), args);
      return wrapTensor(out, x.shape, this.name);
    }
    return settle(() => {
      getOp(op);
      const data = toFloat32(x, "x");
      const { kernel, args } = prepare(
        op,
        options,
        [data.length],
        set,
        this.name,
      );
      const out = new Float32Array(data.length);
      kernel[loop](data, out, args);
      return out;
    });
  }

  /** The function exported for one catalog op. */
  opFunction(name: OpName): (x: unknown, options?: unknown) => unknown {
    const fn = (x: unknown, options?: unknown) =>
      this.elementwise("forward", name, x, options);
    Object.defineProperty(fn, "name", { value: name });
    return fn;
  }

  /** `derivative` and `secondDerivative`. */
  derivativeFunction(
    loop: "derivative" | "secondDerivative",
  ): (op: unknown, x: unknown, options?: unknown) => unknown {
    return (op, x, options) => this.elementwise(loop, op, x, options);
  }

  #runVjp(
    set: KernelSet,
    op: unknown,
    x: () => Float32Array,
    xShape: readonly number[],
    dy: () => Float32Array,
    params: unknown,
    resident: boolean,
  ): {
    dx: Storage | Float32Array;
    dparams: Record<string, { data: Float32Array; shape: readonly number[] }>;
  } {
    const { spec, kernel, args, alphaShape } = prepare(
      op,
      params,
      xShape,
      set,
      this.name,
    );
    const sums: Record<string, Float64Array> = {};
    for (const [name, p] of Object.entries(spec.params)) {
      if (!p.learned) continue;
      sums[name] = new Float64Array(
        p.kind === "tensor" ? args.alpha!.values.length : 1,
      );
    }
    const n = xShape.reduce((a, b) => a * b, 1);
    // The output first: allocating may grow the memory and detach views.
    const dx = this.#output(set, n, resident);
    kernel.vjp(x(), dy(), viewOf(dx), sums, args);
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

  /** The exported `vjp`. */
  vjp(
    op: unknown,
    x: unknown,
    options: unknown,
  ): VjpResult<NativeTensor> | Promise<VjpResult<Float32Array>> {
    const set = this.#kernels();
    if (isTensor(x)) {
      tensorData(x, "x", this.name);
      getOp(op);
      const { dy, params } = vjpOptions(options);
      if (!isTensor(dy)) {
        throw new TypeError(`${MIXED}: x is a tensor, dy is ${describe(dy)}`);
      }
      tensorData(dy, "dy", this.name);
      checkSameShape(x.shape, dy.shape, "x and dy");
      const r = this.#runVjp(
        set,
        op,
        () => tensorData(x, "x", this.name),
        x.shape,
        () => tensorData(dy, "dy", this.name),
        params,
        true,
      );
      const dparams: Record<string, NativeTensor> = {};
      for (const [name, g] of Object.entries(r.dparams)) {
        dparams[name] = wrapTensor(g.data, g.shape, this.name);
      }
      return { dx: wrapTensor(r.dx, x.shape, this.name), dparams };
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
      const r = this.#runVjp(
        set,
        op,
        () => xs,
        [xs.length],
        () => dys,
        params,
        false,
      );
      const dparams: Record<string, Float32Array> = {};
      for (const [name, g] of Object.entries(r.dparams)) dparams[name] = g.data;
      return { dx: r.dx as Float32Array, dparams };
    });
  }

  /** The exported `tensor`: a copy of host data in the set's storage. */
  tensor(data: unknown, shape?: readonly number[]): NativeTensor {
    const f32 = toFloat32(data, "Tensor data");
    const checked = checkShape(shape ?? [f32.length], f32.length);
    const out = this.#output(this.#kernels(), f32.length);
    viewOf(out).set(f32);
    return wrapTensor(out, checked, this.name);
  }
}

/** Runs `compute` and turns its result or its error into a promise. */
function settle<T>(compute: () => T): Promise<T> {
  try {
    return Promise.resolve(compute());
  } catch (error) {
    return Promise.reject(error);
  }
}

function viewOf(out: Storage | Float32Array): Float32Array {
  return out instanceof Float32Array ? out : out.view();
}

/** The engine of `@nonlin/native`: the active kernel set, tensors named "native". */
export const defaultEngine: Engine = new Engine(BACKEND_NAME, activeKernels);

/** The function exported for one catalog op. */
export function opFunction(
  name: OpName,
): (x: unknown, options?: unknown) => unknown {
  return defaultEngine.opFunction(name);
}

/** `derivative` and `secondDerivative`. */
export function derivativeFunction(
  loop: "derivative" | "secondDerivative",
): (op: unknown, x: unknown, options?: unknown) => unknown {
  return defaultEngine.derivativeFunction(loop);
}

/** The exported `vjp`. */
export function vjp(
  op: unknown,
  x: unknown,
  options: unknown,
): VjpResult<NativeTensor> | Promise<VjpResult<Float32Array>> {
  return defaultEngine.vjp(op, x, options);
}

/** The exported `tensor`. */
export function tensor(data: unknown, shape?: readonly number[]): NativeTensor {
  return defaultEngine.tensor(data, shape);
}
