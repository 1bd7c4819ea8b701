import assert from "node:assert";
import {
  checkAliasing,
  checkDparamsOut,
  checkDxOut,
  checkDyForm,
  checkOut,
  checkVjpOut,
  outOption,
  refuseResidentOut,
  vjpOptions,
  withoutOut,
} from "./out.ts";
import { fakeTensor } from "./testdata/tensor.ts";

Deno.test("outOption()", () => {
  const out = new Float32Array(1);
  assert.strictEqual(outOption({ out }), out);
  assert.strictEqual(outOption({ beta: 1 }), undefined);
  assert.strictEqual(outOption(null), undefined);
  assert.strictEqual(outOption(3), undefined);
});

Deno.test("withoutOut()", () => {
  const out = new Float32Array(1);
  const params = { alpha: 0.5 };
  assert.strictEqual(withoutOut(params), params);
  assert.strictEqual(withoutOut({ out }), undefined);
  assert.deepStrictEqual(withoutOut({ alpha: 0.5, out }), { alpha: 0.5 });
  assert.strictEqual(withoutOut(undefined), undefined);
  assert.strictEqual(withoutOut("x"), "x");
});

Deno.test("checkOut()", async (t) => {
  await t.step("a Float32Array of the length passes", () => {
    const y = new Float32Array(2);
    assert.strictEqual(checkOut(y, 2, "out"), y);
  });
  await t.step("another kind is a TypeError naming it", () => {
    for (const bad of [new Float64Array(2), [0, 0], null, undefined, 2]) {
      assert.throws(
        () => checkOut(bad, 2, "out.dx"),
        (e: unknown) =>
          e instanceof TypeError && /^out\.dx must/.test(e.message),
      );
    }
  });
  await t.step("another length is a RangeError naming it", () => {
    assert.throws(
      () => checkOut(new Float32Array(3), 2, "out"),
      /^RangeError: out must hold 2 elements, the result's length: got 3$/,
    );
    assert.throws(
      () => checkOut(new Float32Array(2), 1, "out.dparams.beta"),
      /^RangeError: out\.dparams\.beta must hold 1 element, the result's length: got 2$/,
    );
  });
});

Deno.test("checkAliasing()", async (t) => {
  const buffer = new Float32Array(8);
  await t.step("the same bytes pass in place only", () => {
    checkAliasing(buffer, buffer, "out and x", true);
    checkAliasing(buffer.subarray(2, 4), buffer.subarray(2, 4), "a", true);
    assert.throws(() => checkAliasing(buffer, buffer, "a", false), RangeError);
  });
  await t.step("disjoint views pass, overlapping ones do not", () => {
    checkAliasing(buffer.subarray(0, 4), buffer.subarray(4), "a", false);
    checkAliasing(new Float32Array(8), buffer, "a", false);
    assert.throws(
      () => checkAliasing(buffer.subarray(0, 5), buffer.subarray(4), "a", true),
      /a overlap/,
    );
    assert.throws(
      () =>
        checkAliasing(buffer.subarray(1, 5), buffer.subarray(0, 4), "a", true),
      RangeError,
    );
  });
  await t.step("empty views never overlap", () => {
    checkAliasing(buffer.subarray(2, 2), buffer, "a", false);
  });
});

Deno.test("checkVjpOut()", async (t) => {
  const a = new Float32Array(1);
  await t.step("dx and the learned parameters' gradients", () => {
    assert.deepStrictEqual(checkVjpOut("swish", undefined), {
      dx: undefined,
      dparams: undefined,
    });
    const r = checkVjpOut("swish", { dx: a, dparams: { beta: a } });
    assert.strictEqual(r.dx, a);
    assert.strictEqual(r.dparams?.beta, a);
  });
  await t.step("anything else is a TypeError", () => {
    for (
      const bad of [
        a,
        null,
        { dy: a },
        { dparams: 3 },
        { dparams: { alpha: a } },
      ]
    ) {
      assert.throws(() => checkVjpOut("swish", bad), TypeError);
    }
    assert.throws(
      () => checkVjpOut("hardTanh", { dparams: { min: a } }),
      /hardTanh has no gradient for "min" \(it has no learned parameter\)/,
    );
  });
});

