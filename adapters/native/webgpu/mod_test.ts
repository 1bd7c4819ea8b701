// @nonlin/native/webgpu on the WebGPU adapter this machine has (llvmpipe in
// CI, with Vulkan or, with VK_ICD_FILENAMES=/nonexistent, GL). Without one
// the GPU tests report themselves ignored with the reason; the accuracy of
// every op is the conformance suite's job (profile "native-webgpu").

import assert from "node:assert";
import {
  BackendUnavailableError,
  nextFloat32,
  ops,
  ulpDistance,
} from "@nonlin/core";
import { findWebGpuAdapter } from "@nonlin/core/webgpu";
import * as native from "@nonlin/native";
import * as gpu from "@nonlin/native/webgpu";
import { startGpu } from "./_device.ts";
import { GpuEngine } from "./_gpu_engine.ts";
import { f32Paths } from "./_wgsl_f32.ts";

type Host = (x: ArrayLike<number>) => Promise<Float32Array>;

const ignore = !gpu.backend.available;
const why = gpu.backend.reason ?? "";

function worst(got: Float32Array, want: Float32Array): number {
  let w = 0;
  for (let i = 0; i < got.length; i++) {
    w = Math.max(w, ulpDistance(got[i]!, want[i]!));
  }
  return w;
}

Deno.test("native-webgpu without a device", async (t) => {
  await t.step(
    "no navigator.gpu or no adapter: unavailable with findWebGpuAdapter's reason",
    async () => {
      const none = { requestAdapter: () => Promise.resolve(null) };
      for (const g of [undefined, none as unknown as GPU]) {
        const r = await startGpu(g);
        assert.ok("reason" in r);
        assert.deepStrictEqual(r, await findWebGpuAdapter(g));
      }
    },
  );
  await t.step("the module says why, or runs", () => {
    if (gpu.backend.available) {
      assert.strictEqual(gpu.backend.reason, undefined);
    } else assert.ok(why.length > 0);
  });
});

Deno.test("worst() catches a result 3 ULP off (the check's broken fixture)", () => {
  const want = new Float32Array([1, -2.5, 1e-3]);
  const off = want.map((v) => {
    const b = new Float32Array([v]);
    new Int32Array(b.buffer)[0]! += 3;
    return b[0]!;
  });
  assert.strictEqual(worst(off, want), 3);
  assert.strictEqual(worst(want, want), 0);
  assert.strictEqual(ulpDistance(NaN, 0), Infinity);
});

