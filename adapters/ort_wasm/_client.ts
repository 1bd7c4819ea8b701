// The main thread's side of one onnxruntime-web host worker: handles whose
// data lives in SharedArrayBuffers, requests queued in order, and reads that
// wait for the host to reach them. The worker is unref'd whenever no read is
// waiting, so a process that is done exits.

import type { Worker } from "node:worker_threads";
import type { OpName } from "@nonlin/core";
import { ops } from "@nonlin/core";
import type { Operand, PeerParams } from "@nonlin/peer-glue";
import {
  buildModel,
  type GraphFeature,
  type GraphParam,
  modelKey,
} from "./_graphs.ts";
import type { HostReply, HostRequest } from "./_host.ts";

/** A tensor of the host: its data (shared with the host) and shape. */
export interface OrtHandle {
  /** The host's key. */
  readonly id: number;
  /** The data, in a SharedArrayBuffer the host writes. */
  readonly data: Float32Array;
  /** The shape. */
  readonly shape: readonly number[];
  /** The request after which the data is final. */
  readonly seq: number;
}

function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function buffer(data: Float32Array): SharedArrayBuffer {
  return data.buffer as SharedArrayBuffer;
}

function shared(size: number): Float32Array {
  return new Float32Array(new SharedArrayBuffer(size * 4));
}

/** One host worker running onnxruntime-web with a fixed thread count. */
export class OrtClient {
  readonly #worker: Worker;
  readonly #sent = new Set<string>();
  readonly #errors = new Map<number, string>();
  readonly #waiting = new Map<number, () => void>();
  #seq = 0;
  #synced = 0;
  #syncing: Promise<void> | undefined;
  #nextId = 1;

  private constructor(worker: Worker) {
    this.#worker = worker;
    worker.on("message", (reply: HostReply) => {
      if (reply.t !== "synced") return;
      for (const [id, message] of reply.errors) this.#errors.set(id, message);
      this.#synced = Math.max(this.#synced, reply.seq);
      const done = this.#waiting.get(reply.seq);
      this.#waiting.delete(reply.seq);
      if (this.#waiting.size === 0) worker.unref();
      done?.();
    });
  }

  /**
   * Starts a host worker.
   *
   * @param threads onnxruntime-web's `env.wasm.numThreads`.
   * @returns The client and the runtime's version, or why it cannot start.
   */
  static async start(
    threads: number,
  ): Promise<
    { client: OrtClient; version: string; threads: number } | {
      reason: string;
    }
  > {
    const process =
      (globalThis as { process?: { versions?: { node?: string } } })
        .process;
    if (process?.versions?.node === undefined) {
      return {
        reason:
          "ort-wasm hosts onnxruntime-web in a node:worker_threads worker, which only Deno and Node have",
      };
    }
    const probe = buildModel("relu", "forward", {}, 1).bytes;
    let worker: Worker;
    try {
      // Imported here, not at the top, so that a browser bundle that lists
      // this backend still loads (and reports it unavailable).
      const workerThreads = await import("node:worker_threads");
      worker = new workerThreads.Worker(
        new URL("./_host.ts", import.meta.url),
        {
          workerData: { threads, probe },
        },
      );
    } catch (error) {
      return { reason: `cannot start the onnxruntime-web worker: ${error}` };
    }
    const ready = await new Promise<HostReply>((resolve) => {
      worker.once("message", resolve);
      worker.once(
        "error",
        (e) => resolve({ t: "ready", error: String(e?.message ?? e) }),
      );
    });
    if (ready.t !== "ready" || ready.error !== undefined) {
      await worker.terminate();
      return {
        reason: `onnxruntime-web did not start: ${
          ready.t === "ready" ? ready.error : "no reply"
        }`,
      };
    }
    worker.unref();
    return {
      client: new OrtClient(worker),
      version: ready.version ?? "unknown",
      threads: ready.threads ?? threads,
    };
  }

  #post(request: HostRequest): number {
    this.#worker.postMessage(request);
    return ++this.#seq;
  }

