/**
 * A second thread for large tensors: one worker running the same kernel
 * module on the same shared memory, with a scratch area of its own. A call
 * hands the worker the upper part of its arrays through a control block in
 * that memory and runs the lower part itself; both are synchronised with
 * `Atomics`, so the ops stay synchronous.
 *
 * The worker exits after a short idle time (a live worker would keep a
 * process from exiting) and is started again by the next large call; until
 * it reports ready, calls run on the calling thread alone. Where a thread
 * cannot block (a browser's main thread) or memory cannot be shared, there
 * is no worker.
 *
 * @module
 */

/** Control block states. */
const STARTING = 0;
const IDLE = 1;
const RUNNING = 2;
const DONE = 3;
const GONE = 4;

/** The control block: i32 state, function index, int-argument count, result; 4 ints; 4 f64 from byte 32. */
export const CONTROL_BYTES = 64;

/**
 * How long the worker waits for work before it exits, in ms: long enough to
 * stay up between the calls of a training loop or a benchmark, short enough
 * that a finished program is not held up long.
 */
const IDLE_MS = 2000;

// The worker: instantiates the module over the shared memory and runs
// whatever the control block asks for, until it has been idle too long.
const WORKER_SOURCE = `
const [STARTING, IDLE, RUNNING, DONE, GONE] = [${STARTING}, ${IDLE}, ${RUNNING}, ${DONE}, ${GONE}];
self.onmessage = async ({ data }) => {
  const { module, memory, names, control, scratch, idleMs } = data;
  const { exports } = await WebAssembly.instantiate(module, { env: { memory, scratch } });
  const fns = names.map((n) => exports[n]);
  const i32 = new Int32Array(memory.buffer, control, 8);
  const f64 = new Float64Array(memory.buffer, control + 32, 4);
  Atomics.store(i32, 0, IDLE);
  for (;;) {
    const state = Atomics.load(i32, 0);
    if (state === RUNNING) {
      const fn = fns[i32[1]];
      const ints = i32[2];
      const args = [];
      for (let j = 0; j < ints; j++) args.push(i32[4 + j]);
      for (let j = 0; args.length < fn.length; j++) args.push(f64[j]);
      i32[3] = fn(...args);
      Atomics.store(i32, 0, DONE);
      Atomics.notify(i32, 0);
      continue;
    }
    if (Atomics.wait(i32, 0, state, idleMs) === "timed-out" && state === IDLE &&
        Atomics.compareExchange(i32, 0, IDLE, GONE) === IDLE) {
      self.close();
      return;
    }
  }
};
`;

/** Whether this thread may block on `Atomics.wait` (not a browser's main thread). */
function canBlock(): boolean {
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
    return true;
  } catch {
    return false;
  }
}

/** Whether workers, shared WebAssembly memory and blocking waits all exist here. */
export function threadsSupported(): boolean {
  return typeof Worker === "function" &&
    typeof SharedArrayBuffer === "function" && canBlock();
}

/** The worker and its control block. */
export class Helper {
  readonly #module: WebAssembly.Module;
  readonly #memory: WebAssembly.Memory;
  readonly #names: readonly string[];
  readonly #control: number;
  readonly #scratch: number;
  #i32: Int32Array;
  #f64: Float64Array;
  #worker: Worker | undefined;
  #url: string | undefined;
  #jobs = 0;

  /**
   * @param module The compiled kernel module (importing a shared memory).
   * @param memory The shared memory.
   * @param names The module's exported functions, by index.
   * @param control The control block's address (64 bytes, in the memory).
   * @param scratch The worker instance's scratch area.
   */
  constructor(
    module: WebAssembly.Module,
    memory: WebAssembly.Memory,
    names: readonly string[],
    control: number,
    scratch: number,
  ) {
    this.#module = module;
    this.#memory = memory;
    this.#names = names;
    this.#control = control;
    this.#scratch = scratch;
    this.#i32 = new Int32Array(memory.buffer, control, 8);
    this.#f64 = new Float64Array(memory.buffer, control + 32, 4);
    this.#i32[0] = GONE;
  }

  /** The worker instance's scratch area. */
  get scratch(): number {
    return this.#scratch;
  }

  /** How many calls the worker has taken so far. */
  get jobs(): number {
    return this.#jobs;
  }

  /**
   * Hands the worker `fn(...ints, ...floats)` if it is idle, and returns
   * whether it took it; a missing worker is started for later calls.
   */
  start(
    fn: number,
    ints: readonly number[],
    floats: readonly number[],
  ): boolean {
    const i32 = this.#i32;
    const state = Atomics.load(i32, 0);
    if (state === GONE) this.#spawn();
    if (state !== IDLE) return false;
    i32[1] = fn;
    i32[2] = ints.length;
    for (let j = 0; j < ints.length; j++) i32[4 + j] = ints[j]!;
    for (let j = 0; j < floats.length; j++) this.#f64[j] = floats[j]!;
    if (Atomics.compareExchange(i32, 0, IDLE, RUNNING) !== IDLE) {
      // It timed out and left just now.
      this.#spawn();
      return false;
    }
    Atomics.notify(i32, 0);
    this.#jobs++;
    return true;
  }

  /** Waits for the job handed over by `start` and returns its result. */
  wait(): number {
    const i32 = this.#i32;
    while (Atomics.load(i32, 0) === RUNNING) Atomics.wait(i32, 0, RUNNING, 50);
    const result = i32[3]!;
    Atomics.store(i32, 0, IDLE);
    return result;
  }

  #spawn(): void {
    // A shared memory's buffer grows in place: refresh the views anyway.
    this.#i32 = new Int32Array(this.#memory.buffer, this.#control, 8);
    this.#f64 = new Float64Array(this.#memory.buffer, this.#control + 32, 4);
    Atomics.store(this.#i32, 0, STARTING);
    this.#url ??= URL.createObjectURL(
      new Blob([WORKER_SOURCE], { type: "text/javascript" }),
    );
    this.#worker = new Worker(this.#url, { type: "module" });
    // A worker that fails to start leaves the state at STARTING: calls then
    // run on this thread. Its error must not end the process.
    this.#worker.onerror = (event) => event.preventDefault();
    this.#worker.postMessage({
      module: this.#module,
      memory: this.#memory,
      names: this.#names,
      control: this.#control,
      scratch: this.#scratch,
      idleMs: IDLE_MS,
    });
  }
}
