// The worker that hosts onnxruntime-web for one ort-wasm backend instance.
//
// onnxruntime-web's Emscripten loader, when it sees `process.versions.node`
// (Deno sets it for Node compatibility), runs
// `global.Worker = require("worker_threads").Worker` so that its pthreads
// start as Node workers; that replaces the web Worker of the whole realm for
// every other library. Hosting it here confines that to this worker's
// realm, and lets each backend instance have its own thread count
// (`env.wasm.numThreads` is global to an onnxruntime-web instance).
//
// Tensor data lives in SharedArrayBuffers allocated by the main thread: a
// message carries the buffers themselves, never copies (Deno serialises a
// typed-array view element by element even over a SharedArrayBuffer, ~0.5 s
// for 4 MB, but passes a bare SharedArrayBuffer by reference), and the host
// writes each result into the buffer it was given.

import * as ort from "onnxruntime-web";
import { parentPort, workerData } from "node:worker_threads";

/** A message from the main thread. */
export type HostRequest =
  | {
    readonly t: "put";
    readonly id: number;
    readonly buffer: SharedArrayBuffer;
    readonly shape: readonly number[];
  }
  | {
    readonly t: "run";
    readonly key: string;
    readonly model?: Uint8Array;
    readonly inputs: readonly string[];
    readonly outputs: readonly string[];
    readonly ins: readonly number[];
    readonly outs: readonly {
      readonly id: number;
      readonly buffer: SharedArrayBuffer;
      readonly shape: readonly number[];
    }[];
  }
  | { readonly t: "free"; readonly id: number }
  | { readonly t: "sync"; readonly seq: number };

/** A message to the main thread. */
export type HostReply =
  | {
    readonly t: "ready";
    readonly version?: string;
    readonly threads?: number;
    readonly error?: string;
  }
  | {
    readonly t: "synced";
    readonly seq: number;
    readonly errors: readonly (readonly [number, string])[];
  };

const port = parentPort!;
const tensors = new Map<number, ort.Tensor>();
const sessions = new Map<string, ort.InferenceSession>();
const errors = new Map<number, string>();

function send(reply: HostReply): void {
  port.postMessage(reply);
}

async function run(r: Extract<HostRequest, { t: "run" }>): Promise<void> {
  try {
    let session = sessions.get(r.key);
    if (session === undefined) {
      session = await ort.InferenceSession.create(r.model!, {
        executionProviders: ["wasm"],
        graphOptimizationLevel: "basic",
      });
      sessions.set(r.key, session);
    }
    const feeds: Record<string, ort.Tensor> = {};
    r.inputs.forEach((name, i) => {
      const t = tensors.get(r.ins[i]!);
      if (t === undefined) throw new Error(`input ${name} is not on the host`);
      feeds[name] = t;
    });
    const results = await session.run(feeds);
    r.outputs.forEach((name, i) => {
      const out = r.outs[i]!;
      const data = new Float32Array(out.buffer);
      data.set(results[name]!.data as Float32Array);
      results[name]!.dispose();
      tensors.set(out.id, new ort.Tensor("float32", data, [...out.shape]));
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    for (const out of r.outs) errors.set(out.id, message);
  }
}

async function handle(r: HostRequest): Promise<void> {
  switch (r.t) {
    case "put":
      tensors.set(
        r.id,
        new ort.Tensor("float32", new Float32Array(r.buffer), [...r.shape]),
      );
      break;
    case "run":
      await run(r);
      break;
    case "free":
      tensors.delete(r.id);
      errors.delete(r.id);
      break;
    case "sync":
      send({ t: "synced", seq: r.seq, errors: [...errors] });
      break;
  }
}

let queue = (async () => {
  try {
    ort.env.wasm.numThreads = (workerData as { threads: number }).threads;
    // A first session starts the runtime (and its threads) now.
    const probe = await ort.InferenceSession.create(
      (workerData as { probe: Uint8Array }).probe,
      { executionProviders: ["wasm"] },
    );
    await probe.release();
    send({
      t: "ready",
      version: ort.env.versions.web ?? ort.env.versions.common,
      threads: ort.env.wasm.numThreads,
    });
  } catch (error) {
    send({
      t: "ready",
      error: error instanceof Error ? error.message : String(error),
    });
  }
})();

port.on("message", (r: HostRequest) => {
  queue = queue.then(() => handle(r));
});
