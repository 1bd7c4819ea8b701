/**
 * The WebAssembly SIMD kernel set: the module of `_module.ts` instantiated
 * over its own memory, with the {@linkcode KernelSet} interface of
 * `../_kernels.ts` on top. Arrays that are views of that memory (resident
 * tensors allocated by its {@linkcode Heap}) are passed as pointers, with no
 * copy. A call on host arrays only (the Float32Array form) streams them a
 * tile at a time through a tile allocated once in that memory on one
 * thread; split over helper threads, the helpers' share goes through a
 * scratch kept between calls, a chunk at a time, while the calling thread
 * streams its own (`Runner.stream`); a call mixing the two
 * copies its host arrays into scratch blocks. Vectors
 * holding NaN or ±∞ that a loop recorded are finished by the JavaScript
 * kernels, element by element.
 *
 * @module
 */

import type { OpName } from "@nonlin/core";
import type {
  KernelArgs,
  KernelSet,
  OpKernel,
  ParamGradients,
} from "../_kernels.ts";
import { jsKernels } from "../_js_kernels.ts";
import { Block, Heap } from "./_heap.ts";
import {
  buildKernelModule,
  HEAP_BASE,
  type Loop,
  RECORD_CAPACITY,
  RECORD_SIZE,
  RECORDS,
  scratchOf,
  SUMS,
} from "./_module.ts";
import {
  CHUNK_LEFT,
  CHUNK_STARTED,
  type Job,
  loadNodeWorkers,
  MAX_THREADS,
  Pool,
  READY_CLOSED,
  threadsUnsupported,
  webIdleMs,
} from "./_threads.ts";
import { POOL_BASE } from "./_vmath.ts";
import {
  type KernelDef,
  kernelDefs,
  kernelFamilies,
  type LaneKind,
  lanesOf,
} from "./_ops.ts";

type Kernel = (...args: number[]) => number;

/** A loaded SIMD kernel set and the heap its tensors live in. */
export interface SimdKernels {
  /** The kernel set, named `"wasm-simd"`. */
  readonly kernels: KernelSet;
  /** The allocator of the kernels' memory. */
  readonly heap: Heap;
  /** Whether a·b + c runs as a fused multiply–add (relaxed SIMD). */
  readonly fma: boolean;
  /**
   * Threads a large call may run on now: the calling thread and every
   * helper (1 without helpers, or once one failed to start).
   */
  readonly threads: number;
  /** Why calls run on one thread although more were asked for; else undefined. */
  readonly threadsReason: string | undefined;
  /** How many chunks of calls the helpers have run, all together. */
  workerJobs(): number;
  /**
   * How many jobs calls have handed to helpers (a split call posts one per
   * idle helper, whether or not the helper wakes before the calling thread
   * has run every chunk): which calls split, for tests.
   */
  splitJobs(): number;
  /**
   * Starts every helper and resolves once all are ready (true) or the pool
   * gave up (false): for tests and benchmarks, which want every thread at
   * work from the first call. Calls never need it.
   */
  ready(timeoutMs?: number): Promise<boolean>;
}

/** Options of {@linkcode loadSimdKernels}. */
export interface LoadOptions {
  /**
   * Use relaxed SIMD's multiply–add where the runtime has it.
   * @default false
   */
  readonly fma?: boolean;
  /**
   * How many threads a large call may use, the calling thread included:
   * `true` for {@linkcode defaultThreads}, a count (1 to
   * {@linkcode MAX_THREADS}; 1: no helper), or `false` (1). Helpers run over
   * a shared memory where the runtime has shared memory and blocking waits.
   * @default false
   */
  readonly threads?: boolean | number;
  /**
   * Which worker API makes the helpers: `"auto"` (`node:worker_threads` in
   * Node and Deno, Web Workers elsewhere) or `"web"` (Web Workers only).
   * @default "auto"
   */
  readonly workers?: "auto" | "web";
  /**
   * The fewest elements per thread a call is split at, for the float64-
   * and the float32-lane loops, overriding the measured defaults (for
   * measuring them: `scaling_bench.ts --split`). Host arrays never split a
   * float32-lane loop, whatever `f32` says.
   * @default { f64: 2¹⁵, f32: 3·2¹⁷ }
   */
  readonly split?: { readonly f64: number; readonly f32: number };
  /**
   * How much work each thread of a split call on resident data must get,
   * in nanoseconds of the loop on one thread, for the float64-lane loops.
   * A loop's cost per element is measured on this process's own calls (the
   * fastest seen); until it is, the loop splits by `split`, as it always
   * does on host arrays. `false`: by `split` only — the default when
   * `split` is given, so that it decides.
   * @default 30_000
   */
  readonly splitWork?: number | false;
}

/** The most threads {@linkcode defaultThreads} gives without an override. */
export const DEFAULT_THREAD_CAP = 16;

/**
 * The default thread count: `navigator.hardwareConcurrency` (Node 20 has no
 * `navigator`: there `os.availableParallelism()`), at most
 * {@linkcode DEFAULT_THREAD_CAP} (beyond that a memory-bound loop gains
 * little and every call pays for waking more helpers); 1 where unknown.
 */
export function defaultThreads(): number {
  const cores = globalThis.navigator?.hardwareConcurrency ?? nodeCores();
  if (typeof cores !== "number" || !Number.isFinite(cores) || cores < 1) {
    return 1;
  }
  return Math.min(Math.floor(cores), DEFAULT_THREAD_CAP);
}

/**
 * The core count through Node's `os` module, reached synchronously with
 * `process.getBuiltinModule` (Node ≥ 20.16), so that no import of `node:os`
 * reaches a browser bundle; `undefined` elsewhere.
 */
function nodeCores(): number | undefined {
  const process = (globalThis as {
    process?: { getBuiltinModule?: (id: string) => unknown };
  }).process;
  const os = process?.getBuiltinModule?.("node:os") as
    | { availableParallelism?: () => number }
    | undefined;
  return os?.availableParallelism?.();
}

/** Whether this runtime validates WebAssembly SIMD (and relaxed SIMD). */
export function simdSupport(): { simd: boolean; relaxed: boolean } {
  if (typeof WebAssembly !== "object") return { simd: false, relaxed: false };
  // (func (result v128) v128.const 0) and the same with f64x2.relaxed_madd.
  const probe = (body: number[]) =>
    WebAssembly.validate(
      // deno-fmt-ignore
      new Uint8Array([
        0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0, // header
        1, 5, 1, 0x60, 0, 1, 0x7b, // type () → v128
        3, 2, 1, 0, // one function of type 0
        10, body.length + 2, 1, body.length, ...body,
      ]),
    );
  const zero = [0xfd, 0x0c, ...new Array(16).fill(0)];
  const simd = probe([0, ...zero, 0x0b]);
  const relaxed = simd &&
    probe([0, ...zero, ...zero, ...zero, 0xfd, 0x87, 0x02, 0x0b]);
  return { simd, relaxed };
}

/**
 * Builds, compiles and instantiates the kernels.
 *
 * @throws {Error} Where WebAssembly SIMD is not available (check
 * {@linkcode simdSupport} first).
 */
