// The WebAssembly SIMD kernel set beyond the accuracy sweep of mod_test.ts:
// every length (the tail), aliasing, tensors in and out of its memory, the
// records of non-finite inputs and their hand-off to the JavaScript kernels,
// prelu's gathered α, and the sweep again with the other multiply–add mode.

import assert from "node:assert";
import {
  type OpName,
  opNames,
  ops,
  type OpSpec,
  paramSetsOf,
  type ResolvedParams,
  resolveParams,
  seededRandom,
  ulpDistance,
} from "@nonlin/core";
import type { KernelArgs, KernelSet } from "../_kernels.ts";
import { jsKernels } from "../_js_kernels.ts";
import { activeKernels, prepare, useKernels } from "../_engine.ts";
import { paramCases, sweepCase } from "../_accuracy.ts";
import { loadSimdKernels, simdSupport } from "./_simd_kernels.ts";
import { RECORD_CAPACITY } from "./_module.ts";
import { kernelDefs, lanesOf } from "./_ops.ts";

const support = simdSupport();
const simd = await loadSimdKernels({ fma: support.relaxed });
const heap = simd.heap;
const kernels = simd.kernels;

type Loop = "forward" | "derivative" | "secondDerivative";
const loops: readonly Loop[] = ["forward", "derivative", "secondDerivative"];

/**
 * The catalog's parameter sets of an op (example, then edges), prelu's
 * per-channel α left out: it has its own test below.
 */
function setsOf(op: OpName): readonly Params[] {
  return paramSetsOf(op, { scalarOnly: true }) as Params[];
}

/** The op's last catalog set: an edge where it has one. */
function paramsOf(op: OpName): Params {
  return setsOf(op).at(-1)!;
}

type Params = Record<string, number | string>;

/** A step label's suffix for a parameter set. */
function label(params: Params): string {
  const parts = Object.entries(params).map(([k, v]) =>
    `${k}=${Object.is(v, -0) ? "-0" : v}`
  );
  return parts.length === 0 ? "" : ` ${parts.join(" ")}`;
}

function argsOf(
  op: OpName,
  n: number,
  set: KernelSet = kernels,
  params: Params = paramsOf(op),
): KernelArgs {
  return prepare(op, params, [n], set).args;
}

/** `n` float32 inputs over [−12, 12], both signs, seeded. */
function inputs(n: number, seed: number): Float32Array {
  const rand = seededRandom(seed);
  return Float32Array.from({ length: n }, () => (rand() * 2 - 1) * 12);
}

/** A Float32Array view of `n` elements in the kernels' memory. */
function resident(
  data: Float32Array,
): { view: () => Float32Array; free(): void } {
  const block = kernels.allocate!(data.length);
  block.view().set(data);
  return { view: () => block.view(), free: () => block.free() };
}

/** The reference of one loop at x, as the accuracy sweep forms it. */
function reference(
  op: OpName,
  loop: Loop,
  x: number,
  params: Params = paramsOf(op),
): number {
  const spec = ops[op] as unknown as OpSpec;
  const p = resolveParams(op, params) as ResolvedParams;
  const fn = loop === "forward"
    ? spec.f
    : loop === "derivative"
    ? spec.dfdx
    : spec.d2fdx2;
  return Math.fround(fn(x, p));
}

Deno.test("simd kernels: every length", async (t) => {
  for (const op of opNames) {
    for (const params of setsOf(op)) {
      await t.step(
        `${op}${
          label(params)
        }: n = 0…13 and 1029, within bounds, nothing written past n`,
        () => {
          for (const n of [...Array(14).keys(), 1029]) {
            const x = inputs(n, 7 + n);
            for (const loop of loops) {
              // Guard elements on both sides of the output block.
              const block = kernels.allocate!(n + 8);
              const all = block.view();
              all.fill(12345);
              const y = all.subarray(4, 4 + n);
              kernels.ops[op][loop](x, y, argsOf(op, n, kernels, params));
              const after = block.view();
              for (const g of [0, 1, 2, 3, n + 4, n + 5, n + 6, n + 7]) {
                assert.strictEqual(
                  after[g],
                  12345,
                  `${op} ${loop} n=${n}: wrote guard ${g}`,
                );
              }
              const bound = loop === "forward" ? 1 : 2;
              for (let i = 0; i < n; i++) {
                const d = ulpDistance(
                  after[4 + i]!,
                  reference(op, loop, x[i]!, params),
                );
                assert.ok(
                  d <= bound,
                  `${op} ${loop}(${x[i]}) n=${n}: ${d} ULP`,
                );
              }
              block.free();
            }
          }
        },
      );
    }
  }
});

