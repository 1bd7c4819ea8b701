import assert from "node:assert";
import { opNames, ops, resolveParams } from "@nonlin/core";
import { bookSections } from "./sections.ts";

Deno.test("bookSections()", async (t) => {
  const sections = bookSections();

  await t.step("every catalog op exactly once", () => {
    assert.deepStrictEqual(
      [...sections.map((s) => s.op)].sort(),
      [...opNames].sort(),
    );
    assert.strictEqual(
      new Set(sections.map((s) => s.id)).size,
      sections.length,
    );
  });
  await t.step(
    "the book's order first: ReLU with pReLU, sigmoid, tanh, then GELU and Swish",
    () => {
      assert.deepStrictEqual(sections.slice(0, 6).map((s) => s.op), [
        "relu",
        "prelu",
        "sigmoid",
        "tanh",
        "gelu",
        "swish",
      ]);
      assert.deepStrictEqual(
        sections.filter((s) => s.inBook).map((s) => s.op),
        ["relu", "prelu", "sigmoid", "tanh"],
      );
      assert.strictEqual(
        sections.find((s) => s.op === "prelu")?.parent,
        "relu",
      );
      const rest = sections.slice(6).map((s) => s.op);
      assert.deepStrictEqual(
        rest,
        opNames.filter((op) => rest.includes(op)),
        "the rest in catalog order",
      );
    },
  );
  await t.step("formula, derivative and paper come from the catalog", () => {
    for (const s of sections) {
      assert.strictEqual(s.tex, ops[s.op].tex);
      assert.strictEqual(s.formula, ops[s.op].formula);
      assert.strictEqual(s.derivative, ops[s.op].derivative);
      assert.strictEqual(s.title, ops[s.op].title);
    }
  });
  await t.step(
    "curves: defaults first, every choice, swish's β = 0.5 and 10, pReLU with α",
    () => {
      const labels = (op: string) =>
        sections.find((s) => s.op === op)!.curves.map((c) => c.label);
      assert.deepStrictEqual(labels("relu"), ["default"]);
      assert.deepStrictEqual(labels("gelu"), [
        "default",
        'approximate = "tanh"',
      ]);
      assert.deepStrictEqual(labels("swish"), [
        "default",
        "beta = 0.5",
        "beta = 10",
      ]);
      assert.deepStrictEqual(labels("prelu"), ["alpha = 0.25"]);
    },
  );
  await t.step("every curve's parameters are valid for its op", () => {
    for (const s of sections) {
      assert.ok(s.curves.length > 0, s.op);
      for (const c of s.curves) {
        assert.strictEqual(c.op, s.op);
        assert.doesNotThrow(
          () => resolveParams(c.op, c.params),
          `${c.op} ${c.label}`,
        );
      }
    }
  });
});
