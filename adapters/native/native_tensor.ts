/**
 * The native engine's resident tensor: a float32 array with a shape.
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

/** The backend name every native tensor carries. */
export const BACKEND_NAME = "native";

let adopt: (data: Float32Array, shape: readonly number[]) => NativeTensor;
let peek: (t: NativeTensor) => Float32Array | undefined;

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
  #data: Float32Array | undefined;
  /** Always `"native"`. */
  readonly backend: string = BACKEND_NAME;
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
      this.#data = data as Float32Array;
      this.shape = shape!;
    } else {
      const f32 = toFloat32(data, "Tensor data");
      this.shape = checkShape(shape ?? [f32.length], f32.length);
      this.#data = f32.slice();
    }
    this.size = this.#data.length;
  }

  static {
    adopt = (data, shape) => {
      NativeTensor.#adopting = true;
      try {
        return new NativeTensor(data, shape);
      } finally {
        NativeTensor.#adopting = false;
      }
    };
    peek = (t) => t.#data;
  }

  /** Whether {@linkcode NativeTensor.dispose} has been called. */
  get disposed(): boolean {
    return this.#data === undefined;
  }

  /**
   * Copies the data into a new Float32Array.
   *
   * @returns The elements, row-major.
   * @throws {TypeError} (as a rejection) once the tensor is disposed.
   */
  read(): Promise<Float32Array> {
    const data = this.#data;
    if (data === undefined) {
      return Promise.reject(new TypeError(disposedMessage(this, "tensor")));
    }
    return Promise.resolve(data.slice());
  }

  /** Frees the data. Calling it again does nothing. */
  dispose(): void {
    this.#data = undefined;
  }
}

function disposedMessage(t: NativeTensor, name: string): string {
  return `Cannot use a disposed tensor: ${name} of shape [${
    t.shape.join(", ")
  }]`;
}

/**
 * Wraps an array the engine just filled, without copying it. Internal.
 *
 * @param data Owned by the tensor from now on.
 * @param shape A checked, frozen shape whose product is `data.length`.
 */
export function wrapTensor(
  data: Float32Array,
  shape: readonly number[],
): NativeTensor {
  return adopt(data, shape);
}

/**
 * The data of a live native tensor, not copied. Internal.
 *
 * @param value What the caller passed.
 * @param name How to name it in a message (`"x"`, `"dy"`, `"prelu alpha"`).
 * @throws {TypeError} For a tensor of another backend or a disposed tensor.
 */
export function tensorData(value: unknown, name: string): Float32Array {
  if (!(value instanceof NativeTensor)) {
    throw new TypeError(
      isTensor(value)
        ? `Cannot use a tensor of another backend: ${name} belongs to "${value.backend}", not "native" (read it and upload it with tensor())`
        : `Expected a native tensor: ${name} is ${describe(value)}`,
    );
  }
  const data = peek(value);
  if (data === undefined) throw new TypeError(disposedMessage(value, name));
  return data;
}
