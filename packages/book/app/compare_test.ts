import assert from "node:assert";
import {
  bookGrid,
  nextFloat32,
  opNames,
  ops,
  resolveParams,
} from "@nonlin/core";
import {
  ledger as waivers,
  profileOf,
  toleranceOf as policy,
} from "@nonlin/conformance";
import { compareCurve, referenceValues, toleranceOf } from "./compare.ts";
import type { Curve } from "./sections.ts";

const f32 = (...values: number[]) => new Float32Array(values);

Deno.test("referenceValues()", async (t) => {
  await t.step("is the catalog's float64 reference, unrounded", () => {
    const x = bookGrid();
    for (const op of opNames) {
      const params = ops[op].example as Readonly<Record<string, number>>;
      const p = resolveParams(op, params) as Record<string, number | string>;
      const { value, gradient } = referenceValues({ op, params, label: "" }, x);
      for (let i = 0; i < x.length; i += 7) {
        assert.strictEqual(value[i], ops[op].f(x[i]!, p), `${op}(${x[i]})`);
        assert.strictEqual(
          gradient[i],
          ops[op].dfdx(x[i]!, p),
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
      assert.strictEqual(swish.value[2], 1 / (1 + Math.exp(-10)));
      const relu = referenceValues({ op: "relu", params: {}, label: "" }, x);
      assert.deepStrictEqual(relu.gradient, new Float64Array([0, 0, 1]));
    },
  );
  await t.step("refuses parameters out of range or missing", () => {
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
  await t.step("is the conformance suite's policy, per backend and op", () => {
    for (const backend of ["native", "tfjs-cpu", "tfjs-wasm", "tfjs-webgpu"]) {
      for (const op of opNames) {
        const t = toleranceOf(backend, op);
        assert.deepStrictEqual(
          t.value,
          policy(profileOf(backend), op, "values"),
          `${backend} ${op}`,
        );
        assert.deepStrictEqual(
          t.gradient,
          policy(profileOf(backend), op, "derivative"),
          `${backend} ${op}`,
        );
        assert.ok(t.value.reason.length > 0 && t.gradient.reason.length > 0);
      }
    }
    assert.strictEqual(toleranceOf("native", "gelu").value.ulp, 1);
  });
  await t.step(
    "a backend the suite does not know gets its precision's profile",
    () => {
      assert.deepStrictEqual(
        toleranceOf("./my_backend.ts", "gelu").value,
        policy("float32", "gelu", "values"),
      );
    },
  );
});

Deno.test("compareCurve()", async (t) => {
  const x = bookGrid();
  /** The reference rounded to float32: what a perfect backend returns. */
  const exact = (curve: Curve) => {
    const r = referenceValues(curve, x);
    return {
      value: new Float32Array(r.value),
      gradient: new Float32Array(r.gradient),
    };
  };

  await t.step(
    "the reference rounded once compares clean on every op and backend",
    () => {
      for (const op of opNames) {
        const curve: Curve = {
          op,
          params: ops[op].example as Readonly<Record<string, number>>,
          label: "",
        };
        for (const backend of ["native", "tfjs-webgpu"]) {
          const c = compareCurve(backend, curve, x, exact(curve));
          for (const kind of ["value", "gradient"] as const) {
            assert.strictEqual(c[kind].maxUlp, 0, `${backend} ${op} ${kind}`);
            assert.deepStrictEqual([
              c[kind].deviations,
              c[kind].waived,
              c[kind].waivers,
            ], [[], [], []]);
          }
        }
      }
    },
  );
  await t.step(
    "ULPs against the rounded reference, |Δ| against the float64 one",
    () => {
      const curve: Curve = { op: "sigmoid", params: {}, label: "" };
      const got = exact(curve);
      const i = 100;
      got.value[i] = nextFloat32(got.value[i]!, true);
      const c = compareCurve("native", curve, x, got);
      assert.strictEqual(c.value.maxUlp, 1);
      const want = referenceValues(curve, x).value[i]!;
      assert.ok(c.value.maxAbs >= Math.abs(got.value[i]! - want));
      assert.deepStrictEqual(
        c.value.deviations,
        [],
        "1 ULP is native's tolerance",
      );
      got.value[i] = nextFloat32(got.value[i]!, true);
      assert.deepStrictEqual(
        compareCurve("native", curve, x, got).value.deviations,
        [i],
      );
      assert.deepStrictEqual(
        compareCurve("tfjs-cpu", curve, x, got).value.deviations,
        [],
        "8 ULP on tfjs-cpu",
      );
    },
  );
  await t.step(
    "a waived check makes a deviation waived, with the suite's reason",
    () => {
      // tfjs's hardTanh'(−1) is 1 (ClipByValue's gradient), not the left-hand 0.
      const curve: Curve = { op: "hardTanh", params: {}, label: "" };
      const got = exact(curve);
      const at = x.indexOf(-1);
      got.gradient[at] = 1;
      const tfjs = compareCurve("tfjs-wasm", curve, x, got).gradient;
      assert.deepStrictEqual([tfjs.deviations, tfjs.waived], [[], [at]]);
      assert.strictEqual(tfjs.waivers.length, 1);
      const waiver = waivers.find((w) =>
        w.backend === "tfjs-wasm" && w.op === "hardTanh" && w.check === "kink"
      );
      assert.deepStrictEqual(tfjs.waivers[0], {
        check: "kink",
        reason: waiver!.reason,
        ...(waiver!.source ? { source: waiver!.source } : {}),
      });
      const native = compareCurve("native", curve, x, got).gradient;
      assert.deepStrictEqual(
        [native.deviations, native.waived, native.waivers],
        [[at], [], []],
      );
    },
  );
  await t.step(
    "off a kink the derivative check applies, not the kink waiver",
    () => {
      const curve: Curve = { op: "hardTanh", params: {}, label: "" };
      const got = exact(curve);
      const at = x.indexOf(Math.fround(-1.5));
      got.gradient[at] = 1;
      assert.deepStrictEqual(
        compareCurve("tfjs-wasm", curve, x, got).gradient.deviations,
        [at],
      );
    },
  );
  await t.step("waivers match on the parameters they name", () => {
    // swish β = 10 values are waived on tfjs; a hand-made error in sigmoid is not.
    const swish10: Curve = { op: "swish", params: { beta: 10 }, label: "" };
    const got = exact(swish10);
    got.value[10] = got.value[10]! + 1;
    const c = compareCurve("tfjs-cpu", swish10, x, got).value;
    const waived = waivers.some((w) =>
      w.backend === "tfjs-cpu" && w.op === "swish" && w.check === "values" &&
      (w.params === undefined || w.params.some((p) => p.beta === 10))
    );
    assert.deepStrictEqual(c.waived.length > 0, waived);
    assert.deepStrictEqual(c.deviations.length > 0, !waived);
  });
  await t.step(
    "NaN against a number is a deviation; lengths must match",
    () => {
      const curve: Curve = { op: "relu", params: {}, label: "" };
      const got = exact(curve);
      got.value[3] = NaN;
      const c = compareCurve("native", curve, x, got).value;
      assert.deepStrictEqual(c.deviations, [3]);
      assert.strictEqual(c.maxUlp, Infinity);
      assert.strictEqual(c.maxAbs, Infinity);
      assert.throws(
        () =>
          compareCurve("native", curve, x, { value: f32(1), gradient: f32(1) }),
        (e: unknown) =>
          e instanceof RangeError && /lengths differ/.test(e.message),
      );
    },
  );
});
