/**
 * Helper threads for large tensors: a pool of workers, each running the same
 * kernel module on the same shared memory with a scratch area and a control
 * block of its own. A large call is cut into chunks that the calling thread
 * and the helpers claim one at a time from a shared counter (`Atomics.add`),
 * so a helper that the OS does not schedule at once delays nothing: the
 * others take its share. The calling thread posts the job to every idle
 * helper, claims chunks itself until none is left, then takes the job back
 * from helpers that never woke up (`Atomics.compareExchange`) and waits only
 * for those still working on a chunk, so the ops stay synchronous. A helper
 * that is not ready (starting, failed) just claims nothing: the results are
 * the same bits whichever thread runs which chunk (see `_simd_kernels.ts`).
 *
 * Where the helpers come from:
 * - Node and Deno: `node:worker_threads`, each worker `unref()`ed, so that a
 *   program exits as soon as its own work is done, helpers or not;
 * - browsers (and any runtime without `node:worker_threads`): Web Workers,
 *   which wait for work as long as the page lives; in Deno (`workers: "web"`)
 *   they exit after {@linkcode WEB_IDLE_MS} without work (a live Web Worker
 *   keeps a Deno process running) and start again with the next large call.
 *   (In a browser an idle exit would leave calls more than that apart on one
 *   thread: each would start helpers too late for itself, and they would be
 *   gone before the next.)
 *
 * A helper that cannot start, for any reason (no Worker, a `Worker` replaced
 * by another library, a script the runtime refuses, an error while it
 * starts), never fails a call: the pool records why, and the calls run on
 * fewer threads, down to the calling thread alone.
 *
 * @module
 */

/** Control block states. */
const STARTING = 0;
const IDLE = 1;
/** A job posted, not yet taken. */
const RUNNING = 2;
const DONE = 3;
const GONE = 4;
/** A job taken by the helper. */
const BUSY = 5;

/** Bytes of one control block (i32 fields, then float64 parameters from byte 80). */
const CONTROL_BYTES = 128;
/** Bytes of one helper's own area: its control block, then its scratch. */
const AREA_BYTES = 8192;

// i32 fields of a control block.
const F_STATE = 0;
const F_FN = 1;
const F_POINTERS = 2;
const F_RESULT = 3;
const F_PTR = 4; // three pointers: 4, 5, 6
const F_N = 7;
const F_CHUNK = 8;
const F_COUNTER = 9;
const F_GRADS = 10;
const F_SUMS_OUT = 11;
const F_PARAMS = 12;
const F_STOPPED = 13;
/** The sums' block size (elements), a divisor of every chunk size. */
const F_BLOCK = 14;
/**
 * The int32 that says how many chunks are ready (0: all are), with
 * {@linkcode CLOSED} set once no more will be.
 */
const F_READY = 15;
/** Where an int32 flag per chunk is set once the chunk is done (0: none). */
const F_DONE = 16;
/** 1: claim the chunks from the last one back. */
const F_REVERSE = 17;
/**
 * The index of the module's `scan` among its exports, to check each chunk
 * for NaN and ±∞ before running it (a chunk holding one is left, its flag
 * set to {@linkcode LEFT}); −1: no check.
 */
const F_SCAN = 18;
/**
 * 1: once a chunk is done, overwrite its first array (x, which the loop
 * only read) — see {@linkcode Job.clear}.
 */
const F_CLEAR = 19;
/** A chunk flag: the helper left the chunk (it holds NaN or ±∞). */
const LEFT = 2;
/**
 * A chunk flag: a thread has started the chunk (a helper sets it from 0
 * before running one, so that the calling thread can take any chunk no
 * helper has started yet).
 */
const STARTED = 3;
/** The bit of a job's ready count that says no more chunks will be ready. */
const CLOSED = 1 << 30;
/** float64 index of the parameters in a control block. */
const F64_PARAMS = 10;

/**
 * How long a Web Worker helper waits for work before it exits, ms: short,
 * so that a finished Deno program is not held up (node:worker_threads
 * helpers never need to exit: they are unref'ed).
 */
export const WEB_IDLE_MS = 50;

/**
 * How long a Web Worker helper waits for work before it exits, ms, here:
 * {@linkcode WEB_IDLE_MS} where a live Web Worker keeps the process running
 * (Deno), else never (a browser's helpers end with the page).
 */
