import assert from "node:assert";
import { main } from "./main.ts";
import { BufferedOutput } from "./output.ts";

/** The `$ deno task nonlin eval …` examples of the README's CLI section, with their output. */
function examples(): { args: string[]; output: string }[] {
  const readme = Deno.readTextFileSync(
    new URL("../../README.md", import.meta.url),
  );
  const section = readme.split("<!-- section:cli -->")[1]?.split(
    "<!-- /section:cli -->",
  )[0];
  assert.ok(section, "README has a cli section");
  const found = [];
  for (const [, block] of section.matchAll(/```\n([\s\S]*?)```/g)) {
    const [command = "", ...lines] = block!.split("\n");
    const match = /^\$ deno task nonlin (eval .*)$/.exec(command);
    if (match) {
      found.push({ args: match[1]!.split(/ +/), output: lines.join("\n") });
    }
  }
  return found;
}

Deno.test("README", async (t) => {
  await t.step(
    "the nonlin eval examples print what the README shows",
    async () => {
      const all = examples();
      assert.ok(all.length >= 4, `found ${all.length} examples`);
      for (const { args, output } of all) {
        const out = new BufferedOutput();
        const status = await main(args, out);
        assert.strictEqual(
          status === 0 ? out.stdout : out.stderr,
          output,
          args.join(" "),
        );
      }
    },
  );
});
