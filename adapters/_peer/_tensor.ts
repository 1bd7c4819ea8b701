// The resident tensor of a peer adapter: an engine handle owned by exactly
// one adapter, with the shape kept on the JavaScript side.

import { ownTensor, type Tensor } from "@nonlin/core";

/** How a {@linkcode PeerTensor} reads and frees its engine handle. */
export interface HandleOps<H> {
  /** Copies the handle's data into a new Float32Array the caller owns. */
  readonly read: (handle: H) => Promise<Float32Array>;
  /** Frees the handle's memory. */
  readonly free: (handle: H) => void;
}

/** A {@linkcode Tensor} holding one engine handle of one peer adapter. */
export class PeerTensor<H> implements Tensor {
  readonly backend: string;
  readonly shape: readonly number[];
  readonly size: number;
  #handle: H | undefined;
  readonly #ops: HandleOps<H>;

  /**
   * Wraps an engine handle.
   *
   * @param backend The backend's name.
   * @param handle The engine's handle, owned by the tensor from now on.
   * @param shape Its shape.
   * @param ops How to read and free it.
   */
  constructor(
    backend: string,
    handle: H,
    shape: readonly number[],
    ops: HandleOps<H>,
  ) {
    this.backend = backend;
    this.shape = Object.freeze([...shape]);
    this.size = shape.reduce((a, b) => a * b, 1);
    this.#handle = handle;
    this.#ops = ops;
  }

  get disposed(): boolean {
    return this.#handle === undefined;
  }

  read(): Promise<Float32Array> {
    try {
      return this.#ops.read(PeerTensor.unwrap(this, this.backend, "tensor"));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  dispose(): void {
    if (this.#handle !== undefined) this.#ops.free(this.#handle);
    this.#handle = undefined;
  }

  /**
   * The handle inside a resident tensor of `backend`.
   *
   * @throws {TypeError} For a tensor of another backend, a disposed tensor,
   * or something that is not a tensor of a peer adapter.
   */
  static unwrap<H>(t: Tensor, backend: string, what: string): H {
    const own = ownTensor(t, { kind: PeerTensor, backend, what });
    if (own.#handle === undefined) {
      throw new TypeError(`${what} was disposed: it can no longer be used`);
    }
    return own.#handle as H;
  }
}