Deno.test("simd kernels: storage and aliasing", async (t) => {
  const n = 999;
  for (const op of opNames) {
    for (const params of setsOf(op)) {
      await t.step(
        `${op}${
          label(params)
        }: host or resident arrays, in place, all give the same bits`,
        () => {
          const x = inputs(n, 11);
          const dy = inputs(n, 12);
          const args = argsOf(op, n, kernels, params);
          const k = kernels.ops[op];
          for (const loop of loops) {
            const want = new Float32Array(n);
            k[loop](x, want, args);
            const rx = resident(x);
            const ry = resident(new Float32Array(n));
            k[loop](rx.view(), ry.view(), args);
            assert.deepStrictEqual(ry.view().slice(), want, `${loop} resident`);
            const host = new Float32Array(n);
            k[loop](rx.view(), host, args);
            assert.deepStrictEqual(host, want, `${loop} resident in, host out`);
            k[loop](x, ry.view(), args);
            assert.deepStrictEqual(
              ry.view().slice(),
              want,
              `${loop} host in, resident out`,
            );
            k[loop](rx.view(), rx.view(), args);
            assert.deepStrictEqual(
              rx.view().slice(),
              want,
              `${loop} in place, resident`,
            );
            const inPlace = x.slice();
            k[loop](inPlace, inPlace, args);
            assert.deepStrictEqual(inPlace, want, `${loop} in place, host`);
            rx.free();
            ry.free();
          }
          const sums = () => {
            const s: Record<string, Float64Array> = {};
            for (const [name, p] of Object.entries(ops[op].params)) {
              if ((p as { learned?: boolean }).learned) {
                s[name] = new Float64Array(1);
              }
            }
            return s;
          };
          const wantDx = new Float32Array(n);
          const wantSums = sums();
          k.vjp(x, dy, wantDx, wantSums, args);
          const cases: [
            string,
            () => [
              Float32Array,
              Float32Array,
              Float32Array,
              () => Float32Array,
              () => void,
            ],
          ][] = [
            ["resident", () => {
              const a = resident(x),
                b = resident(dy),
                c = resident(new Float32Array(n));
              return [
                a.view(),
                b.view(),
                c.view(),
                () => c.view(),
                () => (a.free(), b.free(), c.free()),
              ];
            }],
            ["dx = dy", () => {
              const a = resident(x), b = resident(dy);
              return [
                a.view(),
                b.view(),
                b.view(),
                () => b.view(),
                () => (a.free(), b.free()),
              ];
            }],
            ["dx = x", () => {
              const a = resident(x), b = resident(dy);
              return [
                a.view(),
                b.view(),
                a.view(),
                () => a.view(),
                () => (a.free(), b.free()),
              ];
            }],
            ["host dx = dy", () => {
              const b = dy.slice();
              return [x, b, b, () => b, () => {}];
            }],
            ["mixed", () => {
              const a = resident(x);
              const c = new Float32Array(n);
              return [a.view(), dy, c, () => c, () => a.free()];
            }],
          ];
          for (const [name, make] of cases) {
            const [xv, dyv, dxv, read, free] = make();
            const s = sums();
            k.vjp(xv, dyv, dxv, s, args);
            assert.deepStrictEqual(read().slice(), wantDx, `vjp ${name}`);
            assert.deepStrictEqual(s, wantSums, `vjp ${name} sums`);
            free();
          }
        },
      );
    }
  }
});

/** Inputs with NaN, ±∞ at every `every`-th element, among finite ones. */
function withSpecials(n: number, every: number): Float32Array {
  const x = inputs(n, 3);
  const specials = [NaN, Infinity, -Infinity];
  for (let i = 0; i < n; i += every) x[i] = specials[(i / every) % 3]!;
  return x;
}

Deno.test("simd kernels: non-finite inputs", async (t) => {
  // More vectors with a special value than one call records, so the loops
  // stop and resume; and a tail holding one.
  const n = 4 * RECORD_CAPACITY * 3 + 3;
  const x = withSpecials(n, 5);
  x[n - 1] = NaN;
  const dy = inputs(n, 4);
  for (const op of opNames) {
    for (const params of setsOf(op)) {
      await t.step(
        `${op}${
          label(params)
        }: exactly the JavaScript kernels' results there, the rest untouched`,
        () => {
          const args = argsOf(op, n, kernels, params);
          const jsArgs = argsOf(op, n, jsKernels, params);
          const k = kernels.ops[op];
          const finite = x.map((v) => (Number.isFinite(v) ? v : 0));
          for (const loop of loops) {
            const got = new Float32Array(n);
            k[loop](x, got, args);
            const js = new Float32Array(n);
            jsKernels.ops[op][loop](x, js, jsArgs);
            const plain = new Float32Array(n);
            k[loop](finite, plain, args);
            for (let i = 0; i < n; i++) {
              const want = Number.isFinite(x[i]!) ? plain[i]! : js[i]!;
              assert.ok(
                Object.is(got[i], want),
                `${op} ${loop}(${x[i]}) at ${i}: ${got[i]} vs ${want}`,
              );
            }
          }
          const sums = () => {
            const s: Record<string, Float64Array> = {};
            for (const [name, p] of Object.entries(ops[op].params)) {
              if ((p as { learned?: boolean }).learned) {
                s[name] = new Float64Array(1);
              }
            }
            return s;
          };
          const got = new Float32Array(n);
          const gotSums = sums();
          k.vjp(x, dy, got, gotSums, args);
          const js = new Float32Array(n);
          const jsSums = sums();
          jsKernels.ops[op].vjp(x, dy, js, jsSums, jsArgs);
          const plain = new Float32Array(n);
          k.vjp(finite, dy, plain, sums(), args);
          for (let i = 0; i < n; i++) {
            const want = Number.isFinite(x[i]!) ? plain[i]! : js[i]!;
            assert.ok(Object.is(got[i], want), `${op} vjp dx at ${i}`);
          }
          // A non-finite x makes each parameter sum NaN or ±∞, as in JavaScript.
          for (const name of Object.keys(jsSums)) {
            assert.ok(
              Object.is(gotSums[name]![0], jsSums[name]![0]),
              `${op} d${name}: ${gotSums[name]![0]} vs ${jsSums[name]![0]}`,
            );
          }
        },
      );
    }
  }
});

