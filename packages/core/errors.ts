/**
 * Error types shared by every backend.
 *
 * @module
 */

/**
 * Thrown when a backend cannot compute something the contract describes (a
 * gradient its autodiff lacks, a second derivative it cannot nest). The
 * message names the backend, the op, the feature and the reason.
 *
 * @example
 * ```ts
 * import { NotSupportedError } from "@nonlin/core";
 * import assert from "node:assert";
 *
 * const error = new NotSupportedError("tfjs-cpu", "relu", "secondDerivative", "no gradient of Step");
 * assert.ok(error.message.includes("not supported by this backend"));
 * ```
 */
export class NotSupportedError extends Error {
  /** The backend's name. */
  readonly backend: string;
  /** The op's name. */
  readonly op: string;
  /** The feature asked for, e.g. `"secondDerivative"` or `"dparam:alpha"`. */
  readonly feature: string;
  /** Why the backend cannot do it. */
  readonly reason: string;

  /**
   * Makes the error and its message from its parts.
   *
   * @param backend The backend's name.
   * @param op The op's name.
   * @param feature The feature asked for.
   * @param reason Why it is not supported.
   */
  constructor(backend: string, op: string, feature: string, reason: string) {
    super(
      `${feature} of ${op} is not supported by this backend (${backend}): ${reason}`,
    );
    this.name = "NotSupportedError";
    this.backend = backend;
    this.op = op;
    this.feature = feature;
    this.reason = reason;
  }
}

/**
 * Thrown by every function of a backend that cannot run here (no WebGPU
 * adapter, no WebAssembly); the message carries the backend's reason.
 *
 * @example
 * ```ts
 * import { BackendUnavailableError } from "@nonlin/core";
 * import assert from "node:assert";
 *
 * const error = new BackendUnavailableError("tfjs-webgpu", "navigator.gpu is undefined");
 * assert.strictEqual(error.reason, "navigator.gpu is undefined");
 * ```
 */
export class BackendUnavailableError extends Error {
  /** The backend's name. */
  readonly backend: string;
  /** Why it cannot run here. */
  readonly reason: string;

  /**
   * Makes the error and its message from its parts.
   *
   * @param backend The backend's name.
   * @param reason Why it cannot run here.
   */
  constructor(backend: string, reason: string) {
    super(`Backend ${backend} is not available here: ${reason}`);
    this.name = "BackendUnavailableError";
    this.backend = backend;
    this.reason = reason;
  }
}
