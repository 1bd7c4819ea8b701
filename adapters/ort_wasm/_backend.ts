// One ort-wasm backend instance: a host worker with its thread count, and the
// contract built on it.

import { type BackendModule, type OpName, opNames, ops } from "@nonlin/core";
import { createPeerBackend, type PeerUnsupported } from "@nonlin/peer-glue";
import { OrtClient, type OrtHandle } from "./_client.ts";
import { OPSET } from "./_ops.ts";

/** The onnxruntime-web version this adapter is written and tested against. */
export const ONNXRUNTIME_WEB_VERSION = "1.30.0";

/** Why no second derivative: the same for every op. */
export const NO_SECOND_DERIVATIVE =
  "onnxruntime-web has no autodiff (training was removed from the web package); this adapter builds first-derivative graphs from the catalog's formulas only";

const unsupported: readonly PeerUnsupported[] = opNames.map((op) => ({
  op,
  feature: "secondDerivative",
  reason: NO_SECOND_DERIVATIVE,
}));

/**
 * Starts an ort-wasm backend: onnxruntime-web's wasm execution provider in
 * its own worker, with `threads` threads.
 *
 * @param name The backend name.
 * @param threads onnxruntime-web's `env.wasm.numThreads`.
 */
export async function createOrtWasmBackend(
  name: string,
  threads: number,
): Promise<BackendModule> {
  const started = typeof SharedArrayBuffer === "undefined"
    ? { reason: "SharedArrayBuffer is not available here" }
    : await OrtClient.start(threads).catch((error) => ({
      reason: `cannot start onnxruntime-web: ${error}`,
    }));
  const client = "client" in started ? started.client : undefined;
  const reason = "reason" in started ? started.reason : undefined;
  const unavailable = () => reason;
  // The factory checks availability before any engine call.
  const need = (): OrtClient => {
    if (client === undefined) throw new Error(reason);
    return client;
  };
  return createPeerBackend({
    name,
    unavailable,
    properties: {
      onnxruntimeWeb: "version" in started
        ? started.version
        : ONNXRUNTIME_WEB_VERSION,
      executionProvider: "wasm",
      threads: "threads" in started ? started.threads : threads,
      opset: OPSET,
      host: "node:worker_threads worker",
    },
    unsupported,
    upload: (data, shape) => need().upload(data, shape),
    read: (h, into) => need().read(h, into),
    free: (h) => need().free(h),
    forward: (op, x, p) => need().run(op, "forward", x, p)[0]!,
    derivative: (op, x, p) => need().run(op, "derivative", x, p)[0]!,
    vjp: (op, x, dy, p) => {
      const [dx, ...rest] = need().run(op, "vjp", x, p, dy);
      const dparams: Record<string, OrtHandle> = {};
      learnedNames(op).forEach((k, i) => (dparams[k] = rest[i]!));
      return { dx: dx!, dparams };
    },
    // Declared unsupported for every op: the factory refuses it first.
    secondDerivative: () => {
      throw new Error(NO_SECOND_DERIVATIVE);
    },
  });
}

function learnedNames(op: OpName): string[] {
  return Object.entries(ops[op].params).filter(([, s]) => s.learned).map((
    [k],
  ) => k);
}

/** The thread count from the environment variable `variable`, or `fallback`. */
export function threadsFromEnv(variable: string, fallback: number): number {
  let value: string | undefined;
  try {
    value = (globalThis as { process?: { env: Record<string, string> } })
      .process?.env[variable];
  } catch {
    value = undefined;
  }
  if (value === undefined || value === "") return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) {
    throw new RangeError(
      `${variable} must be a positive integer: got "${value}"`,
    );
  }
  return n;
}