Deno.test("simd kernels: prelu with α per element and per channel", async (t) => {
  const rows = 37;
  const channels = 5;
  const n = rows * channels;
  const x = withSpecials(n, 11);
  x[1] = -0;
  const dy = inputs(n, 9);
  const alpha = Float64Array.from(
    { length: channels },
    (_, c) => Math.fround([0.1, -0.3, 0, 2, 0.25][c]!),
  );
  const perChannel: KernelArgs = {
    params: {},
    alpha: {
      values: alpha,
      index: Int32Array.from({ length: n }, (_, i) => i % channels),
    },
  };
  const perElement: KernelArgs = {
    params: {},
    alpha: {
      values: Float64Array.from({ length: n }, (_, i) => alpha[i % channels]!),
      index: null,
    },
  };
  for (
    const [name, args] of [["per channel", perChannel], [
      "per element",
      perElement,
    ]] as const
  ) {
    await t.step(
      `${name}: the JavaScript kernel's bits, dα the same sums`,
      () => {
        for (const loop of loops) {
          const got = new Float32Array(n);
          kernels.ops.prelu[loop](x, got, args);
          const want = new Float32Array(n);
          jsKernels.ops.prelu[loop](x, want, args);
          assert.deepStrictEqual(got, want, loop);
        }
        const length = args.alpha!.values.length;
        const got = new Float32Array(n);
        const gotSums = { alpha: new Float64Array(length) };
        const rx = resident(x);
        kernels.ops.prelu.vjp(rx.view(), dy, got, gotSums, args);
        rx.free();
        const want = new Float32Array(n);
        const wantSums = { alpha: new Float64Array(length) };
        jsKernels.ops.prelu.vjp(x, dy, want, wantSums, args);
        assert.deepStrictEqual(got, want);
        // Both add each element's term into its slot in element order.
        assert.deepStrictEqual(gotSums, wantSums);
      },
    );
  }
});

Deno.test("simd kernels: memory", async (t) => {
  await t.step(
    "calls free their scratch; the memory grows under live views",
    () => {
      const before = heap.liveCount;
      const x = inputs(100_000, 1);
      const y = new Float32Array(x.length);
      kernels.ops.sigmoid.forward(x, y, argsOf("sigmoid", x.length));
      assert.strictEqual(heap.liveCount, before);
      // Growing the memory mid-call (a big host input copied in) keeps the
      // resident output's pointer valid.
      const big = inputs(3_000_000, 2);
      const r = new Float32Array(big.length);
      kernels.ops.relu.forward(big, r, argsOf("relu", big.length));
      assert.strictEqual(heap.liveCount, before);
      const out = kernels.allocate!(big.length);
      const capacity = heap.capacity;
      kernels.ops.relu.forward(big, out.view(), argsOf("relu", big.length));
      assert.ok(heap.capacity > capacity, "the memory grew during the call");
      assert.deepStrictEqual(out.view().slice(), r);
      out.free();
      assert.strictEqual(heap.liveCount, before);
    },
  );
  await t.step("the set reports its storage and multiply–add", () => {
    assert.strictEqual(kernels.name, "wasm-simd");
    assert.strictEqual(kernels.simd, true);
    assert.strictEqual(kernels.properties?.fma, support.relaxed);
  });
});

