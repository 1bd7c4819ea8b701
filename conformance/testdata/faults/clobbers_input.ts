// Fault: tanh computes the right result and then writes it into its input
// (the caller's Float32Array, or the resident tensor's storage).
import type { OpFunction } from "@nonlin/core";
import { dataOf, type Out, ref } from "./_fault.ts";
export * from "../../../examples/reference_backend.ts";
import { backend as base } from "../../../examples/reference_backend.ts";
export const backend = { ...base, name: "fault-clobbers-input" };
export const tanh = ((x: unknown, options?: unknown) => {
  const out = ref("tanh")(x, options) as Out;
  const clobber = (y: Float32Array) => {
    dataOf(x as never).set(y);
    return y;
  };
  return out instanceof Promise
    ? out.then(clobber)
    : (clobber(dataOf(out)), out);
}) as OpFunction<"tanh">;
