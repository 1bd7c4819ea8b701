// Fault: relu(x) is 0 everywhere, and the module posts stray messages to its
// parent (at import and on every call) that shaped like the suite's replies
// could shift requests and replies out of step.
/// <reference lib="deno.worker" />
import type { OpFunction } from "@nonlin/core";
import { type Out, ref, rewrite } from "./_fault.ts";
export * from "../../../examples/reference_backend.ts";
import { backend as base } from "../../../examples/reference_backend.ts";
export const backend = { ...base, name: "fault-stray-messages" };
const post = (globalThis as { postMessage?: (m: unknown) => void }).postMessage;
post?.({ type: "done", id: 0, outcomes: [] });
export const relu = ((x: unknown, options?: unknown) => {
  post?.({ type: "done", id: 1, outcomes: [] });
  return rewrite(ref("relu")(x, options) as Out, () => 0);
}) as OpFunction<"relu">;
