import assert from "node:assert";
import {
  measure,
  measureSlope,
  summarize,
  type TimingPlan,
  waitLatency,
} from "./_timing.ts";

const plan: TimingPlan = {
  targetMs: 50,
  minReps: 5,
  maxReps: 30,
  minSampleMs: 1,
  callBudgetMs: 1000,
  latencyFactor: 2,
};

Deno.test("summarize()", async (t) => {
  await t.step("median, min and max of odd and even counts", () => {
    const odd = summarize([3, 1, 2], 1);
    assert.deepStrictEqual([odd.medianMs, odd.minMs, odd.maxMs, odd.reps], [
      2,
      1,
      3,
      3,
    ]);
    assert.strictEqual(summarize([4, 1, 3, 2], 2).medianMs, 2.5);
    assert.strictEqual(summarize([4, 1, 3, 2], 2).batch, 2);
  });
});

Deno.test("measure()", async (t) => {
  await t.step(
    "per-call times from a batch, at least minReps samples",
    async () => {
      const batches: number[] = [];
      // A fake clock: each call "takes" 0.01 ms.
      const m = await measure((batch) => {
        batches.push(batch);
        return Promise.resolve(batch * 0.01);
      }, plan);
      assert.ok(m.ok);
      assert.ok(Math.abs(m.timing.medianMs - 0.01) < 1e-12);
      assert.ok(m.timing.batch >= 100, `batch ${m.timing.batch}`);
      assert.ok(m.timing.reps >= plan.minReps && m.timing.reps <= plan.maxReps);
    },
  );
  await t.step("a first call over the budget gets one more try", async () => {
    let calls = 0;
    const over = await measure(
      () => {
        calls++;
        return Promise.resolve(3000);
      },
      plan,
      5000,
    );
    assert.deepStrictEqual(over, { ok: false, oneCallMs: 3000 });
    assert.strictEqual(calls, 1, "the check's call stood as the first");
    const spike = await measure(
      (batch) => Promise.resolve(batch * 2),
      plan,
      5000,
    );
    assert.ok(spike.ok, "the second call fits: timed");
    assert.strictEqual(spike.timing.medianMs, 2);
  });
  await t.step(
    "slow calls stop at 3 samples once 4× the target has passed",
    async () => {
      const m = await measure(
        (batch) => Promise.resolve(200 * batch),
        plan,
        200,
      );
      assert.ok(m.ok);
      assert.strictEqual(m.timing.reps, 3);
      assert.strictEqual(m.timing.batch, 1);
    },
  );
  await t.step("two calls over the budget stop it", async () => {
    let calls = 0;
    const m = await measure(() => {
      calls++;
      return Promise.resolve(2000);
    }, plan);
    assert.deepStrictEqual(m, { ok: false, oneCallMs: 2000 });
    assert.strictEqual(calls, 2);
  });
});

Deno.test("measureSlope()", async (t) => {
  await t.step("recovers c from T(k) = L + k·c", async () => {
    const m = await measureSlope((k) => Promise.resolve(11 + 0.05 * k), plan);
    assert.ok(m.ok);
    assert.ok(
      Math.abs(m.timing.medianMs - 0.05) < 1e-9,
      `${m.timing.medianMs}`,
    );
    assert.strictEqual(m.timing.latencyMs, 11);
    assert.ok(
      11 + 0.05 * m.timing.batch >= 2 * 11,
      "k large enough that the work dominates",
    );
  });
  await t.step(
    "recovers c when the wait overlaps the work: T(k) = max(L, k·c + d)",
    async () => {
      const m = await measureSlope(
        (k) => Promise.resolve(Math.max(11, 0.02 * k + 4)),
        plan,
        11,
      );
      assert.ok(m.ok);
      assert.ok(
        Math.abs(m.timing.medianMs - 0.02) < 1e-9,
        `${m.timing.medianMs}`,
      );
    },
  );
  await t.step("two calls over the budget stop it", async () => {
    const m = await measureSlope(() => Promise.resolve(5000), plan);
    assert.deepStrictEqual(m, { ok: false, oneCallMs: 5000 });
  });
});

Deno.test("waitLatency()", async (t) => {
  await t.step("the median of three empty waits", async () => {
    const times = [12, 10, 30];
    assert.strictEqual(
      await waitLatency((k) => Promise.resolve(k === 0 ? times.shift()! : NaN)),
      12,
    );
  });
});
