import assert from "node:assert";
import { compareArrays, compareSum } from "./_check.ts";

const tol = { rtol: 1e-4, atol: 1e-5 };
const f32 = (...v: number[]) => new Float32Array(v);

Deno.test("compareArrays()", async (t) => {
  await t.step("ordinary values within and out of tolerance", () => {
    const x = f32(1, 2, 3);
    const ok = compareArrays(f32(1, 2.0001, 3), f32(1, 2, 3), tol, x);
    assert.ok(ok.ok);
    assert.strictEqual(ok.failures, 0);
    assert.strictEqual(ok.checked, 3);
    const bad = compareArrays(f32(1, 2.01, 3), f32(1, 2, 3), tol, x);
    assert.ok(!bad.ok);
    assert.strictEqual(bad.failures, 1);
    assert.strictEqual(bad.worst?.index, 1);
    assert.strictEqual(bad.worst?.x, 2);
    assert.match(bad.message!, /1 of 3 elements out of tolerance/);
  });
  await t.step("the absolute part covers outputs near zero", () => {
    const r = compareArrays(f32(5e-6), f32(0), tol, f32(-20));
    assert.ok(r.ok);
    assert.ok(!compareArrays(f32(5e-5), f32(0), tol, f32(-20)).ok);
  });
  await t.step("NaN meets NaN only, never an infinity", () => {
    assert.ok(compareArrays(f32(NaN), f32(NaN), tol, f32(NaN)).ok);
    assert.ok(!compareArrays(f32(NaN), f32(Infinity), tol, f32(1)).ok);
    assert.ok(!compareArrays(f32(Infinity), f32(NaN), tol, f32(1)).ok);
    assert.ok(!compareArrays(f32(NaN), f32(1), tol, f32(1)).ok);
  });
  await t.step("infinities must be the same infinity", () => {
    assert.ok(compareArrays(f32(Infinity), f32(Infinity), tol, f32(1)).ok);
    assert.ok(!compareArrays(f32(-Infinity), f32(Infinity), tol, f32(1)).ok);
    assert.ok(!compareArrays(f32(3.4e38), f32(Infinity), tol, f32(1)).ok);
  });
  await t.step("±0 compare equal", () => {
    const r = compareArrays(f32(-0), f32(0), tol, f32(-0));
    assert.ok(r.ok);
    assert.ok(Object.is(r.worst?.got, -0));
  });
  await t.step("the worst element carries dy for a VJP", () => {
    const r = compareArrays(f32(1), f32(2), tol, f32(0.5), f32(3));
    assert.strictEqual(r.worst?.dy, 3);
    assert.match(r.message!, /dy = 3/);
  });
  await t.step("empty arrays pass", () => {
    assert.ok(compareArrays(f32(), f32(), tol, f32()).ok);
  });
  await t.step("wrong length or type fails with the reason", () => {
    assert.match(
      compareArrays(f32(1), f32(1, 2), tol, f32(1, 2)).message!,
      /expected 2 elements, got 1/,
    );
    assert.match(
      compareArrays([1] as unknown as Float32Array, f32(1), tol, f32(1))
        .message!,
      /expected a Float32Array, got Array/,
    );
    assert.match(
      compareArrays(undefined as unknown as Float32Array, f32(1), tol, f32(1))
        .message!,
      /got undefined/,
    );
  });
});

Deno.test("compareSum()", async (t) => {
  await t.step("within rtol × Σ|terms|", () => {
    assert.ok(compareSum(f32(10.05), 10, 100, 1e-3).ok);
    const r = compareSum(f32(10.2), 10, 100, 1e-3);
    assert.ok(!r.ok);
    assert.match(r.message!, /sum out of tolerance/);
  });
  await t.step("NaN and infinities fail", () => {
    assert.ok(!compareSum(f32(NaN), 0, 1, 1e-3).ok);
    assert.ok(!compareSum(f32(Infinity), 0, 1, 1e-3).ok);
  });
  await t.step("anything but one element fails", () => {
    assert.match(
      compareSum(f32(1, 2), 3, 3, 1e-3).message!,
      /expected one element, got 2 elements/,
    );
    assert.match(compareSum(f32(), 0, 0, 1e-3).message!, /got 0 elements/);
  });
});
