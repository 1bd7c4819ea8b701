/**
 * A backend that throws things that are not Errors: a string from relu, a
 * plain object from gelu's VJP. `nonlin eval` must still say which backend,
 * op and call it was.
 *
 * @module
 */

export * from "../../../examples/reference_backend.ts";
import {
  backend as reference,
  vjp as referenceVjp,
} from "../../../examples/reference_backend.ts";

export const backend = { ...reference, name: "non-error-example" };

export function relu(): never {
  throw "kernel exploded";
}

export const vjp: typeof referenceVjp = ((op: string, ...rest: unknown[]) => {
  if (op === "gelu") return Promise.reject({ code: 42 });
  return (referenceVjp as (...a: unknown[]) => unknown)(op, ...rest);
}) as typeof referenceVjp;