Deno.test({
  name: `native-webgpu values and gradients${
    ignore ? ` (ignored: ${why})` : ""
  }`,
  ignore,
  async fn(t) {
    const xs = new Float32Array(2000);
    for (let i = 0; i < xs.length; i++) xs[i] = Math.sin(i * 1.7) * 12;
    await t.step(
      "every op within 2 ULP (values) and 4 (gradients) of native",
      async () => {
        for (const op of Object.keys(ops) as (keyof typeof ops)[]) {
          // Ops with a required parameter (prelu's α): the conformance suite's.
          const specs = Object.values(ops[op].params) as {
            required?: boolean;
          }[];
          if (specs.some((p) => p.required)) continue;
          const f = gpu[op] as unknown as Host;
          const g = native[op] as unknown as Host;
          assert.ok(worst(await f(xs), await g(xs)) <= 2, op);
          const d1 = await gpu.derivative(op as "relu", xs);
          assert.ok(
            worst(d1, await native.derivative(op as "relu", xs)) <= 4,
            op,
          );
          const d2 = await gpu.secondDerivative(op as "relu", xs);
          assert.ok(
            worst(d2, await native.secondDerivative(op as "relu", xs)) <= 4,
            op,
          );
        }
      },
    );
    await t.step(
      "results near and below 2⁻¹²⁶ rounded once (exponential tails, tiny products)",
      async () => {
        // Where a double-f32 would underflow: x·σ(x) and x·Φ(x) far left,
        // sech² and tanh² of tiny or large x, α·x and (1/(1 + |x|))².
        const far = new Float32Array(400).map((_, i) => -80 - i * 0.05);
        const tiny = new Float32Array(400).map((_, i) =>
          (i % 2 ? -1 : 1) * 1e-36 * (1 + i * 0.37)
        );
        const huge = new Float32Array(400).map((_, i) => 1e19 * (1 + i * 0.37));
        const cases = [
          ["swish", far],
          ["gelu", far.map((v) => v / 7)],
          ["sigmoid", far],
          ["tanh", far.map((v) => v / 2)],
          ["tanhshrink", tiny.map((v) => v * 1e16)],
          ["leakyRelu", tiny],
          ["hardSwish", tiny],
          ["softsign", huge],
        ] as const;
        for (const [op, x] of cases) {
          const v = worst(
            await (gpu[op] as unknown as Host)(x),
            await (native[op] as unknown as Host)(x),
          );
          assert.ok(v <= 2, `${op} values: ${v} ULP`);
          const d = worst(
            await gpu.derivative(op as "relu", x),
            await native.derivative(op as "relu", x),
          );
          assert.ok(d <= 4, `${op} derivative: ${d} ULP`);
        }
      },
    );
    await t.step(
      "plain-f32 kernels: the double-f32 fallback runs in the workgroups that need it",
      async () => {
        // 64 workgroups of moderate x, a few of them holding one element
        // outside the f32 paths' ranges (whose f32 result would be wrong),
        // and the last workgroup partial; forward, derivative and VJP.
        const xs = new Float32Array(64 * 256 + 77).map((_, i) =>
          Math.sin(i * 0.37) * 6
        );
        for (const i of [5, 3 * 256 + 200, 40 * 256, xs.length - 1]) {
          xs[i] = -100 - i / 1000;
        }
        xs[17 * 256 + 3] = 1e-30;
        xs[17 * 256 + 4] = -1.3;
        const dy = xs.map((_, i) => (i % 3) - 1.25);
        // Every op with a plain-f32 path (its kernel name is the op's).
        const withF32 = Object.keys(f32Paths).filter((k) =>
          k in ops
        ) as (keyof typeof ops & keyof typeof f32Paths)[];
        assert.ok(withF32.length >= 5);
        for (const op of withF32) {
          const v = worst(
            await (gpu[op] as unknown as Host)(xs),
            await (native[op] as unknown as Host)(xs),
          );
          assert.ok(v <= 2, `${op} values: ${v} ULP`);
          const d = worst(
            await gpu.derivative(op, xs),
            await native.derivative(op, xs),
          );
          assert.ok(d <= 4, `${op} derivative: ${d} ULP`);
          const d2 = worst(
            await gpu.secondDerivative(op, xs),
            await native.secondDerivative(op, xs),
          );
          assert.ok(d2 <= 4, `${op} second derivative: ${d2} ULP`);
          const g = await gpu.vjp(op, xs, { dy });
          const h = await native.vjp(op, xs, { dy });
          assert.ok(worst(g.dx, h.dx) <= 4, `${op} VJP`);
        }
      },
    );
    await t.step(
      "derivatives about their roots, where the plain-f32 kernels switch to δ·Q(δ): every 16th float32 within 0.06",
      async () => {
        // Outside these windows the closed forms' terms cancel without
        // bound; a window narrowed to 0.001 gave mish′ 6 ULP at −1.1906 and
        // silu″ 30 ULP at 2.3982, which the conformance run's inputs miss.
        const roots = [
          ["mish", -1.1924, {}, "derivative"],
          ["gelu", -0.7518, {}, "derivative"],
          ["gelu", -0.7525, { approximate: "tanh" }, "derivative"],
          ["silu", -1.2785, {}, "derivative"],
          ["silu", 2.3994, {}, "secondDerivative"],
          ["mish", -2.2564, {}, "secondDerivative"],
          ["mish", 1.4906, {}, "secondDerivative"],
          ["gelu", -1.4185, { approximate: "tanh" }, "secondDerivative"],
          ["swish", -2.3994 / 1.5, { beta: 1.5 }, "secondDerivative"],
        ] as const;
        for (const [op, x0, params, mode] of roots) {
          const f = new Float32Array([x0 - 0.06, x0 + 0.06]);
          const bits = new Uint32Array(f.buffer);
          const lo = Math.min(bits[0]!, bits[1]!);
          const count = Math.abs(bits[0]! - bits[1]!) / 16;
          const xs = new Float32Array(Math.floor(count));
          const at = new Uint32Array(xs.buffer);
          for (let i = 0; i < xs.length; i++) at[i] = lo + 16 * i;
          const d = worst(
            await gpu[mode](op, xs, params as never),
            await native[mode](op, xs, params as never),
          );
          assert.ok(d <= 4, `${op} ${mode} about ${x0}: ${d} ULP`);
        }
      },
    );
    await t.step(
      "parameter-gradient terms within 4 ULP, one element at a time (the sums hide a term's error)",
      async () => {
        // celu's ∂f/∂α cancels near t = x/α = 0 (a series there, the
        // closed form below t = −1); softplus's ∂f/∂β on both sides of 0.
        const cases = [
          ["celu", { alpha: 1 }, [
            -4e-8,
            -1e-6,
            -1e-4,
            -0.01,
            -0.3,
            -0.7,
            -0.99,
            -1.01,
            -3,
          ]],
          ["celu", { alpha: 2 }, [-0.5, -1.9, -2.1, -9]],
          ["softplus", { beta: 1, threshold: 20 }, [-30, -1, -1e-3, 0.5, 9]],
          ["softplus", { beta: 0.5, threshold: 20 }, [-50, -0.2, 3, 39]],
        ] as const;
        for (const [op, params, xs] of cases) {
          for (const v of xs) {
            const opts = { dy: [1], params } as never;
            const g = await gpu.vjp(op, [v], opts);
            const n = await native.vjp(op, [v], opts);
            const name = Object.keys(g.dparams)[0]!;
            const got = (g.dparams as Record<string, Float32Array>)[name]!;
            const want = (n.dparams as Record<string, Float32Array>)[name]!;
            assert.ok(
              worst(got, want) <= 4,
              `${op} ∂f/∂${name} at x = ${v}: ${got[0]} for ${want[0]}`,
            );
          }
        }
      },
    );
    await t.step(
      "swish at |x| ≥ 10¹⁵ with a small β: z = βx unclamped, x² of ∂f/∂β not overflowed",
      async () => {
        // The kernels clamped x itself to ±10¹⁵: ∂f/∂β at β = 0 came out
        // 2.5·10²⁹ for every |x| ≥ 10¹⁵ (x²/4: 2.5·10³⁷ at 10¹⁹, ∞ beyond
        // 3.7·10¹⁹), and swish′ at β = 10⁻³⁰, x = 10³⁰ came out 1/2.
        const x = [1e16, -1e19, 1e20, 1e30, -1e30, 3.4e38];
        for (const beta of [0, 1e-30, 1e-20, 0.5]) {
          const params = { beta };
          const d = await gpu.derivative("swish", x, params);
          const want = await native.derivative("swish", x, params);
          assert.ok(
            worst(d, want) <= 4,
            `β = ${beta}: swish′ ${d} for ${want}`,
          );
          for (const v of x) {
            const g = await gpu.vjp("swish", [v], { dy: [1], params });
            const n = await native.vjp("swish", [v], { dy: [1], params });
            assert.ok(
              worst(g.dparams.beta, n.dparams.beta) <= 4,
              `β = ${beta}, x = ${v}: ∂f/∂β ${g.dparams.beta} for ${n.dparams.beta}`,
            );
          }
        }
      },
    );
    await t.step("NaN, ±∞ and ±0 as the native kernels give them", async () => {
      const special = [NaN, Infinity, -Infinity, 0, -0];
      for (
        const op of [
          "gelu",
          "tanh",
          "mish",
          "swish",
          "sigmoid",
          "relu",
        ] as const
      ) {
        const got = await (gpu[op] as unknown as Host)(special);
        const want = await (native[op] as unknown as Host)(special);
        for (let i = 0; i < special.length; i++) {
          assert.ok(
            Object.is(got[i], want[i]),
            `${op}(${special[i]}): ${got[i]} vs ${want[i]}`,
          );
        }
      }
      assert.ok(Object.is((await gpu.relu([1e-40]))[0], Math.fround(1e-40)));
    });
    await t.step(
      "hardTanh at its bounds and their neighbours, bounds that round to a zero of the other sign included, as the native kernels give it",
      async () => {
        const tiny = 2 ** -149;
        const bounds: [number, number][] = [
          [1e-46, 1], // min rounds to +0: −0 is below it, so +0
          [-1, -1e-46], // max rounds to −0: +0 is above it, so −0
          [0, 1],
          [-0, 1],
          [-1, 0],
          [-1, -0],
          [tiny, 2],
          [-2, -tiny],
          [0.1, 0.3],
          [-1, 1],
        ];
        for (const [min, max] of bounds) {
          const near = [min, max].flatMap((b) => {
            const f = Math.fround(b);
            return [f, nextFloat32(f, true), nextFloat32(f, false)];
          });
          const x = [NaN, Infinity, -Infinity, 0, -0, tiny, -tiny, ...near];
          for (const loop of ["forward", "derivative"] as const) {
            const run = (m: typeof gpu | typeof native) =>
              loop === "forward"
                ? (m.hardTanh as unknown as (
                  x: number[],
                  p: object,
                ) => Promise<Float32Array>)(x, { min, max })
                : (m.derivative as unknown as (
                  op: string,
                  x: number[],
                  p: object,
                ) => Promise<Float32Array>)("hardTanh", x, { min, max });
            const got = await run(gpu);
            const want = await run(native);
            for (let i = 0; i < x.length; i++) {
              assert.ok(
                Object.is(got[i], want[i]),
                `hardTanh ${loop} min=${min} max=${max} at ${
                  Object.is(x[i], -0) ? "-0" : x[i]
                }: ${Object.is(got[i], -0) ? "-0" : got[i]} vs ${
                  Object.is(want[i], -0) ? "-0" : want[i]
                }`,
              );
            }
          }
        }
      },
    );
    await t.step(
      "prelu with α per channel: dα summed over the rows",
      async () => {
        const x = gpu.tensor([-1, 2, -3, -4], [2, 2]);
        const { dx, dparams } = gpu.vjp("prelu", x, {
          dy: gpu.tensor([1, 1, 1, 1], [2, 2]),
          params: { alpha: gpu.tensor([0.5, 0.25], [2]) },
        });
        assert.deepStrictEqual(
          await dx.read(),
          new Float32Array([0.5, 1, 0.5, 0.25]),
        );
        assert.deepStrictEqual(
          await dparams.alpha!.read(),
          new Float32Array([-4, -4]),
        );
      },
    );
  },
});

