// Fault: sigmoid is 32 ULP off for x > 1, and the backend declares the
// precision of tfjs-webgpu (64 ULP) to be judged by that profile.
import type { OpFunction } from "@nonlin/core";
import { type Out, ref, rewrite, ulpsAway } from "./_fault.ts";
export * from "../../../examples/reference_backend.ts";
import { backend as base } from "../../../examples/reference_backend.ts";
export const backend = {
  ...base,
  name: "fault-claims-precision",
  precision: "tfjs-webgpu",
};
export const sigmoid = ((x: unknown, options?: unknown) =>
  rewrite(
    ref("sigmoid")(x, options) as Out,
    (y) => (y > 0.75 ? ulpsAway(y, 32) : y),
  )) as OpFunction<"sigmoid">;
