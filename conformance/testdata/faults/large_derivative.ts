// Fault: the elementwise derivative of gelu is wrong (doubled) at element
// indices from 2¹⁶ on, in both forms; everything else is right. Caught only
// by a derivative on a large tensor.
import type { ElementwiseDerivative } from "@nonlin/core";
import { type Out, ref, rewrite } from "./_fault.ts";
export * from "../../../examples/reference_backend.ts";
import { backend as base } from "../../../examples/reference_backend.ts";
export const backend = { ...base, name: "fault-large-derivative" };
export const derivative = ((op: string, ...rest: unknown[]) => {
  const out = ref("derivative")(op, ...rest) as Out;
  return op === "gelu"
    ? rewrite(out, (y, i) => (i >= 2 ** 16 ? 2 * y : y))
    : out;
}) as ElementwiseDerivative;
