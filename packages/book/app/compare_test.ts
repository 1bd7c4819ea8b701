import assert from "node:assert";
import { opNames, ops, ulpDistance, ulpOf } from "@nonlin/core";
import { arange } from "@nonlin/plot";
import {
  bookGrid,
  compareCurve,
  compareValues,
  GRID_LENGTH,
  referenceValues,
  toleranceOf,
} from "./compare.ts";
import type { Curve } from "./sections.ts";

const f32 = (...values: number[]) => new Float32Array(values);
const EPS = 2 ** -23;

Deno.test("bookGrid()", async (t) => {
  await t.step("is arange(-8, 8, 0.1) as the nearest float32 values", () => {
    const x = bookGrid();
    assert.strictEqual(x.length, GRID_LENGTH);
    for (let i = 0; i < x.length; i++) {
      const decimal = (i - 80) / 10;
      assert.ok(
        Math.abs(x[i]! - decimal) <= ulpOf(decimal) / 2,
        `x[${i}] = ${x[i]}`,
      );
    }
    assert.strictEqual(x[0], -8);
    assert.strictEqual(x[159], Math.fround(7.9));
    assert.ok(x.every((v, i) => i === 0 || v > x[i - 1]!), "increasing");
  });
  await t.step("holds the kinks 0, ±3, ±1 and 6 exactly", () => {
    const x = [...bookGrid()];
    for (const k of [0, -3, 3, -1, 1, 6]) assert.ok(x.includes(k), String(k));
    assert.ok(Object.is(x[80], 0), "+0, not −0");
  });
  await t.step("is the figures' grid, point for point", () => {
    assert.deepStrictEqual(bookGrid(), arange(-8, 8, 0.1));
  });
  await t.step("returns a new array each time", () => {
    const a = bookGrid();
    a[0] = 1;
    assert.strictEqual(bookGrid()[0], -8);
  });
});

Deno.test("referenceValues()", async (t) => {
  await t.step("is the catalog's float64 reference rounded once", () => {
    const x = bookGrid();
    for (const op of opNames) {
      const params = op === "prelu" ? { alpha: 0.25 } : {};
      const { value, gradient } = referenceValues({ op, params, label: "" }, x);
      for (let i = 0; i < x.length; i += 17) {
        const p = {
          ...Object.fromEntries(
            Object.entries(ops[op].params).map((
              [k, s],
            ) => [k, "default" in s ? s.default : 0.25]),
          ),
          ...params,
        };
        assert.strictEqual(
          value[i],
          Math.fround(ops[op].f(x[i]!, p)),
          `${op}(${x[i]})`,
        );
        assert.strictEqual(
          gradient[i],
          Math.fround(ops[op].dfdx(x[i]!, p)),
          `${op}'(${x[i]})`,
        );
      }
    }
  });
  await t.step("keeps NaN, the limits at ±∞ and the sign of zero", () => {
    const curve: Curve = { op: "tanh", params: {}, label: "" };
    const { value, gradient } = referenceValues(
      curve,
      f32(NaN, Infinity, -Infinity, -0),
    );
    assert.ok(Number.isNaN(value[0]) && Number.isNaN(gradient[0]));
    assert.deepStrictEqual([...value.slice(1, 3)], [1, -1]);
    assert.deepStrictEqual([...gradient.slice(1, 3)], [0, 0]);
    assert.ok(Object.is(value[3], -0));
  });
  await t.step(
    "uses the curve's parameters and the left-hand derivative at kinks",
    () => {
      const x = f32(-1, 0, 1);
      const swish = referenceValues({
        op: "swish",
        params: { beta: 10 },
        label: "",
      }, x);
      assert.strictEqual(swish.value[2], Math.fround(1 / (1 + Math.exp(-10))));
      const relu = referenceValues({ op: "relu", params: {}, label: "" }, x);
      assert.deepStrictEqual(relu.gradient, f32(0, 0, 1));
    },
  );
  await t.step("refuses parameters out of range", () => {
    assert.throws(
      () =>
        referenceValues(
          { op: "softplus", params: { beta: 0 }, label: "" },
          f32(0),
        ),
      RangeError,
    );
    assert.throws(
      () => referenceValues({ op: "prelu", params: {}, label: "" }, f32(0)),
      TypeError,
    );
  });
});

Deno.test("toleranceOf()", async (t) => {
  await t.step("native is held to its accuracy target", () => {
    assert.deepStrictEqual(toleranceOf("native").value, { ulp: 1, abs: 0 });
    assert.deepStrictEqual(toleranceOf("native").gradient, { ulp: 2, abs: 0 });
  });
  await t.step(
    "every built-in backend has its own; others get the loosest",
    () => {
      for (const name of ["tfjs-cpu", "tfjs-wasm", "tfjs-webgpu"]) {
        assert.ok(toleranceOf(name).why.length > 0, name);
      }
      const other = toleranceOf("./my_backend.ts");
      for (const name of ["native", "tfjs-cpu", "tfjs-wasm", "tfjs-webgpu"]) {
        assert.ok(other.value.ulp >= toleranceOf(name).value.ulp);
        assert.ok(other.gradient.abs >= toleranceOf(name).gradient.abs);
      }
      assert.strictEqual(
        toleranceOf("constructor"),
        other,
        "no prototype keys",
      );
    },
  );
});

