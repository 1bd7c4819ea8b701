// Fault: the array form of relu mishandles plain number[] input (it drops
// the order of the elements); Float32Array input is right.
import type { OpFunction } from "@nonlin/core";
import { ref } from "./_fault.ts";
export * from "../../../examples/reference_backend.ts";
import { backend as base } from "../../../examples/reference_backend.ts";
export const backend = { ...base, name: "fault-number-array" };
export const relu = ((x: unknown, options?: unknown) =>
  ref("relu")(
    Array.isArray(x) ? [...x].reverse() : x,
    options,
  )) as OpFunction<"relu">;
