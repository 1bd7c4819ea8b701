// One backend in its own worker, with a deadline on every request: a backend
// that hangs is terminated and reported, and the others go on.

import type { Call, LoadedInfo, Outcome } from "./_executor.ts";

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
    | { resolve: (v: unknown) => void; reject: (e: Error) => void }
    | undefined;
  #dead: string | undefined;
  #next = 0;

  constructor(spec: string, timeoutMs: number) {
    this.spec = spec;
    this.timeoutMs = timeoutMs;
    this.#worker = new Worker(new URL("./_worker.ts", import.meta.url), {
      type: "module",
    });
    this.#worker.onmessage = (event) => {
      const pending = this.#pending;
      this.#pending = undefined;
      pending?.resolve(event.data);
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

  #request(message: unknown, what: string): Promise<unknown> {
    if (this.#dead !== undefined) {
      return Promise.reject(new SessionError(this.#dead));
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => this.#fail(`timed out after ${this.timeoutMs / 1000} s ${what}`),
        this.timeoutMs,
      );
      this.#pending = {
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      this.#worker.postMessage(message);
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
    const id = this.#next++;
    const reply = await this.#request({ type: "batch", id, calls }, what) as {
      id: number;
      outcomes: Outcome[];
    };
    return reply.outcomes;
  }

  /** Stops the worker. */
  close(): void {
    if (this.#dead === undefined) this.#dead = "closed";
    this.#worker.terminate();
  }
}
