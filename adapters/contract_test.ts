// The one contract suite of every built-in backend (native, tfjs-cpu,
// tfjs-wasm, tfjs-webgpu), written once and run over each, like tfjs's
// describeWithFlags. All backends are loaded into one process, so it also
// checks that they live side by side on tfjs's single engine.

import assert from "node:assert";
import {
  type BackendModule,
  BackendUnavailableError,
  NotSupportedError,
  type OpName,
  opNames,
  ops,
  type Tensor,
} from "@nonlin/core";
import { loadBackends } from "./_contract/backends.ts";
import { loadBackend } from "@nonlin/backends";
import { variantsOf } from "./_contract/grid.ts";
import { contractEntriesOf, knownDeviationOf } from "./_contract/known.ts";
import {
  type Check,
  classify,
  type Deviation,
  surveyOp,
} from "./_contract/survey.ts";

// native-webgpu is a variant of native (not in backendNames), held to the
// same contract.
const backends = [
  ...await loadBackends(),
  { name: "native-webgpu", module: await loadBackend("native-webgpu") },
];

/** Ops and their functions, typed loosely: the suite calls every op the same way. */
type Loose = (...args: unknown[]) => unknown;
function fn(m: BackendModule, name: string): Loose {
  return (m as unknown as Record<string, Loose>)[name]!;
}

/** The parameters every op needs to run: the catalog's example for those without a default. */
function baseParams(op: OpName): Record<string, unknown> {
  return { ...ops[op].example };
}

/** Asserts that a call fails with `type`, thrown or as a rejected promise. */
async function fails(
  call: () => unknown,
  type: new (...a: never[]) => Error,
  message?: RegExp,
): Promise<void> {
  let result: unknown;
  try {
    result = call();
  } catch (error) {
    assert.ok(error instanceof type, `expected ${type.name}, got ${error}`);
    if (message) assert.match((error as Error).message, message);
    return;
  }
  await assert.rejects(Promise.resolve(result), (error: unknown) => {
    assert.ok(error instanceof type, `expected ${type.name}, got ${error}`);
    if (message) assert.match((error as Error).message, message);
    return true;
  });
}

/**
 * Element by element with Object.is: the same float32 bits, except that any
 * NaN matches any NaN (JavaScript engines do not keep NaN's sign and payload
 * stable, so neither can a JavaScript kernel).
 */
function sameValues(
  a: Float32Array,
  b: Float32Array,
  what: string,
  zeros: "signed" | "equal" = "signed",
): void {
  assert.strictEqual(a.length, b.length, what);
  for (let i = 0; i < a.length; i++) {
    assert.ok(
      Object.is(a[i], b[i]) || (zeros === "equal" && a[i] === 0 && b[i] === 0),
      `${what}: element ${i} is ${a[i]} and ${b[i]}`,
    );
  }
}

const SAMPLE = [-3, -1, -0.5, -0, 0, 0.25, 1, 2.5, 7, NaN, Infinity, -Infinity];

interface Found {
  readonly op: OpName;
  readonly variant: Readonly<Record<string, unknown>>;
  readonly check: Check;
  readonly x: number;
  readonly kind: Deviation;
  readonly got: number;
  readonly want: number;
}

const show = (v: number) => (Object.is(v, -0) ? "-0" : String(v));

// CI installs a WebGPU adapter (Mesa's llvmpipe) and sets
// NONLIN_REQUIRE_BACKENDS, so a backend that silently stopped loading there
// fails here instead of letting its checks return early.
Deno.test("required backends are available", () => {
  const required = (Deno.env.get("NONLIN_REQUIRE_BACKENDS") ?? "")
    .split(",").map((s) => s.trim()).filter((s) => s !== "");
  for (const name of required) {
    const found = backends.find((b) => b.name === name);
    assert.ok(found, `backend ${name} is required but was not loaded`);
    assert.ok(
      found.module?.backend.available,
      `backend ${name} is required but cannot run here: ${
        found.module?.backend.reason ?? found.missing ?? "no module"
      }`,
    );
  }
});

