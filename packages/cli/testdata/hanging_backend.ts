/**
 * A backend whose relu never settles (a promise nothing resolves), as a
 * backend waiting on a lost GPU device would, for `nonlin eval --timeout`.
 *
 * @module
 */

export * from "../../../examples/reference_backend.ts";
import { backend as reference } from "../../../examples/reference_backend.ts";

export const backend = { ...reference, name: "hanging-example" };

export function relu(): Promise<Float32Array> {
  return new Promise(() => {});
}
