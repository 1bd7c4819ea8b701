// Initialising a tfjs backend and saying why, when it fails.

import * as tf from "@tensorflow/tfjs";

// tfjs logs through console.warn (an advert for tfjs-node on first use of the
// cpu backend under Deno, which it takes for Node); that would end up in the
// CLI's output. PROD only silences those logs; failures are reported by
// initialise() below instead.
tf.env().set("PROD", true);

function message(error: unknown): string {
  if (error instanceof Error) return error.message;
  const m = (error as { message?: unknown } | null)?.message;
  return typeof m === "string" ? m : String(error);
}

// tfjs's setBackend is not reentrant: with two initialisations in flight
// (adapters imported side by side, whose top-level awaits interleave), one
// backend's kernels get set up on the other. They run one after the other.
let queue: Promise<unknown> = Promise.resolve();

/**
 * Initialises one of tfjs's registered backends and makes it active, after
 * any initialisation already in flight.
 *
 * @param tfjsBackend tfjs's name for it: `"cpu"`, `"wasm"`, `"webgpu"`.
 * @returns `undefined` when it runs, otherwise why not.
 */
export function initialise(tfjsBackend: string): Promise<string | undefined> {
  const run = queue.then(() => start(tfjsBackend));
  queue = run;
  return run;
}

async function start(tfjsBackend: string): Promise<string | undefined> {
  const failed = (detail: string) => {
    // A failed backend would stay tfjs's preferred one and break tf.ready().
    tf.removeBackend(tfjsBackend);
    return `tfjs could not initialise its ${tfjsBackend} backend: ${detail}`;
  };
  if (!tf.findBackendFactory(tfjsBackend)) {
    return `tfjs has no ${tfjsBackend} backend registered`;
  }
  try {
    if (await tf.setBackend(tfjsBackend)) return undefined;
  } catch (error) {
    return failed(message(error));
  }
  // setBackend only answers false; ask the factory itself for the error.
  try {
    await tf.findBackendFactory(tfjsBackend)?.();
  } catch (error) {
    return failed(message(error));
  }
  return failed("its factory reported no error");
}

/** tfjs's package versions, as capability properties. */
export function tfjsVersions(): Record<string, string> {
  return {
    "tfjs-core": tf.version_core,
    tfjs: tf.version.tfjs ?? tf.version_core,
  };
}
