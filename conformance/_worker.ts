// The worker that holds one backend. Messages in: { type: "load", spec } and
// { type: "batch", id, calls }. Messages out, each tagged with TAG so that
// whatever the backend itself posts to its parent is told apart (and
// ignored): { type: "loaded", info }, { type: "failed", error },
// { type: "done", id, outcomes } and { type: "exited", code }.

/// <reference no-default-lib="true" />
/// <reference lib="deno.worker" />

import type { BackendModule } from "@nonlin/core";
import {
  type Call,
  execute,
  loadForSuite,
  transferables,
  WORKER_TAG as TAG,
} from "./_executor.ts";

let backend: BackendModule | undefined;
/** The built-in name this worker holds, when it was loaded by that name. */
let builtin: string | undefined;

const post = self.postMessage.bind(self);

// A backend that ends its thread (Deno.exit, self.close) says so before it
// goes, instead of leaving the suite to time out.
const exit = Deno.exit.bind(Deno);
Object.defineProperty(Deno, "exit", {
  value: (code?: number) => {
    post({ tag: TAG, type: "exited", code: code ?? 0, how: "Deno.exit" });
    return exit(code);
  },
});
const close = self.close.bind(self);
self.close = () => {
  post({ tag: TAG, type: "exited", code: 0, how: "self.close()" });
  close();
};

function describeError(error: unknown): { name: string; message: string } {
  const e = error instanceof Error ? error : new Error(String(error));
  return { name: e.name, message: e.message };
}

self.onmessage = async (event: MessageEvent) => {
  const message = event.data as
    | { tag: string; type: "load"; id: number; spec: string }
    | { tag: string; type: "batch"; id: number; calls: Call[] };
  const id = message?.id;
  if (message?.tag !== TAG) return;
  if (message.type === "load") {
    try {
      const loaded = await loadForSuite(message.spec);
      backend = loaded.backend;
      builtin = loaded.builtin;
      const info = loaded.info;
      post({ tag: TAG, id, type: "loaded", info });
    } catch (error) {
      post({ tag: TAG, id, type: "failed", error: describeError(error) });
    }
    return;
  }
  const outcomes = [];
  for (const call of message.calls) {
    outcomes.push(await execute(backend!, call, builtin));
  }
  post(
    { tag: TAG, id, type: "done", outcomes },
    transferables(outcomes),
  );
};
