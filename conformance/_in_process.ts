// A backend on the runner's own thread, for where the suite cannot start its
// worker: a browser page that runs a bundle of the suite (the book page's
// test, on Chromium's SwiftShader). The same calls and the same checks as
// Session, without its isolation: a backend that hangs or ends the thread
// takes the run with it, so only the built-in backends are run this way.

import type { BackendModule } from "@nonlin/core";
import {
  type Call,
  execute,
  type LoadedInfo,
  loadForSuite,
  type Outcome,
} from "./_executor.ts";

/** A backend loaded on this thread, answering as a Session does. */
export class InProcessSession {
  readonly spec: string;
  #backend: BackendModule | undefined;
  #builtin: string | undefined;

  constructor(spec: string) {
    this.spec = spec;
  }

  /** Loads the module; resolves to its info. */
  async load(): Promise<LoadedInfo> {
    const loaded = await loadForSuite(this.spec);
    this.#backend = loaded.backend;
    this.#builtin = loaded.builtin;
    return loaded.info;
  }

  /**
   * Runs calls in order. The calls and the outcomes are copied, as a
   * worker's messages copy them, so that a backend that writes into its
   * input or keeps a view of its output cannot change the suite's data.
   */
  async run(calls: readonly Call[], _what: string): Promise<Outcome[]> {
    const outcomes: Outcome[] = [];
    for (const call of structuredClone(calls)) {
      outcomes.push(await execute(this.#backend!, call, this.#builtin));
    }
    return structuredClone(outcomes);
  }

  /**
   * Releases what the backend holds (its `release()`, when it has one), as
   * a worker does before it stops.
   *
   * @returns Why the release failed, or `undefined`.
   */
  async close(): Promise<string | undefined> {
    try {
      await this.#backend?.release?.();
      return undefined;
    } catch (error) {
      const e = error instanceof Error ? error : new Error(String(error));
      return `release() failed: ${e.name}: ${e.message}`;
    }
  }
}
