// The resident tensor of a tfjs adapter: a tf.Tensor on that adapter's tfjs
// backend, owned by exactly one adapter.

import type * as tf from "@tensorflow/tfjs";
import { ownTensor, type Tensor } from "@nonlin/core";

/** A TensorFlow.js tensor (`tf.Tensor`), as the glue's types name it. */
export type TfTensor = tf.Tensor;

/** Reads a tf tensor's data back to the host. */
export type TfReader = (t: TfTensor) => Promise<Float32Array>;

/** A {@linkcode Tensor} holding a tf.Tensor of one tfjs adapter. */
export class TfjsTensor implements Tensor {
  readonly backend: string;
  readonly shape: readonly number[];
  readonly size: number;
  /**
   * Where the data uploaded into it first holds NaN or ±∞ (-1: nowhere);
   * `undefined` for a tensor computed on the backend, whose data the host
   * has not seen.
   */
  readonly firstNonFinite: number | undefined;
  #value: TfTensor | undefined;
  readonly #read: TfReader;

  /**
   * Wraps a tf tensor for one adapter.
   *
   * @param backend The adapter's name.
   * @param value The tf tensor, now owned by this one.
   * @param read How the adapter reads it back.
   * @param uploaded The host data it was uploaded from, if any.
   */
  constructor(
    backend: string,
    value: TfTensor,
    read: TfReader,
    uploaded?: Float32Array,
  ) {
    this.backend = backend;
    this.firstNonFinite = uploaded === undefined
      ? undefined
      : uploaded.findIndex((v) => !Number.isFinite(v));
    this.shape = Object.freeze([...value.shape]);
    this.size = value.size;
    this.#value = value;
    this.#read = read;
  }

  get disposed(): boolean {
    return this.#value === undefined;
  }

  async read(): Promise<Float32Array> {
    const value = TfjsTensor.unwrap(this, this.backend, "tensor");
    // The cpu backend hands out its own storage: copy it so the caller owns
    // the result and the tensor stays unchanged.
    return (await this.#read(value)).slice();
  }

  dispose(): void {
    this.#value?.dispose();
    this.#value = undefined;
  }

  /**
   * The tf.Tensor inside a resident tensor of `backend`.
   *
   * @throws {TypeError} For a tensor of another backend, a disposed tensor,
   * or something that is not a tensor of a tfjs adapter.
   */
  static unwrap(t: Tensor, backend: string, what: string): TfTensor {
    const own = ownTensor(t, { kind: TfjsTensor, backend, what });
    if (own.#value === undefined) {
      throw new TypeError(`${what} was disposed: it can no longer be used`);
    }
    return own.#value;
  }
}