export async function loadSimdKernels(
  options: LoadOptions = {},
): Promise<SimdKernels> {
  const support = simdSupport();
  if (!support.simd) {
    throw new Error("This runtime has no WebAssembly SIMD");
  }
  const fma = (options.fma ?? false) && support.relaxed;
  const wanted = options.threads === true
    ? defaultThreads()
    : typeof options.threads === "number"
    ? options.threads
    : 1;
  if (!Number.isInteger(wanted) || wanted < 1 || wanted > MAX_THREADS) {
    throw new RangeError(
      `threads must be an integer from 1 to ${MAX_THREADS}: got ${wanted}`,
    );
  }
  let memory: WebAssembly.Memory | undefined;
  let threadsReason = wanted > 1 ? threadsUnsupported() : undefined;
  if (wanted > 1 && threadsReason === undefined) {
    try {
      memory = new WebAssembly.Memory({
        initial: 2,
        maximum: MAX_PAGES,
        shared: true,
      });
    } catch (error) {
      memory = undefined; // no shared memory here: one thread
      threadsReason = `no shared WebAssembly memory here: ${
        (error as Error).message
      }`;
    }
  }
  const shared = memory !== undefined;
  memory ??= new WebAssembly.Memory({ initial: 2 });
  const built = buildKernelModule({
    fma,
    ...(shared ? { sharedMaximum: MAX_PAGES } : {}),
  });
  new Uint8Array(memory.buffer).set(built.pool, POOL_BASE);
  const module = await WebAssembly.compile(built.bytes);
  const instance = await WebAssembly.instantiate(module, {
    env: { memory, scratch: scratchOf(0) },
  });
  const heap = new Heap(memory, HEAP_BASE);
  const exports = instance.exports as Record<string, Kernel>;
  let pool: Pool | undefined;
  if (shared) {
    const node = options.workers === "web"
      ? undefined
      : await loadNodeWorkers();
    if (node === undefined && typeof Worker !== "function") {
      threadsReason = "this runtime has neither node:worker_threads nor Worker";
    } else {
      const helpers = wanted - 1;
      const first = heap.alloc(Pool.areaBytes * helpers);
      new Uint8Array(memory.buffer, first, Pool.areaBytes * helpers).fill(0);
      const areas = Array.from(
        { length: helpers },
        (_, h) => first + Pool.areaBytes * h,
      );
      pool = new Pool(module, memory, built.names, areas, SUMS, node);
    }
  }
  const reason = () => pool?.failure ?? threadsReason;
  const threads = () => pool === undefined ? 1 : 1 + pool.helpers;
  const split = options.split ?? { f64: SPLIT_F64, f32: SPLIT_F32 };
  const work = options.splitWork ??
    (options.split === undefined ? SPLIT_WORK : false);
  const kernels = createKernelSet(
    exports,
    built.names,
    heap,
    fma,
    pool,
    split,
    work === false ? undefined : work,
    {
      get threads() {
        return threads();
      },
      get threadsReason() {
        return reason();
      },
      get workers() {
        return pool === undefined
          ? "none"
          : pool.api === "node"
          ? "node:worker_threads (unref'ed)"
          : webIdleMs() === Infinity
          ? "Web Worker"
          : `Web Worker (exits after ${webIdleMs()} ms idle)`;
      },
    },
  );
  return {
    kernels,
    heap,
    fma,
    get threads() {
      return threads();
    },
    get threadsReason() {
      return reason();
    },
    workerJobs: () => pool?.jobs.reduce((a, b) => a + b, 0) ?? 0,
    splitJobs: () => pool?.posted ?? 0,
    ready: (timeoutMs?: number) =>
      pool?.ready(timeoutMs) ?? Promise.resolve(false),
  };
}

/** The most pages a shared memory may grow to (4 GiB). */
const MAX_PAGES = 65536;

/**
 * The arrays of one call in the heap. Every array's ownership is decided
 * before anything is allocated: an allocation may grow the memory, which
 * detaches the caller's views of it (their pointers stay valid).
 */
class Placement {
  readonly #heap: Heap;
  readonly #temps: number[] = [];
  readonly #outs: [Float32Array, number][] = [];

  constructor(heap: Heap) {
    this.#heap = heap;
  }

  /** The heap pointer of a view of the heap, or −1. */
  static pointer(heap: Heap, a: Float32Array): number {
    return heap.owns(a) ? a.byteOffset : -1;
  }

  /** `ptr` if ≥ 0, else a scratch block holding a copy of `a`. */
  input(a: Float32Array, ptr: number): number {
    if (ptr >= 0) return ptr;
    const p = this.scratch(4 * a.length);
    this.#heap.f32.set(a, p >>> 2);
    return p;
  }

  /**
   * `ptr` if ≥ 0, else `reuse` (an input's scratch, computed in place) if ≥ 0,
   * else a new scratch block; a host array is copied out by `finish`.
   */
  output(a: Float32Array, ptr: number, reuse = -1): number {
    if (ptr >= 0) return ptr;
    const p = reuse >= 0 ? reuse : this.scratch(4 * a.length);
    this.#outs.push([a, p]);
    return p;
  }

  /** A scratch block freed by `finish`. */
  scratch(bytes: number): number {
    const p = this.#heap.alloc(bytes);
    this.#temps.push(p);
    return p;
  }

