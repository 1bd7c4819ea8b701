// Helper threads: the same bits on 1 or N threads (outputs and parameter
// sums), a helper that cannot start leaves one thread and says why, and the
// helpers never keep a program from exiting.

import assert from "node:assert";
import { type OpName, ops, seededRandom } from "@nonlin/core";
import type { KernelArgs, KernelSet } from "../_kernels.ts";
import { jsKernels } from "../_js_kernels.ts";
import { prepare } from "../_engine.ts";
import type { Loop } from "./_module.ts";
import { kernelDefs, lanesOf } from "./_ops.ts";
import { environment, threadCount } from "../_kernel_sets.ts";
import {
  defaultThreads,
  KEEP_SCRATCH,
  loadSimdKernels,
  type SimdKernels,
  simdSupport,
  SUM_BLOCK,
} from "./_simd_kernels.ts";

const support = simdSupport();
const shared = typeof SharedArrayBuffer === "function";

function inputs(n: number, seed: number): Float32Array {
  const rand = seededRandom(seed);
  return Float32Array.from({ length: n }, () => (rand() * 2 - 1) * 12);
}

/** The catalog's example for parameters without a default, else these. */
function paramsOf(op: OpName): Record<string, unknown> {
  switch (op) {
    case "leakyRelu":
      return { alpha: 0.2 };
    case "swish":
      return { beta: 1.702 };
    case "softplus":
      return { beta: 2, threshold: 5 };
    case "elu":
    case "celu":
      return { alpha: 1.3 };
    default:
      return { ...ops[op].example };
  }
}

function argsOf(op: OpName, n: number, set: KernelSet): KernelArgs {
  return prepare(op, paramsOf(op), [n], set).args;
}

function sumsOf(op: OpName): Record<string, Float64Array> {
  const s: Record<string, Float64Array> = {};
  for (const [name, p] of Object.entries(ops[op].params)) {
    if ((p as { learned?: boolean }).learned) s[name] = new Float64Array(1);
  }
  return s;
}

interface Results {
  readonly y: Float32Array;
  readonly d: Float32Array;
  readonly dx: Float32Array;
  readonly sums: Record<string, Float64Array>;
}

/** Forward, derivative and VJP of `op` on resident copies of x and dy. */
function runAll(
  s: SimdKernels,
  op: OpName,
  x: Float32Array,
  dy: Float32Array,
): Results {
  const n = x.length;
  const k = s.kernels;
  const args = argsOf(op, n, k);
  const put = (data: Float32Array) => {
    const b = k.allocate!(n);
    b.view().set(data);
    return b;
  };
  const bx = put(x), bdy = put(dy);
  const y = k.allocate!(n), d = k.allocate!(n), dx = k.allocate!(n);
  k.ops[op].forward(bx.view(), y.view(), args);
  k.ops[op].derivative(bx.view(), d.view(), args);
  const sums = sumsOf(op);
  k.ops[op].vjp(bx.view(), bdy.view(), dx.view(), sums, args);
  const r = {
    y: y.view().slice(),
    d: d.view().slice(),
    dx: dx.view().slice(),
    sums,
  };
  for (const b of [bx, bdy, y, d, dx]) b.free();
  return r;
}

/** The same calls on host arrays (copied in and out by the kernels). */
function runHost(
  s: SimdKernels,
  op: OpName,
  x: Float32Array,
  dy: Float32Array,
): Results {
  const n = x.length;
  const k = s.kernels;
  const args = argsOf(op, n, k);
  const y = new Float32Array(n), d = new Float32Array(n);
  const dx = new Float32Array(n);
  k.ops[op].forward(x, y, args);
  k.ops[op].derivative(x, d, args);
  const sums = sumsOf(op);
  k.ops[op].vjp(x, dy, dx, sums, args);
  return { y, d, dx, sums };
}

/** Every output and sum the same bits (a NaN matches a NaN). */
function sameBits(a: Results, b: Results, what: string): void {
  for (const key of ["y", "d", "dx"] as const) {
    const p = a[key], q = b[key];
    for (let i = 0; i < p.length; i++) {
      if (!Object.is(p[i], q[i])) {
        assert.fail(`${what} ${key}[${i}]: ${p[i]} and ${q[i]}`);
      }
    }
  }
  for (const [name, sum] of Object.entries(a.sums)) {
    assert.ok(
      Object.is(sum[0], b.sums[name]![0]),
      `${what} d${name}: ${sum[0]} and ${b.sums[name]![0]}`,
    );
  }
}

