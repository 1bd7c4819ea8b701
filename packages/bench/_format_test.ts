import assert from "node:assert";
import { closestSize, formatMs, formatRatio, formatSize } from "./_format.ts";

Deno.test("formatSize()", async (t) => {
  await t.step("powers of ten and two, else the integer", () => {
    assert.strictEqual(formatSize(1e6), "1e6");
    assert.strictEqual(formatSize(2 ** 20), "2^20");
    assert.strictEqual(formatSize(1500), "1500");
    assert.strictEqual(formatSize(10), "10");
  });
});

Deno.test("formatMs()", async (t) => {
  await t.step("three significant digits, no exponent", () => {
    assert.strictEqual(formatMs(1234.5), "1235");
    assert.strictEqual(formatMs(1.23456), "1.23");
    assert.strictEqual(formatMs(0.0123456), "0.0123");
    assert.strictEqual(formatMs(0.0000567), "0.00006");
  });
});

Deno.test("formatRatio()", async (t) => {
  await t.step("fewer digits as it grows; a dash when missing", () => {
    assert.strictEqual(formatRatio(1.234), "1.23×");
    assert.strictEqual(formatRatio(12.34), "12.3×");
    assert.strictEqual(formatRatio(1234), "1234×");
    assert.strictEqual(formatRatio(undefined), "–");
    assert.strictEqual(formatRatio(NaN), "–");
  });
});

Deno.test("closestSize()", async (t) => {
  await t.step("closest on a log scale", () => {
    assert.strictEqual(closestSize([1e3, 1e5, 1e7], 1e6), 1e5);
    assert.strictEqual(closestSize([2 ** 20, 2 ** 22], 1e6), 2 ** 20);
    assert.strictEqual(closestSize([], 1e6), undefined);
  });
});
