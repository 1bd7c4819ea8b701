// The native engine behind mod.ts (and js.ts): validation, parameter
// resolution, output allocation, and dispatch to a kernel set. An engine is
// bound to a backend name and a kernel set; mod.ts's engine follows the
// active set (`useKernels`), js.ts's always runs the JavaScript loops.

import {
  checkAliasing,
  checkBroadcast,
  checkDparamsOut,
  checkDxOut,
  checkDyForm,
  checkOut,
  checkSameShape,
  checkShape,
  checkVjpOut,
  getOp,
  isTensor,
  type OpName,
  type OpSpec,
  outOption,
  refuseResidentOut,
  type ResolvedOptions,
  resolveParams,
  toFloat32,
  vjpOptions,
  withoutOut,
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

/** Float64 storage of `length` elements: reused scratch, or a new array. */
export type Float64Scratch = (length: number) => Float64Array;

const newFloat64: Float64Scratch = (length) => new Float64Array(length);

function prepareAlpha(
  value: ResolvedOptions[string],
  xShape: readonly number[],
  backend: string,
  float64: Float64Scratch,
): { alpha: AlphaBroadcast; shape: readonly number[] } {
  let data: Float32Array | undefined;
  let shape: readonly number[];
  if (typeof value === "number") {
    const values = float64(1);
    values[0] = value;
    return { alpha: { values, index: null }, shape: [] };
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
  const values = float64(data.length);
  for (let i = 0; i < data.length; i++) values[i] = data[i]!;
  return { alpha: { values, index: cachedIndex(shape, xShape) }, shape };
}

/**
 * Validates an op and its options and resolves the kernel arguments for the
 * active kernel set (or `kernels`, for the tensors of `backend`). prelu's α
 * is widened into `float64` storage (a new array unless the caller reuses
 * one: the arguments are then valid until its next call).
 */
export function prepare(
  op: unknown,
  options: unknown,
  xShape: readonly number[],
  kernels: KernelSet = active,
  backend: string = BACKEND_NAME,
  float64: Float64Scratch = newFloat64,
): Prepared {
  const spec = getOp(op);
  const resolved = resolveParams(spec.name, options);
  const kernel = kernels.ops[spec.name as OpName];
  const params: Record<string, number | string> = {};
  let alpha: ReturnType<typeof prepareAlpha> | undefined;
  for (const [name, p] of Object.entries(spec.params)) {
    if (p.kind === "tensor") {
      alpha = prepareAlpha(resolved[name]!, xShape, backend, float64);
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

/**
 * The engine of one backend module: its ops, derivatives, VJP and tensor
 * upload, on the kernel set `kernels()` returns at each call.
 *
 * A host-form call allocates only what the caller did not provide: with
 * `out` (and, for a VJP, every gradient in `out`) it makes no new
 * ArrayBuffer; the parameter sums and prelu's widened α live in scratch
 * arrays reused from call to call (calls are synchronous underneath, so
 * one scratch per engine serves them all).
 */
export class Engine {
  /** The backend name its tensors carry. */
  readonly name: string;
  readonly #kernels: () => KernelSet;
  /** Prepared arguments of calls without options, per kernel set and op. */
  readonly #defaults = new WeakMap<KernelSet, Map<unknown, Prepared>>();
  /** Scratch for prelu's α as float64. */
  #alphaScratch = new Float64Array(16);
  /** Scratch for the parameter-gradient sums. */
  #sumScratch = new Float64Array(16);
  readonly #alpha: Float64Scratch = (length) => {
    if (this.#alphaScratch.length < length) {
      this.#alphaScratch = new Float64Array(
        Math.max(length, 2 * this.#alphaScratch.length),
      );
    }
    return this.#alphaScratch.subarray(0, length);
  };

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
      return prepare(op, options, xShape, set, this.name, this.#alpha);
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
   * thrown); host in, a promise of a Float32Array, `out` or a new one
   * (errors as rejections).
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
      refuseResidentOut(outOption(options), String(op));
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
      const given = outOption(options);
      const { kernel, args } = this.#prepare(
        set,
        op,
        given === undefined ? options : withoutOut(options),
        [data.length],
      );
      let out: Float32Array;
      if (given === undefined) out = new Float32Array(data.length);
      else {
        out = checkOut(given, data.length, "out");
        checkAliasing(out, data, "out and x", true);
      }
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

  /**
   * Runs a VJP into `dx`; returns the parameter sums (float64, in reused
   * scratch: read them before the next call) with their shapes.
   */
  #runVjp(
    set: KernelSet,
    op: unknown,
    x: () => Float32Array,
    xShape: readonly number[],
    dy: () => Float32Array,
    params: unknown,
    dx: () => Float32Array,
    checkOuts?: (sums: Readonly<Record<string, Float64Array>>) => void,
  ): Record<string, { sum: Float64Array; shape: readonly number[] }> {
    const { spec, kernel, args, alphaShape } = this.#prepare(
      set,
      op,
      params,
      xShape,
    );
    const learned: [string, number][] = [];
    let total = 0;
    for (const [name, p] of Object.entries(spec.params)) {
      if (!p.learned) continue;
      const length = p.kind === "tensor" ? args.alpha!.values.length : 1;
      learned.push([name, length]);
      total += length;
    }
    if (this.#sumScratch.length < total) {
      this.#sumScratch = new Float64Array(
        Math.max(total, 2 * this.#sumScratch.length),
      );
    }
    const sums: Record<string, Float64Array> = {};
    const result: Record<
      string,
      { sum: Float64Array; shape: readonly number[] }
    > = {};
    let at = 0;
    for (const [name, length] of learned) {
      const sum = this.#sumScratch.subarray(at, at + length).fill(0);
      at += length;
      sums[name] = sum;
      const shape = spec.params[name]!.kind === "tensor" ? alphaShape! : [];
      result[name] = { sum, shape };
    }
    checkOuts?.(sums);
    kernel.vjp(x(), dy(), dx(), sums, args);
    return result;
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
      const { dy, params, out } = vjpOptions(options);
      refuseResidentOut(out, "vjp");
      checkDyForm(dy, { backend: this.name, resident: true });
      tensorData(dy, "dy", this.name);
      checkSameShape(x.shape, dy.shape, "x and dy");
      // The output first: allocating may grow the memory and detach views.
      const dx = this.#output(set, x.size);
      const r = this.#runVjp(
        set,
        op,
        () => tensorData(x, "x", this.name),
        x.shape,
        () => tensorData(dy, "dy", this.name),
        params,
        () => viewOf(dx),
      );
      const dparams: Record<string, NativeTensor> = {};
      for (const [name, g] of Object.entries(r)) {
        dparams[name] = wrapTensor(
          Float32Array.from(g.sum),
          g.shape,
          this.name,
        );
      }
      return { dx: wrapTensor(dx, x.shape, this.name), dparams };
    }
    return settle(() => {
      getOp(op);
      const xs = toFloat32(x, "x");
      const { dy, params, out } = vjpOptions(options);
      checkDyForm(dy, { backend: this.name, resident: false });
      const dys = toFloat32(dy, "dy");
      checkSameShape([xs.length], [dys.length], "x and dy");
      const given = checkVjpOut(String(op), out);
      const dx = checkDxOut(given.dx, { x: xs, dy: dys }) ??
        new Float32Array(xs.length);
      // Every out array is checked before anything is computed.
      let targets: Record<string, Float32Array> = {};
      const r = this.#runVjp(
        set,
        op,
        () => xs,
        [xs.length],
        () => dys,
        params,
        () => dx,
        (sums) => {
          const sizes = Object.fromEntries(
            Object.entries(sums).map(([name, sum]) => [name, sum.length]),
          );
          targets = checkDparamsOut(given.dparams, sizes, {
            x: xs,
            dy: dys,
            dx,
          });
        },
      );
      const dparams: Record<string, Float32Array> = {};
      for (const [name, g] of Object.entries(r)) {
        const d = targets[name];
        if (d === undefined) {
          dparams[name] = Float32Array.from(g.sum);
          continue;
        }
        for (let i = 0; i < d.length; i++) d[i] = g.sum[i]!;
        dparams[name] = d;
      }
      return { dx, dparams };
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
