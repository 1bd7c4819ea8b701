import assert from "node:assert";
import fc from "fast-check";
import { FLOAT32_MAX, FLOAT32_MIN_SUBNORMAL, nextFloat32 } from "./float32.ts";
import { ulpDistance, ulpOf } from "./ulp.ts";

const RUNS = { seed: 2718, numRuns: 2000 } as const;

/** Any float32, NaN and ±∞ left out. */
const float32 = fc.float({ noNaN: true, noDefaultInfinity: true });

Deno.test("ulpDistance()", async (t) => {
  await t.step("counts float32 steps", () => {
    assert.strictEqual(ulpDistance(1, 1), 0);
    assert.strictEqual(ulpDistance(1, 1 + 2 ** -23), 1);
    assert.strictEqual(ulpDistance(1, 1 - 2 ** -24), 1); // spacing halves below 1
    assert.strictEqual(ulpDistance(2, 1), 2 ** 23);
    assert.strictEqual(ulpDistance(-1, -1 - 2 ** -22), 2);
  });

  await t.step("rounds both arguments to float32 first", () => {
    assert.strictEqual(ulpDistance(0.1, Math.fround(0.1)), 0);
    assert.strictEqual(ulpDistance(1, 1 + 2 ** -30), 0);
    assert.strictEqual(ulpDistance(1e39, Infinity), 0); // 1e39 rounds to ∞
  });

  await t.step("±0 are one point; the distance across zero adds up", () => {
    assert.strictEqual(ulpDistance(0, -0), 0);
    assert.strictEqual(ulpDistance(-0, FLOAT32_MIN_SUBNORMAL), 1);
    assert.strictEqual(
      ulpDistance(-FLOAT32_MIN_SUBNORMAL, FLOAT32_MIN_SUBNORMAL),
      2,
    );
    assert.strictEqual(ulpDistance(-1, 1), 2 * ulpDistance(0, 1));
  });

  await t.step("subnormals are evenly spaced steps", () => {
    assert.strictEqual(
      ulpDistance(FLOAT32_MIN_SUBNORMAL, 5 * FLOAT32_MIN_SUBNORMAL),
      4,
    );
    assert.strictEqual(ulpDistance(0, 2 ** -126), 2 ** 23); // to the least normal
    assert.strictEqual(ulpDistance(1e-45, 0), 1); // 1e-45 rounds to 2⁻¹⁴⁹
  });

  await t.step("NaN: 0 against NaN, Infinity against anything else", () => {
    assert.strictEqual(ulpDistance(NaN, NaN), 0);
    assert.strictEqual(ulpDistance(NaN, 1), Infinity);
    assert.strictEqual(ulpDistance(0, NaN), Infinity);
    assert.strictEqual(ulpDistance(NaN, Infinity), Infinity);
  });

  await t.step("∞ is one step past the largest float32", () => {
    assert.strictEqual(ulpDistance(FLOAT32_MAX, Infinity), 1);
    assert.strictEqual(ulpDistance(-FLOAT32_MAX, -Infinity), 1);
    assert.strictEqual(ulpDistance(Infinity, Infinity), 0);
    assert.strictEqual(
      ulpDistance(-Infinity, Infinity),
      2 * (ulpDistance(0, FLOAT32_MAX) + 1),
    );
  });

  await t.step("is a metric on the float32 line", () => {
    fc.assert(
      fc.property(float32, float32, float32, (a, b, c) => {
        const ab = ulpDistance(a, b);
        return ab === ulpDistance(b, a) && ab >= 0 && Number.isInteger(ab) &&
          (ab === 0) === (a === b) &&
          ab <= ulpDistance(a, c) + ulpDistance(c, b);
      }),
      RUNS,
    );
  });

  await t.step("neighbours are one step apart", () => {
    fc.assert(
      fc.property(float32, (x) => {
        const a = Math.abs(x);
        return a === FLOAT32_MAX ||
          ulpDistance(a, nextFloat32(a, true)) === 1 &&
            ulpDistance(-a, -nextFloat32(a, true)) === 1;
      }),
      RUNS,
    );
  });
});

Deno.test("ulpOf()", async (t) => {
  await t.step("the spacing above |x| rounded to float32", () => {
    assert.strictEqual(ulpOf(1), 2 ** -23);
    assert.strictEqual(ulpOf(-1), 2 ** -23);
    assert.strictEqual(ulpOf(1.5), 2 ** -23);
    assert.strictEqual(ulpOf(2), 2 ** -22);
    assert.strictEqual(ulpOf(1 - 2 ** -30), 2 ** -23); // rounds up to 1
    assert.strictEqual(ulpOf(0.1), 2 ** -27);
    assert.strictEqual(ulpOf(16777216), 2);
  });

  await t.step("zero and subnormals: 2⁻¹⁴⁹", () => {
    assert.strictEqual(ulpOf(0), FLOAT32_MIN_SUBNORMAL);
    assert.strictEqual(ulpOf(-0), FLOAT32_MIN_SUBNORMAL);
    assert.strictEqual(ulpOf(FLOAT32_MIN_SUBNORMAL), FLOAT32_MIN_SUBNORMAL);
    assert.strictEqual(ulpOf(1e-40), FLOAT32_MIN_SUBNORMAL);
    assert.strictEqual(ulpOf(2 ** -126), FLOAT32_MIN_SUBNORMAL); // the least normal: same spacing
    assert.strictEqual(ulpOf(2 ** -125), 2 ** -148);
  });

  await t.step("the largest float32 and beyond", () => {
    assert.strictEqual(ulpOf(FLOAT32_MAX), 2 ** 104);
    assert.strictEqual(ulpOf(-FLOAT32_MAX), 2 ** 104);
    assert.strictEqual(ulpOf(Infinity), Infinity);
    assert.strictEqual(ulpOf(-Infinity), Infinity);
    assert.strictEqual(ulpOf(1e39), Infinity); // rounds to ∞
  });

  await t.step("NaN gives NaN", () => {
    assert.ok(Number.isNaN(ulpOf(NaN)));
  });

  await t.step("agrees with the bit pattern everywhere", () => {
    fc.assert(
      fc.property(float32, (x) => {
        const a = Math.abs(x);
        return a === FLOAT32_MAX || ulpOf(x) === nextFloat32(a, true) - a;
      }),
      RUNS,
    );
  });
});