Deno.test("simd kernels: a second thread", async (t) => {
  const threaded = await loadSimdKernels({
    fma: support.relaxed,
    threads: true,
  });
  await t.step("runs where workers and shared memory exist", async () => {
    assert.strictEqual(threaded.threads, 2);
    assert.strictEqual(threaded.kernels.properties?.threads, 2);
    assert.ok(threaded.heap.buffer instanceof SharedArrayBuffer);
    // The first large call starts the worker; once it is up it takes half.
    const x = inputs(1 << 17, 5);
    const y = new Float32Array(x.length);
    const args = argsOf("sigmoid", x.length);
    threaded.kernels.ops.sigmoid.forward(x, y, args);
    for (let i = 0; i < 100 && threaded.workerJobs() === 0; i++) {
      await new Promise((r) => setTimeout(r, 20));
      threaded.kernels.ops.sigmoid.forward(x, y, args);
    }
    assert.ok(threaded.workerJobs() > 0, "the worker never took a call");
    // Small calls stay on this thread.
    const jobs = threaded.workerJobs();
    threaded.kernels.ops.sigmoid.forward(x.subarray(0, 1000), y, args);
    assert.strictEqual(threaded.workerJobs(), jobs);
  });
  // Large enough to be split; specials in both halves, more vectors with
  // one than a record holds in the upper half.
  const n = 300_003;
  const x = inputs(n, 21);
  for (let i = 0; i < 4 * 200; i += 4) x[n - 9 - i] = NaN;
  x[17] = -Infinity;
  x[n >> 1] = Infinity;
  const dy = inputs(n, 22);
  const sumsOf = (op: OpName) => {
    const s: Record<string, Float64Array> = {};
    for (const [name, p] of Object.entries(ops[op].params)) {
      if ((p as { learned?: boolean }).learned) s[name] = new Float64Array(1);
    }
    return s;
  };
  for (
    const op of [
      "sigmoid",
      "gelu",
      "softplus",
      "swish",
      "elu",
      "relu",
      "leakyRelu",
      "celu",
    ] as const
  ) {
    await t.step(
      `${op}: the same bits as one thread, outputs and sums`,
      async () => {
        const args = argsOf(op, n);
        const resident = (s: typeof threaded, data: Float32Array) => {
          const b = s.kernels.allocate!(n);
          b.view().set(data);
          return b;
        };
        const results = [];
        for (const s of [threaded, simd]) {
          // Twice: the first call may find the worker still starting.
          let last;
          for (let r = 0; r < 2; r++) {
            const bx = resident(s, x), bdy = resident(s, dy);
            const y = s.kernels.allocate!(n), dx = s.kernels.allocate!(n);
            s.kernels.ops[op].forward(bx.view(), y.view(), args);
            const sums = sumsOf(op);
            s.kernels.ops[op].vjp(bx.view(), bdy.view(), dx.view(), sums, args);
            last = { y: y.view().slice(), dx: dx.view().slice(), sums };
            for (const b of [bx, bdy, y, dx]) b.free();
            await new Promise((r) => setTimeout(r, 30));
          }
          results.push(last!);
        }
        const [a, b] = results;
        for (const key of ["y", "dx"] as const) {
          for (let i = 0; i < n; i++) {
            if (!Object.is(a![key][i], b![key][i])) {
              assert.fail(
                `${op} ${key}[${i}] (x = ${x[i]}): ${
                  a![key][i]
                } with the worker, ${b![key][i]} without`,
              );
            }
          }
        }
        // Object.is: a NaN is a NaN, whatever its payload bits.
        for (const [name, sum] of Object.entries(a!.sums)) {
          assert.ok(Object.is(sum[0], b!.sums[name]![0]), `d${name}`);
        }
      },
    );
  }
});

Deno.test("simd kernels: the accuracy sweep with the other multiply–add mode", async (t) => {
  // mod_test.ts sweeps the default set (fused multiply–add where relaxed
  // SIMD exists); this sweeps the other one, where the runtime has both.
  const other = support.relaxed
    ? await loadSimdKernels({ fma: false })
    : undefined;
  if (other === undefined) return;
  for (const c of paramCases()) {
    await t.step(c.label, async () => {
      const before = activeKernels();
      useKernels(other.kernels);
      let r;
      try {
        r = await sweepCase(c);
      } finally {
        useKernels(before);
      }
      for (const [check, w] of Object.entries(r.worst)) {
        const bound = check === "values" ? 1 : 2;
        assert.ok(
          w.ulp <= bound,
          `${c.label} ${check}: ${w.ulp} ULP at ${w.x}`,
        );
      }
      assert.deepStrictEqual(r.pinnedMisses, []);
      assert.deepStrictEqual(r.sumMisses, []);
    });
  }
});

/** The float32 values within `k` steps of `x`. */
function around(x: number, k: number): number[] {
  const f = new Float32Array([x]);
  const bits = new Int32Array(f.buffer);
  const base = bits[0]!;
  const out: number[] = [];
  for (let d = -k; d <= k; d++) {
    bits[0] = x >= 0 ? base + d : base - d;
    out.push(f[0]!);
  }
  return out;
}

/** Where `g` changes sign on [−8, 8], to float64 precision. */
function roots(g: (x: number) => number): number[] {
  const found: number[] = [];
  const step = 1 / 512;
  for (let a = -8; a < 8; a += step) {
    let lo = a;
    let hi = a + step;
    const glo = g(lo);
    if (glo === 0 || Math.sign(glo) === Math.sign(g(hi))) continue;
    for (let i = 0; i < 80; i++) {
      const mid = (lo + hi) / 2;
      if (Math.sign(g(mid)) === Math.sign(glo)) lo = mid;
      else hi = mid;
    }
    found.push(lo);
  }
  return found;
}

