// The worker that holds one backend. Messages in: { type: "load", spec } and
// { type: "batch", id, calls }. Messages out: { type: "loaded", info },
// { type: "failed", error } and { type: "done", id, outcomes }.

/// <reference no-default-lib="true" />
/// <reference lib="deno.worker" />

import type { BackendModule } from "@nonlin/core";
import { loadBackend } from "@nonlin/backends";
import {
  type Call,
  execute,
  type LoadedInfo,
  transferables,
} from "./_executor.ts";

let backend: BackendModule | undefined;

function describeError(error: unknown): { name: string; message: string } {
  const e = error instanceof Error ? error : new Error(String(error));
  return { name: e.name, message: e.message };
}

self.onmessage = async (event: MessageEvent) => {
  const message = event.data as
    | { type: "load"; spec: string }
    | { type: "batch"; id: number; calls: Call[] };
  if (message.type === "load") {
    try {
      backend = await loadBackend(message.spec);
      const b = backend.backend;
      const info: LoadedInfo = {
        name: b.name,
        available: b.available,
        ...(b.reason === undefined ? {} : { reason: String(b.reason) }),
        precision: String(b.precision),
        capabilities: JSON.parse(JSON.stringify(b.capabilities ?? null)),
      };
      self.postMessage({ type: "loaded", info });
    } catch (error) {
      self.postMessage({ type: "failed", error: describeError(error) });
    }
    return;
  }
  const outcomes = [];
  for (const call of message.calls) {
    outcomes.push(await execute(backend!, call));
  }
  self.postMessage(
    { type: "done", id: message.id, outcomes },
    transferables(outcomes),
  );
};
