// Fault: relu ends its thread with Deno.exit(0).
import type { OpFunction } from "@nonlin/core";
export * from "../../../examples/reference_backend.ts";
import { backend as base } from "../../../examples/reference_backend.ts";
export const backend = { ...base, name: "fault-exits-thread" };
export const relu = (() => Deno.exit(0)) as unknown as OpFunction<"relu">;