Deno.test("simd kernels: derivatives near their roots", async (t) => {
  // Where a derivative crosses zero its formula cancels: the float32
  // neighbours of each root are the hardest inputs for the 2 ULP bound.
  const cases: [OpName, Record<string, unknown>][] = [
    ["gelu", {}],
    ["gelu", { approximate: "tanh" }],
    ["swish", { beta: 1 }],
    ["swish", { beta: 1.702 }],
    ["silu", {}],
    ["mish", {}],
    ["softplus", { beta: 1 }],
    ["sigmoid", {}],
    ["tanh", {}],
    ["celu", { alpha: 1 }],
  ];
  for (const [op, params] of cases) {
    const spec = ops[op] as unknown as OpSpec;
    const p = resolveParams(op, params) as ResolvedParams;
    for (const set of [kernels, jsKernels]) {
      await t.step(`${op} ${JSON.stringify(params)} [${set.name}]`, () => {
        const args = prepare(op, params, [1], set).args;
        const checks: [Loop, (x: number) => number][] = [
          ["derivative", (x) => spec.dfdx(x, p)],
          ["secondDerivative", (x) => spec.d2fdx2(x, p)],
        ];
        let tested = 0;
        for (const [loop, fn] of checks) {
          // Roots of the loop's own function: sign changes of fn itself.
          for (const r of roots(fn)) {
            const xs = new Float32Array(around(r, 2048));
            const got = new Float32Array(xs.length);
            set.ops[op][loop](xs, got, args);
            for (let i = 0; i < xs.length; i++) {
              const want = Math.fround(fn(xs[i]!));
              const d = ulpDistance(got[i]!, want);
              assert.ok(
                d <= 2,
                `${op} ${loop}(${xs[i]}) near root ${r}: ${d} ULP (got ${
                  got[i]
                }, want ${want})`,
              );
            }
            tested++;
          }
        }
        assert.ok(
          tested > 0 || ["sigmoid", "softplus"].includes(op),
          `${op}: no root found`,
        );
      });
    }
  }
});

Deno.test("simd kernels: tanhshrink forward across its two forms", () => {
  // Below |x| = 0.35 a fit of the series, above x − tanh x from a degree-7
  // exponential that the subtraction magnifies most at 0.35: every 64th
  // float32 of [0.25, 0.8] and [1e-6, 1e-5] (where x³/3 is all there is),
  // both signs, within 1 ULP of the reference.
  const xs: number[] = [];
  for (const [lo, hi] of [[0.25, 0.8], [1e-6, 1e-5]] as const) {
    const bits = new Int32Array(new Float32Array([lo, hi]).buffer);
    for (let b = bits[0]!; b < bits[1]!; b += 64) {
      const v = new Float32Array(new Int32Array([b]).buffer)[0]!;
      xs.push(v, -v);
    }
  }
  const x = new Float32Array(xs);
  const y = new Float32Array(x.length);
  const args = prepare("tanhshrink", undefined, [1], kernels).args;
  kernels.ops.tanhshrink.forward(x, y, args);
  let worst = 0;
  let at = 0;
  for (let i = 0; i < x.length; i++) {
    const d = ulpDistance(y[i]!, Math.fround(ops.tanhshrink.f(x[i]!, {})));
    if (d > worst) [worst, at] = [d, x[i]!];
  }
  assert.ok(worst <= 1, `${worst} ULP at ${at}`);
});

/**
 * The sum of `terms` as a VJP loop adds them: four f64x2 accumulators per
 * step of two vectors (lanes 0–1 and 2–3 of the first, then of the second;
 * a lone vector and the tail into the first two), then
 * ((a₀ + a₁) + (b₀ + b₁)) + ((c₀ + c₁) + (d₀ + d₁)). One sum block.
 */
function loopSum(terms: Float64Array): number {
  const acc = new Float64Array(8);
  const pairs = terms.length & -8;
  terms.forEach((t, e) => {
    const member = e < pairs ? (e >> 2) & 1 : 0;
    acc[4 * member + (e & 3)]! += t;
  });
  const [a0, a1, b0, b1, c0, c1, d0, d1] = acc;
  return a0! + a1! + (b0! + b1!) + (c0! + c1! + (d0! + d1!));
}

/** A number as a message shows it, −0 included. */
function show(v: number): string {
  return Object.is(v, -0) ? "-0" : String(v);
}

/** The float32 values at every special place: ±0, subnormals, ±∞, NaN, … */
const SPECIAL_F32 = [
  NaN,
  Infinity,
  -Infinity,
  0,
  -0,
  2 ** -149,
  -(2 ** -149),
  3 * 2 ** -149,
  2 ** -126 - 2 ** -149,
  -(2 ** -126 - 2 ** -149),
  2 ** -126,
  -(2 ** -126),
  3.4028234663852886e38,
  -3.4028234663852886e38,
  1,
  -1,
];

