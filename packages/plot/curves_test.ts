import assert from "node:assert";
import {
  bookGrid,
  nextFloat32,
  opNames,
  ops,
  resolveParams,
} from "@nonlin/core";
import { loadBackend } from "@nonlin/backends";
import {
  arange,
  backendCurves,
  difference,
  figureVariants,
  PRELU_ALPHA,
  referenceCurves,
} from "./curves.ts";

const SKEWED = new URL("./testdata/skewed_backend.ts", import.meta.url).href;

Deno.test("arange()", async (t) => {
  await t.step("makes the book's grid, each point from its index", () => {
    const x = arange(-8, 8, 0.1);
    assert.strictEqual(x.length, 160);
    for (let i = 0; i < x.length; i++) {
      assert.strictEqual(x[i], Math.fround(-8 + i * 0.1));
    }
    assert.ok(Object.is(x[80], 0));
    assert.deepStrictEqual(x, bookGrid());
  });

  await t.step("is empty when stop is not above start", () => {
    assert.strictEqual(arange(1, 1, 0.5).length, 0);
    assert.strictEqual(arange(2, 1, 0.5).length, 0);
  });

  await t.step("refuses bad bounds and steps", () => {
    assert.throws(() => arange(NaN, 1, 0.1), RangeError);
    assert.throws(() => arange(0, Infinity, 0.1), RangeError);
    assert.throws(() => arange(0, 1, 0), RangeError);
    assert.throws(() => arange(0, 1, -0.1), RangeError);
    assert.throws(() => arange(0, 1, NaN), RangeError);
  });
});

Deno.test("figureVariants()", async (t) => {
  const variants = figureVariants();

  await t.step(
    "has every op of the catalog with its defaults, in order",
    () => {
      const bases = variants.filter((v) => v.id === v.op);
      assert.deepStrictEqual(bases.map((v) => v.op), [...opNames]);
      const elu = bases.find((v) => v.op === "elu")!;
      assert.deepStrictEqual(elu.params, { alpha: 1 });
      assert.strictEqual(elu.label, "α = 1");
      assert.strictEqual(bases.find((v) => v.op === "relu")!.label, "");
    },
  );

  await t.step(
    "adds swish with β = 0.5 and 10, gelu's tanh form, prelu's α",
    () => {
      const ids = variants.map((v) => v.id);
      // One figure per op, and one per further value the catalog names: a
      // choice besides the default, a number in one of its curves.
      const further = opNames.flatMap((op) => [
        ...Object.values(ops[op].params).flatMap((p) =>
          p.kind === "choice"
            ? p.choices.filter((c: unknown) => c !== p.default)
            : []
        ),
        ...ops[op].curves.flatMap((c) =>
          Object.values(c).filter((v) => typeof v === "number")
        ),
      ]);
      assert.ok(further.length > 0);
      assert.strictEqual(ids.length, opNames.length + further.length);
      assert.deepStrictEqual(
        variants.find((v) => v.id === "swish-beta-0.5")!.params,
        { beta: 0.5 },
      );
      assert.deepStrictEqual(
        variants.find((v) => v.id === "swish-beta-10")!.params,
        { beta: 10 },
      );
      assert.deepStrictEqual(
        variants.find((v) => v.id === "gelu-approximate-tanh")!.params,
        {
          approximate: "tanh",
        },
      );
      assert.deepStrictEqual(variants.find((v) => v.id === "prelu")!.params, {
        alpha: PRELU_ALPHA,
      });
      assert.strictEqual(new Set(ids).size, ids.length);
    },
  );
});

Deno.test("referenceCurves()", async (t) => {
  await t.step("is the catalog's f and dfdx rounded to float32", () => {
    const x = arange(-8, 8, 0.1);
    for (const variant of figureVariants()) {
      const ref = referenceCurves(variant, x);
      const p = resolveParams(variant.op, variant.params) as Record<
        string,
        number | string
      >;
      for (const i of [0, 37, 80, 159]) {
        assert.strictEqual(
          ref.y[i],
          Math.fround(ops[variant.op].f(x[i]!, p)),
          `${variant.id} at ${x[i]}`,
        );
        assert.strictEqual(
          ref.dy[i],
          Math.fround(ops[variant.op].dfdx(x[i]!, p)),
          `${variant.id}' at ${x[i]}`,
        );
      }
    }
  });

  await t.step("keeps NaN, infinities and the sign of zero", () => {
    const tanh = figureVariants().find((v) => v.id === "tanh")!;
    const ref = referenceCurves(
      tanh,
      new Float32Array([NaN, -Infinity, Infinity, -0, 1e-45]),
    );
    assert.ok(Number.isNaN(ref.y[0]));
    assert.strictEqual(ref.y[1], -1);
    assert.strictEqual(ref.y[2], 1);
    assert.ok(Object.is(ref.y[3], -0));
    assert.strictEqual(ref.y[4], Math.fround(1e-45)); // subnormal, not flushed
    assert.strictEqual(ref.dy[2], 0);
  });

  await t.step("handles an empty grid", () => {
    const ref = referenceCurves(figureVariants()[0]!, new Float32Array(0));
    assert.strictEqual(ref.y.length, 0);
    assert.strictEqual(ref.dy.length, 0);
  });
});

