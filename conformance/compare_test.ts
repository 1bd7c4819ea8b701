import assert from "node:assert";
import {
  allowedError,
  deviation,
  sameValue,
  Tally,
  within,
} from "./compare.ts";

Deno.test("deviation()", async (t) => {
  await t.step(
    "the reference rounded to float32 is 0 ULP, however far from the float64 value",
    () => {
      assert.deepStrictEqual(deviation(Math.fround(Math.PI), Math.PI), {
        ulp: 0,
        abs: 0,
        rel: 0,
      });
    },
  );
  await t.step(
    "ULPs count float32 steps; abs and rel are against the float64 reference",
    () => {
      const d = deviation(1 + 2 ** -22, 1);
      assert.strictEqual(d.ulp, 2);
      assert.strictEqual(d.abs, 2 ** -22);
      assert.strictEqual(d.rel, 2 ** -22);
    },
  );
  await t.step(
    "NaN against NaN is exact; NaN against a number is infinitely far",
    () => {
      assert.strictEqual(deviation(NaN, NaN).ulp, 0);
      assert.strictEqual(deviation(NaN, 1).ulp, Infinity);
      assert.strictEqual(deviation(1, NaN).abs, Infinity);
    },
  );
  await t.step(
    "±∞ against the largest float32 is one step; +0 and −0 are equal",
    () => {
      assert.strictEqual(deviation(Infinity, 3.4028234663852886e38).ulp, 1);
      assert.strictEqual(deviation(-0, 0).ulp, 0);
    },
  );
  await t.step(
    "a nonzero result against a zero reference has infinite relative error",
    () => {
      assert.strictEqual(deviation(2 ** -149, 0).rel, Infinity);
      assert.strictEqual(deviation(2 ** -149, 0).ulp, 1);
    },
  );
});

Deno.test("within()", async (t) => {
  await t.step("ULPs, or the absolute allowance where one is given", () => {
    assert.ok(within(deviation(1 + 2 ** -23, 1), { ulp: 1, reason: "" }));
    assert.ok(!within(deviation(1 + 2 ** -22, 1), { ulp: 1, reason: "" }));
    assert.ok(
      within(deviation(1 + 2 ** -22, 1), { ulp: 1, abs: 2 ** -21, reason: "" }),
    );
  });
  await t.step("NaN for a number is never within", () => {
    assert.ok(!within(deviation(NaN, 1), { ulp: 1e9, abs: 1e9, reason: "" }));
  });
});

Deno.test("allowedError()", () => {
  assert.strictEqual(allowedError(1, { ulp: 2, reason: "" }), 2.5 * 2 ** -23);
  assert.strictEqual(allowedError(1, { ulp: 0, abs: 1e-3, reason: "" }), 1e-3);
});

Deno.test("sameValue()", () => {
  assert.ok(sameValue(NaN, NaN));
  assert.ok(sameValue(0, -0));
  assert.ok(!sameValue(0, -0, true));
  assert.ok(!sameValue(1, NaN));
});

Deno.test("Tally", async (t) => {
  await t.step("counts, maxima and the failing indices", () => {
    const tally = new Tally();
    tally.add(deviation(1, 1), true, 0, 1, 1, 1, "f");
    tally.add(deviation(2 + 2 ** -21, 2), false, 1, 2, 2 + 2 ** -21, 2, "f");
    assert.strictEqual(tally.count, 2);
    assert.strictEqual(tally.failures, 1);
    assert.strictEqual(tally.maxUlp, 2);
    assert.deepStrictEqual(tally.failing, [1]);
  });
  await t.step(
    "the worst is a failing element before any passing one, even with fewer ULPs",
    () => {
      const tally = new Tally();
      tally.add(deviation(1 + 2 ** -20, 1), true, 0, 1, 1 + 2 ** -20, 1, "f");
      tally.add(deviation(1 + 2 ** -23, 1), false, 1, 5, 1 + 2 ** -23, 1, "f'");
      tally.add(deviation(1 + 2 ** -19, 1), true, 2, 9, 1 + 2 ** -19, 1, "f");
      assert.strictEqual(tally.worst?.index, 1);
      assert.strictEqual(tally.worst?.quantity, "f'");
    },
  );
});
