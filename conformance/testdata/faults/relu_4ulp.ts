// Fault: relu is 4 ULP off for x > 1, as a transcendental op may be; relu
// is arithmetic only and must be exact.
import type { OpFunction } from "@nonlin/core";
import { type Out, ref, rewrite, ulpsAway } from "./_fault.ts";
export * from "../../../examples/reference_backend.ts";
import { backend as base } from "../../../examples/reference_backend.ts";
export const backend = { ...base, name: "fault-relu-4ulp" };
export const relu = ((x: unknown, options?: unknown) =>
  rewrite(
    ref("relu")(x, options) as Out,
    (y) => (y > 1 ? ulpsAway(y, 4) : y),
  )) as OpFunction<"relu">;
