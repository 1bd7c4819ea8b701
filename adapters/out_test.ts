// The host form's `out` option on every built-in backend: results written
// into the caller's arrays with the same bits as without `out`, in place
// where `out` is the input, and the same errors everywhere.

import assert from "node:assert";
import {
  type BackendModule,
  NotSupportedError,
  type OpName,
  opNames,
  ops,
  type Tensor,
} from "@nonlin/core";
import * as nativeJs from "@nonlin/native/js";
import { loadBackends } from "./_contract/backends.ts";
import { loadBackend } from "@nonlin/backends";
import { variantsOf } from "./_contract/grid.ts";

const backends = [
  ...await loadBackends(),
  { name: "native-js", module: nativeJs as BackendModule },
  { name: "native-webgpu", module: await loadBackend("native-webgpu") },
];

type Loose = (...args: unknown[]) => unknown;
function fn(m: BackendModule, name: string): Loose {
  return (m as unknown as Record<string, Loose>)[name]!;
}
type LooseVjp = (
  op: string,
  x: unknown,
  options: unknown,
) => Promise<{ dx: Float32Array; dparams: Record<string, Float32Array> }>;
type LooseDerivative = (
  op: string,
  x: unknown,
  options?: unknown,
) => Promise<Float32Array>;

/** The same float32 bits element by element (any NaN matches any NaN). */
function sameBits(a: Float32Array, b: Float32Array, what: string): void {
  assert.strictEqual(a.length, b.length, what);
  for (let i = 0; i < a.length; i++) {
    const same = Object.is(a[i], b[i]) || (a[i] !== a[i] && b[i] !== b[i]);
    assert.ok(same, `${what}: element ${i} is ${a[i]} and ${b[i]}`);
  }
}

Deno.test("sameBits()", async (t) => {
  await t.step("catches one float32 step and a sign of zero", () => {
    const a = new Float32Array([1, 0, NaN]);
    const b = a.slice();
    sameBits(a, b, "copy");
    b[0] = 1.0000001192092896; // 1 + 2⁻²³
    assert.throws(() => sameBits(a, b, "one step"), assert.AssertionError);
    assert.throws(
      () => sameBits(new Float32Array([0]), new Float32Array([-0]), "±0"),
      assert.AssertionError,
    );
  });
});

const X = [-3, -1, -0.5, -0, 0, 0.25, 1, 2.5, 7, NaN, Infinity, -Infinity];
const DY = X.map((_, i) => [0.75, -1.5, 1][i % 3]!);

/** Fills an array with a pattern no result has, to see what a call wrote. */
function poisoned(length: number): Float32Array {
  return new Float32Array(length).fill(12345.5);
}

/** The call's result, or undefined when the backend declares it unsupported. */
async function supported<T>(call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof NotSupportedError) return undefined;
    throw error;
  }
}

function learnedOf(op: OpName): string[] {
  const params = ops[op].params as Record<string, { learned: boolean }>;
  return Object.keys(params).filter((k) => params[k]!.learned);
}

