// Starting jax-js once per process: its wasm device, and a worker pool that
// lets the process exit.

import * as jax from "@jax-js/jax";
import { JaxEngine } from "./_engine.ts";
import { withIdleWorkers } from "./_idle_workers.ts";

/** The jax-js version this adapter is written and tested against. */
export const JAX_JS_VERSION = "0.1.25";

/** What {@linkcode initialise} found. */
export interface Initialised {
  /** The engine. */
  readonly engine: JaxEngine;
  /** Why jax-js cannot run here, or `undefined`. */
  readonly reason: string | undefined;
  /** Facts for `capabilities.properties`. */
  readonly properties: Readonly<Record<string, string | number | boolean>>;
}

/** Starts jax-js's wasm device and its worker pool. */
export async function initialise(): Promise<Initialised> {
  const engine = new JaxEngine();
  let reason: string | undefined;
  let workers = 0;
  try {
    const devices = await jax.init("wasm");
    if (!devices.includes("wasm")) {
      reason = "jax-js's wasm device did not initialise";
    } else {
      jax.defaultDevice("wasm");
      // jax-js makes its worker pool on the first parallel kernel: run one
      // while the idle-terminating Worker stands in for the global one.
      workers = await withIdleWorkers(async () => {
        const n = 1 << 16;
        const x = engine.upload(new Float32Array(n), [n]);
        const y = engine.forward("relu", { handle: x, shape: [n] }, {});
        await engine.read(y);
        engine.free(x);
        engine.free(y);
      });
    }
  } catch (error) {
    reason = `jax-js failed to start: ${
      error instanceof Error ? error.message : String(error)
    }`;
  }
  return {
    engine,
    reason,
    properties: {
      jaxJs: JAX_JS_VERSION,
      device: "wasm",
      workers,
      threads: Math.max(1, workers),
    },
  };
}