/**
 * Parameter values that are not float32 (or not in its range), and float32
 * ones at its edges, each over the catalog's example: the float32 loops
 * must compare x against them as the float64 loops do, and a loop on
 * float32 lanes only for float32 parameters must take the right lanes.
 */
const OFF_GRID = [
  2 ** -149,
  -(2 ** -149),
  2 ** -126,
  1.5,
  -2,
  3.4028234663852886e38,
  -3.4028234663852886e38,
  0,
  -0,
  0.1,
  1 / 3,
  -1 / 3,
  -0.1,
  1e-46, // rounds to 0 in float32
  -1e-46,
  2 ** -150, // the tie, rounds to 0 too
  -(2 ** -150),
  3.1e-45, // between two subnormals
  -3.1e-45,
  2 ** -126 - 2 ** -151,
  3.4028235e38, // above the largest float32, rounds to it
  -3.4028235e38,
  3.4028236e38, // rounds to +∞
  1e300,
  -1e300,
];

/** The op's catalog sets, then one real parameter at a time off the float32 grid. */
function offGridSets(op: OpName): Params[] {
  const example = setsOf(op)[0]!;
  const out: Params[] = [...setsOf(op)];
  for (const [name, p] of Object.entries(ops[op].params)) {
    if ((p as { kind: string }).kind !== "real") continue;
    for (const v of OFF_GRID) {
      const set = { ...example, [name]: v };
      try {
        resolveParams(op, set);
      } catch {
        continue; // outside the parameter's range
      }
      out.push(set);
    }
  }
  return out;
}

/** Inputs: the specials, and the float32 neighbours of ±each parameter value. */
function boundInputs(params: Params): Float32Array {
  const xs = [...SPECIAL_F32, ...inputs(64, 5)];
  for (const v of Object.values(params)) {
    if (typeof v !== "number" || !Number.isFinite(Math.fround(v))) continue;
    xs.push(...around(Math.fround(v), 3), ...around(-Math.fround(v), 3));
  }
  return new Float32Array(xs);
}

Deno.test("simd kernels: the float32-lane loops give the JavaScript kernels' bits", async (t) => {
  const all = ["forward", "derivative", "secondDerivative", "vjp"] as const;
  // Both lane selects: relaxed SIMD's where the runtime has it, and bitwise.
  const sets: [string, KernelSet][] = [[
    support.relaxed ? "relaxed" : "bitwise",
    kernels,
  ]];
  if (support.relaxed) {
    sets.push(["bitwise", (await loadSimdKernels({ fma: false })).kernels]);
  }
  for (const [tag, set] of sets) {
    for (const op of opNames) {
      // Loops on float32 lanes, always or for some parameters (both paths).
      const float32 = all.filter((l) => lanesOf(kernelDefs[op], l) !== "f64");
      if (float32.length === 0 || op === "prelu") continue;
      for (const params of offGridSets(op)) {
        await t.step(
          `${op}${label(params)}: ${float32.join(", ")} [${tag}]`,
          () => {
            const x = boundInputs(params);
            const args = argsOf(op, x.length, set, params);
            const jsArgs = argsOf(op, x.length, jsKernels, params);
            const same = (
              got: Float32Array,
              want: Float32Array,
              what: string,
            ) => {
              for (let i = 0; i < got.length; i++) {
                if (!Object.is(got[i], want[i])) {
                  assert.fail(
                    `${op}${label(params)} ${what}(${
                      show(x[i % x.length]!)
                    }): ${show(got[i]!)}, the JavaScript kernel ${
                      show(want[i]!)
                    } [${tag}]`,
                  );
                }
              }
            };
            for (const loop of float32) {
              if (loop === "vjp") continue;
              const got = new Float32Array(x.length);
              set.ops[op][loop](x, got, args);
              const want = new Float32Array(x.length);
              jsKernels.ops[op][loop](x, want, jsArgs);
              same(got, want, loop);
              // Each length of the tail, up to two whole vectors and more.
              for (let n = 1; n <= 13; n++) {
                const part = new Float32Array(n);
                set.ops[op][loop](x.subarray(0, n), part, args);
                same(part, want.subarray(0, n), `${loop} n=${n}`);
              }
            }
            if (!float32.includes("vjp")) return;
            // Every x against every special dy (and one ordinary dy).
            const dys = [...SPECIAL_F32, -2.5];
            const xx = new Float32Array(x.length * dys.length);
            const dy = new Float32Array(xx.length);
            dys.forEach((d, j) => {
              xx.set(x, j * x.length);
              dy.fill(d, j * x.length, (j + 1) * x.length);
            });
            const spec = ops[op] as unknown as OpSpec;
            const learned = Object.keys(spec.dfdp);
            const sums = () =>
              Object.fromEntries(learned.map((g) => [g, new Float64Array(1)]));
            const got = new Float32Array(xx.length);
            set.ops[op].vjp(xx, dy, got, sums(), args);
            const want = new Float32Array(xx.length);
            jsKernels.ops[op].vjp(xx, dy, want, sums(), jsArgs);
            same(got, want, "vjp");
            // Each length of the tail, where dy = −2.5.
            const s = (dys.length - 1) * x.length;
            for (let n = 1; n <= 13; n++) {
              const part = new Float32Array(n);
              set.ops[op].vjp(
                xx.subarray(s, s + n),
                dy.subarray(s, s + n),
                part,
                sums(),
                args,
              );
              same(part, want.subarray(s, s + n), `vjp n=${n}`);
            }
            // Each parameter's sum, over moderate inputs (a NaN or a huge term
            // would hide the order): the float64 loop's, term for term, in its
            // order.
            if (learned.length === 0) return;
            const fx = Float32Array.from(
              [...x.filter((v) => Math.abs(v) < 1e3), ...inputs(1029, 8)],
            );
            const fdy = inputs(fx.length, 9);
            const finiteSums = sums();
            set.ops[op].vjp(
              fx,
              fdy,
              new Float32Array(fx.length),
              finiteSums,
              args,
            );
            const p = resolveParams(op, params) as ResolvedParams;
            for (const g of learned) {
              const terms = Float64Array.from(
                fx,
                (v, i) => fdy[i]! * spec.dfdp[g]!(v, p),
              );
              assert.ok(
                Object.is(finiteSums[g]![0], loopSum(terms)),
                `${op}${label(params)} d${g}: ${finiteSums[g]![0]} vs ${
                  loopSum(terms)
                }`,
              );
            }
          },
        );
      }
    }
  }
});

