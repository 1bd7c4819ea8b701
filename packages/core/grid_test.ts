import assert from "node:assert";
import { BOOK_GRID, bookGrid } from "./grid.ts";
import { ulpOf } from "./ulp.ts";

Deno.test("bookGrid()", async (t) => {
  await t.step("is torch.arange(-8.0, 8.0, 0.1) rounded to float32", () => {
    const x = bookGrid();
    assert.strictEqual(x.length, BOOK_GRID.length);
    for (let i = 0; i < x.length; i++) {
      assert.strictEqual(x[i], Math.fround(-8 + 0.1 * i), `x[${i}]`);
    }
  });
  await t.step("each point is the float32 nearest its decimal", () => {
    const x = bookGrid();
    for (let i = 0; i < x.length; i++) {
      const decimal = (i - 80) / 10;
      assert.ok(Math.abs(x[i]! - decimal) <= ulpOf(decimal) / 2, `x[${i}]`);
    }
  });
  await t.step("holds the kinks 0, ±1, ±3 and 6 exactly, +0 not −0", () => {
    const x = [...bookGrid()];
    for (const k of [0, -1, 1, -3, 3, 6]) assert.ok(x.includes(k), String(k));
    assert.ok(Object.is(x[80], 0));
  });
  await t.step("agrees with BOOK_GRID", () => {
    const { start, stop, step, length } = BOOK_GRID;
    assert.strictEqual(length, Math.round((stop - start) / step));
    assert.strictEqual(bookGrid()[0], start);
    assert.ok(Object.isFrozen(BOOK_GRID));
  });
  await t.step("returns a new array each time", () => {
    const a = bookGrid();
    a[0] = 1;
    assert.strictEqual(bookGrid()[0], -8);
  });
});