export function webIdleMs(): number {
  return (globalThis as { Deno?: unknown }).Deno === undefined
    ? Infinity
    : WEB_IDLE_MS;
}

/** The most helper threads a pool starts. */
export const MAX_THREADS = 256;

/** The layout constants a helper needs, sent with its start message. */
const LAYOUT = {
  STARTING,
  IDLE,
  RUNNING,
  DONE,
  GONE,
  BUSY,
  F_FN,
  F_POINTERS,
  F_RESULT,
  F_PTR,
  F_N,
  F_CHUNK,
  F_COUNTER,
  F_GRADS,
  F_SUMS_OUT,
  F_PARAMS,
  F_STOPPED,
  F_BLOCK,
  F_READY,
  F_DONE,
  F_REVERSE,
  F_SCAN,
  F_CLEAR,
  LEFT,
  STARTED,
  CLOSED,
  F64_PARAMS,
  CONTROL_BYTES,
};

/** What a helper is started with. */
interface HelperStart {
  readonly module: WebAssembly.Module;
  readonly memory: WebAssembly.Memory;
  readonly names: readonly string[];
  readonly control: number;
  readonly scratch: number;
  readonly sums: number;
  readonly idleMs: number;
  readonly L: typeof LAYOUT;
}

type Loop = (...args: number[]) => number;

/**
 * The helper's whole program (its source is sent to the worker, so it uses
 * nothing but its arguments and the globals every worker has):
 * instantiates the module over the shared memory and runs whatever its
 * control block asks for, until it has been idle `idleMs`. A job claims
 * chunks c (elements [c·chunk, (c + 1)·chunk) of n) from the counter and runs
 * the loop on each; for a VJP with `grads` learned parameters in blocks of
 * `block` elements, storing each block's sums (left by the loop at `sums`)
 * at sumsOut + 8·(grads·blockIndex + j). A loop that recorded special
 * values stops the job: its chunk goes in F_STOPPED and its record count in
 * F_RESULT, for the calling thread to finish.
 */
