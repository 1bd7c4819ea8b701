import assert from "node:assert";
import { type OpName, opNames, ops, type OpSpec } from "./catalog.ts";
import type { ParamSpec } from "./params.ts";
import { resolveParams } from "./resolve.ts";

function spec(name: OpName): OpSpec {
  return ops[name] as unknown as OpSpec;
}

/** Every problem with an op's test and demo knowledge, as messages. */
function knowledgeProblems(s: OpSpec, names: readonly string[]): string[] {
  const problems: string[] = [];
  const params = Object.entries(s.params) as [string, ParamSpec][];
  for (const [name, p] of params) {
    const required = !("default" in p);
    if (required && !(name in s.example)) {
      problems.push(`${s.name}: no example value for required ${name}`);
    }
    if (!required && name in s.example) {
      problems.push(`${s.name}: example gives ${name}, which has a default`);
    }
    if (p.kind === "choice") {
      for (const choice of p.choices) {
        const tested = choice === p.default ||
          s.edges.some((e) => e[name] === choice);
        if (!tested) problems.push(`${s.name}: ${name} = ${choice} untested`);
      }
    }
  }
  for (const set of [s.example, ...s.edges, ...s.curves]) {
    try {
      resolveParams(s.name, { ...s.example, ...set });
    } catch (error) {
      problems.push(`${s.name}: ${(error as Error).message}`);
    }
  }
  const parent = s.book.parent;
  if (parent !== undefined && !names.includes(parent)) {
    problems.push(`${s.name}: book parent ${parent} is not an op`);
  }
  return problems;
}

Deno.test("ops: test and demo knowledge", async (t) => {
  await t.step("every entry's example, edges and curves are valid", () => {
    for (const name of opNames) {
      assert.deepStrictEqual(knowledgeProblems(spec(name), opNames), []);
    }
  });
  await t.step("the check catches a broken entry (fixture)", () => {
    const broken: OpSpec = {
      ...spec("prelu"),
      example: {},
      edges: [{ alpha: [Number.NaN] }],
      book: { part: "§5.1", parent: "rectifier" },
    };
    const problems = knowledgeProblems(broken, opNames).join("\n");
    assert.match(problems, /no example value for required alpha/);
    assert.match(problems, /element 0 is NaN/);
    assert.match(problems, /book parent rectifier is not an op/);
    const gelu: OpSpec = { ...spec("gelu"), edges: [] };
    assert.match(knowledgeProblems(gelu, opNames)[0]!, /tanh untested/);
  });
  await t.step("prelu's example α is PyTorch's nn.PReLU initial value", () => {
    assert.deepStrictEqual(ops.prelu.example, { alpha: 0.25 });
  });
  await t.step("§5.1 of the book: ReLU, pReLU under it, sigmoid, tanh", () => {
    const part = (p: string) => opNames.filter((n) => spec(n).book.part === p);
    assert.deepStrictEqual(part("§5.1"), ["relu", "prelu", "sigmoid", "tanh"]);
    assert.deepStrictEqual(part("next"), ["gelu", "swish"]);
    assert.strictEqual(ops.prelu.book.parent, "relu");
  });
});