const OPS: readonly OpName[] = [
  "relu",
  "leakyRelu",
  "prelu",
  "elu",
  "celu",
  "sigmoid",
  "tanh",
  "softplus",
  "gelu",
  "swish",
  "mish",
];

Deno.test({
  name: "helper threads: the same bits on 1, 2, 3 and 4 threads",
  ignore: !support.simd || !shared,
  async fn(t) {
    const sets = new Map<number, SimdKernels>();
    for (const threads of [1, 2, 3, 4]) {
      const s = await loadSimdKernels({ fma: support.relaxed, threads });
      if (threads > 1) {
        assert.ok(await s.ready(), `${threads} threads: ${s.threadsReason}`);
      }
      assert.strictEqual(s.threads, threads);
      sets.set(threads, s);
    }
    // Several sum blocks and chunks, an odd tail.
    const n = 9 * SUM_BLOCK + 4099;
    const finite = inputs(n, 31);
    const special = finite.slice();
    for (let i = 0; i < 4 * 200; i += 4) special[n - 9 - i] = NaN;
    special[17] = -Infinity;
    special[n >> 1] = Infinity;
    // Special values past the middle only: a split host-array call hands
    // the helpers the chunks after them and keeps the rest.
    const middle = finite.slice();
    middle[(n >> 1) + SUM_BLOCK + 5] = NaN;
    middle[(n >> 1) + SUM_BLOCK + 9] = -Infinity;
    const dy = inputs(n, 32);
    for (
      const [label, x] of [
        ["finite x", finite],
        ["x with NaN and ±∞", special],
        ["x with NaN and ±∞ past the middle", middle],
      ] as const
    ) {
      for (const op of OPS) {
        await t.step(`${op}, ${label}`, () => {
          const one = runAll(sets.get(1)!, op, x, dy);
          for (const threads of [2, 3, 4]) {
            sameBits(
              runAll(sets.get(threads)!, op, x, dy),
              one,
              `${op} ${label} ${threads} threads`,
            );
          }
          // Host arrays: tiled through the cache on one thread, split on
          // several; the same bits as resident data.
          for (const threads of [1, 2, 3, 4]) {
            sameBits(
              runHost(sets.get(threads)!, op, x, dy),
              one,
              `${op} ${label} host arrays, ${threads} threads`,
            );
          }
        });
      }
    }
    await t.step("the helpers did take part", () => {
      for (const threads of [2, 3, 4]) {
        assert.ok(sets.get(threads)!.workerJobs() > 0, `${threads} threads`);
      }
      assert.strictEqual(sets.get(1)!.workerJobs(), 0);
    });
    await t.step("small calls stay on the calling thread", () => {
      const s = sets.get(4)!;
      const jobs = s.workerJobs();
      runAll(s, "gelu", finite.subarray(0, 1000), dy.subarray(0, 1000));
      assert.strictEqual(s.workerJobs(), jobs);
    });
  },
});

/** The host calls again, each output over an input (`out` = x, dx = dy or x). */
function runInPlace(
  s: SimdKernels,
  op: OpName,
  x: Float32Array,
  dy: Float32Array,
  dxOver: "x" | "dy",
): Results {
  const n = x.length;
  const k = s.kernels;
  const args = argsOf(op, n, k);
  const y = x.slice(), d = x.slice();
  k.ops[op].forward(y, y, args);
  k.ops[op].derivative(d, d, args);
  const sums = sumsOf(op);
  const xs = x.slice(), dys = dy.slice();
  const dx = dxOver === "x" ? xs : dys;
  k.ops[op].vjp(xs, dys, dx, sums, args);
  return { y, d, dx, sums };
}