Deno.test({
  name: `native-webgpu parameter sums${ignore ? ` (ignored: ${why})` : ""}`,
  ignore,
  async fn(t) {
    const n = 100_000;
    const x = new Float32Array(n);
    const dy = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      x[i] = Math.sin(i) * 6;
      dy[i] = Math.cos(i * 0.3);
    }
    const a = await gpu.vjp("swish", x, { dy, params: { beta: 1.5 } });
    await t.step("the same bits on every run", async () => {
      for (let r = 0; r < 3; r++) {
        const b = await gpu.vjp("swish", x, { dy, params: { beta: 1.5 } });
        assert.deepStrictEqual(b.dparams.beta, a.dparams.beta);
        assert.deepStrictEqual(b.dx, a.dx);
      }
    });
    await t.step("within a float32 ULP of native's float64 sum", async () => {
      const b = await native.vjp("swish", x, { dy, params: { beta: 1.5 } });
      assert.ok(ulpDistance(a.dparams.beta[0]!, b.dparams.beta[0]!) <= 1);
    });
  },
});

Deno.test({
  name: `native-webgpu buffers and pipelines${
    ignore ? ` (ignored: ${why})` : ""
  }`,
  ignore,
  async fn(t) {
    await t.step("no leak over 10⁴ calls (buffers counted)", async () => {
      const x = gpu.tensor(new Float32Array(1000).fill(-0.5));
      const dy = gpu.tensor(new Float32Array(1000).fill(1));
      for (let i = 0; i < 100; i++) {
        gpu.sigmoid(x).dispose();
        const g = gpu.vjp("elu", x, { dy, params: { alpha: 1 + (i % 7) } });
        g.dx.dispose();
        g.dparams.alpha!.dispose();
      }
      await gpu.relu(x).read();
      const before = gpu.liveBuffers();
      for (let i = 0; i < 10_000; i++) {
        if (i % 2 === 0) gpu.sigmoid(x).dispose();
        else {
          const g = gpu.vjp("elu", x, { dy, params: { alpha: 1 + (i % 7) } });
          g.dx.dispose();
          g.dparams.alpha!.dispose();
        }
      }
      const y = gpu.relu(x);
      await y.read();
      y.dispose();
      assert.ok(
        gpu.liveBuffers() <= before + 1,
        `${gpu.liveBuffers()} > ${before}`,
      );
      x.dispose();
      dy.dispose();
    });
    await t.step(
      "a new α reuses the pipeline (parameters are uniforms)",
      async () => {
        await gpu.elu([1, -1], { alpha: 0.5 });
        const n = gpu.pipelineCount();
        await gpu.elu([1, -1], { alpha: 2.5 });
        await gpu.elu([1, -1], { alpha: 3.5 });
        assert.strictEqual(gpu.pipelineCount(), n);
      },
    );
    await t.step("chunks over a small binding give the same bits", async () => {
      const started = await startGpu(navigator.gpu);
      assert.ok("gpu" in started);
      const engine = new GpuEngine(started.gpu, 1024);
      const data = new Float32Array(5000).map((_, i) => Math.sin(i) * 4);
      const xt = engine.upload(data, [data.length]);
      const y = engine.elementwise("forward", "gelu", xt, undefined);
      assert.deepStrictEqual(await y.read(), await gpu.gelu(data));
      const g = engine.vjp("softplus", xt, xt, { beta: 2 });
      const want = await gpu.vjp("softplus", data, {
        dy: data,
        params: { beta: 2 },
      });
      assert.deepStrictEqual(await g.dx.read(), want.dx);
      assert.ok(
        ulpDistance(
          (await g.dparams.beta!.read())[0]!,
          want.dparams.beta[0]!,
        ) <= 1,
      );
      started.gpu.device.destroy();
    });
    await t.step(
      "a tensor over maxBufferSize is a RangeError naming it",
      async () => {
        const started = await startGpu(navigator.gpu);
        assert.ok("gpu" in started);
        const engine = new GpuEngine(started.gpu);
        const max = started.gpu.device.limits.maxBufferSize;
        assert.throws(
          () => engine.acquire(Math.floor(max / 4) + 1),
          (e: unknown) =>
            e instanceof RangeError && /maxBufferSize/.test(e.message),
        );
        started.gpu.device.destroy();
      },
    );
  },
});

Deno.test({
  name: `native-webgpu after device loss${ignore ? ` (ignored: ${why})` : ""}`,
  ignore,
  async fn() {
    const started = await startGpu(navigator.gpu);
    assert.ok("gpu" in started);
    const engine = new GpuEngine(started.gpu);
    const x = engine.upload(new Float32Array([1, 2, 3]), [3]);
    const y = engine.elementwise("forward", "mish", x, undefined);
    started.gpu.device.destroy();
    await started.gpu.device.lost;
    await assert.rejects(y.read(), BackendUnavailableError);
    assert.throws(
      () => engine.elementwise("forward", "relu", x, undefined),
      BackendUnavailableError,
    );
    assert.match(started.gpu.lost()!, /WebGPU device was lost \(destroyed\)/);
  },
});