async function helperMain(start: HelperStart, close: () => void) {
  const { module, memory, names, control, scratch, sums, idleMs, L } = start;
  const { exports } = await WebAssembly.instantiate(module, {
    env: { memory, scratch },
  });
  const fns = names.map((n) => exports[n] as Loop);
  const i32 = new Int32Array(memory.buffer, control, L.CONTROL_BYTES / 4);
  const p = new Float64Array(memory.buffer, control, L.CONTROL_BYTES / 8);
  let f64 = new Float64Array(memory.buffer);
  let f32 = new Float32Array(memory.buffer);
  let all = new Int32Array(memory.buffer);
  const P = L.F64_PARAMS;
  const call = (fn: Loop, o: number, n: number, k: number): number => {
    const a = i32[L.F_PTR]! + o;
    const b = i32[L.F_PTR + 1]! + o;
    if (i32[L.F_POINTERS] === 3) {
      const c = i32[L.F_PTR + 2]! + o;
      if (k === 0) return fn(a, b, c, n);
      if (k === 1) return fn(a, b, c, n, p[P]!);
      if (k === 2) return fn(a, b, c, n, p[P]!, p[P + 1]!);
      return fn(a, b, c, n, p[P]!, p[P + 1]!, p[P + 2]!, p[P + 3]!);
    }
    if (k === 0) return fn(a, b, n);
    if (k === 1) return fn(a, b, n, p[P]!);
    if (k === 2) return fn(a, b, n, p[P]!, p[P + 1]!);
    return fn(a, b, n, p[P]!, p[P + 1]!, p[P + 2]!, p[P + 3]!);
  };
  const job = (): number => {
    const fn = fns[i32[L.F_FN]!]!;
    const n = i32[L.F_N]!;
    const chunk = i32[L.F_CHUNK]!;
    const at = i32[L.F_COUNTER]! >>> 2;
    const grads = i32[L.F_GRADS]!;
    const out = i32[L.F_SUMS_OUT]! >>> 3;
    const k = i32[L.F_PARAMS]!;
    const block = grads > 0 ? i32[L.F_BLOCK]! : chunk;
    if (f64.buffer.byteLength !== memory.buffer.byteLength) {
      f64 = new Float64Array(memory.buffer);
      f32 = new Float32Array(memory.buffer);
      all = new Int32Array(memory.buffer);
    }
    const chunks = Math.ceil(n / chunk);
    const ready = i32[L.F_READY]! >>> 2;
    const done = i32[L.F_DONE]! >>> 2;
    const reverse = i32[L.F_REVERSE] === 1;
    const scan = i32[L.F_SCAN]! >= 0 ? fns[i32[L.F_SCAN]!]! : undefined;
    const clear = i32[L.F_CLEAR] === 1;
    for (;;) {
      const claimed = Atomics.add(all, at, 1);
      if (claimed >= chunks) return 0;
      // Wait until the calling thread has put the chunk's inputs in place,
      // or has said that it will do the rest itself.
      for (let spins = 0; ready !== 0; spins++) {
        const r = Atomics.load(all, ready);
        if ((r & ~L.CLOSED) > claimed) break;
        if ((r & L.CLOSED) !== 0) return 0;
        // Spin first, for about as long as the calling thread's own tile
        // takes (4096 spins ≈ 23 µs here), after which it hands out the
        // next chunk: sleeping costs it a wake-up (~7 µs in
        // Atomics.notify) and this thread ~8 µs more to run again.
        if (spins >= 4096) Atomics.wait(all, ready, r);
      }
      const c = reverse ? chunks - 1 - claimed : claimed;
      const end = Math.min(n, (c + 1) * chunk);
      // Taken by the calling thread while this one was not running.
      if (
        done !== 0 &&
        Atomics.compareExchange(all, done + c, 0, L.STARTED) !== 0
      ) {
        continue;
      }
      if (
        scan !== undefined &&
        scan(i32[L.F_PTR]! + 4 * c * chunk, end - c * chunk) !== 0
      ) {
        Atomics.store(all, done + c, L.LEFT);
        continue;
      }
      for (let s = c * chunk; s < end; s += block) {
        const count = call(fn, 4 * s, Math.min(block, end - s), k);
        for (let j = 0; j < grads; j++) {
          f64[out + grads * (s / block) + j] = f64[(sums >>> 3) + j]!;
        }
        if (count !== 0) {
          i32[L.F_STOPPED] = c;
          return count;
        }
      }
      if (clear) {
        const x = i32[L.F_PTR]! >>> 2;
        f32.fill(0, x + c * chunk, x + end);
      }
      if (done !== 0) Atomics.store(all, done + c, 1);
    }
  };
  Atomics.store(i32, 0, L.IDLE);
  Atomics.notify(i32, 0);
  for (;;) {
    const state = Atomics.load(i32, 0);
    if (state === L.RUNNING) {
      // Taken, unless the calling thread took it back first.
      if (Atomics.compareExchange(i32, 0, L.RUNNING, L.BUSY) !== L.RUNNING) {
        continue;
      }
      i32[L.F_RESULT] = job();
      Atomics.store(i32, 0, L.DONE);
      Atomics.notify(i32, 0);
      continue;
    }
    if (
      Atomics.wait(i32, 0, state, idleMs) === "timed-out" &&
      state === L.IDLE &&
      Atomics.compareExchange(i32, 0, L.IDLE, L.GONE) === L.IDLE
    ) {
      close();
      return;
    }
  }
}

const WEB_SOURCE = `const main = ${helperMain.toString()};
self.onmessage = ({ data }) => { main(data, () => self.close()); };
`;

const NODE_SOURCE = `const main = ${helperMain.toString()};
const { parentPort } = require("node:worker_threads");
parentPort.once("message", (data) => { main(data, () => parentPort.close()); });
`;

/** A started helper thread, whichever API made it. */
interface HelperThread {
  postMessage(message: unknown): void;
}

/** What the pool needs of `node:worker_threads`. */
interface NodeWorkerApi {
  Worker: new (
    source: string,
    options: { eval: true },
  ) => HelperThread & {
    unref(): void;
    on(event: "error", listener: (error: Error) => void): void;
  };
}

