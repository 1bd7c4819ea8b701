import assert from "node:assert";
import { opNames, ops } from "./catalog.ts";
import type { Tensor } from "./contract.ts";
import { getOp, isTensor, resolveParams } from "./resolve.ts";
import { fakeTensor as fakeOf } from "./testdata/tensor.ts";

/**
 * Errors read as the style asks: sentence case (an op's name, as written in
 * code, may open the sentence), no trailing period.
 */
function assertWellFormed(error: unknown): void {
  assert.ok(error instanceof Error);
  const first = error.message.split(" ")[0]!;
  assert.ok(
    /^[A-Z]/.test(first) || (opNames as string[]).includes(first),
    error.message,
  );
  assert.doesNotMatch(error.message, /\.$/);
}

function throwsWith(
  fn: () => unknown,
  type: typeof TypeError | typeof RangeError,
  ...parts: string[]
): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof type, `${error} is not a ${type.name}`);
    assertWellFormed(error);
    for (const part of parts) {
      assert.ok(
        (error as Error).message.includes(part),
        `"${(error as Error).message}" lacks "${part}"`,
      );
    }
    return true;
  });
}

const fakeTensor: Tensor = fakeOf("fake");

Deno.test("getOp()", async (t) => {
  await t.step("finds every catalog op under its name", () => {
    for (const name of opNames) assert.strictEqual(getOp(name), ops[name]);
  });

  await t.step("an unknown op is a RangeError that lists every op", () => {
    throwsWith(() => getOp("gelux"), RangeError, "gelux", ...opNames);
    throwsWith(() => getOp("Relu"), RangeError, "Relu");
    throwsWith(() => getOp(""), RangeError);
  });

  await t.step("inherited property names are not ops", () => {
    for (
      const name of ["constructor", "toString", "__proto__", "hasOwnProperty"]
    ) {
      throwsWith(() => getOp(name), RangeError, name);
    }
  });

  await t.step("a name that is not a string is a TypeError", () => {
    throwsWith(() => getOp(1), TypeError, "number 1");
    throwsWith(() => getOp(undefined), TypeError);
    throwsWith(() => getOp(null), TypeError, "null");
    throwsWith(() => getOp(ops.relu), TypeError);
  });
});

Deno.test("isTensor()", async (t) => {
  await t.step("recognises the contract's tensor shape", () => {
    assert.ok(isTensor(fakeTensor));
  });

  await t.step("rejects host data and everything else", () => {
    for (
      const v of [new Float32Array(2), [1, 2], 1, "x", null, undefined, {}, {
        shape: [1],
      }]
    ) {
      assert.ok(!isTensor(v), String(v));
    }
  });
});