Deno.test({
  name: "host arrays: in place, any length, NaN and ±0 kept, no allocation",
  ignore: !support.simd || !shared,
  async fn(t) {
    const sets: SimdKernels[] = [];
    for (const threads of [1, 2, 4]) {
      const s = await loadSimdKernels({ fma: support.relaxed, threads });
      if (threads > 1) assert.ok(await s.ready(), `${s.threadsReason}`);
      sets.push(s);
    }
    const lengths = [
      0,
      1,
      3,
      5,
      SUM_BLOCK - 1,
      SUM_BLOCK + 1,
      11 * SUM_BLOCK + 7,
      // Several one-thread tiles (relu: 16 blocks forward, 8 a VJP), in place.
      37 * SUM_BLOCK + 5,
    ];
    for (const n of lengths) {
      const x = inputs(n, 41 + n);
      const dy = inputs(n, 43 + n);
      // Signed zeros everywhere, special values in the first and last tile.
      for (let i = 0; i < n; i += 7) x[i] = i % 14 === 0 ? -0 : 0;
      if (n > 2) {
        x[1] = NaN;
        x[n - 1] = -Infinity;
        dy[n - 2] = -0;
      }
      for (const op of ["relu", "tanh", "gelu", "swish", "softplus"] as const) {
        await t.step(`${op}, ${n} elements`, () => {
          const want = runAll(sets[0]!, op, x, dy);
          for (const s of sets) {
            const label = `${op} ${n} elements ${s.threads} threads`;
            sameBits(runHost(s, op, x, dy), want, `${label} host`);
            sameBits(runInPlace(s, op, x, dy, "dy"), want, `${label} dx = dy`);
            sameBits(runInPlace(s, op, x, dy, "x"), want, `${label} dx = x`);
          }
        });
      }
    }
    await t.step("beyond the kept scratch: a block of its own, freed", () => {
      const n = KEEP_SCRATCH + 5;
      const x = inputs(n, 9);
      x[n - 1] = NaN;
      x[3] = -0;
      for (const s of sets.slice(1)) {
        const want = runAll(sets[0]!, "sigmoid", x, x);
        const live = s.heap.liveBytes;
        sameBits(runHost(s, "sigmoid", x, x), want, `${s.threads} threads`);
        assert.strictEqual(s.heap.liveBytes, live, "a block left behind");
      }
    });
    await t.step("a host call allocates nothing in the memory", () => {
      for (const s of sets) {
        const n = 5 * SUM_BLOCK + 3;
        const x = inputs(n, 7);
        runHost(s, "swish", x, x);
        const heap = s.heap;
        const alloc = heap.alloc;
        let allocs = 0;
        heap.alloc = (bytes: number) => {
          allocs++;
          return alloc.call(heap, bytes);
        };
        try {
          runHost(s, "swish", x, x);
          runInPlace(s, "gelu", x, x, "x");
        } finally {
          heap.alloc = alloc;
        }
        assert.strictEqual(allocs, 0, `${s.threads} threads`);
        // The counter sees an allocation (fixture): a resident output.
        heap.alloc = (bytes: number) => {
          allocs++;
          return alloc.call(heap, bytes);
        };
        try {
          s.kernels.allocate!(4).free();
        } finally {
          heap.alloc = alloc;
        }
        assert.strictEqual(allocs, 1);
      }
    });
  },
});

Deno.test({
  name: "split host-array calls: the hand-off, over and over",
  ignore: !support.simd || !shared,
  async fn(t) {
    // Split from one sum block per thread, so that every length below is
    // split: the helpers take chunks from the end while this thread
    // streams the start; where they meet depends on the scheduling, so
    // each call is repeated.
    const one = await loadSimdKernels({ fma: support.relaxed, threads: 1 });
    const sets: SimdKernels[] = [];
    for (const threads of [2, 4]) {
      const s = await loadSimdKernels({
        fma: support.relaxed,
        threads,
        split: { f64: SUM_BLOCK, f32: SUM_BLOCK },
      });
      assert.ok(await s.ready(), `${s.threadsReason}`);
      sets.push(s);
    }
    for (const n of [2 * SUM_BLOCK, 5 * SUM_BLOCK + 3, 23 * SUM_BLOCK + 11]) {
      const x = inputs(n, 50 + n);
      const dy = inputs(n, 51 + n);
      // Special values in one chunk near the end: a helper leaves it to
      // this thread (no sums), or this thread keeps it and the ones before
      // it (a VJP with sums).
      const special = x.slice();
      special[n - SUM_BLOCK - 2] = NaN;
      special[n - SUM_BLOCK - 9] = Infinity;
      special[n - SUM_BLOCK - 13] = -Infinity;
      for (
        const op of ["relu", "gelu", "logSigmoid", "swish", "softplus"] as const
      ) {
        await t.step(`${op}, ${n} elements`, () => {
          for (const xs of [x, special]) {
            const want = runAll(one, op, xs, dy);
            for (const s of sets) {
              for (let r = 0; r < 8; r++) {
                sameBits(
                  runHost(s, op, xs, dy),
                  want,
                  `${op} ${n} ${s.threads} threads, call ${r}`,
                );
              }
            }
          }
        });
      }
    }
    await t.step("the helpers took chunks", () => {
      for (const s of sets) assert.ok(s.workerJobs() > 0, `${s.threads}`);
    });
    await t.step("an error mid-call leaves no helper running", () => {
      // An output whose third copy fails: the call throws, and the next one
      // still splits and gives the same bits.
      class Failing extends Float32Array {
        copies = 0;
        override set(array: ArrayLike<number>, offset?: number): void {
          if (++this.copies === 3) throw new Error("copy failed");
          super.set(array, offset);
        }
      }
      const n = 23 * SUM_BLOCK + 11;
      const x = inputs(n, 61);
      const want = runAll(one, "gelu", x, x);
      for (const s of sets) {
        const args = argsOf("gelu", n, s.kernels);
        assert.throws(
          () => s.kernels.ops.gelu.forward(x, new Failing(n), args),
          /copy failed/,
        );
        const jobs = s.workerJobs();
        sameBits(runHost(s, "gelu", x, x), want, `${s.threads} threads`);
        assert.ok(s.workerJobs() > jobs, `${s.threads} threads: no helper`);
      }
    });
  },
});