Deno.test("refuseResidentOut()", () => {
  refuseResidentOut(undefined, "gelu");
  assert.throws(
    () => refuseResidentOut(new Float32Array(1), "gelu"),
    /^TypeError: gelu: out is for host data/,
  );
});

Deno.test("checkDxOut()", async (t) => {
  const x = new Float32Array(4);
  const dy = new Float32Array(4);
  await t.step("absent, in place on x or dy, or apart", () => {
    assert.strictEqual(checkDxOut(undefined, { x, dy }), undefined);
    assert.strictEqual(checkDxOut(x, { x, dy }), x);
    assert.strictEqual(checkDxOut(dy, { x, dy }), dy);
    const apart = new Float32Array(4);
    assert.strictEqual(checkDxOut(apart, { x, dy }), apart);
  });
  await t.step("the wrong kind, length or a partial overlap", () => {
    assert.throws(() => checkDxOut([0, 0, 0, 0], { x, dy }), TypeError);
    assert.throws(() => checkDxOut(new Float32Array(3), { x, dy }), RangeError);
    const big = new Float32Array(6);
    assert.throws(
      () => checkDxOut(big.subarray(1, 5), { x: big.subarray(0, 4), dy }),
      /out\.dx and x overlap/,
    );
  });
});

Deno.test("checkDparamsOut()", async (t) => {
  const x = new Float32Array(4);
  const dy = new Float32Array(4);
  const dx = new Float32Array(4);
  await t.step("only the given ones, each of its size", () => {
    const alpha = new Float32Array(2);
    assert.deepStrictEqual(
      checkDparamsOut({ alpha }, { alpha: 2, beta: 1 }, { x, dy, dx }),
      { alpha },
    );
    assert.deepStrictEqual(
      checkDparamsOut(undefined, { alpha: 2 }, { x, dy }),
      {},
    );
    assert.throws(
      () => checkDparamsOut({ alpha }, { alpha: 1 }, { x, dy }),
      RangeError,
    );
  });
  await t.step("no bytes shared with x, dy, dx or each other", () => {
    for (const shared of [x, dy, dx]) {
      assert.throws(
        () => checkDparamsOut({ alpha: shared }, { alpha: 4 }, { x, dy, dx }),
        RangeError,
      );
    }
    const both = new Float32Array(1);
    assert.throws(
      () => checkDparamsOut({ a: both, b: both }, { a: 1, b: 1 }, { x, dy }),
      /out\.dparams\.b and another gradient overlap/,
    );
  });
});

Deno.test("vjpOptions()", () => {
  const dy = [1];
  assert.deepStrictEqual(vjpOptions({ dy, params: { alpha: 1 } }), {
    dy,
    params: { alpha: 1 },
    out: undefined,
  });
  for (const bad of [undefined, null, 1]) {
    assert.throws(() => vjpOptions(bad), /vjp options must be an object/);
  }
  assert.throws(
    () => vjpOptions({}),
    /vjp options must give dy, the upstream gradient: got an object without dy \(keys: none\)/,
  );
  assert.throws(
    () => vjpOptions({ params: { beta: 1 } }),
    /got an object without dy \(keys: params\)/,
  );
  assert.throws(() => vjpOptions([1]), /vjp options must give dy/);
});

Deno.test("checkDyForm()", () => {
  const tensor = fakeTensor("mine");
  checkDyForm(tensor, { backend: "mine", resident: true });
  checkDyForm([1], { backend: "mine", resident: false });
  assert.throws(
    () => checkDyForm([1], { backend: "mine", resident: true }),
    /both be mine tensors or both be host arrays: x is a tensor, dy is/,
  );
  assert.throws(
    () => checkDyForm(tensor, { backend: "mine", resident: false }),
    /dy is a tensor of backend mine, x is host data/,
  );
});