  /** Copies host outputs out and frees the scratch. */
  finish(): void {
    const f32 = this.#heap.f32;
    for (const [a, p] of this.#outs) {
      a.set(f32.subarray(p >>> 2, (p >>> 2) + a.length));
    }
    for (const p of this.#temps) this.#heap.free(p);
  }
}

/** One kernel family's compiled loops. */
interface Family {
  readonly def: KernelDef;
  readonly loops: Readonly<Record<Loop, Kernel>>;
  /** The loops without the non-finite check, where the family delegates. */
  readonly finite: Readonly<Partial<Record<Loop, Kernel>>>;
  /** Each loop's index among the module's exports (for the worker). */
  readonly index: Readonly<Record<Loop, number>>;
  /** The same for the `finite` loops. */
  readonly finiteIndex: Readonly<Partial<Record<Loop, number>>>;
  /**
   * Per loop, the fewest elements per thread from which a call on resident
   * data is split over threads (by the loop's lanes: {@linkcode SPLIT_F64}
   * or {@linkcode SPLIT_F32}).
   */
  readonly split: Readonly<Record<Loop, number>>;
  /**
   * The same for host arrays: as `split` for a float64-lane loop; never
   * for a float32-lane one ({@linkcode hostSplitOf}).
   */
  readonly hostSplit: Readonly<Record<Loop, number>>;
  /** Per loop, elements per tile of a one-thread host-array call. */
  readonly tile: Readonly<Record<Loop, number>>;
  /**
   * Per loop, whether it splits resident data by its measured cost
   * ({@linkcode SPLIT_WORK}): the loops bound by arithmetic (float64 lanes,
   * or products widened).
   */
  readonly weighed: Readonly<Record<Loop, boolean>>;
  /** Per loop, the fewest nanoseconds per element seen (NaN: none yet). */
  readonly cost: Record<Loop, number>;
  /** Per loop, how many runs were timed (up to {@linkcode COST_RUNS}). */
  readonly runs: Record<Loop, number>;
}

/** Which family an op's loop runs, with what scalar arguments. */
interface Plan {
  readonly family: Family;
  readonly params: readonly number[];
  /** Multiplies each learned-parameter sum (softplus: 1/β²). */
  readonly sumScale: number;
}

function num(args: KernelArgs, name: string): number {
  return args.params[name] as number;
}

/** Calls a loop with its pointers and scalar arguments, without spreading. */
function invoke(
  fn: Kernel,
  ptrs: readonly number[],
  n: number,
  p: readonly number[],
): number {
  if (ptrs.length === 2) {
    const a = ptrs[0]!;
    const b = ptrs[1]!;
    switch (p.length) {
      case 0:
        return fn(a, b, n);
      case 1:
        return fn(a, b, n, p[0]!);
      case 2:
        return fn(a, b, n, p[0]!, p[1]!);
      default:
        return fn(a, b, n, p[0]!, p[1]!, p[2]!, p[3]!);
    }
  }
  const a = ptrs[0]!;
  const b = ptrs[1]!;
  const c = ptrs[2]!;
  switch (p.length) {
    case 0:
      return fn(a, b, c, n);
    case 1:
      return fn(a, b, c, n, p[0]!);
    case 2:
      return fn(a, b, c, n, p[0]!, p[1]!);
    default:
      return fn(a, b, c, n, p[0]!, p[1]!, p[2]!, p[3]!);
  }
}

/** The thread facts a kernel set reports, as they are at each reading. */
interface ThreadFacts {
  readonly threads: number;
  readonly threadsReason: string | undefined;
  readonly workers: string;
}

function createKernelSet(
  exports: Record<string, Kernel>,
  names: readonly string[],
  heap: Heap,
  fma: boolean,
  pool: Pool | undefined,
  splitFrom: { readonly f64: number; readonly f32: number },
  work: number | undefined,
  facts: ThreadFacts,
): KernelSet {
  const families: Record<string, Family> = {};
  for (const [name, def] of kernelFamilies) {
    const loops = {} as Record<Loop, Kernel>;
    const index = {} as Record<Loop, number>;
    const finite: Partial<Record<Loop, Kernel>> = {};
    const finiteIndex: Partial<Record<Loop, number>> = {};
    for (const loop of LOOPS) {
      loops[loop] = exports[`${name}_${loop}`]!;
      index[loop] = names.indexOf(`${name}_${loop}`);
      if (def.delegates.includes(loop)) {
        finite[loop] = exports[`${name}_${loop}_finite`]!;
        finiteIndex[loop] = names.indexOf(`${name}_${loop}_finite`);
      }
    }
    const split = {} as Record<Loop, number>;
    const hostSplit = {} as Record<Loop, number>;
    const tile = {} as Record<Loop, number>;
    const weighed = {} as Record<Loop, boolean>;
    const cost = {} as Record<Loop, number>;
    const runs = {} as Record<Loop, number>;
    for (const loop of LOOPS) {
      const lanes = splitLanes(lanesOf(def, loop));
      weighed[loop] = lanes === "f64";
      cost[loop] = NaN;
      runs[loop] = 0;
      split[loop] = lanes === "f32" ? splitFrom.f32 : splitFrom.f64;
      hostSplit[loop] = hostSplitOf(lanes, splitFrom);
      tile[loop] = loop === "vjp"
        ? (lanes === "f32" ? TILE_WIDE_VJP : TILE_VJP)
        : (lanes === "f32" ? TILE_WIDE : TILE);
    }
    families[name] = {
      def,
      loops,
      finite,
      index,
      finiteIndex,
      split,
      hostSplit,
      tile,
      weighed,
      cost,
      runs,
    };
  }
  const runner = new Runner(
    heap,
    pool,
    exports.scan as (x: number, n: number) => number,
    names.indexOf("scan"),
    work,
  );
  const ops = {} as Record<OpName, OpKernel>;
  for (const op of Object.keys(jsKernels.ops) as OpName[]) {
    ops[op] = opKernel(op, families, exports, heap, runner);
  }
  const memory = pool === undefined
    ? "WebAssembly linear memory"
    : "WebAssembly shared linear memory";
  return Object.freeze({
    name: "wasm-simd",
    simd: true,
    ops: Object.freeze(ops),
    allocate: (length: number) => new Block(heap, length),
    // A getter: the thread count drops to 1 if a helper fails to start.
    get properties() {
      const reason = facts.threadsReason;
      return Object.freeze({
        fma,
        threads: facts.threads,
        ...(reason === undefined ? {} : { threadsReason: reason }),
        workers: facts.workers,
        splitFrom: work === undefined
          ? `${splitFrom.f64} elements per thread (${splitFrom.f32} for the float32 loops, which never split host arrays)`
          : `float64 loops on resident data: ${
            work / 1000
          } µs of work per thread by each loop's measured cost (${splitFrom.f64} elements per thread until measured, and on host arrays); float32 loops: ${splitFrom.f32} elements per thread, never on host arrays`,
        sumBlock: SUM_BLOCK,
        memory,
      });
    },
  });
}

const LOOPS: readonly Loop[] = [
  "forward",
  "derivative",
  "secondDerivative",
  "vjp",
];

/** Where a loop's records and sums are: an instance's scratch area. */
const MAIN = scratchOf(0);

/**
 * The fewest elements per thread for which a helper thread pays, for the
 * float64-lane loops (bound by arithmetic) and the float32-lane ones
 * (selects and clamps: bound by memory), on resident data. Measured with
 * `scaling_bench.ts --split` on this project's 2-core machine (Deno
 * 2.9.6). The float64 value is from an earlier, less loaded run (under
 * load average ≈ 10 no size below ~2¹⁹ per thread gained reliably, which no
 * threshold can fix). The float32 loops (relu, relu6, hardTanh, threshold,
 * hardshrink; 2026-12-05, load ≈ 1–3): at 10⁶ elements, each call's arrays
 * allocated beside another kernel set's (as in the bench), two threads were
 * 1.56–2.13× one in every cell, forward and VJP, in two runs; the hot-cache
 * sweep (`--split`, arrays reused call after call) gave 0.68–1.41× at 2¹⁹,
 * 0.71–1.70× at 2²⁰, 0.84–1.83× at 2²¹. 3·2¹⁷ per thread splits from
 * 0.75·2²⁰ elements (docs/native/host_and_threads.md, fifth pass).
 */
const SPLIT_F64 = 1 << 15;
const SPLIT_F32 = 3 << 17;

/**
 * On resident data the float64-lane loops split by cost, not by element
 * count: their cost per element spans 0.3 ns (hardSigmoid's forward) to
 * 3 ns (gelu's VJP) here, so no one count fits them all.
 * `scaling_bench.ts --split` over 2¹³–2²¹ elements (2026-12-05, load ≈ 0.5):
 * two threads paid once one thread's loop took about 50–80 µs, from 2¹⁴
 * elements per thread for gelu to 2¹⁷ for softsign's VJP. So a split gives
 * each thread at least 30 µs of work (in ns here). Against the count
 * (2¹⁵ per thread) the bench (`--resident-only`, 2 threads, two processes
 * each, alternating; same day, load ≈ 0.5) took 0.58–0.61× at 2¹⁶ elements
 * for hardSigmoid and hardSwish's forward, 0.72–0.80× for softsign and
 * hardSwish's VJP, 0.80–0.89× at 10⁵ for hardSigmoid and the forwards of
 * hardSwish and softsign, 0.73–0.81× for gelu at 2¹⁵; 1.04–1.17× for
 * hardSwish at 2¹⁵ and 2·10⁵ and hardSigmoid's forward at 2·10⁵; 0.94–1.05×
 * in the other cells but one, where the old took one slow run
 * (docs/native/host_and_threads.md, sixth pass). Host
 * arrays keep the count: there a helper's share also costs the
 * calling thread copies across cores, which a loop's cost does not tell.
 */
const SPLIT_WORK = 30_000;

/**
 * A loop's time is taken as a measure of its cost per element only when it
 * ran at least 20 ticks of the clock (ms; {@linkcode clockTick}), at least
 * 1 µs: Deno's and Node's `performance.now()` ticks every 0.1 µs or less, a
 * browser's every 5 µs (cross-origin isolated) or 100 µs.
 */
let costMinMs: number | undefined;
/** Runs of fewer elements are not timed at all (the timer's own cost). */
const COST_MIN_N = 4096;
/**
 * A loop's cost decides only once this many runs were timed: the first
 * ones may run before the engine has optimised the loop, and while a call
 * is split only this thread's share is timed.
 */
const COST_RUNS = 3;

/** The smallest step of `performance.now()` seen in 200 readings, ms. */
function clockTick(): number {
  let tick = Infinity;
  let last = performance.now();
  for (let i = 0; i < 200 && tick > 1e-4; i++) {
    let now = performance.now();
    while (now === last) now = performance.now();
    tick = Math.min(tick, now - last);
    last = now;
  }
  return tick;
}

/**
 * Which split a loop on `lanes` takes: a loop on float32 lanes, or on them
 * for float32 parameters (softshrink's forward for a float32 λ: the
 * catalog's, any round one), is bound by memory; a float64 loop, or one
 * that widens its products to float64 (leakyRelu's VJP), by arithmetic.
 */
function splitLanes(lanes: LaneKind): "f32" | "f64" {
  return lanes === "f32" || lanes === "either" ? "f32" : "f64";
}

/**
 * The fewest elements per thread from which a loop on `lanes` splits a
 * call on host arrays: as on resident data for a float64-lane loop, never
 * for a float32-lane one. Only the calling thread can read and write host
 * arrays, so a helper's share costs it a copy in and a copy out across
 * cores (~20 GB/s here, against ~50 for a copy within its cache), more
 * than a memory-bound loop costs on the calling thread's own cached tile:
 * at 10⁶ elements relu, relu6, hardTanh, threshold and hardshrink into
 * `out` took 0.38–0.50 ms on one thread and 0.55–0.84 split over two
 * (forward and VJP), while the float64 loops gain from the split (fifth
 * pass).
 */
function hostSplitOf(
  lanes: "f32" | "f64",
  splitFrom: { readonly f64: number; readonly f32: number },
): number {
  return lanes === "f32" ? Infinity : splitFrom.f64;
}

/**
 * Elements per block of a parameter-gradient sum. Every VJP with learned
 * parameters sums each block of this many elements in the loop, then adds
 * the block sums in block order, on one thread or many: the float64 sum is
 * the same bits whatever the thread count. (Chunks handed to threads are
 * whole blocks.)
 */
export const SUM_BLOCK = 1 << 14;

/**
 * Elements per tile of a host-array call on one thread: x (and dy) are
 * copied into a fixed tile in the kernels' memory a tile at a time,
 * computed there in place and copied out, so the copies stay in the cache
 * instead of streaming the whole arrays through memory twice more, and
 * nothing is allocated per call. A tile is whole sum blocks (their sums are
 * added in order, as for resident data). A loop bound by arithmetic: 256
 * KiB of x forward, 128 KiB each of x and dy for a VJP (from 1 block to 4,
 * relu forward into out 0.313 → 0.293 ms at 10⁶; at 16 blocks the float64
 * forwards took 1.02–1.07× as long: sigmoid, elu, hardSigmoid, two runs).
 * A loop bound by memory ({@linkcode splitLanes}): 1 MiB forward, 512 KiB
 * each for a VJP, a core's L2 here — fewer, longer copies: from 4 (2)
 * blocks to 8 (4) 0.92–0.99× and on to 16 (8) 0.94–1.00× more on relu,
 * relu6, hardTanh, threshold, hardshrink and softshrink, forward and VJP;
 * 32 (16) 0.95–1.04×, no further (`host_ab_bench.ts`, 2026-12-05, load
 * 0.6–1.3). The tiles are allocated once (1.5 MiB).
 */
const TILE = 4 * SUM_BLOCK;
/** Elements per tile of a host-array VJP (two arrays in the cache). */
const TILE_VJP = 2 * SUM_BLOCK;
/** {@linkcode TILE} for a loop bound by memory. */
const TILE_WIDE = 16 * SUM_BLOCK;
/** {@linkcode TILE_VJP} for a loop bound by memory. */
const TILE_WIDE_VJP = 8 * SUM_BLOCK;

/**
 * Elements per chunk a helper takes in a host-array call split over
 * threads (a sum block: 64 KiB of x, within a core's L2, so that the
 * helper reads what the calling thread has just written from the cache).
 */
const HOST_CHUNK = SUM_BLOCK;

/**
 * Chunks the calling thread keeps ready per helper in such a call: enough
 * that a helper seldom waits while this thread computes a tile; the ones
 * left when the two ends meet this thread computes itself.
 */
const HOST_LEAD = 4;

/**
 * The most elements per array a call on host arrays split over helper
 * threads keeps its scratch for, between calls (two arrays of 2²² float32:
 * 32 MiB); a larger call allocates its own and frees it.
 */
export const KEEP_SCRATCH = 1 << 22;

/** What a call does with its records and its parameter sums. */
interface Call {
  /** Redoes element e (input x, upstream gradient dy) in JavaScript. */
  redo(e: number, x: number, dy: number): void;
  /** Adds the parameter sums stored (float64) from byte `at`. */
  sums(at: number): void;
  /** Sets the element (of the memory's float32) `redo`'s e counts from. */
  at(out: number): void;
}

/** A mutable {@linkcode Job}, reused from call to call. */
type JobState = { -readonly [K in keyof Job]: Job[K] };

/**
 * One loop call over arrays already in the heap: cut into chunks for the
 * helper threads when it is large, its recorded non-finite elements redone
 * in JavaScript (`redo`), its parameter sums added (`sums`) block by block
 * in order.
 */
class Runner {
  readonly #heap: Heap;
  readonly #pool: Pool | undefined;
  readonly #scan: (x: number, n: number) => number;
  /** The index of `scan` among the module's exports (for the helpers). */
  readonly #scanIndex: number;
  readonly #shifted = [0, 0, 0];
  readonly #handed: boolean[] = [];
  readonly #job: JobState = {
    fn: 0,
    ptrs: [],
    n: 0,
    chunk: 0,
    counter: 0,
    grads: 0,
    block: 0,
    sumsOut: 0,
    params: [],
    ready: 0,
    done: 0,
    reverse: false,
    scan: -1,
    clear: false,
  };
  /** The int32 the chunks of a call are claimed from. */
  readonly #counterPtr: number;
  #counterView: Int32Array | undefined;
  /** The tile a host-array call on one thread streams through (x, dy). */
  readonly #tileX: number;
  readonly #tileDy: number;
  readonly #tilePtrs2 = [0, 0];
  readonly #tilePtrs3 = [0, 0, 0];
  /** The kept scratch of host-array calls split over threads (x, then dy). */
  #scratch = -1;
  #scratchLength = 0;
  /** The kept area of a split VJP's block sums. */
  #sums = -1;
  #sumsBytes = 0;
  /** The chunk flags of a split host-array call within the kept scratch. */
  readonly #done: number;
  #i32View: Int32Array | undefined;
  /** The int32 a split host-array call's ready count is kept in. */
  readonly #readyPtr: number;
  /** The scratch pointers a split host-array call hands the helpers. */
  readonly #jobPtrs2 = [0, 0];
  readonly #jobPtrs3 = [0, 0, 0];
  /** Work per thread of a split call on resident data, ns; undefined: by element counts only. */
  readonly #work: number | undefined;