Deno.test({
  name:
    "which calls split: per loop, by its lanes; host arrays never on float32",
  ignore: !support.simd || !shared,
  async fn(t) {
    // Split from one sum block per thread: every call below would split if
    // its rule let it.
    const s = await loadSimdKernels({
      fma: support.relaxed,
      threads: 2,
      split: { f64: SUM_BLOCK, f32: SUM_BLOCK },
    });
    assert.ok(await s.ready(), `${s.threadsReason}`);
    const k = s.kernels;
    const n = 8 * SUM_BLOCK;
    const x = inputs(n, 71);
    const dy = inputs(n, 72);
    const rx = k.allocate!(n);
    const rdy = k.allocate!(n);
    const rout = k.allocate!(n);
    rx.view().set(x);
    rdy.view().set(dy);
    const out = new Float32Array(n);
    // A loop on float32 lanes (or on them for float32 parameters) is bound
    // by memory; hardSigmoid has both kinds in one family.
    const memoryBound = (op: "relu" | "sigmoid" | "hardSigmoid", loop: Loop) =>
      ["f32", "either"].includes(lanesOf(kernelDefs[op], loop));
    for (const op of ["relu", "sigmoid", "hardSigmoid"] as const) {
      for (const loop of ["forward", "derivative", "vjp"] as const) {
        const f32 = memoryBound(op, loop);
        const args = argsOf(op, n, k);
        const call = (a: Float32Array, d: Float32Array, o: Float32Array) =>
          loop === "vjp"
            ? k.ops[op].vjp(a, d, o, sumsOf(op), args)
            : k.ops[op][loop](a, o, args);
        // Whether the call was handed to the helper (taken or not).
        const helped = (run: () => void) => {
          const jobs = s.splitJobs();
          run();
          return s.splitJobs() > jobs;
        };
        await t.step(`${op} ${loop} (${f32 ? "memory" : "arithmetic"})`, () => {
          assert.ok(
            helped(() => call(rx.view(), rdy.view(), rout.view())),
            "resident: split",
          );
          assert.strictEqual(helped(() => call(x, dy, out)), !f32, "host");
        });
      }
    }
    assert.ok(
      memoryBound("hardSigmoid", "derivative") &&
        !memoryBound("hardSigmoid", "forward"),
      "hardSigmoid no longer mixes lanes: pick another family for this test",
    );
  },
});