Deno.test("compareValues()", async (t) => {
  await t.step("equal numbers: no difference", () => {
    const c = compareValues(f32(0, 1, -2.5), f32(0, 1, -2.5), {
      ulp: 0,
      abs: 0,
    });
    assert.deepStrictEqual(c, {
      maxAbs: 0,
      maxUlp: 0,
      deviations: [],
      conventions: [],
    });
  });
  await t.step(
    "ULPs and absolute differences, and the tolerance on either",
    () => {
      const got = f32(1 + EPS, 1 + 3 * EPS, 1e-30);
      const want = f32(1, 1, 0);
      const strict = compareValues(got, want, { ulp: 2, abs: 0 });
      assert.strictEqual(strict.maxUlp, ulpDistance(1e-30, 0));
      assert.strictEqual(strict.maxAbs, 3 * EPS);
      assert.deepStrictEqual(strict.deviations, [1, 2]);
      assert.deepStrictEqual(
        compareValues(got, want, { ulp: 2, abs: 1e-6 }).deviations,
        [],
      );
    },
  );
  await t.step("NaN matches only NaN", () => {
    const c = compareValues(f32(NaN, NaN, 0), f32(NaN, 0, NaN), {
      ulp: 100,
      abs: 1,
    });
    assert.deepStrictEqual(c.deviations, [1, 2]);
    assert.strictEqual(c.maxAbs, Infinity);
    assert.strictEqual(c.maxUlp, Infinity);
  });
  await t.step("±∞ match themselves only; ±0 match each other", () => {
    const c = compareValues(
      f32(Infinity, -Infinity, -0, Infinity),
      f32(Infinity, -Infinity, 0, 3e38),
      {
        ulp: 0,
        abs: 0,
      },
    );
    assert.deepStrictEqual(c.deviations, [3]);
    assert.strictEqual(c.maxAbs, Infinity);
  });
  await t.step(
    "an alternative value makes a convention, not a deviation",
    () => {
      const c = compareValues(
        f32(1, 1),
        f32(0, 0),
        { ulp: 0, abs: 0 },
        new Map([[0, 1]]),
      );
      assert.deepStrictEqual(c.conventions, [0]);
      assert.deepStrictEqual(c.deviations, [1]);
    },
  );
  await t.step("empty arrays compare clean; lengths must match", () => {
    assert.deepStrictEqual(
      compareValues(f32(), f32(), { ulp: 0, abs: 0 }).deviations,
      [],
    );
    assert.throws(
      () => compareValues(f32(1), f32(1, 2), { ulp: 0, abs: 0 }),
      (e: unknown) =>
        e instanceof RangeError && /lengths differ/.test(e.message),
    );
  });
});

Deno.test("compareCurve()", async (t) => {
  const x = bookGrid();
  const exact = (curve: Curve) => referenceValues(curve, x);

  await t.step("the reference itself compares clean on every op", () => {
    for (const op of opNames) {
      const curve: Curve = {
        op,
        params: op === "prelu" ? { alpha: 0.25 } : {},
        label: "",
      };
      const c = compareCurve(curve, x, exact(curve), toleranceOf("native"));
      assert.deepStrictEqual([c.value.maxUlp, c.gradient.maxUlp], [0, 0], op);
    }
  });
  await t.step("the right-hand derivative at a kink is a convention", () => {
    const curve: Curve = { op: "hardTanh", params: {}, label: "" };
    const got = exact(curve);
    const gradient = got.gradient.slice();
    const at = x.indexOf(-1);
    gradient[at] = 1; // tfjs's ClipByValue gradient at min
    const c = compareCurve(
      curve,
      x,
      { value: got.value, gradient },
      toleranceOf("native"),
    );
    assert.deepStrictEqual(c.gradient.conventions, [at]);
    assert.deepStrictEqual(c.gradient.deviations, []);
    assert.strictEqual(
      c.gradient.maxAbs,
      0,
      "conventions stay out of the differences",
    );
  });
  await t.step("the same value away from a kink is a deviation", () => {
    const curve: Curve = { op: "hardTanh", params: {}, label: "" };
    const got = exact(curve);
    const gradient = got.gradient.slice();
    const at = x.indexOf(Math.fround(-1.5));
    gradient[at] = 1;
    const c = compareCurve(
      curve,
      x,
      { value: got.value, gradient },
      toleranceOf("native"),
    );
    assert.deepStrictEqual(c.gradient.deviations, [at]);
    assert.deepStrictEqual(c.gradient.conventions, []);
  });
  await t.step("a wrong value at a kink is a deviation", () => {
    const curve: Curve = { op: "relu6", params: {}, label: "" };
    const got = exact(curve);
    const gradient = got.gradient.slice();
    const at = x.indexOf(0);
    gradient[at] = 0.5;
    const c = compareCurve(
      curve,
      x,
      { value: got.value, gradient },
      toleranceOf("tfjs-cpu"),
    );
    assert.deepStrictEqual(c.gradient.deviations, [at]);
  });
  await t.step(
    "values within a backend's tolerance pass; beyond it they are marked",
    () => {
      const curve: Curve = { op: "sigmoid", params: {}, label: "" };
      const got = exact(curve);
      const value = got.value.map((v) => v * (1 + 3 * EPS));
      assert.deepStrictEqual(
        compareCurve(
          curve,
          x,
          { value, gradient: got.gradient },
          toleranceOf("tfjs-cpu"),
        ).value.deviations,
        [],
      );
      assert.ok(
        compareCurve(
          curve,
          x,
          { value, gradient: got.gradient },
          toleranceOf("native"),
        ).value.deviations.length > 0,
      );
    },
  );
});
