// When is resident work "really complete"? The contract's only promise is
// that a read resolves with the data, which for a GPU costs a download of the
// whole output. The bench knows better for the built-in backends.

import type { BackendModule, Tensor } from "@nonlin/core";
import type { Completion } from "./types.ts";

/** A completion method and the wait it performs after a batch of calls. */
export interface Completer extends Completion {
  /** Resolves once the work that produced `outputs` is complete. */
  wait(outputs: readonly Tensor[]): Promise<void>;
}

interface TfjsWebgpuBackend {
  ensureCommandEncoderReady(): void;
  endComputePassEncoder(): void;
  submitQueue(): void;
  queue: { onSubmittedWorkDone(): Promise<unknown> };
}

// The TypeScript engine and tfjs's cpu and wasm kernels run on the calling
// thread: when the op returns, its output is computed.
const synchronousBackends = new Set([
  "native",
  "native-js",
  "tfjs-cpu",
  "tfjs-wasm",
]);

const synchronous: Completer = {
  method: "synchronous",
  description: "the kernel runs inside the call: timed until the call returns",
  wait: () => Promise.resolve(),
};

const readBack: Completer = {
  method: "read",
  description:
    "every output read back (the contract's only completion guarantee; includes the download)",
  async wait(outputs) {
    for (const t of outputs) await t.read();
  },
};

/**
 * Chooses how to wait for a backend's resident work.
 *
 * - native, native-js, tfjs-cpu, tfjs-wasm: synchronous.
 * - tfjs-webgpu: tfjs's WebGPU backend (`tf.findBackend("webgpu")`, public
 *   `submitQueue()` and `queue`) flushes its pending command encoder, then
 *   `GPUQueue.onSubmittedWorkDone()` resolves once the GPU has finished every
 *   submitted command. Nothing is downloaded.
 * - native-webgpu: its device's `GPUQueue.onSubmittedWorkDone()` (the
 *   module's `queueDone()`); every call has submitted its commands already.
 * - anything else: every output is read back.
 */
export async function completionFor(module: BackendModule): Promise<Completer> {
  const name = module.backend.name;
  if (synchronousBackends.has(name)) return synchronous;
  const queueDone = (module as { queueDone?: () => Promise<void> }).queueDone;
  if (name === "native-webgpu" && typeof queueDone === "function") {
    return {
      method: "gpu-queue",
      description:
        "GPUQueue.onSubmittedWorkDone() of native-webgpu's device awaited (every call submits its own commands): waits for the GPU without downloading anything; the per-call time is the slope over batches of k and 2k calls, so the wait's own latency cancels",
      wait: () => queueDone(),
    };
  }
  if (name === "tfjs-webgpu") {
    const gpu = await tfjsWebgpuBackend(module);
    if (gpu !== undefined) {
      return {
        method: "gpu-queue",
        description:
          "tfjs's pending WebGPU commands submitted (backend.submitQueue(), as tfjs's own read does), then GPUQueue.onSubmittedWorkDone() awaited: waits for the GPU without downloading anything; the per-call time is the slope over batches of k and 2k calls, so the wait's own latency cancels",
        async wait() {
          // What tfjs's own read does before mapping its staging buffer.
          gpu.ensureCommandEncoderReady();
          gpu.endComputePassEncoder();
          gpu.submitQueue();
          await gpu.queue.onSubmittedWorkDone();
        },
      };
    }
  }
  return readBack;
}

async function tfjsWebgpuBackend(
  module: BackendModule,
): Promise<TfjsWebgpuBackend | undefined> {
  // One small op first, in case the adapter initialises tfjs's backend lazily.
  const t = module.tensor(new Float32Array([1]));
  const y = module.relu(t);
  await y.read();
  y.dispose();
  t.dispose();
  const tf = await import("@tensorflow/tfjs-core");
  const b = tf.findBackend("webgpu") as unknown as
    | Partial<TfjsWebgpuBackend>
    | null;
  if (
    b === null || typeof b.submitQueue !== "function" ||
    typeof b.ensureCommandEncoderReady !== "function" ||
    typeof b.endComputePassEncoder !== "function" ||
    typeof b.queue?.onSubmittedWorkDone !== "function"
  ) {
    return undefined;
  }
  return b as TfjsWebgpuBackend;
}