Deno.test({
  name:
    "which calls split: on resident data a float64 loop's measured cost decides, once measured",
  ignore: !support.simd || !shared,
  async fn(t) {
    const n = 16 * SUM_BLOCK;
    const x = inputs(n, 81);
    // Runs `times` calls of op's forward on resident x, then one on host
    // arrays and one VJP, and says of each whether it was handed to the
    // helper.
    const calls = async (
      options: Parameters<typeof loadSimdKernels>[0],
      op: "sigmoid" | "relu",
      times: number,
    ) => {
      const s = await loadSimdKernels({
        fma: support.relaxed,
        threads: 2,
        ...options,
      });
      assert.ok(await s.ready(), `${s.threadsReason}`);
      const k = s.kernels;
      const rx = k.allocate!(n);
      const rout = k.allocate!(n);
      rx.view().set(x);
      const args = argsOf(op, n, k);
      const helped = (run: () => void) => {
        const jobs = s.splitJobs();
        run();
        return s.splitJobs() > jobs;
      };
      const resident = Array.from(
        { length: times },
        () => helped(() => k.ops[op].forward(rx.view(), rout.view(), args)),
      );
      const out = new Float32Array(n);
      const host = helped(() => k.ops[op].forward(x, out, args));
      const vjp = helped(() =>
        k.ops[op].vjp(rx.view(), rx.view(), rout.view(), sumsOf(op), args)
      );
      return { resident, host, vjp };
    };
    await t.step(
      "by count until measured, then by cost: no split",
      async () => {
        // Every count splits; no cost is ever enough work for two threads.
        const { resident, host } = await calls(
          { split: { f64: SUM_BLOCK, f32: SUM_BLOCK }, splitWork: 1e15 },
          "sigmoid",
          8,
        );
        assert.ok(resident[0], "the first call splits by count");
        assert.deepStrictEqual(
          resident.slice(-3),
          [false, false, false],
          "once measured, the cost keeps it on one thread",
        );
        assert.ok(host, "host arrays still split by count");
      },
    );
    await t.step("by count until measured, then by cost: split", async () => {
      // No count splits; any cost is enough work for two threads.
      const { resident, vjp } = await calls(
        { split: { f64: 1 << 30, f32: 1 << 30 }, splitWork: 1 },
        "sigmoid",
        8,
      );
      assert.ok(!resident[0], "the first call stays on one thread by count");
      assert.deepStrictEqual(resident.slice(-3), [true, true, true]);
      assert.ok(!vjp, "each loop has its own cost: the VJP is not measured");
    });
    await t.step("a float32 loop keeps the count", async () => {
      const { resident } = await calls(
        { split: { f64: SUM_BLOCK, f32: SUM_BLOCK }, splitWork: 1e15 },
        "relu",
        8,
      );
      assert.deepStrictEqual(resident, new Array(8).fill(true));
    });
    await t.step("split given alone: the count decides", async () => {
      const { resident } = await calls(
        { split: { f64: SUM_BLOCK, f32: SUM_BLOCK } },
        "sigmoid",
        8,
      );
      assert.deepStrictEqual(resident, new Array(8).fill(true));
    });
  },
});

Deno.test("helper threads: the sums are sensitive to their order (fixture)", () => {
  // Summing by halves (as a split by threads would) changes the float64
  // sum for this data, so the bit-for-bit test above would catch a
  // reduction whose order followed the thread count.
  const n = 9 * SUM_BLOCK + 4099;
  const x = inputs(n, 31);
  const dy = inputs(n, 32);
  const args = argsOf("swish", n, jsKernels);
  const whole = sumsOf("swish");
  jsKernels.ops.swish.vjp(x, dy, new Float32Array(n), whole, args);
  const half = n >> 1;
  const lo = sumsOf("swish"), hi = sumsOf("swish");
  jsKernels.ops.swish.vjp(
    x.subarray(0, half),
    dy.subarray(0, half),
    new Float32Array(half),
    lo,
    args,
  );
  jsKernels.ops.swish.vjp(
    x.subarray(half),
    dy.subarray(half),
    new Float32Array(n - half),
    hi,
    args,
  );
  assert.notStrictEqual(lo.beta![0]! + hi.beta![0]!, whole.beta![0]!);
});

