import assert from "node:assert";
import { bookGrid, type OpName, opNames, ops } from "@nonlin/core";
import { valueAndGrad } from "@nonlin/native";
import { allCases, referenceParams } from "./cases.ts";
import { expansions, type Variable } from "./expansions.ts";

Deno.test("expansions", async (t) => {
  await t.step("one composition per catalog op", () => {
    assert.deepStrictEqual(Object.keys(expansions).sort(), [...opNames].sort());
  });

  await t.step(
    "each composition is its op: value and derivative on the book's grid",
    () => {
      const x = bookGrid();
      for (const c of allCases()) {
        if (c.channels !== undefined) continue; // a per-channel α is exercised by the suite itself
        const numbers = Object.fromEntries(Object.entries(c.params)) as Record<
          string,
          number | string
        >;
        const where = (predicate: (x: number, i: number) => boolean) =>
          x.map((v, i) => (predicate(v, i) ? 1 : 0));
        const f = (v: Variable) =>
          expansions[c.op as OpName](
            v,
            numbers,
            where,
            (name) => numbers[name] as number,
          );
        const { value, grad } = valueAndGrad(f as never)(x) as unknown as {
          value: Float32Array;
          grad: Float32Array;
        };
        const at = referenceParams(c);
        for (let i = 0; i < x.length; i++) {
          const want = ops[c.op].f(x[i]!, at(i));
          const slope = ops[c.op].dfdx(x[i]!, at(i));
          const close = (got: number, w: number) =>
            Math.abs(got - w) <= 1e-6 * Math.max(1, Math.abs(w));
          assert.ok(
            close(value[i]!, want),
            `${c.id} f(${x[i]}) = ${value[i]}, want ${want}`,
          );
          assert.ok(
            close(grad[i]!, slope),
            `${c.id} f'(${x[i]}) = ${grad[i]}, want ${slope}`,
          );
        }
      }
    },
  );
});
