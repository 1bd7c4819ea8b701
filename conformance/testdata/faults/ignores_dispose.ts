// Fault: dispose() does nothing; a disposed tensor still reads back.
import type { ArrayInput, Tensor } from "@nonlin/core";
import { ref } from "./_fault.ts";
export * from "../../../examples/reference_backend.ts";
import { backend as base } from "../../../examples/reference_backend.ts";
export const backend = { ...base, name: "fault-ignores-dispose" };
export function tensor(data: ArrayInput, shape?: readonly number[]): Tensor {
  const t = ref("tensor")(data, shape) as Tensor;
  Object.defineProperty(t, "dispose", { value: () => {} });
  return t;
}
