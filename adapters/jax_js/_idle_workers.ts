// jax-js's wasm device keeps a pool of web workers (one per core) that it
// never terminates, and a live Worker keeps a Deno or browser-less process
// running: a script that used jax-js would never exit. Deno's Worker has no
// unref(). So while jax-js creates its pool, the global Worker is replaced by
// IdleWorker, which holds a real Worker only while work is outstanding:
// after IDLE_MS with nothing outstanding it terminates it, and the next
// message starts a new one from the same source, replaying jax-js's "init"
// message (the shared wasm memory) first. A jax-js pool worker keeps nothing
// else between messages but a cache of compiled kernels, which it rebuilds.

/** How long a pool worker may sit idle before it is terminated, ms. */
export const IDLE_MS = 500;

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
      }
    }, IDLE_MS);
  }

  postMessage(message: unknown, transfer?: Transferable[]): void {
    clearTimeout(this.#timer);
    const isInit = (message as { type?: unknown })?.type === "init";
    if (isInit) this.#init = message;
    if (this.#real === undefined) {
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