  /** Copies host data into a new handle. */
  upload(data: Float32Array, shape: readonly number[]): OrtHandle {
    const copy = shared(data.length);
    copy.set(data);
    const id = this.#nextId++;
    const seq = this.#post({ t: "put", id, buffer: buffer(copy), shape });
    return { id, data: copy, shape, seq };
  }

  /** Waits until the host has handled request `seq`. */
  async #syncTo(seq: number): Promise<void> {
    while (this.#synced < seq) {
      if (this.#syncing === undefined) {
        const target = this.#post({ t: "sync", seq: this.#seq + 1 });
        this.#worker.ref();
        this.#syncing = new Promise<void>((resolve) =>
          this.#waiting.set(target, resolve)
        ).finally(() => (this.#syncing = undefined));
      }
      await this.#syncing;
    }
  }

  /** Copies a handle's data out (into `into`, or a new array) once the host has written it. */
  async read(handle: OrtHandle, into?: Float32Array): Promise<Float32Array> {
    await this.#syncTo(handle.seq);
    const error = this.#errors.get(handle.id);
    if (error !== undefined) {
      throw new Error(`onnxruntime-web failed to compute it: ${error}`);
    }
    if (into === undefined) return handle.data.slice();
    into.set(handle.data);
    return into;
  }

  /** Frees a handle on the host (after the requests already queued). */
  free(handle: OrtHandle): void {
    this.#errors.delete(handle.id);
    this.#post({ t: "free", id: handle.id });
  }

  /**
   * Runs one model of `op` on the host.
   *
   * @returns One handle per model output: y, or dx and each learned
   * parameter's gradient.
   */
  run(
    op: OpName,
    feature: GraphFeature,
    x: Operand<OrtHandle>,
    p: PeerParams<OrtHandle>,
    dy?: OrtHandle,
  ): OrtHandle[] {
    const graphParams: Record<string, GraphParam> = {};
    const ins = [x.handle.id, ...(dy === undefined ? [] : [dy.id])];
    for (const [k, v] of Object.entries(p)) {
      if (typeof v === "object") {
        graphParams[k] = { shape: v.shape };
        ins.push(v.handle.id);
      } else {
        graphParams[k] = v;
      }
    }
    const rank = x.shape.length;
    const key = modelKey(op, feature, graphParams, rank);
    const model = this.#sent.has(key)
      ? undefined
      : buildModel(op, feature, graphParams, rank);
    const names = buildModelNames(op, feature, graphParams);
    const shapes: (readonly number[])[] = [x.shape];
    if (feature === "vjp") {
      for (const [k, s] of Object.entries(ops[op].params)) {
        if (!s.learned) continue;
        const v = p[k];
        shapes.push(typeof v === "object" ? v.shape : []);
      }
    }
    const outs = shapes.map((shape) => ({
      id: this.#nextId++,
      data: shared(sizeOf(shape)),
      shape,
    }));
    const seq = this.#post({
      t: "run",
      key,
      ...(model === undefined ? {} : { model: model.bytes }),
      inputs: names.inputs,
      outputs: names.outputs,
      ins,
      outs: outs.map((o) => ({
        id: o.id,
        buffer: buffer(o.data),
        shape: o.shape,
      })),
    });
    this.#sent.add(key);
    return outs.map((o) => ({ ...o, seq }));
  }
}

/** The input and output names of a model, without building it. */
function buildModelNames(
  op: OpName,
  feature: GraphFeature,
  p: Readonly<Record<string, GraphParam>>,
): { inputs: string[]; outputs: string[] } {
  const inputs = ["x", ...(feature === "vjp" ? ["dy"] : [])];
  for (const [k, v] of Object.entries(p)) {
    if (typeof v === "object") inputs.push(k);
  }
  const outputs = feature === "vjp"
    ? [
      "dx",
      ...Object.entries(ops[op].params).filter(([, s]) => s.learned).map((
        [k],
      ) => `d_${k}`),
    ]
    : ["y"];
  return { inputs, outputs };
}
