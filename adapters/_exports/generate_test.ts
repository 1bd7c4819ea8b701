import assert from "node:assert";
import { opNames } from "@nonlin/core";
import { BEGIN, blockOf, END, targets, withBlock } from "./generate.ts";

const root = new URL("../../", import.meta.url);

/** The files whose generated block differs from what the catalog gives. */
async function stale(
  read: (file: string) => Promise<string>,
): Promise<string[]> {
  const out: string[] = [];
  for (const target of targets) {
    const text = await read(target.file);
    if (withBlock(text, blockOf(target), target.file) !== text) {
      out.push(target.file);
    }
  }
  return out;
}

Deno.test("generated per-op exports", async (t) => {
  await t.step("every adapter's block is what the catalog gives", async () => {
    const files = await stale((f) => Deno.readTextFile(new URL(f, root)));
    assert.deepStrictEqual(
      files,
      [],
      "run `deno task generate` after changing the catalog",
    );
  });
  await t.step("the check catches a stale block (fixture)", async () => {
    const files = await stale(async (f) =>
      (await Deno.readTextFile(new URL(f, root))).replace(
        /export const relu\b/,
        "export const relu_",
      )
    );
    assert.deepStrictEqual(files, targets.map((t) => t.file));
  });
  await t.step("each block exports every op once, with its doc", () => {
    for (const target of targets) {
      const block = blockOf(target);
      const exported = [...block.matchAll(/^export const (\w+):/gm)].map((m) =>
        m[1]
      );
      assert.deepStrictEqual(exported, [...opNames]);
      assert.ok(block.startsWith(BEGIN) && block.endsWith(END));
      assert.match(block, /\* Parameter alpha, required \(slope for x ≤ 0/);
    }
  });
  await t.step("a file must hold exactly one block", () => {
    assert.throws(() => withBlock("const a = 1;\n", "", "a.ts"), RangeError);
    assert.throws(
      () => withBlock(`${BEGIN}\n${END}\n${BEGIN}\n${END}\n`, "", "b.ts"),
      /b\.ts must hold one generated block/,
    );
  });
});
