import assert from "node:assert";
import { opNames, ops } from "./catalog.ts";
import { paramSetsOf } from "./param_sets.ts";
import { resolveParams } from "./resolve.ts";

Deno.test("paramSetsOf()", async (t) => {
  await t.step("the example first, then every edge set over it", () => {
    for (const op of opNames) {
      const sets = paramSetsOf(op);
      assert.deepStrictEqual(sets[0], ops[op].example, op);
      for (const edge of ops[op].edges) {
        const key = (s: object) =>
          JSON.stringify(resolveParams(op, { ...ops[op].example, ...s }));
        assert.ok(
          sets.some((s) => key(s) === key(edge)),
          `${op} ${JSON.stringify(edge)}`,
        );
      }
      for (const s of sets) resolveParams(op, s);
    }
  });
  await t.step("threshold's edges keep the required parameters", () => {
    assert.deepStrictEqual(paramSetsOf("threshold"), [
      { threshold: 1, value: -1 },
      ...ops.threshold.edges,
    ]);
  });
  await t.step("scalarOnly leaves out prelu's per-channel α", () => {
    const all = paramSetsOf("prelu");
    const scalar = paramSetsOf("prelu", { scalarOnly: true });
    assert.ok(all.some((s) => Array.isArray(s.alpha)));
    assert.ok(scalar.length >= 1 && scalar.length < all.length);
    assert.ok(scalar.every((s) => typeof s.alpha === "number"));
  });
  await t.step("a set that resolves to the defaults is given once", () => {
    const sets = paramSetsOf("gelu");
    assert.strictEqual(
      new Set(sets.map((s) => JSON.stringify(s))).size,
      sets.length,
    );
  });
  await t.step("an unknown op is a TypeError", () => {
    assert.throws(() => paramSetsOf("nope" as never), TypeError);
  });
});