/**
 * Tuned forwards held to 1 ULP of the float64 reference on every 16th
 * float32 bit pattern (both signs, ±0, ±∞, NaNs, subnormals), the
 * specials, the op's own points, and NaN/±∞ in each lane of vectors of
 * finite values (a non-finite lane must not spoil its partner's); zeros
 * exact, with their sign.
 */
const denseForwards: readonly {
  readonly op: OpName;
  /** What the loop does that the test is after. */
  readonly why: string;
  /** The finite values the special lanes sit among. */
  readonly finite: readonly number[];
  /** Inputs checked besides the specials. */
  readonly points?: readonly number[];
}[] = [
  {
    op: "softsign",
    why: "one division shared by the two halves of a vector (divPairs)",
    finite: [0.75, -3, 2 ** -149, -1e30],
  },
  {
    op: "tanhshrink",
    why: "|x| − tanh|x| (or |x|³·P(x²) below 0.35), given x's sign",
    finite: [0.75, -3, 2 ** -149, -0.35, 12, -1e30, 0.5, -0.3],
    points: [0.35, -0.35, 0.3499999940395355],
  },
  {
    op: "tanh",
    why: "−m/(2 + m) with m = e^−2|x| − 1, given x's sign",
    finite: [0.75, -3, 2 ** -149, -0.35, 12, -1e30, 0.5, -1e-5],
  },
];

for (const { op, why, finite, points = [] } of denseForwards) {
  Deno.test(`simd kernels: ${op}'s forward within 1 ULP on every 16th float32 (${why})`, () => {
    const spec = ops[op] as unknown as OpSpec;
    const p = resolveParams(op, {}) as ResolvedParams;
    const forward = kernels.ops[op].forward;
    const check = (xs: Float32Array, ys: Float32Array) => {
      for (let i = 0; i < xs.length; i++) {
        const want = Math.fround(spec.f(xs[i]!, p));
        const got = ys[i]!;
        if (Object.is(got, want)) continue;
        // Within 1 ULP; a zero only where the reference is that zero.
        const d = ulpDistance(got, want);
        assert.ok(
          d <= 1 && want !== 0 && got !== 0,
          `${op}(${show(xs[i]!)}) = ${show(got)}, reference ${
            show(want)
          }: ${d} ULP`,
        );
      }
    };
    const chunk = 1 << 20;
    const bits = new Int32Array(chunk);
    const x = new Float32Array(bits.buffer);
    const y = new Float32Array(chunk);
    const args = argsOf(op, chunk, kernels, {});
    for (let start = 0; start < 2 ** 32; start += chunk * 16) {
      for (let i = 0; i < chunk; i++) bits[i] = (start + 16 * i) | 0;
      forward(x, y, args);
      check(x, y);
    }
    const placed: number[] = [...SPECIAL_F32, ...points];
    for (const s of [NaN, Infinity, -Infinity]) {
      for (let lane = 0; lane < 8; lane++) {
        for (let j = 0; j < 8; j++) {
          placed.push(j === lane ? s : finite[(j + lane) % finite.length]!);
        }
      }
    }
    const xs = Float32Array.from(placed);
    const ys = new Float32Array(xs.length);
    forward(xs, ys, argsOf(op, xs.length, kernels, {}));
    check(xs, ys);
  });
}