Deno.test("difference()", async (t) => {
  await t.step("measures |got − want| and ULPs point by point", () => {
    const want = new Float32Array([1, 4, -2, 0.5]);
    const got = new Float32Array([
      1,
      nextFloat32(4, true),
      -2,
      Math.fround(0.5 + 3 * 2 ** -24),
    ]);
    const d = difference(got, want);
    assert.deepStrictEqual([...d.abs], [0, 2 ** -21, 0, 3 * 2 ** -24]);
    assert.deepStrictEqual([...d.ulp], [0, 1, 0, 3]);
    assert.strictEqual(d.maxAbs, 2 ** -21);
    assert.strictEqual(d.maxUlp, 3);
    assert.strictEqual(d.exact, 2);
    assert.strictEqual(d.mismatched, 0);
  });

  await t.step("counts NaN with NaN and +0 with −0 as exact", () => {
    const d = difference(
      new Float32Array([NaN, -0, Infinity]),
      new Float32Array([NaN, 0, Infinity]),
    );
    assert.deepStrictEqual([...d.abs], [0, 0, 0]);
    assert.strictEqual(d.exact, 3);
    assert.strictEqual(d.maxAbs, 0);
  });

  await t.step(
    "marks NaN and infinity disagreements as mismatches, not maxima",
    () => {
      const d = difference(
        new Float32Array([NaN, 1, Infinity, 3.4028234663852886e38, 2]),
        new Float32Array([1, NaN, 3.4028234663852886e38, Infinity, 2]),
      );
      assert.deepStrictEqual([...d.abs], [
        Infinity,
        Infinity,
        Infinity,
        Infinity,
        0,
      ]);
      assert.strictEqual(d.mismatched, 4);
      assert.strictEqual(d.maxAbs, 0);
      assert.strictEqual(d.maxUlp, 0);
      assert.strictEqual(d.exact, 1);
    },
  );

  await t.step("measures subnormal differences", () => {
    const d = difference(new Float32Array([3e-45]), new Float32Array([1e-45]));
    assert.strictEqual(d.maxAbs, 2 ** -149);
    assert.strictEqual(d.maxUlp, 1);
  });

  await t.step("handles empty arrays", () => {
    const d = difference(new Float32Array(0), new Float32Array(0));
    assert.strictEqual(d.exact, 0);
    assert.strictEqual(d.maxAbs, 0);
  });

  await t.step("refuses arrays of different lengths", () => {
    assert.throws(
      () => difference(new Float32Array(2), new Float32Array(3)),
      RangeError,
    );
  });
});

Deno.test("backendCurves()", async (t) => {
  const x = arange(-8, 8, 0.1);
  const relu = figureVariants().find((v) => v.id === "relu")!;

  await t.step(
    "returns the backend's own outputs, faults included",
    async () => {
      const skewed = await loadBackend(SKEWED);
      const curves = await backendCurves(skewed, relu, x);
      const ref = referenceCurves(relu, x);
      assert.strictEqual(curves.x, x);
      const at4 = x.findIndex((v) => v > 4);
      assert.strictEqual(curves.y[at4], nextFloat32(ref.y[at4]!, true));
      assert.ok(Number.isNaN(curves.dy[x.indexOf(-1)]));
      const f = difference(curves.y, ref.y);
      assert.strictEqual(f.maxUlp, 1);
      assert.strictEqual(f.exact, at4);
      const grad = difference(curves.dy, ref.dy);
      assert.strictEqual(grad.mismatched, 1);
      assert.strictEqual(grad.exact, 159);
    },
  );

  await t.step("passes the variant's parameters to the backend", async () => {
    const skewed = await loadBackend(SKEWED);
    const swish10 = figureVariants().find((v) => v.id === "swish-beta-10")!;
    const curves = await backendCurves(
      skewed,
      swish10,
      new Float32Array([0.5]),
    );
    assert.strictEqual(curves.y[0], Math.fround(0.5 / (1 + Math.exp(-5))));
  });

  await t.step("lets the backend's NotSupportedError through", async () => {
    const skewed = await loadBackend(SKEWED);
    const mish = figureVariants().find((v) => v.id === "mish")!;
    await assert.rejects(() => backendCurves(skewed, mish, x), {
      name: "NotSupportedError",
    });
  });

  await t.step("refuses a result of the wrong kind or length", async () => {
    const skewed = await loadBackend(SKEWED);
    const short = {
      ...skewed,
      relu: () => Promise.resolve(new Float32Array(3)),
    };
    await assert.rejects(
      () => backendCurves(short as never, relu, x),
      TypeError,
    );
    const wide = {
      ...skewed,
      relu: () => Promise.resolve(new Float64Array(160)),
    };
    await assert.rejects(
      () => backendCurves(wide as never, relu, x),
      TypeError,
    );
  });
});
