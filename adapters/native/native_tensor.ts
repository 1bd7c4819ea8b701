/**
 * The native engine's resident tensor: float32 elements with a shape, held
 * either in the WebAssembly kernels' linear memory (so the SIMD loops run on
 * them in place) or in an ordinary Float32Array.
 *
 * @module
 */

import {
  checkShape,
  describe,
  isTensor,
  type Tensor,
  toFloat32,
} from "@nonlin/core";
import type { Storage } from "./_kernels.ts";

/** The backend name native tensors carry by default. */
export const BACKEND_NAME = "native";

let adopt: (
  data: Float32Array | Storage,
  shape: readonly number[],
  backend: string,
) => NativeTensor;
let peek: (t: NativeTensor) => Float32Array | undefined;
let defaultAllocate: ((length: number) => Storage) | undefined;

/**
 * Where `new NativeTensor(…)` keeps its copy: the active kernel set's
 * memory, or (undefined) an ordinary Float32Array. Set by the engine.
 */
export function setDefaultStorage(
  allocate: ((length: number) => Storage) | undefined,
): void {
  defaultAllocate = allocate;
}

// A tensor dropped without dispose() still returns its memory, eventually.
const unreachable = new FinalizationRegistry<Storage>((s) => s.free());

/**
 * A float32 tensor of the native engine: row-major data with a shape, read
 * back asynchronously with {@linkcode NativeTensor.read} and freed with
 * {@linkcode NativeTensor.dispose}. A 0-d tensor has shape `[]` and one
 * element; a tensor may be empty (`[0]`, `[2, 0]`). Make one with `tensor`
 * from `@nonlin/native` (or this constructor, which copies the data too).
 *
 * @example
 * ```ts
 * import { relu, tensor } from "@nonlin/native";
 * import assert from "node:assert";
 *
 * const x = tensor([-1, 0.5, 2, -3], [2, 2]);
 * const y = relu(x);
 * assert.deepStrictEqual(y.shape, [2, 2]);
 * assert.deepStrictEqual(await y.read(), new Float32Array([0, 0.5, 2, 0]));
 * y.dispose();
 * assert.ok(y.disposed);
 * await assert.rejects(y.read(), TypeError);
 * ```
 */
export class NativeTensor implements Tensor {
  static #adopting = false;
  static #adoptedBackend = BACKEND_NAME;
  #data: Float32Array | undefined;
  #storage: Storage | undefined;
  /** `"native"` (or `"native-js"` for the JavaScript-kernel module). */
  readonly backend: string;
  /** The shape; `[]` for a 0-d tensor. */
  readonly shape: readonly number[];
  /** The number of elements. */
  readonly size: number;

  /**
   * Copies host data into a new tensor.
   *
   * @param data A Float32Array or an array of numbers (rounded to float32).
   * @param shape Defaults to `[data.length]`; `[]` makes a 0-d tensor.
   * @throws {TypeError} For data that is not a Float32Array or numbers
   * (a Float64Array too: convert it explicitly), or a shape that is not an
   * array.
   * @throws {RangeError} For a shape whose product is not the data's length.
   */
  constructor(
    data: Float32Array | readonly number[],
    shape?: readonly number[],
  ) {
    if (NativeTensor.#adopting) {
      const given = data as unknown as Float32Array | Storage;
      this.backend = NativeTensor.#adoptedBackend;
      this.shape = shape!;
      if (given instanceof Float32Array) this.#data = given;
      else this.#hold(given);
      this.size = given.length;
      return;
    }
    const f32 = toFloat32(data, "Tensor data");
    this.backend = BACKEND_NAME;
    this.shape = checkShape(shape ?? [f32.length], f32.length);
    this.size = f32.length;
    if (defaultAllocate === undefined) {
      this.#data = f32.slice();
    } else {
      const storage = defaultAllocate(f32.length);
      storage.view().set(f32);
      this.#hold(storage);
    }
  }

  #hold(storage: Storage): void {
    this.#storage = storage;
    unreachable.register(this, storage, this);
  }

  static {
    adopt = (data, shape, backend) => {
      NativeTensor.#adopting = true;
      NativeTensor.#adoptedBackend = backend;
      try {
        return new NativeTensor(data as Float32Array, shape);
      } finally {
        NativeTensor.#adopting = false;
      }
    };
    peek = (t) => t.#storage?.view() ?? t.#data;
  }

  /** Whether {@linkcode NativeTensor.dispose} has been called. */
  get disposed(): boolean {
    return this.#data === undefined && this.#storage === undefined;
  }

  /**
   * Copies the data into a new Float32Array.
   *
   * @returns The elements, row-major.
   * @throws {TypeError} (as a rejection) once the tensor is disposed.
   */
  read(): Promise<Float32Array> {
    const data = peek(this);
    if (data === undefined) {
      return Promise.reject(new TypeError(disposedMessage(this, "tensor")));
    }
    return Promise.resolve(data.slice());
  }

  /** Frees the data. Calling it again does nothing. */
  dispose(): void {
    this.#data = undefined;
    if (this.#storage !== undefined) {
      unreachable.unregister(this);
      this.#storage.free();
      this.#storage = undefined;
    }
  }
}

function disposedMessage(t: NativeTensor, name: string): string {
  return `Cannot use a disposed tensor: ${name} of shape [${
    t.shape.join(", ")
  }]`;
}

/**
 * Wraps an array or storage the engine just filled, without copying it.
 * Internal.
 *
 * @param data Owned by the tensor from now on.
 * @param shape A checked, frozen shape whose product is `data.length`.
 * @param backend The backend name the tensor carries.
 */
export function wrapTensor(
  data: Float32Array | Storage,
  shape: readonly number[],
  backend: string = BACKEND_NAME,
): NativeTensor {
  return adopt(data, shape, backend);
}

/**
 * The data of a live native tensor, not copied: a view that stays valid
 * until the next allocation in the kernels' memory. Internal.
 *
 * @param value What the caller passed.
 * @param name How to name it in a message (`"x"`, `"dy"`, `"prelu alpha"`).
 * @param backend The backend the tensor must belong to.
 * @throws {TypeError} For a tensor of another backend or a disposed tensor.
 */
export function tensorData(
  value: unknown,
  name: string,
  backend: string = BACKEND_NAME,
): Float32Array {
  if (!(value instanceof NativeTensor) || value.backend !== backend) {
    throw new TypeError(
      isTensor(value)
        ? `Cannot use a tensor of another backend: ${name} belongs to "${value.backend}", not "${backend}" (read it and upload it with tensor())`
        : `Expected a ${backend} tensor: ${name} is ${describe(value)}`,
    );
  }
  const data = peek(value);
  if (data === undefined) throw new TypeError(disposedMessage(value, name));
  return data;
}