Deno.test("simd kernels: softsign's derivative and VJP within 1 ULP on every 16th float32", () => {
  // The tuned derivative and the VJP's slope share one division between
  // the two halves of a vector (`recipSquarePairs`): every 16th bit
  // pattern (both signs, ±0, ±∞, NaNs, subnormals), the specials, and each
  // special x in each lane of a vector of finite values. The derivative
  // against the float64 reference rounded (zeros exact: +0 from 2⁷⁵ on);
  // the VJP against the JavaScript kernel's bits, with dy cycling through
  // ±0, ±∞, NaN, subnormals and large values (exact wherever dy or x is
  // not a finite non-zero, as dy·f′ of IEEE arithmetic).
  const spec = ops.softsign as unknown as OpSpec;
  const p = resolveParams("softsign", {}) as ResolvedParams;
  const dys = [
    1,
    -2.5,
    0,
    -0,
    Infinity,
    -Infinity,
    NaN,
    2 ** -149,
    -3 * 2 ** -149,
    2 ** -148,
    3.4028234663852886e38,
    -1e-30,
    0.7071067690849304,
  ];
  const checkDerivative = (xs: Float32Array, ds: Float32Array) => {
    for (let i = 0; i < xs.length; i++) {
      const want = Math.fround(spec.dfdx(xs[i]!, p));
      const got = ds[i]!;
      if (Object.is(got, want)) continue;
      const d = ulpDistance(got, want);
      assert.ok(
        d <= 1 && want !== 0 && got !== 0,
        `softsign′(${show(xs[i]!)}) = ${show(got)}, reference ${
          show(want)
        }: ${d} ULP`,
      );
    }
  };
  const checkVjp = (
    xs: Float32Array,
    dy: Float32Array,
    dx: Float32Array,
    want: Float32Array,
  ) => {
    for (let i = 0; i < xs.length; i++) {
      const got = dx[i]!;
      const w = want[i]!;
      if (Object.is(got, w)) continue;
      const special = !Number.isFinite(xs[i]!) || !Number.isFinite(dy[i]!) ||
        dy[i] === 0;
      const d = ulpDistance(got, w);
      assert.ok(
        !special && d <= 1,
        `softsign VJP at x = ${show(xs[i]!)}, dy = ${show(dy[i]!)}: ${
          show(got)
        }, JavaScript kernel ${show(w)}: ${d} ULP`,
      );
    }
  };
  const vjpOf = (xs: Float32Array, dy: Float32Array) => {
    const dx = new Float32Array(xs.length);
    const want = new Float32Array(xs.length);
    kernels.ops.softsign.vjp(
      xs,
      dy,
      dx,
      {},
      argsOf("softsign", xs.length, kernels, {}),
    );
    jsKernels.ops.softsign.vjp(
      xs,
      dy,
      want,
      {},
      argsOf("softsign", xs.length, jsKernels, {}),
    );
    checkVjp(xs, dy, dx, want);
  };
  const chunk = 1 << 20;
  const bits = new Int32Array(chunk);
  const x = new Float32Array(bits.buffer);
  const ds = new Float32Array(chunk);
  const dy = Float32Array.from({ length: chunk }, (_, i) => dys[i % 13]!);
  const args = argsOf("softsign", chunk, kernels, {});
  for (let start = 0; start < 2 ** 32; start += chunk * 16) {
    for (let i = 0; i < chunk; i++) bits[i] = (start + 16 * i) | 0;
    kernels.ops.softsign.derivative(x, ds, args);
    checkDerivative(x, ds);
    vjpOf(x, dy);
  }
  // Each special x, and each special dy, in each lane among finite values.
  const finite = [0.75, -3, 2 ** -149, -1e30];
  const placed: number[] = [...SPECIAL_F32, 2 ** 75, -(2 ** 75)];
  const placedDy: number[] = placed.map((_, i) => dys[i % 13]!);
  for (const s of [NaN, Infinity, -Infinity, 2 ** 75]) {
    for (let lane = 0; lane < 8; lane++) {
      for (let j = 0; j < 8; j++) {
        placed.push(j === lane ? s : finite[(j + lane) % 4]!);
        placedDy.push(dys[(j + 3 * lane) % 13]!);
      }
    }
  }
  for (const s of dys) {
    for (let lane = 0; lane < 8; lane++) {
      for (let j = 0; j < 8; j++) {
        placed.push(finite[(j + lane) % 4]!);
        placedDy.push(j === lane ? s : 1.5);
      }
    }
  }
  const xs = Float32Array.from(placed);
  const d = new Float32Array(xs.length);
  kernels.ops.softsign.derivative(
    xs,
    d,
    argsOf("softsign", xs.length, kernels, {}),
  );
  checkDerivative(xs, d);
  vjpOf(xs, Float32Array.from(placedDy));
});
