import assert from "node:assert";
import type { BackendModule } from "@nonlin/core";
import { runScript } from "@nonlin/peer-glue";
import {
  IDLE_MS,
  MAX_IDLE_MS,
  nextIdleMs,
  poolRestarts,
} from "./_idle_workers.ts";

const here = (path: string) => new URL(path, import.meta.url);
/** Generous: startup under load; the point is that it ends at all. */
const EXIT_LIMIT_MS = 120_000;

Deno.test("@nonlin/jax-js", async (t) => {
  // The annotation is the proof: the module's exports are the contract.
  const m: BackendModule = await import("@nonlin/jax-js");

  await t.step("names and describes its engine", () => {
    assert.strictEqual(m.backend.name, "jax-js");
    assert.strictEqual(m.backend.available, true, m.backend.reason);
    const p = m.backend.capabilities.properties;
    assert.strictEqual(p.jaxJs, "0.1.25");
    assert.strictEqual(p.device, "wasm");
    assert.deepStrictEqual(m.backend.capabilities.unsupported, []);
  });

  await t.step(
    "gelu: the exact form unless the tanh form is asked",
    async () => {
      const exact = (await m.gelu([1]))[0]!;
      const tanh = (await m.gelu([1], { approximate: "tanh" }))[0]!;
      // The two forms differ by 1.5e-4 at x = 1; each is within 1e-6 of its own.
      assert.ok(Math.abs(exact - 0.8413447460685429) < 1e-6, `${exact}`);
      assert.ok(Math.abs(tanh - 0.8411919906082768) < 1e-6, `${tanh}`);
    },
  );

  await t.step("its kink convention is kept: relu′(0) = 1", async () => {
    assert.deepStrictEqual(
      await m.derivative("relu", [-1, 0, 1]),
      new Float32Array([0, 1, 1]),
    );
  });

  await t.step(
    "the VJP of an empty x: zero gradients, prelu's α included",
    async () => {
      const g = await m.vjp("prelu", [], { dy: [], params: { alpha: [0.5] } });
      assert.deepStrictEqual(g.dx, new Float32Array(0));
      assert.deepStrictEqual(g.dparams.alpha, new Float32Array([0]));
      const x = m.tensor([], [2, 0]);
      const dy = m.tensor([], [2, 0]);
      const alpha = m.tensor([0.1, 0.2], [2, 1]);
      const r = m.vjp("prelu", x, { dy, params: { alpha } });
      assert.deepStrictEqual(r.dx.shape, [2, 0]);
      assert.deepStrictEqual(r.dparams.alpha!.shape, [2, 1]);
      assert.deepStrictEqual(
        await r.dparams.alpha!.read(),
        new Float32Array([0, 0]),
      );
      const s = await m.vjp("swish", [], { dy: [], params: { beta: 2 } });
      assert.deepStrictEqual(s.dparams.beta, new Float32Array([0]));
      for (const t of [x, dy, alpha, r.dx, r.dparams.alpha!]) t.dispose();
    },
  );

  await t.step("grad of grad: the second derivative", async () => {
    const d2 = await m.secondDerivative("sigmoid", [0]);
    assert.ok(Math.abs(d2[0]!) < 1e-7, `σ″(0) = 0, got ${d2[0]}`);
  });

  await t.step("computes again after its pool went idle", async () => {
    const x = new Float32Array(1 << 16).map((_, i) => i - 30000);
    const first = await m.relu(x);
    await new Promise((r) => setTimeout(r, 3 * IDLE_MS));
    assert.deepStrictEqual(await m.relu(x), first);
  });

  await t.step(
    "calls a little further apart than the idle time do not restart the pool each time",
    async () => {
      const x = new Float32Array(1 << 16).map((_, i) => i - 30000);
      const first = await m.relu(x);
      const workers = Number(m.backend.capabilities.properties.workers);
      const before = poolRestarts();
      for (let i = 0; i < 4; i++) {
        await new Promise((r) => setTimeout(r, IDLE_MS + 200));
        assert.deepStrictEqual(await m.relu(x), first);
      }
      // With a fixed idle time every gap restarts every worker (4 each);
      // with the adaptive one each restarts at most once.
      assert.ok(
        poolRestarts() - before <= workers,
        `${poolRestarts() - before} restarts of ${workers} workers`,
      );
    },
  );

  await t.step("the idle time doubles on a quick restart, up to a cap", () => {
    assert.strictEqual(nextIdleMs(IDLE_MS, 10), 2 * IDLE_MS);
    assert.strictEqual(nextIdleMs(MAX_IDLE_MS, 10), MAX_IDLE_MS);
    assert.strictEqual(nextIdleMs(4 * IDLE_MS, MAX_IDLE_MS + 1), 4 * IDLE_MS);
  });

  await t.step("a process that used it exits by itself", async () => {
    const run = await runScript(here("./testdata/uses_jax.ts"), EXIT_LIMIT_MS);
    assert.ok(run.exited, `still running: ${run.stderr}`);
    assert.strictEqual(run.code, 0, run.stderr);
    const out = JSON.parse(run.stdout);
    assert.ok(out.workers >= 1, "the pool was used");
  });

  await t.step(
    "that check catches jax-js used directly, whose pool lives on",
    async () => {
      const run = await runScript(here("./testdata/raw_jax.ts"), 30_000);
      assert.strictEqual(run.exited, false, run.stderr);
      assert.match(run.stdout, /"n":65536/);
    },
  );
});