Deno.test({
  name: "helper threads: a helper that cannot start leaves one thread",
  ignore: !support.simd || !shared,
  async fn(t) {
    const n = 4 * SUM_BLOCK + 5;
    const x = inputs(n, 7);
    const dy = inputs(n, 8);
    const alone = await loadSimdKernels({ fma: support.relaxed, threads: 1 });
    const want = runAll(alone, "softplus", x, dy);
    const g = globalThis as { Worker: unknown };
    const original = g.Worker;
    await t.step(
      "a replaced Worker that throws ERR_WORKER_PATH (onnxruntime-web under Deno)",
      async () => {
        // What a Worker polyfilled over node:worker_threads does with a
        // blob: URL.
        g.Worker = class {
          constructor(url: string | URL) {
            const error = new TypeError(
              `The worker script or module filename must be an absolute path or a relative path starting with './' or '../'. Received "${url}"`,
            );
            (error as { code?: string }).code = "ERR_WORKER_PATH";
            throw error;
          }
        };
        try {
          const s = await loadSimdKernels({
            fma: support.relaxed,
            threads: 4,
            workers: "web",
          });
          sameBits(runAll(s, "softplus", x, dy), want, "fake Worker");
          assert.strictEqual(s.threads, 1);
          assert.match(s.threadsReason!, /ERR_WORKER_PATH/);
          assert.strictEqual(s.kernels.properties!.threads, 1);
          assert.match(
            String(s.kernels.properties!.threadsReason),
            /could not start.*ERR_WORKER_PATH/,
          );
          assert.strictEqual(await s.ready(), false);
        } finally {
          g.Worker = original;
        }
      },
    );
    await t.step("a Worker that fails after it was made", async () => {
      g.Worker = class {
        onerror: ((e: unknown) => void) | null = null;
        constructor() {
          setTimeout(() =>
            this.onerror?.({
              error: new Error("the script did not load"),
              preventDefault() {},
            }), 0);
        }
        postMessage() {}
      };
      try {
        const s = await loadSimdKernels({
          fma: support.relaxed,
          threads: 3,
          workers: "web",
        });
        sameBits(runAll(s, "softplus", x, dy), want, "failing Worker");
        assert.strictEqual(await s.ready(200), false);
        assert.strictEqual(s.threads, 1);
        assert.match(s.threadsReason!, /failed: the script did not load/);
        sameBits(runAll(s, "softplus", x, dy), want, "after the failure");
      } finally {
        g.Worker = original;
      }
    });
    await t.step("no Worker at all", async () => {
      g.Worker = undefined;
      try {
        const s = await loadSimdKernels({
          fma: support.relaxed,
          threads: 2,
          workers: "web",
        });
        assert.strictEqual(s.threads, 1);
        assert.match(
          s.threadsReason!,
          /neither node:worker_threads nor Worker/,
        );
        sameBits(runAll(s, "softplus", x, dy), want, "no Worker");
      } finally {
        g.Worker = original;
      }
    });
    await t.step("real Web Workers where the runtime has them", async () => {
      const s = await loadSimdKernels({
        fma: support.relaxed,
        threads: 2,
        workers: "web",
      });
      assert.ok(await s.ready(), s.threadsReason);
      sameBits(runAll(s, "softplus", x, dy), want, "Web Worker");
      assert.match(String(s.kernels.properties!.workers), /Web Worker/);
    });
  },
});

Deno.test("threadCount()", async (t) => {
  await t.step("NONLIN_NATIVE_THREADS gives the count", () => {
    assert.strictEqual(threadCount("1"), 1);
    assert.strictEqual(threadCount(" 12 "), 12);
    assert.strictEqual(threadCount("256"), 256);
  });
  await t.step("unset or empty: hardwareConcurrency, at most 16", () => {
    assert.strictEqual(threadCount(undefined), defaultThreads());
    assert.strictEqual(threadCount(""), defaultThreads());
    assert.strictEqual(
      defaultThreads(),
      Math.min(navigator.hardwareConcurrency, 16),
    );
  });
  await t.step("anything else is a RangeError naming the variable", () => {
    for (const bad of ["0", "-2", "1.5", "four", "257", "2x"]) {
      assert.throws(
        () => threadCount(bad),
        (e: unknown) =>
          e instanceof RangeError &&
          e.message.startsWith("NONLIN_NATIVE_THREADS must be an integer"),
        bad,
      );
    }
  });
});

Deno.test("environment() reads Deno.env, or process.env without Deno", () => {
  Deno.env.set("NONLIN_TEST_VARIABLE", "deno");
  try {
    assert.strictEqual(environment("NONLIN_TEST_VARIABLE"), "deno");
    const node = { process: { env: { NONLIN_TEST_VARIABLE: "node" } } };
    assert.strictEqual(environment("NONLIN_TEST_VARIABLE", node), "node");
    assert.strictEqual(environment("NONLIN_TEST_VARIABLE", {}), undefined);
    // Deno without the permission: not read (and never prompted for).
    const denied = {
      Deno: {
        env: { get: () => "secret" },
        permissions: { querySync: () => ({ state: "prompt" }) },
      },
      process: node.process,
    };
    assert.strictEqual(environment("NONLIN_TEST_VARIABLE", denied), undefined);
  } finally {
    Deno.env.delete("NONLIN_TEST_VARIABLE");
  }
});

