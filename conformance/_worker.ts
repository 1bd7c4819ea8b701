// The worker that holds one backend. Messages in: { type: "load", spec },
// { type: "batch", id, calls } and { type: "release" }, the last one: the
// backend's release(), when it has one, frees its GPU device here, on the
// device's own thread, and the worker then ends itself rather than being
// terminated: terminate() and then the process's exit, while the worker
// tore down its WebGPU instance, crashed Deno 2.9.6 on llvmpipe (SIGSEGV in
// 4 of 18 runs with native-webgpu and tfjs-webgpu even with release() called
// first, 1 of 12 when the process then ended by itself rather than by
// Deno.exit; none in 52 since workers end themselves, with or without
// release()). Messages out, each
// tagged with TAG so that whatever the backend itself posts to its parent is
// told apart (and ignored): { type: "loaded", info }, { type: "failed",
// error }, { type: "done", id, outcomes }, { type: "released" } and
// { type: "exited", code }.

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
    | { tag: string; type: "batch"; id: number; calls: Call[] }
    | { tag: string; type: "release"; id: number };
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
  if (message.type === "release") {
    try {
      await backend?.release?.();
      post({ tag: TAG, id, type: "released" });
    } catch (error) {
      post({ tag: TAG, id, type: "failed", error: describeError(error) });
    }
    // Ends on its own thread, letting the runtime tear down what is left.
    close();
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
