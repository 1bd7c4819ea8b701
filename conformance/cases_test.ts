import assert from "node:assert";
import { opNames, ops } from "@nonlin/core";
import { allCases, casesOf, formatParam, referenceParams } from "./cases.ts";

Deno.test("casesOf()", async (t) => {
  await t.step("defaults first, then the catalog's edge sets", () => {
    for (const op of opNames) {
      const cases = casesOf(op);
      const first = cases[0]!.params;
      for (const [name, p] of Object.entries(ops[op].params)) {
        const want = "default" in p ? p.default : ops[op].example[name];
        assert.deepStrictEqual(first[name], want, `${op} ${name}`);
      }
      for (const edge of ops[op].edges) {
        assert.ok(
          cases.some((c) =>
            Object.entries(edge).every(([k, v]) =>
              JSON.stringify(c.params[k]) === JSON.stringify(v)
            )
          ),
          `${op} ${JSON.stringify(edge)}: no case`,
        );
      }
    }
    assert.deepStrictEqual(casesOf("leakyRelu").map((c) => c.params.alpha), [
      0.01,
      0,
      0.2,
      -0.5,
    ]);
    assert.deepStrictEqual(casesOf("swish").map((c) => c.params.beta), [
      1,
      0,
      0.5,
      1.702,
      2,
      10,
      -1,
    ]);
    assert.deepStrictEqual(casesOf("gelu").map((c) => c.params.approximate), [
      "none",
      "tanh",
    ]);
    assert.deepStrictEqual(
      casesOf("softplus").map((c) => [c.params.beta, c.params.threshold]),
      [[1, 20], [0.5, 20], [2, 20], [1, 5], [2, 5]],
    );
  });
  await t.step("prelu: a scalar α, a per-channel α, negative slopes", () => {
    const cases = casesOf("prelu");
    assert.strictEqual(cases[0]!.params.alpha, 0.25);
    assert.strictEqual(cases[0]!.channels, undefined);
    assert.strictEqual(cases[1]!.params.alpha, -0.5);
    assert.strictEqual(cases[1]!.channels, undefined);
    assert.strictEqual(cases[2]!.channels, 4);
    assert.ok((cases[3]!.params.alpha as number[]).every((a) => a < 0));
  });
  await t.step("every parameter filled in from the catalog", () => {
    for (const c of allCases()) {
      assert.deepStrictEqual(
        Object.keys(c.params).sort(),
        Object.keys(ops[c.op].params).sort(),
      );
    }
  });
});

Deno.test("allCases()", async (t) => {
  await t.step("every op of the catalog, in catalog order, ids unique", () => {
    const cases = allCases();
    assert.deepStrictEqual([...new Set(cases.map((c) => c.op))], opNames);
    assert.strictEqual(new Set(cases.map((c) => c.id)).size, cases.length);
  });
  await t.step("a subset of ops", () => {
    assert.deepStrictEqual(allCases(["relu", "tanh"]).map((c) => c.id), [
      "relu",
      "tanh",
    ]);
  });
});

Deno.test("referenceParams()", () => {
  const perChannel = casesOf("prelu")[2]!;
  const at = referenceParams(perChannel);
  assert.strictEqual(at(0).alpha, Math.fround(0.1));
  assert.strictEqual(at(5).alpha, 0.25);
  assert.strictEqual(referenceParams(casesOf("elu")[1]!)(7).alpha, 0.5);
});

Deno.test("formatParam()", () => {
  assert.strictEqual(formatParam([1, -0.5]), "[1,-0.5]");
  assert.strictEqual(formatParam("tanh"), "tanh");
});
