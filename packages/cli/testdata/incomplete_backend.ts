/**
 * A test module that does not implement the backend contract: it has a
 * `backend` and `relu` but nothing else.
 *
 * @module
 */

/** The backend's identity. */
export const backend = { name: "incomplete", available: true };

/** The only op. */
export function relu(x: Float32Array): Promise<Float32Array> {
  return Promise.resolve(x.map((v) => Math.max(v, 0)));
}