  constructor(
    heap: Heap,
    pool: Pool | undefined,
    scan: (x: number, n: number) => number,
    scanIndex: number,
    work: number | undefined,
  ) {
    this.#work = work;
    this.#heap = heap;
    this.#pool = pool;
    this.#scan = scan;
    this.#scanIndex = scanIndex;
    this.#counterPtr = pool === undefined ? 0 : heap.alloc(64);
    // Its own cache line: the calling thread writes it while helpers claim.
    this.#readyPtr = pool === undefined ? 0 : heap.alloc(64);
    this.#done = pool === undefined
      ? 0
      : heap.alloc(4 * Math.ceil(KEEP_SCRATCH / HOST_CHUNK));
    // Allocated once: a host-array call on one thread allocates nothing.
    this.#tileX = heap.alloc(4 * TILE_WIDE);
    this.#tileDy = heap.alloc(4 * TILE_WIDE_VJP);
  }

  /**
   * Runs `family.loops[loop]` on host arrays (none a view of the memory):
   * on one thread, a tile at a time through a tile of the memory (x, and
   * dy, copied in; computed in place; copied out to `out`), so that the
   * copies stay in the cache and nothing is allocated; split over helper
   * threads (from {@linkcode Runner.threadsFor} threads), the helpers'
   * share copied into a scratch kept from call to call (up to
   * {@linkcode KEEP_SCRATCH} elements) a chunk at a time while this thread
   * streams its own share (`#overlap`). Tiles are sum blocks, so a VJP's
   * sums are added in the same order either way: the same bits as for
   * resident data on any number of threads. `out` may be x (or dy)
   * itself: tile t of the inputs is read before tile t of `out` is written.
   */
  stream(
    family: Family,
    loop: Loop,
    x: Float32Array,
    dy: Float32Array | undefined,
    out: Float32Array,
    params: readonly number[],
    call: Call,
  ): void {
    const n = x.length;
    const threads = this.threadsFor(family, loop, n);
    if (threads > 1) {
      this.#overlap(family, loop, x, dy, out, params, call, threads);
      return;
    }
    const size = family.tile[loop];
    for (let start = 0; start < n;) {
      start = this.#tile(
        family,
        loop,
        x,
        dy,
        out,
        params,
        call,
        start,
        n,
        size,
      );
    }
  }

  /**
   * The next tile of a host-array call on this thread, `size` elements
   * (whole sum blocks) from `start`, at most to `end`: x (and dy) copied
   * in, computed in place, copied out to `out`, a VJP's block sums added
   * at once; returns where it stopped.
   */
  #tile(
    family: Family,
    loop: Loop,
    x: Float32Array,
    dy: Float32Array | undefined,
    out: Float32Array,
    params: readonly number[],
    call: Call,
    start: number,
    end: number,
    size: number,
  ): number {
    const px = this.#tileX;
    const pdy = this.#tileDy;
    const three = dy !== undefined;
    let ptrs: number[];
    if (three) {
      ptrs = this.#tilePtrs3;
      ptrs[0] = px;
      ptrs[1] = pdy;
      ptrs[2] = pdy;
    } else {
      ptrs = this.#tilePtrs2;
      ptrs[0] = px;
      ptrs[1] = px;
    }
    const o = three ? pdy : px;
    call.at(o >>> 2);
    const stop = Math.min(end, start + size);
    const f32 = this.#heap.f32;
    f32.set(x.subarray(start, stop), px >>> 2);
    if (three) f32.set(dy.subarray(start, stop), pdy >>> 2);
    this.run(family, loop, ptrs, stop - start, params, call, true);
    out.set(this.#heap.f32.subarray(o >>> 2, (o >>> 2) + stop - start), start);
    return stop;
  }

  /**
   * A host-array call split over `threads` threads. The helpers take
   * chunks of {@linkcode HOST_CHUNK} elements from the end of the arrays
   * back; this thread copies each chunk's inputs into the scratch just
   * before a helper needs it (keeping {@linkcode HOST_LEAD} per helper
   * ready), and between those copies streams its own elements from the
   * start through its tile and copies the helpers' finished chunks out, so
   * that the copies overlap the helpers' arithmetic. The two ends meet
   * where the work is balanced, whatever the op's cost or the helpers'
   * scheduling; chunks no helper has started by then this thread computes
   * in the scratch. A VJP's block sums: this thread's blocks (all before
   * the helpers') are added as they are made, the helpers' after, in block
   * order: the same additions, so the same bits, as on one thread. A chunk
   * holding NaN or ±∞ (for a loop that delegates them) a helper leaves to
   * this thread; for a VJP with sums this thread hands none out (it and
   * everything before it stay here, its special values redone in order).
   */
  #overlap(
    family: Family,
    loop: Loop,
    x: Float32Array,
    dy: Float32Array | undefined,
    out: Float32Array,
    params: readonly number[],
    call: Call,
    threads: number,
  ): void {
    const n = x.length;
    const heap = this.#heap;
    const pool = this.#pool!;
    const three = dy !== undefined;
    const chunks = Math.ceil(n / HOST_CHUNK);
    const grads = loop === "vjp" ? family.def.grads.length : 0;
    const blocks = Math.ceil(n / SUM_BLOCK);
    // Every allocation before any view: an allocation may grow the memory.
    const own = n > KEEP_SCRATCH;
    let base = this.#scratch;
    if (own) base = heap.alloc(8 * n + 4 * chunks);
    else if (this.#scratchLength < n) {
      if (base >= 0) heap.free(base);
      const length = Math.min(
        KEEP_SCRATCH,
        Math.max(n, 2 * this.#scratchLength),
      );
      base = this.#scratch = heap.alloc(8 * length);
      this.#scratchLength = length;
    }
    const area = grads > 0 ? this.#sumsArea(8 * grads * blocks) : -1;
    const done = own ? base + 8 * n : this.#done;
    const helpers = threads - 1;
    const handed = this.#handed;
    handed.fill(false, 0, helpers);
    try {
      const px = base;
      const pdy = base + 4 * (own ? n : this.#scratchLength);
      const o = three ? pdy : px;
      const ptrs = three ? this.#jobPtrs3 : this.#jobPtrs2;
      ptrs[0] = px;
      ptrs[1] = three ? pdy : px;
      if (three) ptrs[2] = pdy;
      // The helpers run the loop without the special-value check where
      // there is one, on chunks scanned first: by the helper, which leaves
      // a chunk holding NaN or ±∞ to this thread; for a VJP with sums, by
      // this thread, which hands out no such chunk (its sums come in order).
      const unchecked = family.finite[loop];
      const fn = unchecked ?? family.loops[loop];
      const helperScans = unchecked !== undefined && grads === 0;
      const scanHere = unchecked !== undefined && grads > 0;
      const i32 = this.#i32();
      const flags = done >>> 2;
      i32.fill(0, flags, flags + chunks);
      const counter = this.#counterPtr >>> 2;
      const ready = this.#readyPtr >>> 2;
      Atomics.store(i32, counter, 0);
      Atomics.store(i32, ready, 0);
      const job = this.#jobFor(
        family,
        loop,
        unchecked !== undefined,
        ptrs,
        n,
        HOST_CHUNK,
        area,
        params,
      );
      job.ready = this.#readyPtr;
      job.done = done;
      job.reverse = true;
      job.scan = helperScans ? this.#scanIndex : -1;
      // A VJP's x, read only, is overwritten once done: the next call's
      // copy into lines the helper last wrote is ~2.5× faster.
      job.clear = three;
      for (let h = 0; h < helpers; h++) handed[h] = pool.start(h, job);
      const f32 = heap.f32;
      // Chunk c computed here: one a helper left, or none took.
      const compute = (c: number) => {
        const start = c * HOST_CHUNK;
        const end = Math.min(n, start + HOST_CHUNK);
        const special = helperScans &&
          this.#scan(px + 4 * start, end - start) !== 0;
        call.at(o >>> 2);
        this.#chunk(
          special ? family.loops[loop] : fn,
          ptrs,
          params,
          start,
          end,
          grads,
          area,
          call,
        );
      };
      // Chunk c's result out to `out` (computed here first if left).
      const copyOut = (c: number, flag: number) => {
        if (flag === CHUNK_LEFT) compute(c);
        const start = c * HOST_CHUNK;
        const end = Math.min(n, start + HOST_CHUNK);
        out.set(f32.subarray((o >>> 2) + start, (o >>> 2) + end), start);
      };
      let published = 0; // chunks handed out, from the last back
      let back = n; // the first element handed out
      let open = true;
      let copied = 0; // handed-out chunks copied out, from the last back
      let front = 0; // this thread's next element
      for (;;) {
        while (open) {
          const claimed = Math.min(Atomics.load(i32, counter), chunks);
          if (published - claimed >= HOST_LEAD * helpers) break;
          const c = chunks - 1 - published;
          const start = c * HOST_CHUNK;
          if (start < front) {
            open = false;
            break;
          }
          const end = Math.min(n, start + HOST_CHUNK);
          f32.set(x.subarray(start, end), (px >>> 2) + start);
          if (three) f32.set(dy.subarray(start, end), (pdy >>> 2) + start);
          if (scanHere && this.#scan(px + 4 * start, end - start) !== 0) {
            open = false;
            break;
          }
          published++;
          back = start;
          Atomics.store(i32, ready, published);
          Atomics.notify(i32, ready);
        }
        while (copied < published) {
          const flag = Atomics.load(i32, flags + chunks - 1 - copied);
          if (flag !== 1 && flag !== CHUNK_LEFT) break;
          copyOut(chunks - 1 - copied++, flag);
        }
        if (front >= back) break;
        // One block at a time: the helpers' chunks are handed out and
        // copied out between tiles.
        front = this.#tile(
          family,
          loop,
          x,
          dy,
          out,
          params,
          call,
          front,
          back,
          SUM_BLOCK,
        );
      }
      Atomics.store(i32, ready, published | READY_CLOSED);
      Atomics.notify(i32, ready);

      // The handed-out chunks no helper has started, here (a helper may
      // have claimed one and not run since), while the helpers finish
      // theirs: the nearest to this thread's elements first.
      for (let c = chunks - published; c < chunks - copied; c++) {
        if (Atomics.compareExchange(i32, flags + c, 0, CHUNK_STARTED) !== 0) {
          continue;
        }
        compute(c);
        Atomics.store(i32, flags + c, 1);
      }
      for (let h = 0; h < helpers; h++) {
        if (!handed[h]) continue;
        const outcome = pool.wait(h);
        handed[h] = false;
        if (outcome.count === 0) continue;
        const start = outcome.stopped * HOST_CHUNK;
        const end = Math.min(n, start + HOST_CHUNK);
        this.#finish(
          fn,
          ptrs,
          params,
          outcome.count,
          pool.scratch(h),
          start,
          end,
          call,
        );
      }
      for (; copied < published; copied++) {
        const c = chunks - 1 - copied;
        copyOut(c, Atomics.load(i32, flags + c));
      }
      if (grads === 0) return;
      // The helpers' blocks' sums, in block order, after this thread's.
      for (let b = Math.ceil(back / SUM_BLOCK); b < blocks; b++) {
        call.sums(area + 8 * grads * b);
      }
    } finally {
      // After an error, no helper may still run on the scratch.
      let running = false;
      for (let h = 0; h < helpers; h++) running ||= handed[h]!;
      if (running) {
        const i32 = this.#i32();
        Atomics.store(i32, this.#readyPtr >>> 2, READY_CLOSED);
        Atomics.notify(i32, this.#readyPtr >>> 2);
        for (let h = 0; h < helpers; h++) {
          if (handed[h]) pool.wait(h);
          handed[h] = false;
        }
      }
      if (own) heap.free(base);
    }
  }

  /** An int32 view of the memory's current buffer. */
  #i32(): Int32Array {
    const buffer = this.#heap.buffer;
    if (this.#i32View?.buffer !== buffer) {
      this.#i32View = new Int32Array(buffer);
    }
    return this.#i32View;
  }

  /**
   * The block sums' area of a split VJP, `bytes` long: kept between calls,
   * grown (twofold) only for a larger one. Taken before the call's views:
   * growing it may grow the memory.
   */
  #sumsArea(bytes: number): number {
    if (this.#sumsBytes < bytes) {
      if (this.#sums >= 0) this.#heap.free(this.#sums);
      this.#sumsBytes = Math.max(bytes, 2 * this.#sumsBytes);
      this.#sums = this.#heap.alloc(this.#sumsBytes);
    }
    return this.#sums;
  }

  /** A view of the chunk counter in the memory's current buffer. */
  #counter(): Int32Array {
    const buffer = this.#heap.buffer;
    if (this.#counterView?.buffer !== buffer) {
      this.#counterView = new Int32Array(buffer, this.#counterPtr, 1);
    }
    return this.#counterView;
  }

  /**
   * The helpers' job (one object, reused) for `family`'s `loop` on `n`
   * elements at `ptrs` in chunks of `chunk`: the unchecked twin of the loop
   * where `unchecked`, block sums into `area`; claimed front to back from
   * the counter, with no ready count, chunk flags or scan (a host-array call
   * sets those after).
   */
  #jobFor(
    family: Family,
    loop: Loop,
    unchecked: boolean,
    ptrs: number[],
    n: number,
    chunk: number,
    area: number,
    params: readonly number[],
  ): JobState {
    const job = this.#job;
    job.fn = unchecked ? family.finiteIndex[loop]! : family.index[loop];
    job.ptrs = ptrs;
    job.n = n;
    job.chunk = chunk;
    job.counter = this.#counterPtr;
    job.grads = loop === "vjp" ? family.def.grads.length : 0;
    job.block = SUM_BLOCK;
    job.sumsOut = area;
    job.params = params;
    job.ready = 0;
    job.done = 0;
    job.reverse = false;
    job.scan = -1;
    job.clear = false;
    return job;
  }

  /**
   * How many threads a call of `family`'s `loop` on `n` elements of host
   * arrays runs on (at most).
   */
  threadsFor(family: Family, loop: Loop, n: number): number {
    return this.#threads(family, loop, n, true);
  }

  /**
   * How many threads a call of `family`'s `loop` on `n` elements of
   * resident data or host arrays runs on (at most): on resident data a
   * loop bound by arithmetic whose cost is measured gives each thread at
   * least {@linkcode SPLIT_WORK} ns of work; any other call splits by
   * element count (`split`, `hostSplit`).
   */
  #threads(family: Family, loop: Loop, n: number, host: boolean): number {
    const pool = this.#pool;
    if (pool === undefined) return 1;
    const per = host ? family.hostSplit[loop] : family.split[loop];
    if (per === Infinity) return 1;
    const work = this.#work;
    const cost = family.cost[loop];
    const count = !host && work !== undefined && family.weighed[loop] &&
        family.runs[loop] >= COST_RUNS
      ? Math.floor((n * cost) / work)
      : Math.floor(n / per);
    return Math.max(1, Math.min(1 + pool.helpers, count));
  }

  /**
   * Whether a run of `n` elements of `family`'s `loop` is timed for its
   * cost: where a cost decides splits, and the run is long enough to time.
   */
  #weighs(family: Family, loop: Loop, n: number): boolean {
    return this.#work !== undefined && this.#pool !== undefined &&
      family.weighed[loop] && n >= COST_MIN_N;
  }

  /**
   * Takes `ms` for `n` elements of `family`'s `loop` on one thread as a
   * measure of its cost when it is long enough to time: the fastest seen
   * (the others ran colder, before the engine optimised the loop, or
   * beside other work).
   */
  #observe(family: Family, loop: Loop, n: number, ms: number): void {
    costMinMs ??= Math.max(1e-3, 20 * clockTick());
    if (!(ms >= costMinMs)) return;
    const ns = (ms * 1e6) / n;
    const cost = family.cost[loop];
    if (!(ns >= cost)) family.cost[loop] = ns; // NaN, or faster
    if (family.runs[loop] < COST_RUNS) family.runs[loop]++;
  }

  /** `ptrs` moved on by `start` elements (a reused array). */
  #at(ptrs: readonly number[], start: number): number[] {
    const out = this.#shifted;
    out.length = ptrs.length;
    for (let j = 0; j < ptrs.length; j++) out[j] = ptrs[j]! + 4 * start;
    return out;
  }

  /**
   * Runs `family.loops[loop]` on the arrays at `ptrs` (element 0 of each),
   * n elements.
   */
  run(
    family: Family,
    loop: Loop,
    ptrs: number[],
    n: number,
    params: readonly number[],
    call: Call,
    single = false,
  ): void {
    // A loop that checks every vector for NaN and ±∞ runs only where a scan
    // of x finds one; otherwise its unchecked twin.
    const uncheckedFn = family.finite[loop];
    const checked = uncheckedFn !== undefined && this.#scan(ptrs[0]!, n) !== 0;
    const fn = uncheckedFn !== undefined && !checked
      ? uncheckedFn
      : family.loops[loop];
    const grads = loop === "vjp" ? family.def.grads.length : 0;
    const pool = this.#pool;
    // A VJP with sums whose x holds special values runs on this thread: its
    // records are redone here, between the blocks, in a fixed order.
    const threads = single || (checked && grads > 0)
      ? 1
      : this.#threads(family, loop, n, false);
    if (threads <= 1) {
      // Timed only where a cost decides: the clock is not free.
      const timed = this.#weighs(family, loop, n);
      const t0 = timed ? performance.now() : 0;
      if (grads === 0) {
        const count = invoke(fn, ptrs, n, params);
        if (timed) this.#observe(family, loop, n, performance.now() - t0);
        if (count !== 0) {
          this.#finish(fn, ptrs, params, count, MAIN, 0, n, call);
        }
        return;
      }
      this.#chunk(fn, ptrs, params, 0, n, grads, -1, call);
      if (timed) this.#observe(family, loop, n, performance.now() - t0);
      return;
    }
    // Chunks of whole sum blocks, about four per thread, claimed in turn.
    const chunk = SUM_BLOCK *
      Math.max(1, Math.ceil(n / (4 * threads * SUM_BLOCK)));
    const chunks = Math.ceil(n / chunk);
    const blocks = Math.ceil(n / SUM_BLOCK);
    const area = grads > 0 ? this.#sumsArea(8 * grads * blocks) : -1;
    const counter = this.#counter();
    Atomics.store(counter, 0, 0);
    const job = this.#jobFor(
      family,
      loop,
      fn === uncheckedFn,
      ptrs,
      n,
      chunk,
      area,
      params,
    );
    const handed = this.#handed;
    for (let h = 0; h < threads - 1; h++) handed[h] = pool!.start(h, job);
    // This thread's chunks, timed together: a measure of the loop's cost.
    let mine = 0;
    let ms = 0;
    for (;;) {
      const c = Atomics.add(counter, 0, 1);
      if (c >= chunks) break;
      const end = Math.min(n, (c + 1) * chunk);
      const t0 = performance.now();
      this.#chunk(fn, ptrs, params, c * chunk, end, grads, area, call);
      ms += performance.now() - t0;
      mine += end - c * chunk;
    }
    if (this.#weighs(family, loop, mine)) {
      this.#observe(family, loop, mine, ms);
    }
    for (let h = 0; h < threads - 1; h++) {
      if (!handed[h]) continue;
      const outcome = pool!.wait(h);
      if (outcome.count === 0) continue;
      const start = outcome.stopped * chunk;
      const end = Math.min(n, start + chunk);
      this.#finish(
        fn,
        ptrs,
        params,
        outcome.count,
        pool!.scratch(h),
        start,
        end,
        call,
      );
    }
    if (grads === 0) return;
    // Every block's sums, in block order: the same additions as on one thread.
    for (let b = 0; b < blocks; b++) call.sums(area + 8 * grads * b);
  }

  /**
   * Runs elements [start, end) on this thread: in one call without sums; in
   * blocks of {@linkcode SUM_BLOCK} with sums, each block's sums added at
   * once (`area` < 0) or stored at `area` by block index (`start` a
   * multiple of the block).
   */
  #chunk(
    fn: Kernel,
    ptrs: readonly number[],
    params: readonly number[],
    start: number,
    end: number,
    grads: number,
    area: number,
    call: Call,
  ): void {
    if (grads === 0) {
      const count = invoke(fn, this.#at(ptrs, start), end - start, params);
      if (count !== 0) {
        this.#finish(fn, ptrs, params, count, MAIN, start, end, call);
      }
      return;
    }
    for (let s = start; s < end; s += SUM_BLOCK) {
      const e = Math.min(end, s + SUM_BLOCK);
      const count = invoke(fn, this.#at(ptrs, s), e - s, params);
      if (area < 0) call.sums(MAIN + SUMS);
      else {
        const to = area + 8 * grads * (s / SUM_BLOCK);
        for (let j = 0; j < grads; j++) {
          this.#heap.setF64At(
            to + 8 * j,
            this.#heap.f64At(MAIN + SUMS + 8 * j),
          );
        }
      }
      if (count !== 0) this.#finish(fn, ptrs, params, count, MAIN, s, e, call);
    }
  }

  /**
   * Redoes the `count` recorded vectors of a run over [start, end) whose
   * records are in `scratch`; after a full record, runs the rest of the
   * range on this thread and does the same (adding its sums).
   */
  #finish(
    fn: Kernel,
    ptrs: readonly number[],
    params: readonly number[],
    count: number,
    scratch: number,
    start: number,
    end: number,
    call: Call,
  ): void {
    let from = start;
    for (;;) {
      if (count === 0) return;
      const last = this.#patch(scratch, count, from, end, call);
      if (count < RECORD_CAPACITY || last + 4 >= end) return;
      from = last + 4;
      count = invoke(fn, this.#at(ptrs, from), end - from, params);
      scratch = MAIN;
      call.sums(MAIN + SUMS);
    }
  }

  /**
   * Calls `redo(element, x, dy)` for each non-finite element of the first
   * `count` records (element indices relative to `from`, below `end`), and
   * returns the last record's first element.
   */
  #patch(
    scratch: number,
    count: number,
    from: number,
    end: number,
    call: Call,
  ): number {
    const view = new DataView(this.#heap.buffer);
    let last = from;
    for (let r = 0; r < count; r++) {
      const base = scratch + RECORDS + RECORD_SIZE * r;
      const start = from + view.getInt32(base, true);
      last = start;
      for (let j = 0; j < 4 && start + j < end; j++) {
        const xv = view.getFloat32(base + 16 + 4 * j, true);
        if (Number.isFinite(xv)) continue;
        call.redo(start + j, xv, view.getFloat32(base + 32 + 4 * j, true));
      }
    }
    return last;
  }
}

