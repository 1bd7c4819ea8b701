// One backend in its own worker, with a deadline on every request: a backend
// that hangs is terminated and reported, and the others go on.

import {
  type Call,
  type LoadedInfo,
  type Outcome,
  WORKER_TAG,
} from "./_executor.ts";

/** Why a session stopped answering. */
export class SessionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SessionError";
  }
}

/** A backend module loaded in a worker. */
export class Session {
  readonly spec: string;
  readonly timeoutMs: number;
  #worker: Worker;
  #pending:
    | {
      readonly id: number;
      resolve: (v: unknown) => void;
      reject: (e: Error) => void;
    }
    | undefined;
  /** Messages the backend posted itself, ignored. */
  strayMessages = 0;
  #dead: string | undefined;
  #next = 0;

  constructor(spec: string, timeoutMs: number) {
    this.spec = spec;
    this.timeoutMs = timeoutMs;
    this.#worker = new Worker(new URL("./_worker.ts", import.meta.url), {
      type: "module",
    });
    // Replies are matched to requests by id: anything else the backend
    // posts (it shares the worker's scope) is counted and ignored.
    this.#worker.onmessage = (event) => {
      const data = event.data as
        | {
          tag?: string;
          type?: string;
          id?: number;
          code?: number;
          how?: string;
        }
        | null;
      if (data?.tag !== WORKER_TAG) {
        this.strayMessages++;
        return;
      }
      if (data.type === "exited") {
        this.#fail(
          `the backend ended its thread with ${data.how}${
            data.how === "Deno.exit" ? `(${data.code})` : ""
          }`,
        );
        return;
      }
      const pending = this.#pending;
      if (pending === undefined || (data.id ?? -1) !== pending.id) {
        this.strayMessages++;
        return;
      }
      this.#pending = undefined;
      pending.resolve(data);
    };
    this.#worker.onerror = (event) => {
      event.preventDefault();
      this.#fail(`the backend's worker crashed: ${event.message}`);
    };
    this.#worker.onmessageerror = () =>
      this.#fail("a message from the worker could not be read");
  }

  /** Whether the worker has been stopped. */
  get dead(): string | undefined {
    return this.#dead;
  }

  #fail(reason: string): void {
    if (this.#dead === undefined) this.#dead = reason;
    this.#worker.terminate();
    const pending = this.#pending;
    this.#pending = undefined;
    pending?.reject(new SessionError(reason));
  }

  #request(
    message: Record<string, unknown>,
    what: string,
  ): Promise<unknown> {
    if (this.#dead !== undefined) {
      return Promise.reject(new SessionError(this.#dead));
    }
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => this.#fail(`timed out after ${this.timeoutMs / 1000} s ${what}`),
        this.timeoutMs,
      );
      this.#pending = {
        id,
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      this.#worker.postMessage({ ...message, tag: WORKER_TAG, id });
    });
  }

  /** Loads the module; resolves to its info, rejects with a SessionError when it cannot. */
  async load(): Promise<LoadedInfo> {
    const reply = await this.#request(
      { type: "load", spec: this.spec },
      "loading the module",
    ) as
      | { type: "loaded"; info: LoadedInfo }
      | { type: "failed"; error: { name: string; message: string } };
    if (reply.type === "failed") {
      throw new SessionError(`${reply.error.name}: ${reply.error.message}`);
    }
    return reply.info;
  }

  /** Runs calls in order; resolves to one outcome per call. */
  async run(calls: readonly Call[], what: string): Promise<Outcome[]> {
    const reply = await this.#request({ type: "batch", calls }, what) as {
      id: number;
      outcomes: Outcome[];
    };
    if (
      !Array.isArray(reply.outcomes) || reply.outcomes.length !== calls.length
    ) {
      const reason = `the backend's worker answered ${
        Array.isArray(reply.outcomes) ? reply.outcomes.length : "no"
      } results for ${calls.length} calls ${what}`;
      this.#fail(reason);
      throw new SessionError(reason);
    }
    return reply.outcomes;
  }

  /**
   * Asks the backend to release what it holds (its `release()`, when it has
   * one: a GPU device) and waits for that within the deadline; the worker
   * then ends itself. One that fails to release is terminated, and one that
   * is already stopped is not asked.
   *
   * @returns Why the release failed (it threw, timed out or ended the
   * thread), or `undefined`.
   */
  async close(): Promise<string | undefined> {
    let problem: string | undefined;
    if (this.#dead === undefined) {
      try {
        const reply = await this.#request(
          { type: "release" },
          "releasing the backend",
        ) as
          | { type: "released" }
          | { type: "failed"; error: { name: string; message: string } };
        if (reply.type === "failed") {
          problem =
            `release() failed: ${reply.error.name}: ${reply.error.message}`;
        }
      } catch (error) {
        problem = `release() did not finish: ${(error as Error).message}`;
      }
    }
    if (this.#dead === undefined) this.#dead = "closed";
    if (problem !== undefined) this.#worker.terminate();
    return problem;
  }
}