Deno.test({
  name: "helper threads never keep a program from exiting",
  ignore: !support.simd || !shared,
  async fn() {
    // Helpers made with node:worker_threads never exit on their own; were
    // they not unref'ed, this child would hang until the kill below.
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "-"],
      env: { NONLIN_NATIVE_THREADS: "3" },
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const source = `
      import { backend, gelu } from "${
      new URL("../mod.ts", import.meta.url).href
    }";
      const x = new Float32Array(1 << 20).fill(0.5);
      for (let i = 0; i < 20 && backend.capabilities.properties.threads === 3; i++) {
        await gelu(x);
        await new Promise((r) => setTimeout(r, 20));
      }
      const p = backend.capabilities.properties;
      await Deno.stdout.write(new TextEncoder().encode(JSON.stringify([p.threads, p.workers])));
    `;
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(source));
    await writer.close();
    const kill = setTimeout(() => child.kill("SIGKILL"), 120_000);
    const out = await child.output();
    clearTimeout(kill);
    assert.ok(out.success, new TextDecoder().decode(out.stderr));
    const [threads, workers] = JSON.parse(new TextDecoder().decode(out.stdout));
    assert.strictEqual(threads, 3);
    assert.match(workers, /node:worker_threads/);
  },
});

/** `node` on PATH, or undefined. */
function nodePath(): string | undefined {
  try {
    const out = new Deno.Command("node", { args: ["--version"] }).outputSync();
    return out.success ? "node" : undefined;
  } catch {
    return undefined;
  }
}

const node = nodePath();

Deno.test({
  name:
    "on Node: helpers through node:worker_threads, settings from process.env",
  // Node comes with the set-up the README asks for; without it the engine's
  // Node path cannot be run here (install it: apt-get install nodejs).
  ignore: node === undefined || !support.simd,
  async fn() {
    const dir = await Deno.makeTempDir();
    try {
      const bundle = `${dir}/native.mjs`;
      const built = await new Deno.Command(Deno.execPath(), {
        args: [
          "bundle",
          "--platform",
          "browser",
          "-o",
          bundle,
          new URL("../mod.ts", import.meta.url).pathname,
        ],
        stdout: "piped",
        stderr: "piped",
      }).output();
      assert.ok(built.success, new TextDecoder().decode(built.stderr));
      await Deno.writeTextFile(
        `${dir}/main.mjs`,
        `import { backend, gelu, vjp } from "./native.mjs";
const x = new Float32Array(1 << 20).map((_, i) => (i % 1000) / 100 - 5);
let p = backend.capabilities.properties;
for (let i = 0; i < 20; i++) {
  await gelu(x);
  await vjp("swish", x, { dy: x, params: { beta: 1.5 } });
  await new Promise((r) => setTimeout(r, 20));
}
p = backend.capabilities.properties;
const g = await vjp("swish", x, { dy: x, params: { beta: 1.5 } });
console.log(JSON.stringify({ threads: p.threads, workers: p.workers, dbeta: g.dparams.beta[0] }));
`,
      );
      const run = (threads: string) =>
        new Deno.Command(node!, {
          args: [`${dir}/main.mjs`],
          env: { NONLIN_NATIVE_THREADS: threads },
          stdout: "piped",
          stderr: "piped",
        }).output();
      // Each exits by itself once its work is done: helpers are unref'ed.
      const three = await run("3");
      const one = await run("1");
      for (const r of [three, one]) {
        assert.ok(r.success, new TextDecoder().decode(r.stderr));
      }
      const a = JSON.parse(new TextDecoder().decode(three.stdout));
      const b = JSON.parse(new TextDecoder().decode(one.stdout));
      assert.strictEqual(a.threads, 3);
      assert.match(a.workers, /node:worker_threads/);
      assert.strictEqual(b.threads, 1);
      // The same bits on Node whatever the thread count.
      assert.strictEqual(a.dbeta, b.dbeta);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