/** Whether this thread may block on `Atomics.wait` (not a browser's main thread). */
function canBlock(): boolean {
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Why this runtime cannot run helper threads over shared memory, or
 * undefined where it can: shared memory and blocking waits must exist.
 */
export function threadsUnsupported(): string | undefined {
  if (typeof SharedArrayBuffer !== "function") {
    const isolated = (globalThis as { crossOriginIsolated?: boolean })
      .crossOriginIsolated;
    return isolated === false
      ? "the page is not cross-origin isolated, so there is no SharedArrayBuffer (serve it with Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp)"
      : "this runtime has no SharedArrayBuffer";
  }
  if (!canBlock()) {
    return "this thread cannot block on Atomics.wait (a browser's main thread): run nonlin in a worker to use helper threads";
  }
  return undefined;
}

/** Whether this runtime is Node or Deno (where `node:worker_threads` exists). */
function hasNodeWorkers(): boolean {
  const g = globalThis as {
    Deno?: unknown;
    process?: { versions?: { node?: string } };
  };
  return g.Deno !== undefined || typeof g.process?.versions?.node === "string";
}

/**
 * Loads `node:worker_threads` where the runtime has it. The specifier is
 * built at run time so that bundlers for browsers leave it alone.
 */
export async function loadNodeWorkers(): Promise<NodeWorkerApi | undefined> {
  if (!hasNodeWorkers()) return undefined;
  try {
    const specifier = ["node", "worker_threads"].join(":");
    const api = await import(specifier) as Partial<NodeWorkerApi>;
    return typeof api.Worker === "function" ? api as NodeWorkerApi : undefined;
  } catch {
    return undefined;
  }
}

/** Which worker API a pool uses: `"node"` (node:worker_threads) or `"web"`. */
export type WorkerApi = "node" | "web";

/** One job for the helpers: a loop over n elements, claimed chunk by chunk. */
export interface Job {
  /** The loop's index among the module's exports. */
  readonly fn: number;
  /** The arrays' element 0 (2 or 3 pointers). */
  readonly ptrs: readonly number[];
  /** The number of elements. */
  readonly n: number;
  /** Elements per chunk (a multiple of `block`). */
  readonly chunk: number;
  /** The int32 counter the chunks are claimed from (starts at 0). */
  readonly counter: number;
  /** How many parameter sums each call leaves (0 but for a VJP). */
  readonly grads: number;
  /** Elements per sums block (with `grads` > 0). */
  readonly block: number;
  /** Where the block sums go (float64, `grads` per block, by block index). */
  readonly sumsOut: number;
  /** The loop's scalar arguments (at most 4). */
  readonly params: readonly number[];
  /**
   * The int32 holding how many chunks (in claiming order) have their
   * inputs in place, {@linkcode CLOSED} added once no more will; 0: every
   * chunk is ready.
   */
  readonly ready: number;
  /** Where an int32 per chunk is set to 1 once it is done; 0: nowhere. */
  readonly done: number;
  /** Whether chunks are claimed from the last one back. */
  readonly reverse: boolean;
  /**
   * The index of the module's `scan` among its exports: each chunk is
   * checked for NaN and ±∞ first, and one that holds any is left undone,
   * its flag in `done` set to {@linkcode CHUNK_LEFT}; −1: no check.
   */
  readonly scan: number;
  /**
   * Whether to overwrite a chunk's x (the first array) once the chunk is
   * done, when the loop wrote its result elsewhere (a VJP's dx over dy):
   * the calling thread copies the next call's x into those lines, and
   * lines this thread only read cost it ~2.5× as much to write as lines
   * this thread wrote (host_and_threads.md, fifth pass).
   */
  readonly clear: boolean;
}

/** The flag of a chunk a helper left undone (it holds NaN or ±∞). */
export const CHUNK_LEFT: number = LEFT;

/** The flag of a chunk a thread has started (set from 0 by compare-exchange). */
export const CHUNK_STARTED: number = STARTED;

/** The bit of a job's ready count that says no more chunks will be ready. */
export const READY_CLOSED: number = CLOSED;

/** What a helper did with a job. */
export interface Outcome {
  /** Whether it took the job at all (false: taken back before it woke). */
  readonly took: boolean;
  /** Records left by the loop that stopped it (0: it ran out of chunks). */
  readonly count: number;
  /** The chunk it stopped in, when `count` > 0. */
  readonly stopped: number;
}

const NOT_TAKEN: Outcome = Object.freeze({ took: false, count: 0, stopped: 0 });
const TOOK: Outcome = Object.freeze({ took: true, count: 0, stopped: 0 });

/** One helper's control block and state on this side. */
interface Slot {
  readonly control: number;
  readonly scratch: number;
  thread: HelperThread | undefined;
  jobs: number;
}

/** The pool of helper threads of one kernel module instance. */
export class Pool {
  readonly #module: WebAssembly.Module;
  readonly #memory: WebAssembly.Memory;
  readonly #names: readonly string[];
  readonly #sumsOffset: number;
  readonly #slots: Slot[] = [];
  readonly #api: WorkerApi;
  readonly #node: NodeWorkerApi | undefined;
  #url: string | undefined;
  #i32: Int32Array;
  #failure: string | undefined;
  #started = false;
  #posted = 0;

  /**
   * @param module The compiled kernel module (importing a shared memory).
   * @param memory The shared memory.
   * @param names The module's exported functions, by index.
   * @param areas Where each helper's area of {@linkcode Pool.areaBytes}
   * bytes is (one per helper; 64-byte aligned, zeroed).
   * @param sumsOffset Where a loop leaves its sums in a scratch area.
   * @param node `node:worker_threads`, to make the helpers with; Web
   * Workers when absent.
   */
  constructor(
    module: WebAssembly.Module,
    memory: WebAssembly.Memory,
    names: readonly string[],
    areas: readonly number[],
    sumsOffset: number,
    node: NodeWorkerApi | undefined,
  ) {
    this.#module = module;
    this.#memory = memory;
    this.#names = names;
    this.#sumsOffset = sumsOffset;
    this.#node = node;
    this.#api = node === undefined ? "web" : "node";
    this.#i32 = new Int32Array(memory.buffer);
    for (const area of areas) {
      this.#slots.push({
        control: area,
        scratch: area + CONTROL_BYTES,
        thread: undefined,
        jobs: 0,
      });
      Atomics.store(this.#i32, (area >>> 2) + F_STATE, GONE);
    }
  }

  /** Bytes of one helper's area (its control block and scratch). */
  static readonly areaBytes: number = AREA_BYTES;

  /** How many helpers the pool holds (threads a call may use, less one). */
  get helpers(): number {
    return this.#failure === undefined ? this.#slots.length : 0;
  }

  /** The API the helpers are made with. */
  get api(): WorkerApi {
    return this.#api;
  }

  /** Why the pool runs no helper, once one failed to start; else undefined. */
  get failure(): string | undefined {
    return this.#failure;
  }

  /**
   * Jobs handed to a helper so far (taken or, when the calling thread ran
   * every chunk before the helper woke, taken back).
   */
  get posted(): number {
    return this.#posted;
  }

  /** Jobs each helper has worked on so far. */
  get jobs(): number[] {
    return this.#slots.map((s) => s.jobs);
  }

  /** Helper `h`'s scratch area (where its records and sums are). */
  scratch(h: number): number {
    return this.#slots[h]!.scratch;
  }

  /** Starts every helper that is not running, unless the pool has failed. */
  wake(): void {
    if (this.#failure !== undefined) return;
    for (const slot of this.#slots) {
      if (Atomics.load(this.#i32, slot.control >>> 2) === GONE) {
        this.#spawn(slot);
        if (this.#failure !== undefined) return;
      }
    }
  }

  /**
   * Resolves once every helper is ready (or the pool has failed), starting
   * them first; for tests and benchmarks, which want every thread at work.
   *
   * @param timeoutMs Gives up after this long.
   * @returns Whether every helper is ready.
   */
  async ready(timeoutMs = 10_000): Promise<boolean> {
    this.wake();
    const until = Date.now() + timeoutMs;
    for (;;) {
      if (this.#failure !== undefined) return false;
      const all = this.#slots.every((s) =>
        Atomics.load(this.#i32, s.control >>> 2) === IDLE
      );
      if (all) return true;
      if (Date.now() > until) return false;
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  }

  /**
   * Hands helper `h` a job if it is idle, and returns whether it took it. A
   * helper that has exited is started again for later calls.
   */
  start(h: number, job: Job): boolean {
    const slot = this.#slots[h]!;
    const i32 = this.#i32Current();
    const base = slot.control >>> 2;
    const state = Atomics.load(i32, base);
    if (state === GONE) {
      if (this.#failure === undefined) this.#spawn(slot);
      return false;
    }
    if (state !== IDLE || this.#failure !== undefined) return false;
    i32[base + F_FN] = job.fn;
    i32[base + F_POINTERS] = job.ptrs.length;
    for (let j = 0; j < 3; j++) i32[base + F_PTR + j] = job.ptrs[j] ?? 0;
    i32[base + F_N] = job.n;
    i32[base + F_CHUNK] = job.chunk;
    i32[base + F_COUNTER] = job.counter;
    i32[base + F_BLOCK] = job.block;
    i32[base + F_GRADS] = job.grads;
    i32[base + F_SUMS_OUT] = job.sumsOut;
    i32[base + F_PARAMS] = job.params.length;
    i32[base + F_READY] = job.ready;
    i32[base + F_DONE] = job.done;
    i32[base + F_REVERSE] = job.reverse ? 1 : 0;
    i32[base + F_SCAN] = job.scan;
    i32[base + F_CLEAR] = job.clear ? 1 : 0;
    const f64 = new Float64Array(i32.buffer, slot.control, CONTROL_BYTES / 8);
    for (let j = 0; j < job.params.length; j++) {
      f64[F64_PARAMS + j] = job.params[j]!;
    }
    if (Atomics.compareExchange(i32, base, IDLE, RUNNING) !== IDLE) {
      return false; // it timed out and left just now
    }
    Atomics.notify(i32, base);
    this.#posted++;
    return true;
  }

  /**
   * Ends the job posted to helper `h`: takes it back if the helper has not
   * woken up yet, else waits for it to finish.
   */
  wait(h: number): Outcome {
    const i32 = this.#i32Current();
    const slot = this.#slots[h]!;
    const base = slot.control >>> 2;
    if (Atomics.compareExchange(i32, base, RUNNING, IDLE) === RUNNING) {
      return NOT_TAKEN;
    }
    while (Atomics.load(i32, base) === BUSY) {
      Atomics.wait(i32, base, BUSY, 50);
    }
    const count = i32[base + F_RESULT]!;
    const stopped = i32[base + F_STOPPED]!;
    Atomics.store(i32, base, IDLE);
    slot.jobs++;
    return count === 0 ? TOOK : { took: true, count, stopped };
  }

  /** A view of the memory as it is now (a shared memory's buffer grows in place). */
  #i32Current(): Int32Array {
    if (this.#i32.buffer.byteLength !== this.#memory.buffer.byteLength) {
      this.#i32 = new Int32Array(this.#memory.buffer);
    }
    return this.#i32;
  }

  /** Stops using helpers, for `reason`. */
  #fail(reason: string): void {
    this.#failure ??= reason;
  }

  #spawn(slot: Slot): void {
    const i32 = this.#i32Current();
    Atomics.store(i32, slot.control >>> 2, STARTING);
    const message = {
      module: this.#module,
      memory: this.#memory,
      names: this.#names,
      control: slot.control,
      scratch: slot.scratch,
      sums: slot.scratch + this.#sumsOffset,
      idleMs: this.#api === "node" ? Infinity : webIdleMs(),
      L: LAYOUT,
    };
    try {
      if (this.#node !== undefined) {
        const worker = new this.#node.Worker(NODE_SOURCE, { eval: true });
        // A helper must never keep the program alive.
        worker.unref();
        worker.on("error", (error) => this.#lost(slot, error));
        slot.thread = worker;
      } else {
        this.#url ??= URL.createObjectURL(
          new Blob([WEB_SOURCE], { type: "text/javascript" }),
        );
        const worker = new Worker(this.#url, { type: "module" });
        // Its error must not end the process: the pool records it.
        worker.onerror = (event) => {
          event.preventDefault();
          this.#lost(slot, event.error ?? event.message);
        };
        slot.thread = worker;
      }
      slot.thread.postMessage(message);
      this.#started = true;
    } catch (error) {
      Atomics.store(i32, slot.control >>> 2, GONE);
      slot.thread = undefined;
      this.#fail(
        `a helper thread could not start (${
          this.#api === "node" ? "node:worker_threads" : "Worker"
        }): ${describeError(error)}`,
      );
    }
  }

  /** A helper that failed after it was made: its chunks go to other threads. */
  #lost(slot: Slot, error: unknown): void {
    slot.thread = undefined;
    const i32 = this.#i32Current();
    // Not ready and never will be: calls skip it (GONE would respawn it).
    Atomics.store(i32, slot.control >>> 2, STARTING);
    this.#fail(`a helper thread failed: ${describeError(error)}`);
  }
}

function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === "string" && !error.message.includes(code)
      ? `${code}: ${error.message}`
      : error.message;
  }
  return String(error);
}
