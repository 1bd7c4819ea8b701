// Fault: the Float32Array form of sigmoid returns 0 at element indices from
// 2¹⁶ on; the resident form is right. Caught only by the array form on a
// large tensor.
import type { OpFunction } from "@nonlin/core";
import { type Out, ref, rewrite } from "./_fault.ts";
export * from "../../../examples/reference_backend.ts";
import { backend as base } from "../../../examples/reference_backend.ts";
export const backend = { ...base, name: "fault-large-array-form" };
export const sigmoid = ((x: unknown, options?: unknown) => {
  const out = ref("sigmoid")(x, options) as Out;
  return out instanceof Promise
    ? rewrite(out, (y, i) => (i >= 2 ** 16 ? 0 : y))
    : out;
}) as OpFunction<"sigmoid">;