/** The plans of one op: how its arguments choose a family. */
function planner(
  op: OpName,
  families: Record<string, Family>,
): (loop: Loop, args: KernelArgs) => Plan {
  const fixed = (family: string, params: readonly number[] = []): Plan => ({
    family: families[family]!,
    params,
    sumScale: 1,
  });
  switch (op) {
    case "leakyRelu":
    case "prelu": {
      const relu = fixed("relu");
      return (loop, args) => {
        const a = op === "prelu" ? args.alpha!.values[0]! : num(args, "alpha");
        // With α = 0, relu's forward gives 0 at −∞ rather than 0·∞.
        if (a === 0 && loop === "forward") return relu;
        return { family: families.leakyRelu!, params: [a], sumScale: 1 };
      };
    }
    case "softplus":
      return (_loop, args) => {
        const b = num(args, "beta");
        return {
          family: families.softplus!,
          params: [b, num(args, "threshold")],
          sumScale: 1 / (b * b),
        };
      };
    case "gelu": {
      const none = fixed("gelu");
      const tanh = fixed("geluTanh");
      return (_loop, args) => args.params.approximate === "tanh" ? tanh : none;
    }
    case "silu": {
      const plan = fixed("silu", [1]);
      return () => plan;
    }
    default: {
      const names = kernelDefs[op]!.params;
      if (names.length === 0) {
        const plan = fixed(op);
        return () => plan;
      }
      return (_loop, args) => fixed(op, names.map((name) => num(args, name)));
    }
  }
}