Deno.test("resolveParams()", async (t) => {
  await t.step("fills in every default", () => {
    for (const name of opNames) {
      // A parameter without a default (prelu's α, threshold's two) takes
      // the catalog's example; without it, resolving is a TypeError.
      const example = ops[name].example as Record<string, number>;
      const resolved = resolveParams(name, example);
      const specs = Object.entries(ops[name].params);
      assert.strictEqual(Object.keys(resolved).length, specs.length, name);
      for (const [k, p] of specs) {
        const want = "default" in p ? p.default : example[k];
        assert.notStrictEqual(want, undefined, `${name} ${k}`);
        assert.strictEqual(resolved[k], want, `${name} ${k}`);
        if (!("default" in p)) {
          throwsWith(
            () => resolveParams(name, { ...example, [k]: undefined }),
            TypeError,
            `${name}${k === name ? " op's" : ""} ${k} is required`,
          );
        }
      }
    }
    assert.deepStrictEqual(resolveParams("softplus", { beta: 2 }), {
      beta: 2,
      threshold: 20,
    });
    assert.deepStrictEqual(resolveParams("hardTanh", { max: 3 }), {
      min: -1,
      max: 3,
    });
  });

  await t.step(
    "keeps valid values, including range ends that are closed",
    () => {
      assert.deepStrictEqual(resolveParams("elu", { alpha: 0 }), { alpha: 0 });
      assert.deepStrictEqual(resolveParams("swish", { beta: 0 }), { beta: 0 });
      assert.deepStrictEqual(resolveParams("swish", { beta: -2 }), {
        beta: -2,
      });
      assert.deepStrictEqual(resolveParams("leakyRelu", { alpha: -0.5 }), {
        alpha: -0.5,
      });
      assert.deepStrictEqual(resolveParams("softplus", { beta: 5e-324 }), {
        beta: 5e-324,
        threshold: 20,
      });
    },
  );

  await t.step(
    "out of range is a RangeError naming op, parameter, range and value",
    () => {
      throwsWith(
        () => resolveParams("softplus", { beta: 0 }),
        RangeError,
        "softplus beta",
        "(0, ∞)",
        "got 0",
      );
      throwsWith(
        () => resolveParams("softplus", { beta: -1 }),
        RangeError,
        "got -1",
      );
      throwsWith(
        () => resolveParams("celu", { alpha: 0 }),
        RangeError,
        "celu alpha",
        "(0, ∞)",
      );
      throwsWith(
        () => resolveParams("elu", { alpha: -0.1 }),
        RangeError,
        "elu alpha",
        "[0, ∞)",
      );
    },
  );

  await t.step("NaN and ±∞ are never valid", () => {
    for (const name of opNames) {
      for (const [k, p] of Object.entries(ops[name].params)) {
        if (p.kind === "choice") continue;
        const base = ops[name].example;
        for (const bad of [NaN, Infinity, -Infinity]) {
          throwsWith(
            () => resolveParams(name, { ...base, [k]: bad }),
            RangeError,
            `${name}${k === name ? " op's" : ""} ${k}`,
            String(bad),
          );
        }
      }
    }
  });

  await t.step("hardTanh needs min < max", () => {
    throwsWith(
      () => resolveParams("hardTanh", { min: 1, max: 1 }),
      RangeError,
      "min",
      "max",
    );
    throwsWith(
      () => resolveParams("hardTanh", { min: 2 }),
      RangeError,
      "min = 2, max = 1",
    );
    assert.deepStrictEqual(resolveParams("hardTanh", { min: 0.5, max: 0.75 }), {
      min: 0.5,
      max: 0.75,
    });
  });

  await t.step(
    "an unknown parameter is a TypeError listing the valid ones",
    () => {
      throwsWith(
        () => resolveParams("softplus", { beta: 1, alpha: 1 }),
        TypeError,
        '"alpha"',
        "beta, threshold",
      );
      throwsWith(
        () => resolveParams("relu", { alpha: 1 }),
        TypeError,
        "it takes none",
      );
      throwsWith(
        () => resolveParams("gelu", { approx: "tanh" }),
        TypeError,
        "approximate",
      );
      // An undefined value is no value at all, as with optional fields.
      assert.deepStrictEqual(resolveParams("relu", { alpha: undefined }), {});
    },
  );

  await t.step("a value of the wrong type is a TypeError", () => {
    throwsWith(
      () => resolveParams("softplus", { beta: "2" }),
      TypeError,
      "softplus beta",
      "number",
    );
    throwsWith(() => resolveParams("elu", { alpha: null }), TypeError, "null");
    throwsWith(() => resolveParams("elu", { alpha: [1] }), TypeError);
    throwsWith(
      () => resolveParams("gelu", { approximate: 1 }),
      TypeError,
      "gelu approximate",
      "string",
    );
    throwsWith(() => resolveParams("gelu", { approximate: true }), TypeError);
  });

  await t.step("gelu's approximate takes exactly its choices", () => {
    assert.deepStrictEqual(resolveParams("gelu"), { approximate: "none" });
    assert.deepStrictEqual(resolveParams("gelu", { approximate: "tanh" }), {
      approximate: "tanh",
    });
    throwsWith(
      () => resolveParams("gelu", { approximate: "erf" }),
      RangeError,
      '"none", "tanh"',
      'got "erf"',
    );
    throwsWith(
      () => resolveParams("gelu", { approximate: "Tanh" }),
      RangeError,
    );
  });

  await t.step("options that are not an object are a TypeError", () => {
    throwsWith(() => resolveParams("relu", null), TypeError, "relu", "null");
    throwsWith(() => resolveParams("relu", 3), TypeError, "number 3");
    throwsWith(() => resolveParams("relu", "beta=2"), TypeError);
  });

  await t.step("an unknown op is a RangeError", () => {
    throwsWith(() => resolveParams("nope"), RangeError, "nope", "relu");
  });

  await t.step(
    "prelu's α: required; a number, host data or a resident tensor",
    () => {
      throwsWith(
        () => resolveParams("prelu"),
        TypeError,
        "prelu alpha",
        "required",
      );
      assert.deepStrictEqual(resolveParams("prelu", { alpha: 0.25 }), {
        alpha: 0.25,
      });
      const host = resolveParams("prelu", { alpha: [0.1, -2, 0] });
      assert.deepStrictEqual(host.alpha, new Float32Array([0.1, -2, 0]));
      const f32 = new Float32Array([0.5]);
      assert.strictEqual(resolveParams("prelu", { alpha: f32 }).alpha, f32);
      assert.strictEqual(
        resolveParams("prelu", { alpha: fakeTensor }).alpha,
        fakeTensor,
      );
      assert.deepStrictEqual(
        resolveParams("prelu", { alpha: [] }).alpha,
        new Float32Array(0),
      );
    },
  );

  await t.step("prelu's α elements are checked like a number", () => {
    throwsWith(
      () => resolveParams("prelu", { alpha: [0.1, NaN] }),
      RangeError,
      "element 1",
      "NaN",
    );
    throwsWith(
      () => resolveParams("prelu", { alpha: new Float32Array([Infinity]) }),
      RangeError,
      "element 0",
    );
    throwsWith(
      () => resolveParams("prelu", { alpha: [0.1, "x"] }),
      TypeError,
      "element 1",
    );
    throwsWith(
      () => resolveParams("prelu", { alpha: new Float64Array(2) }),
      TypeError,
      "Float64Array",
    );
    throwsWith(() => resolveParams("prelu", { alpha: "0.1" }), TypeError);
  });
});
