// jax-js's wasm device keeps a pool of web workers (one per core) that it
// never terminates, and a live Worker keeps a Deno or browser-less process
// running: a script that used jax-js would never exit. Deno's Worker has no
// unref(). So while jax-js creates its pool, the global Worker is replaced by
// IdleWorker, which holds a real Worker only while work is outstanding:
// after an idle time with nothing outstanding it terminates it, and the next
// message starts a new one from the same source, replaying jax-js's "init"
// message (the shared wasm memory) first. A jax-js pool worker keeps nothing
// else between messages but a cache of compiled kernels, which it rebuilds.
//
// A restart costs 0.1–0.5 s (a new isolate, the kernels compiled again), more
// under load. A program whose calls come a little further apart than the idle
// time would pay it on every call: the conformance suite, whose cases wait for
// the slowest backend, spent 260 of 264 s restarting jax-js's pool over three
// ops beside tfjs-webgpu (11 s with the pool kept). So the idle time adapts:
// it starts at IDLE_MS and doubles, up to MAX_IDLE_MS, whenever a worker is
// needed again within MAX_IDLE_MS of being terminated. A script that ends
// still exits at most MAX_IDLE_MS after its last call.

/** How long a pool worker may first sit idle before it is terminated, ms. */
export const IDLE_MS = 500;

/** The longest the idle time grows to, ms. */
export const MAX_IDLE_MS = 8000;

/**
 * The idle time after a worker was needed again `sinceTerminated` ms after
 * it was terminated for having been idle `idleMs`: doubled (up to
 * {@linkcode MAX_IDLE_MS}) when the restart came soon, else unchanged.
 */
export function nextIdleMs(idleMs: number, sinceTerminated: number): number {
  return sinceTerminated < MAX_IDLE_MS
    ? Math.min(MAX_IDLE_MS, 2 * idleMs)
    : idleMs;
}

type Handler<E> = ((event: E) => void) | null;

/** A Worker that terminates its real worker when idle and restarts it on demand. */
class IdleWorker {
  /** The real Worker constructor, saved before the global one is replaced. */
  static real: typeof Worker;
  onmessage: Handler<MessageEvent> = null;
  onerror: Handler<ErrorEvent> = null;
  onmessageerror: Handler<MessageEvent> = null;
  readonly #options: WorkerOptions | undefined;
  #source: string | undefined;
  #real: Worker | undefined;
  #init: unknown;
  #pending = 0;
  #swallowReady = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #idleMs = IDLE_MS;
  #terminatedAt = -Infinity;
  /** How many times a terminated worker was started again, all workers. */
  static restarts = 0;

  constructor(url: string | URL, options?: WorkerOptions) {
    this.#options = options;
    const href = String(url);
    // jax-js revokes its blob URL once the pool is ready: keep the source.
    fetch(href).then((r) => r.text()).then((text) => (this.#source = text))
      .catch(() => {});
    this.#start(href);
  }

  #start(url: string): void {
    const real = new IdleWorker.real(url, this.#options);
    real.onmessage = (event) => {
      if (this.#swallowReady && event.data?.type === "ready") {
        this.#swallowReady = false;
        return;
      }
      this.#pending = Math.max(0, this.#pending - 1);
      if (this.#pending === 0) this.#idle();
      this.onmessage?.(event);
    };
    real.onerror = (event) => this.onerror?.(event);
    real.onmessageerror = (event) => this.onmessageerror?.(event);
    this.#real = real;
  }

  #idle(): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      if (this.#pending === 0 && this.#source !== undefined) {
        this.#real?.terminate();
        this.#real = undefined;
        this.#terminatedAt = performance.now();
      }
    }, this.#idleMs);
  }

  postMessage(message: unknown, transfer?: Transferable[]): void {
    clearTimeout(this.#timer);
    const isInit = (message as { type?: unknown })?.type === "init";
    if (isInit) this.#init = message;
    if (this.#real === undefined) {
      IdleWorker.restarts++;
      this.#idleMs = nextIdleMs(
        this.#idleMs,
        performance.now() - this.#terminatedAt,
      );
      const url = URL.createObjectURL(
        new Blob([this.#source!], { type: "application/javascript" }),
      );
      this.#start(url);
      URL.revokeObjectURL(url);
      if (!isInit && this.#init !== undefined) {
        this.#swallowReady = true;
        this.#real!.postMessage(this.#init);
      }
    }
    this.#pending++;
    this.#real!.postMessage(message, transfer ?? []);
  }

  terminate(): void {
    clearTimeout(this.#timer);
    this.#real?.terminate();
    this.#real = undefined;
  }
}

/**
 * Runs `body` with {@linkcode IdleWorker} as the global Worker, and puts the
 * real one back afterwards whatever happens.
 *
 * @returns How many workers were created meanwhile.
 */
export async function withIdleWorkers(
  body: () => Promise<void>,
): Promise<number> {
  const saved = globalThis.Worker;
  if (saved === undefined) {
    await body();
    return 0;
  }
  IdleWorker.real = saved;
  let created = 0;
  const Counting = class extends IdleWorker {
    constructor(url: string | URL, options?: WorkerOptions) {
      super(url, options);
      created++;
    }
  };
  globalThis.Worker = Counting as unknown as typeof Worker;
  try {
    await body();
  } finally {
    globalThis.Worker = saved;
  }
  return created;
}

/** How many times a terminated pool worker was started again so far. */
export function poolRestarts(): number {
  return IdleWorker.restarts;
}