function opKernel(
  op: OpName,
  families: Record<string, Family>,
  exports: Record<string, Kernel>,
  heap: Heap,
  runner: Runner,
): OpKernel {
  const js = jsKernels.ops[op];
  const planFor = planner(op, families);
  const one = new Float32Array(1);
  const oneDy = new Float32Array(1);
  const oneOut = new Float32Array(1);
  const ptrs2 = [0, 0];
  const ptrs3 = [0, 0, 0];

  // The state of the call in progress, for its records and sums (kernels
  // are not re-entered: the JavaScript kernels that redo elements do not
  // call back here).
  let loopNow: "forward" | "derivative" | "secondDerivative" = "forward";
  let out = 0;
  let argsNow: KernelArgs = { params: {} };
  let grads: readonly string[] = [];
  let sumScale = 1;
  let dparamsNow: ParamGradients = {};
  const unary: Call = {
    redo(e, xv) {
      one[0] = xv;
      js[loopNow](one, oneOut, argsNow);
      heap.f32[out + e] = oneOut[0]!;
    },
    sums() {},
    at(p) {
      out = p;
    },
  };
  // One accumulator per learned parameter (at most one per op), reused.
  const oneSums: Record<string, Float64Array> = {};
  const backward: Call = {
    redo(e, xv, dyv) {
      one[0] = xv;
      oneDy[0] = dyv;
      for (const g of grads) (oneSums[g] ??= new Float64Array(1))[0] = 0;
      js.vjp(one, oneDy, oneOut, oneSums, argsNow);
      heap.f32[out + e] = oneOut[0]!;
      for (const g of grads) dparamsNow[g]![0]! += oneSums[g]![0]!;
    },
    sums(at) {
      for (let j = 0; j < grads.length; j++) {
        dparamsNow[grads[j]!]![0]! += heap.f64At(at + 8 * j) * sumScale;
      }
    },
    at(p) {
      out = p;
    },
  };

  function elementwise(
    loop: "forward" | "derivative" | "secondDerivative",
    x: Float32Array,
    y: Float32Array,
    args: KernelArgs,
  ): void {
    const n = x.length;
    if (n === 0) return;
    if (op === "prelu" && !scalarAlpha(args) && loop !== "secondDerivative") {
      return preluGather(heap, exports, loop, x, null, y, null, args);
    }
    const plan = planFor(loop, args);
    loopNow = loop;
    argsNow = args;
    if (!heap.owns(x) && !heap.owns(y)) {
      // Host arrays: through the ring, a tile at a time.
      runner.stream(plan.family, loop, x, undefined, y, plan.params, unary);
      return;
    }
    const buffer = heap.buffer;
    let place: Placement | undefined;
    let px = x.byteOffset;
    let py = y.byteOffset;
    if (x.buffer !== buffer || y.buffer !== buffer) {
      // Ownership first: an allocation may grow the memory.
      const xp = Placement.pointer(heap, x);
      const yp = Placement.pointer(heap, y);
      place = new Placement(heap);
      px = place.input(x, xp);
      py = place.output(y, yp, xp < 0 ? px : -1);
    }
    out = py >>> 2;
    ptrs2[0] = px;
    ptrs2[1] = py;
    runner.run(plan.family, loop, ptrs2, n, plan.params, unary);
    place?.finish();
  }

  function vjp(
    x: Float32Array,
    dy: Float32Array,
    dx: Float32Array,
    dparams: ParamGradients,
    args: KernelArgs,
  ): void {
    const n = x.length;
    if (n === 0) return;
    if (op === "prelu" && !scalarAlpha(args)) {
      return preluGather(heap, exports, "vjp", x, dy, dx, dparams, args);
    }
    const plan = planFor("vjp", args);
    argsNow = args;
    grads = plan.family.def.grads;
    sumScale = plan.sumScale;
    dparamsNow = dparams;
    if (!heap.owns(x) && !heap.owns(dy) && !heap.owns(dx)) {
      // Host arrays: through the ring, a tile at a time.
      runner.stream(plan.family, "vjp", x, dy, dx, plan.params, backward);
      return;
    }
    const buffer = heap.buffer;
    let place: Placement | undefined;
    let px = x.byteOffset;
    let pdy = dy.byteOffset;
    let pdx = dx.byteOffset;
    if (x.buffer !== buffer || dy.buffer !== buffer || dx.buffer !== buffer) {
      const xp = Placement.pointer(heap, x);
      const dyp = Placement.pointer(heap, dy);
      const dxp = Placement.pointer(heap, dx);
      place = new Placement(heap);
      px = place.input(x, xp);
      pdy = place.input(dy, dyp);
      pdx = place.output(dx, dxp, dyp < 0 ? pdy : -1);
    }
    out = pdx >>> 2;
    ptrs3[0] = px;
    ptrs3[1] = pdy;
    ptrs3[2] = pdx;
    runner.run(plan.family, "vjp", ptrs3, n, plan.params, backward);
    place?.finish();
  }

  return {
    forward(x, y, args) {
      elementwise("forward", x, y, args);
    },
    derivative(x, d, args) {
      elementwise("derivative", x, d, args);
    },
    secondDerivative(x, d2, args) {
      elementwise("secondDerivative", x, d2, args);
    },
    vjp,
  };
}

