import assert from "node:assert";
import {
  checkBroadcast,
  checkSameShape,
  checkShape,
  describe,
  toFloat32,
} from "./data.ts";

Deno.test("toFloat32()", async (t) => {
  await t.step("a Float32Array is returned as is, not copied", () => {
    const data = new Float32Array([1, 2]);
    assert.strictEqual(toFloat32(data, "x"), data);
  });

  await t.step("a plain array is rounded to float32 element by element", () => {
    const out = toFloat32([0.1, 1 / 3, 1e40, -1e-50, 2 ** -149], "x");
    assert.ok(out instanceof Float32Array);
    assert.deepStrictEqual(
      [...out],
      [Math.fround(0.1), Math.fround(1 / 3), Infinity, -0, 2 ** -149],
    );
    assert.deepStrictEqual(toFloat32([], "x"), new Float32Array(0));
  });

  await t.step("NaN, ±∞ and −0 pass through", () => {
    const out = toFloat32([NaN, Infinity, -Infinity, -0], "x");
    assert.ok(Number.isNaN(out[0]));
    assert.strictEqual(out[1], Infinity);
    assert.strictEqual(out[2], -Infinity);
    assert.ok(Object.is(out[3], -0));
  });

  await t.step(
    "non-numeric elements are a TypeError naming the element",
    () => {
      assert.throws(() => toFloat32([1, "2"], "x"), {
        name: "TypeError",
        message: 'x must hold numbers only: element 1 is the string "2"',
      });
      assert.throws(
        () => toFloat32([null], "dy"),
        /dy must hold numbers only: element 0 is null/,
      );
      assert.throws(() => toFloat32([1n], "x"), TypeError);
      assert.throws(() => toFloat32([[1]], "x"), TypeError);
    },
  );

  await t.step(
    "other typed arrays are refused, so float64 is never narrowed silently",
    () => {
      for (
        const data of [
          new Float64Array(2),
          new Int32Array(2),
          new Uint8Array(2),
          new DataView(new ArrayBuffer(4)),
        ]
      ) {
        assert.throws(() => toFloat32(data, "x"), (e: unknown) => {
          assert.ok(e instanceof TypeError);
          assert.ok(e.message.includes(data.constructor.name), e.message);
          assert.ok(e.message.includes("Float32Array.from"), e.message);
          return true;
        });
      }
    },
  );

  await t.step("anything else is a TypeError", () => {
    for (
      const data of [
        1,
        "1,2",
        null,
        undefined,
        { length: 1, 0: 1 },
        new Set([1]),
      ]
    ) {
      assert.throws(
        () => toFloat32(data, "x"),
        /^TypeError: x must be a Float32Array/,
      );
    }
  });
});

Deno.test("checkShape()", async (t) => {
  await t.step("returns a frozen copy of a shape that fits the data", () => {
    const shape = [2, 3];
    const out = checkShape(shape, 6);
    assert.deepStrictEqual(out, [2, 3]);
    assert.notStrictEqual(out, shape);
    assert.ok(Object.isFrozen(out));
  });

  await t.step("0-d and empty tensors", () => {
    assert.deepStrictEqual(checkShape([], 1), []);
    assert.deepStrictEqual(checkShape([0], 0), [0]);
    assert.deepStrictEqual(checkShape([3, 0, 2], 0), [3, 0, 2]);
    assert.throws(() => checkShape([], 0), RangeError);
  });

  await t.step(
    "a shape that does not fit is a RangeError with both sizes",
    () => {
      assert.throws(() => checkShape([2, 3], 5), {
        name: "RangeError",
        message: "Shape [2, 3] holds 6 elements but the data has 5",
      });
    },
  );

  await t.step("dimensions must be non-negative integers", () => {
    for (const shape of [[-1], [2.5], [NaN], [Infinity], [2 ** 53], ["2"]]) {
      assert.throws(
        () => checkShape(shape, 2),
        RangeError,
        JSON.stringify(shape),
      );
    }
  });

  await t.step("a shape that is not an array is a TypeError", () => {
    for (const shape of [2, "2,3", null, new Int32Array([2])]) {
      assert.throws(() => checkShape(shape, 2), TypeError);
    }
  });
});

Deno.test("checkBroadcast()", async (t) => {
  await t.step("accepts NumPy broadcasting that does not enlarge x", () => {
    for (
      const [p, x] of [
        [[], [2, 3]],
        [[1], [2, 3]],
        [[3], [2, 3]],
        [[2, 1], [2, 3]],
        [[3, 1], [2, 3, 4]],
        [[2, 3, 4], [2, 3, 4]],
        [[1, 1], [5, 7]],
        [[], []],
        [[1], [0]],
        [[0], [2, 0]],
      ]
    ) {
      checkBroadcast(p!, x!, "prelu alpha");
    }
  });

  await t.step("anything else is a RangeError naming both shapes", () => {
    assert.throws(() => checkBroadcast([3], [2, 4], "prelu alpha"), {
      name: "RangeError",
      message:
        "prelu alpha of shape [3] is not broadcastable to x of shape [2, 4]",
    });
    for (
      const [p, x] of [
        [[2], [2, 3]],
        [[1, 2, 3], [2, 3]],
        [[2], []],
        [[4, 1], [2, 3, 4]],
        [[2], [0]],
      ]
    ) {
      assert.throws(
        () => checkBroadcast(p!, x!, "alpha"),
        RangeError,
        JSON.stringify([p, x]),
      );
    }
  });
});

Deno.test("checkSameShape()", async (t) => {
  await t.step("accepts equal shapes", () => {
    checkSameShape([2, 3], [2, 3], "x and dy");
    checkSameShape([], [], "x and dy");
  });

  await t.step("anything else is a RangeError naming both shapes", () => {
    assert.throws(() => checkSameShape([2], [3], "x and dy"), {
      name: "RangeError",
      message: "x and dy must have the same shape: got [2] and [3]",
    });
    assert.throws(() => checkSameShape([2], [2, 1], "x and dy"), RangeError);
    assert.throws(() => checkSameShape([], [1], "x and dy"), RangeError);
    assert.throws(() => checkSameShape([6], [2, 3], "x and dy"), RangeError);
  });
});

Deno.test("describe()", async (t) => {
  await t.step("names the kind of a value for error messages", () => {
    assert.strictEqual(describe(null), "null");
    assert.strictEqual(describe([1]), "an array");
    assert.strictEqual(describe("a"), 'the string "a"');
    assert.strictEqual(describe(1), "number 1");
    assert.strictEqual(describe(undefined), "undefined");
    assert.strictEqual(describe(true), "boolean true");
    assert.strictEqual(describe(new Float64Array(1)), "Float64Array");
    assert.strictEqual(describe(Object.create(null)), "an object");
  });
});