for (const loaded of backends) {
  Deno.test({
    name: `${loaded.name}: backend contract`,
    ignore: loaded.missing !== undefined,
    async fn(t) {
      const m = loaded.module!;
      const name = loaded.name;

      await t.step("exports the contract", () => {
        assert.strictEqual(m.backend.name, name);
        assert.strictEqual(m.backend.precision, "float32");
        assert.strictEqual(typeof m.backend.available, "boolean");
        for (const u of m.backend.capabilities.unsupported) {
          assert.ok(opNames.includes(u.op), u.op);
          assert.match(
            u.feature,
            /^(forward|vjp|derivative|secondDerivative|dparam:\w+)$/,
          );
          assert.ok(u.reason.length > 0);
        }
      });

      if (!m.backend.available) {
        await t.step(
          "unavailable: every function throws its reason",
          async () => {
            const reason = m.backend.reason;
            assert.ok(typeof reason === "string" && reason.length > 0);
            const calls: (() => unknown)[] = [
              () => m.tensor([1]),
              () => m.vjp("relu", [1], { dy: [1] }),
              () => m.derivative("relu", [1]),
              () => m.secondDerivative("relu", [1]),
              ...opNames.map((op) => () => fn(m, op)([1], baseParams(op))),
            ];
            for (const call of calls) {
              await fails(call, BackendUnavailableError);
              try {
                await call();
              } catch (error) {
                assert.strictEqual(
                  (error as BackendUnavailableError).reason,
                  reason,
                );
              }
            }
          },
        );
        return;
      }

      const others = backends.filter((b) =>
        b.name !== name && b.module?.backend.available
      );

      await t.step("shapes: n-d, 0-d and empty tensors", async () => {
        for (const op of opNames) {
          const params = baseParams(op);
          const x = m.tensor([-2, -1, 0, 1, 2, 3], [2, 3]);
          const y = fn(m, op)(x, params) as Tensor;
          assert.deepStrictEqual([...y.shape], [2, 3]);
          assert.strictEqual(y.size, 6);
          assert.strictEqual(y.backend, name);
          assert.strictEqual((await y.read()).length, 6);
          const scalar = m.tensor([0.5], []);
          const s = fn(m, op)(scalar, params) as Tensor;
          assert.deepStrictEqual([...s.shape], []);
          assert.strictEqual(s.size, 1);
          assert.strictEqual((await s.read()).length, 1);
          const empty = m.tensor([], [2, 0]);
          const e = fn(m, op)(empty, params) as Tensor;
          assert.deepStrictEqual([...e.shape], [2, 0]);
          assert.deepStrictEqual(await e.read(), new Float32Array(0));
          assert.deepStrictEqual(
            await fn(m, op)([], params),
            new Float32Array(0),
          );
          for (const t of [x, y, scalar, s, empty, e]) t.dispose();
        }
        const v = m.tensor([1, 2, 3]);
        assert.deepStrictEqual([...v.shape], [3]);
        v.dispose();
      });

      await t.step("resident and array forms give identical bits", async () => {
        const dyData = SAMPLE.map((_, i) => [0.75, -1.5, 1][i % 3]!);
        for (const op of opNames) {
          for (const variant of variantsOf(op)) {
            const x = m.tensor(SAMPLE);
            const dy = m.tensor(dyData);
            const pairs: [Tensor, Float32Array][] = [];
            pairs.push([
              fn(m, op)(x, variant) as Tensor,
              (await fn(m, op)(SAMPLE, variant)) as Float32Array,
            ]);
            pairs.push([
              m.derivative(op, x, variant as never),
              await m.derivative(op, SAMPLE, variant as never),
            ]);
            const resident = m.vjp(op, x, { dy, params: variant } as never);
            const array = await m.vjp(
              op,
              SAMPLE,
              { dy: dyData, params: variant } as never,
            );
            pairs.push([resident.dx, array.dx]);
            for (const key of Object.keys(resident.dparams)) {
              pairs.push([
                (resident.dparams as Record<string, Tensor>)[key]!,
                (array.dparams as Record<string, Float32Array>)[key]!,
              ]);
            }
            for (const [r, a] of pairs) {
              sameValues(await r.read(), a, `${op} ${JSON.stringify(variant)}`);
              r.dispose();
            }
            x.dispose();
            dy.dispose();
          }
        }
      });

      await t.step("dispose", async () => {
        const x = m.tensor([1, -1]);
        assert.strictEqual(x.disposed, false);
        x.dispose();
        assert.strictEqual(x.disposed, true);
        x.dispose(); // idempotent
        await fails(() => x.read(), TypeError);
        await fails(() => m.relu(x), TypeError);
        await fails(() => m.derivative("relu", x), TypeError);
        const live = m.tensor([1, -1]);
        await fails(() => m.vjp("relu", live, { dy: x }), TypeError);
        const y = m.relu(live);
        live.dispose();
        assert.deepStrictEqual(
          await y.read(),
          new Float32Array([1, 0]),
          "outputs outlive inputs",
        );
        y.dispose();
      });

      await t.step("bad input", async () => {
        await fails(() => fn(m, "relu")("1,2"), TypeError);
        await fails(() => fn(m, "relu")(new Float64Array(2)), TypeError);
        await fails(() => fn(m, "relu")([1, "2"]), TypeError);
        await fails(() => fn(m, "relu")([1], { alpha: 1 }), TypeError);
        await fails(() => fn(m, "softplus")([1], { beta: 0 }), RangeError);
        await fails(() => fn(m, "celu")([1], { alpha: 0 }), RangeError);
        await fails(
          () => fn(m, "hardTanh")([1], { min: 1, max: 1 }),
          RangeError,
        );
        await fails(
          () => fn(m, "gelu")([1], { approximate: "erf" }),
          RangeError,
        );
        await fails(() => fn(m, "prelu")([1]), TypeError);
        await fails(
          () => fn(m, "prelu")([1, 2, 3, 4], { alpha: [0.1, 0.2, 0.3] }),
          RangeError,
        );
        await fails(() => m.tensor([1, 2, 3], [2, 2]), RangeError);
        await fails(() => m.tensor([1], [-1]), RangeError);
        await fails(() => m.tensor("1" as never), TypeError);
        await fails(() => m.vjp("relu", [1, 2], { dy: [1] }), RangeError);
        await fails(
          () => m.vjp("gelux" as never, [1], { dy: [1] }),
          RangeError,
        );
        await fails(() => m.vjp("relu", [1], undefined as never), TypeError);
        await fails(() => m.derivative("gelux" as never, [1]), RangeError);
        const x = m.tensor([1, 2]);
        await fails(() => m.vjp("relu", x, { dy: [1, 1] } as never), TypeError);
        await fails(
          () => m.vjp("relu", x, { dy: m.tensor([1, 1, 1]) }),
          RangeError,
        );
        const foreign = others[0]?.module?.tensor([1, 2]) ??
          {
            backend: "elsewhere",
            shape: [2],
            size: 2,
            disposed: false,
            read: () => Promise.resolve(new Float32Array(2)),
            dispose() {},
          };
        await fails(() => m.relu(foreign), TypeError);
        await fails(() => m.vjp("relu", x, { dy: foreign }), TypeError);
        await fails(() => m.prelu(x, { alpha: foreign }), TypeError);
        foreign.dispose();
        x.dispose();
      });

      await t.step("VJP shapes and prelu's broadcast reduction", async () => {
        // Dyadic values: every product and sum is exact in float32.
        const xs = [-1, 2, -3, -0.5, 0, 4];
        const dys = [1, 2, 0.5, 4, 1, 1];
        const x = m.tensor(xs, [2, 3]);
        const dy = m.tensor(dys, [2, 3]);
        const term = (i: number) => (xs[i]! > 0 ? 0 : dys[i]! * xs[i]!);
        const cases: [number | Tensor, number[], number[]][] = [
          [
            m.tensor([0.5, 0.25, 2], [3]),
            [3],
            [0, 1, 2].map((j) => term(j) + term(j + 3)),
          ],
          [
            m.tensor([0.5, 0.25], [2, 1]),
            [2, 1],
            [0, 3].map((r) => term(r) + term(r + 1) + term(r + 2)),
          ],
          [m.tensor([0.5], [1, 1]), [1, 1], [
            [0, 1, 2, 3, 4, 5].reduce((s, i) => s + term(i), 0),
          ]],
          [0.5, [], [[0, 1, 2, 3, 4, 5].reduce((s, i) => s + term(i), 0)]],
        ];
        for (const [alpha, shape, want] of cases) {
          const g = m.vjp("prelu", x, { dy, params: { alpha } });
          assert.deepStrictEqual([...g.dx.shape], [2, 3]);
          assert.deepStrictEqual([...g.dparams.alpha.shape], shape);
          assert.deepStrictEqual(
            await g.dparams.alpha.read(),
            new Float32Array(want),
          );
          g.dx.dispose();
          g.dparams.alpha.dispose();
          if (typeof alpha !== "number") alpha.dispose();
        }
        const host = await m.vjp("prelu", [-1, 2, -3], {
          dy: [1, 1, 2],
          params: { alpha: [0.5, 0.5, 0.5] },
        });
        assert.deepStrictEqual(
          host.dparams.alpha,
          new Float32Array([-1, 0, -6]),
        );
        for (const op of opNames) {
          const learned = Object.entries(ops[op].params).filter(([, s]) =>
            s.learned
          ).map(([k]) => k);
          const g = m.vjp(op, x, { dy, params: baseParams(op) } as never);
          assert.deepStrictEqual([...g.dx.shape], [2, 3], op);
          assert.deepStrictEqual(
            Object.keys(g.dparams).sort(),
            learned.sort(),
            op,
          );
          for (const t of Object.values(g.dparams) as Tensor[]) {
            assert.deepStrictEqual(
              [...t.shape],
              [],
              `${op}: a number parameter's gradient is 0-d`,
            );
            t.dispose();
          }
          g.dx.dispose();
        }
        x.dispose();
        dy.dispose();
      });

      await t.step(
        "derivatives: present, or NotSupportedError as declared",
        async () => {
          const declared = m.backend.capabilities.unsupported;
          const refused = new Set<string>();
          for (const op of opNames) {
            for (const variant of variantsOf(op)) {
              const d = await m.derivative(op, SAMPLE, variant as never);
              const g = await m.vjp(op, SAMPLE, {
                dy: SAMPLE.map(() => 1),
                params: variant,
              } as never);
              // A derivative's sign of zero is not pinned (only the odd
              // functions' values keep it): jax-js's VJP gives −0 where its
              // grad gives 0 (softshrink′(±0) at λ = 0).
              sameValues(
                d,
                g.dx,
                `${op}: the derivative is the VJP with dy = 1`,
                "equal",
              );
              try {
                const d2 = await m.secondDerivative(
                  op,
                  SAMPLE,
                  variant as never,
                );
                assert.strictEqual(d2.length, SAMPLE.length);
              } catch (error) {
                assert.ok(
                  error instanceof NotSupportedError,
                  `${op}: ${error}`,
                );
                const entry = declared.find((u) =>
                  u.op === op && u.feature === "secondDerivative"
                );
                assert.ok(
                  entry,
                  `${op}: secondDerivative refused but not declared unsupported`,
                );
                assert.strictEqual(error.reason, entry.reason);
                assert.strictEqual(error.backend, name);
                refused.add(op);
              }
            }
          }
          for (const u of declared) {
            assert.strictEqual(
              u.feature,
              "secondDerivative",
              `${u.op} ${u.feature}`,
            );
            assert.ok(
              refused.has(u.op),
              `${u.op}: declared unsupported but never refused`,
            );
          }
        },
      );

      await t.step(
        "agrees with the reference, except where the ledger says why",
        async () => {
          const found: Found[] = [];
          for (const op of opNames) {
            for (const variant of variantsOf(op)) {
              for (const r of await surveyOp(m, op, variant)) {
                for (const pt of r.points) {
                  const kind = classify(
                    ops[op].odd,
                    r.check,
                    pt.x,
                    pt.got,
                    pt.want,
                  );
                  if (kind) {
                    found.push({
                      op,
                      variant,
                      check: r.check,
                      x: pt.x,
                      kind,
                      got: pt.got,
                      want: pt.want,
                    });
                  }
                }
              }
            }
          }
          const unknown = found.filter((f) =>
            knownDeviationOf(
              m.backend,
              f.op,
              f.variant,
              f.check,
              f.x,
              f.kind,
            ) ===
              undefined
          );
          assert.deepStrictEqual(
            unknown.map((f) =>
              `${f.op} ${JSON.stringify(f.variant)} ${f.check} at x = ${
                show(f.x)
              }: ${f.kind}, got ${show(f.got)}, want ${
                show(Math.fround(f.want))
              }`
            ),
            [],
            "deviations not in the ledger (conformance/ledger.ts)",
          );
          // An entry only this grid shows must still cover something here.
          const covering = new Set(
            found.map((f) =>
              knownDeviationOf(m.backend, f.op, f.variant, f.check, f.x, f.kind)
            ),
          );
          assert.deepStrictEqual(
            contractEntriesOf(m.backend)
              .filter((e) => !covering.has(e))
              .map((e) => `${e.backend} ${e.op} ${e.check}`),
            [],
            "stale contract-grid entries in conformance/ledger.ts",
          );
        },
      );

      if (name.startsWith("tfjs-")) {
        await t.step(
          "shares tfjs's engine with the other tfjs adapters",
          async () => {
            for (
              const other of others.filter((o) => o.name.startsWith("tfjs-"))
            ) {
              const mine = m.tensor([-1, 0.5]);
              const theirs = other.module!.tensor([-1, 0.5]);
              const a = m.gelu(mine);
              const b = other.module!.gelu(theirs);
              const c = m.gelu(a); // back on this backend after the other ran
              assert.strictEqual(c.backend, name);
              assert.strictEqual(b.backend, other.name);
              assert.strictEqual((await c.read()).length, 2);
              for (const t of [mine, theirs, a, b, c]) t.dispose();
            }
          },
        );
      }
    },
  });
}
