import assert from "node:assert";
import { normalSamples } from "./_rng.ts";

Deno.test("normalSamples()", async (t) => {
  await t.step("the same seed gives the same numbers", () => {
    assert.deepStrictEqual(normalSamples(100, 7, 4), normalSamples(100, 7, 4));
    assert.notDeepStrictEqual(
      normalSamples(100, 7, 4),
      normalSamples(100, 8, 4),
    );
  });
  await t.step("a shorter run is a prefix of a longer one", () => {
    const long = normalSamples(1001, 3, 1);
    assert.deepStrictEqual(normalSamples(11, 3, 1), long.subarray(0, 11));
  });
  await t.step(
    "scale·N(0, 1): mean near 0, standard deviation near scale",
    () => {
      const x = normalSamples(200_000, 1, 4);
      let sum = 0;
      let sq = 0;
      for (const v of x) {
        sum += v;
        sq += v * v;
      }
      const mean = sum / x.length;
      const sd = Math.sqrt(sq / x.length - mean * mean);
      assert.ok(Math.abs(mean) < 0.05, `mean ${mean}`);
      assert.ok(Math.abs(sd - 4) < 0.05, `sd ${sd}`);
      assert.ok(x.every(Number.isFinite));
    },
  );
  await t.step("empty and odd lengths", () => {
    assert.strictEqual(normalSamples(0, 1, 1).length, 0);
    assert.strictEqual(normalSamples(3, 1, 1).length, 3);
  });
});