for (const loaded of backends) {
  const available = loaded.module?.backend.available ?? false;
  Deno.test({
    name: `${loaded.name}: host form with out`,
    ignore: !available,
    async fn(t) {
      const m = loaded.module!;
      const vjp = m.vjp as unknown as LooseVjp;
      const derivatives = {
        derivative: m.derivative as unknown as LooseDerivative,
        secondDerivative: m.secondDerivative as unknown as LooseDerivative,
      };

      await t.step(
        "ops and derivatives write into out, same bits",
        async () => {
          for (const op of opNames) {
            for (const variant of variantsOf(op)) {
              const what = `${op} ${JSON.stringify(variant)}`;
              const fresh = (await fn(m, op)(X, variant)) as Float32Array;
              const out = poisoned(X.length);
              const got = await fn(m, op)(X, { ...variant, out });
              assert.strictEqual(got, out, `${what}: resolves to out itself`);
              sameBits(out, fresh, what);
              for (const [name, d] of Object.entries(derivatives)) {
                const want = await supported(() => d(op, X, variant));
                if (want === undefined) continue;
                const target = poisoned(X.length);
                const r = await d(op, X, { ...variant, out: target });
                assert.strictEqual(r, target, `${name} ${what}`);
                sameBits(target, want, `${name} ${what}`);
              }
            }
          }
        },
      );

      await t.step("out may be x: the call works in place", async () => {
        for (const op of opNames) {
          const variant = variantsOf(op)[0]!;
          const want = (await fn(m, op)(X, variant)) as Float32Array;
          const x = new Float32Array(X);
          const got = await fn(m, op)(x, { ...variant, out: x });
          assert.strictEqual(got, x);
          sameBits(x, want, `${op} in place`);
          const d = new Float32Array(X);
          await m.derivative(op, d, { ...variant, out: d } as never);
          sameBits(d, await m.derivative(op, X, variant as never), op);
        }
      });

      await t.step("vjp writes dx and every dparam into out", async () => {
        for (const op of opNames) {
          for (const variant of variantsOf(op)) {
            const what = `vjp ${op} ${JSON.stringify(variant)}`;
            const want = await vjp(op, X, { dy: DY, params: variant });
            const dx = poisoned(X.length);
            const dparams: Record<string, Float32Array> = {};
            for (const [k, v] of Object.entries(want.dparams)) {
              dparams[k] = poisoned(v.length);
            }
            const got = await vjp(op, X, {
              dy: DY,
              params: variant,
              out: { dx, dparams },
            });
            assert.strictEqual(got.dx, dx, what);
            sameBits(dx, want.dx, `${what} dx`);
            for (const k of learnedOf(op)) {
              assert.strictEqual(got.dparams[k], dparams[k], `${what} ${k}`);
              sameBits(dparams[k]!, want.dparams[k]!, `${what} d${k}`);
            }
            // Only dx given: the dparams are new arrays, as without out.
            const some = await vjp(op, X, {
              dy: DY,
              params: variant,
              out: { dx: poisoned(X.length) },
            });
            for (const k of learnedOf(op)) {
              sameBits(some.dparams[k]!, want.dparams[k]!, `${what} d${k}`);
            }
          }
        }
      });

      await t.step("vjp in place: dx may be x or dy", async () => {
        for (const op of opNames) {
          const params = variantsOf(op)[0]!;
          const want = await vjp(op, X, { dy: DY, params });
          const x = new Float32Array(X);
          await vjp(op, x, { dy: DY, params, out: { dx: x } });
          sameBits(x, want.dx, `${op} dx = x`);
          const dy = new Float32Array(DY);
          await vjp(op, X, { dy, params, out: { dx: dy } });
          sameBits(dy, want.dx, `${op} dx = dy`);
        }
      });

      await t.step("prelu's dα of α's shape goes into out", async () => {
        const x = new Float32Array([-1, 2, -3, -4]);
        const alpha = new Float32Array([0.5]);
        const dalpha = poisoned(1);
        const g = await vjp("prelu", x, {
          dy: [1, 1, 1, 1],
          params: { alpha },
          out: { dparams: { alpha: dalpha } },
        });
        assert.strictEqual(g.dparams.alpha, dalpha);
        assert.deepStrictEqual(dalpha, new Float32Array([-8]));
        await assert.rejects(
          vjp("prelu", x, {
            dy: [1, 1, 1, 1],
            params: { alpha: [0.5, 0.25, 1, 1] },
            out: { dparams: { alpha: dalpha } },
          }),
          (e: unknown) =>
            e instanceof RangeError &&
            /out\.dparams\.alpha must hold 4 elements/.test(e.message),
        );
      });

      await t.step("bad out: TypeError or RangeError naming it", async () => {
        const x = new Float32Array([1, 2, 3, 4]);
        const cases: [() => Promise<unknown>, new () => Error, RegExp][] = [
          [() => m.gelu(x, { out: new Float32Array(3) }), RangeError, /^out/],
          [
            () => m.gelu(x, { out: new Float64Array(4) as never }),
            TypeError,
            /^out must be a Float32Array: got Float64Array/,
          ],
          [
            () => m.gelu(x, { out: [0, 0, 0, 0] as never }),
            TypeError,
            /^out must be a Float32Array/,
          ],
          [
            () => m.derivative("tanh", x, { out: new Float32Array(5) }),
            RangeError,
            /^out must hold 4 elements/,
          ],
          [
            // A different view of x's bytes: partial overlap.
            () => m.sigmoid(x.subarray(0, 3), { out: x.subarray(1, 4) }),
            RangeError,
            /out and x overlap/,
          ],
          [
            () =>
              vjp("gelu", x, {
                dy: x.slice(),
                out: { dx: new Float32Array(2) },
              }),
            RangeError,
            /^out\.dx must hold 4 elements/,
          ],
          [
            () => vjp("gelu", x, { dy: x.slice(), out: new Float32Array(4) }),
            TypeError,
            /^vjp out must be an object/,
          ],
          [
            () =>
              vjp("gelu", x, {
                dy: x.slice(),
                out: { dparams: { beta: new Float32Array(1) } },
              }),
            TypeError,
            /out\.dparams\.beta: gelu has no gradient/,
          ],
          [
            () =>
              vjp("swish", x, {
                dy: x.slice(),
                out: { dparams: { beta: new Float32Array(2) } },
              }),
            RangeError,
            /^out\.dparams\.beta must hold 1 element, /,
          ],
          [
            () => {
              const dx = new Float32Array(4);
              return vjp("swish", x, {
                dy: x.slice(),
                out: { dx, dparams: { beta: dx.subarray(0, 1) } },
              });
            },
            RangeError,
            /out\.dparams\.beta and out\.dx overlap/,
          ],
        ];
        for (const [call, type, message] of cases) {
          await assert.rejects(call(), (e: unknown) => {
            assert.ok(e instanceof type, `${message}: got ${e}`);
            assert.match((e as Error).message, message);
            return true;
          });
        }
      });

      await t.step("a refused call writes nothing", async () => {
        const x = new Float32Array([1, 2, 3, 4]);
        const dx = poisoned(4);
        await assert.rejects(
          vjp("swish", x, {
            dy: x.slice(),
            out: { dx, dparams: { beta: new Float32Array(3) } },
          }),
          RangeError,
        );
        sameBits(dx, poisoned(4), "dx untouched");
      });

      await t.step("the resident form refuses out", () => {
        const x = m.tensor([1, 2]);
        const dy = m.tensor([1, 1]);
        assert.throws(
          () => m.gelu(x, { out: new Float32Array(2) } as never),
          (e: unknown) =>
            e instanceof TypeError && /out is for host data/.test(e.message),
        );
        assert.throws(
          () =>
            m.vjp("gelu", x, {
              dy,
              out: { dx: new Float32Array(2) },
            } as never),
          TypeError,
        );
        for (const t of [x, dy] as Tensor[]) t.dispose();
      });
    },
  });
}
