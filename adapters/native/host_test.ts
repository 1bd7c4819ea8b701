// The native engine's host form allocates nothing the caller did not ask
// for: with `out` (and every VJP gradient in `out`) a call makes no new
// ArrayBuffer and does not grow the WebAssembly memory.

import assert from "node:assert";
import * as native from "@nonlin/native";
import * as nativeJs from "@nonlin/native/js";
import { useKernels } from "./_engine.ts";
import { loadSimdKernels } from "./wasm/_simd_kernels.ts";

const TYPED = [
  "Float32Array",
  "Float64Array",
  "Int32Array",
  "Uint32Array",
  "Int16Array",
  "Uint16Array",
  "Int8Array",
  "Uint8Array",
  "Uint8ClampedArray",
  "BigInt64Array",
  "BigUint64Array",
] as const;

/**
 * Counts every new ArrayBuffer or SharedArrayBuffer that code looking the
 * constructors up on globalThis makes while `body` runs: `new` of a typed
 * array from a length or a list (not from a buffer), `from`, `of`, `slice`,
 * `map`, `filter`, and `new ArrayBuffer`.
 */
async function buffersMadeBy(body: () => Promise<void>): Promise<number> {
  let count = 0;
  const g = globalThis as unknown as Record<string, unknown>;
  const saved = new Map<string, unknown>();
  const protoSaved: [object, string, unknown][] = [];
  const isBuffer = (a: unknown) =>
    a instanceof ArrayBuffer ||
    (typeof SharedArrayBuffer === "function" && a instanceof SharedArrayBuffer);
  for (const name of TYPED) {
    const original = g[name] as new (...a: unknown[]) => unknown;
    saved.set(name, original);
    g[name] = new Proxy(original, {
      construct(target, args, newTarget) {
        if (!isBuffer(args[0])) count++;
        return Reflect.construct(target, args, newTarget);
      },
      get(target, key, receiver) {
        const value = Reflect.get(target, key, receiver);
        if ((key === "from" || key === "of") && typeof value === "function") {
          return (...a: unknown[]) => {
            count++;
            return value.apply(target, a);
          };
        }
        return value;
      },
    });
    const proto = original.prototype as Record<string, unknown>;
    for (const method of ["slice", "map", "filter"]) {
      const m = proto[method] as (...a: unknown[]) => unknown;
      protoSaved.push([proto, method, m]);
      proto[method] = function (this: unknown, ...a: unknown[]) {
        count++;
        return m.apply(this, a);
      };
    }
  }
  for (const name of ["ArrayBuffer", "SharedArrayBuffer"]) {
    const original = g[name] as new (...a: unknown[]) => unknown;
    if (typeof original !== "function") continue;
    saved.set(name, original);
    g[name] = new Proxy(original, {
      construct(target, args, newTarget) {
        count++;
        return Reflect.construct(target, args, newTarget);
      },
    });
  }
  try {
    await body();
  } finally {
    for (const [name, value] of saved) g[name] = value;
    for (const [proto, method, m] of protoSaved) {
      (proto as Record<string, unknown>)[method] = m;
    }
  }
  return count;
}

/** Host calls with every output given, for ops with and without parameters. */
async function callsWithOut(m: typeof native, n: number): Promise<void> {
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = (i % 97) / 8 - 6;
  x[n >> 1] = NaN; // the engines' slow path for special values runs too
  const dy = new Float32Array(n).fill(0.5);
  const out = new Float32Array(n);
  const d = new Float32Array(1);
  const alpha = new Float32Array([0.2]);
  await m.gelu(x, { out });
  await m.softplus(x, { beta: 2, out });
  await m.relu(x, { out });
  await m.prelu(x, { alpha, out });
  await m.derivative("tanh", x, { out });
  await m.secondDerivative("mish", x, { out });
  await m.vjp("gelu", x, { dy, out: { dx: out } });
  await m.vjp("swish", x, {
    dy,
    params: { beta: 1.5 },
    out: { dx: out, dparams: { beta: d } },
  });
  await m.vjp("prelu", x, {
    dy,
    params: { alpha },
    out: { dx: out, dparams: { alpha: d } },
  });
  await m.vjp("elu", x, { dy, out: { dx: out, dparams: { alpha: d } } });
}

Deno.test("host form with out", async (t) => {
  const simd = await loadSimdKernels({ threads: true });
  const before = useKernels(simd.kernels);
  try {
    for (const n of [1000, 1 << 17]) {
      await t.step(`wasm-simd, ${n} elements: no new ArrayBuffer`, async () => {
        await callsWithOut(native, n); // first calls may size the scratch
        const capacity = simd.heap.capacity;
        const made = await buffersMadeBy(async () => {
          for (let r = 0; r < 3; r++) await callsWithOut(native, n);
        });
        // callsWithOut itself makes x, dy, out, d and alpha: 5.
        assert.strictEqual(made, 3 * 5);
        assert.strictEqual(simd.heap.capacity, capacity, "memory grew");
      });
    }
  } finally {
    useKernels(before);
  }

  await t.step("js kernels: no new ArrayBuffer", async () => {
    await callsWithOut(nativeJs as unknown as typeof native, 4096);
    const made = await buffersMadeBy(async () => {
      await callsWithOut(nativeJs as unknown as typeof native, 4096);
    });
    assert.strictEqual(made, 5);
  });

  await t.step("the counter sees a call without out (fixture)", async () => {
    const x = new Float32Array(64);
    await native.gelu(x);
    const made = await buffersMadeBy(async () => {
      await native.gelu(x);
      await native.vjp("swish", x, { dy: x });
    });
    // gelu's output, the VJP's dx and its dβ.
    assert.strictEqual(made, 3);
  });
});