/** Whether prelu's α is one value for every element. */
function scalarAlpha(args: KernelArgs): boolean {
  const a = args.alpha!;
  return a.index === null && a.values.length === 1;
}

/** prelu with α per element or broadcast through an index map. */
function preluGather(
  heap: Heap,
  exports: Record<string, Kernel>,
  loop: "forward" | "derivative" | "vjp",
  x: Float32Array,
  dy: Float32Array | null,
  out: Float32Array,
  dparams: ParamGradients | null,
  args: KernelArgs,
): void {
  const n = x.length;
  const { values, index } = args.alpha!;
  const xp = Placement.pointer(heap, x);
  const dyp = dy === null ? -1 : Placement.pointer(heap, dy);
  const outp = Placement.pointer(heap, out);
  const place = new Placement(heap);
  const px = place.input(x, xp);
  const pdy = dy === null ? -1 : place.input(dy, dyp);
  const pout = place.output(
    out,
    outp,
    dy === null ? (xp < 0 ? px : -1) : (dyp < 0 ? pdy : -1),
  );
  // α as float64, index and sums padded to whole vectors (padding zeroed).
  const alphaLength = values.length;
  const alphaPtr = place.scratch(8 * (alphaLength + 4));
  new Float64Array(heap.memory.buffer, alphaPtr, alphaLength + 4).fill(0).set(
    values,
  );
  const call: number[] = loop === "vjp"
    ? [px, pdy, pout, n, alphaPtr]
    : [px, pout, n, alphaPtr];
  if (index !== null) {
    const indexPtr = place.scratch(4 * (n + 4));
    new Int32Array(heap.memory.buffer, indexPtr, n + 4).fill(0).set(index);
    call.push(indexPtr);
  }
  let sumsPtr = -1;
  if (loop === "vjp") {
    sumsPtr = place.scratch(8 * (alphaLength + 4));
    new Float64Array(heap.memory.buffer, sumsPtr, alphaLength + 4).fill(0);
    call.push(sumsPtr);
  }
  const family = index === null ? "preluEach" : "preluIndexed";
  exports[`${family}_${loop}`]!(...call);
  if (loop === "vjp") {
    const sums = new Float64Array(heap.memory.buffer, sumsPtr, alphaLength);
    const g = dparams!.alpha!;
    for (let k = 0; k < alphaLength; k++) g[k]! += sums[k]!;
  }
  place.finish();
}
