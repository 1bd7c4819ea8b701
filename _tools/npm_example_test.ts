import assert from "node:assert";
import { readmeExample } from "./npm_example.ts";
import { rewriteTsSpecifiers } from "./build_npm.ts";

Deno.test("readmeExample()", async (t) => {
  const readme = await Deno.readTextFile(
    new URL("../README.md", import.meta.url),
  );
  await t.step("finds the README's Node and browser examples", () => {
    assert.match(readmeExample(readme, "node"), /from "@nonlin\/native"/);
    assert.match(readmeExample(readme, "browser"), /from "@nonlin\/native"/);
  });
  await t.step("takes the first code block after the marker", () => {
    const md =
      "```js\nnot()\n```\n<!-- npm-example:x -->\n\ntext\n\n```js\nyes();\n```\n```js\nno()\n```";
    assert.strictEqual(readmeExample(md, "x"), "yes();");
  });
  await t.step("a missing example is a RangeError naming it", () => {
    assert.throws(() => readmeExample("```js\nx\n```", "node"), {
      name: "RangeError",
      message: /No example "node" in the README/,
    });
    assert.throws(
      () => readmeExample("<!-- npm-example:node -->\nno code", "node"),
      RangeError,
    );
  });
});

Deno.test("rewriteTsSpecifiers()", () => {
  assert.strictEqual(
    rewriteTsSpecifiers(
      [
        'import { a } from "./a.ts";',
        "export * from '../b/c.ts';",
        'type T = import("./t.ts").T;',
        'import type { X } from "@nonlin/core";',
        'import { y } from "./y.tsx";',
        '/** "./doc.ts" in prose stays */',
      ].join("\n"),
    ),
    [
      'import { a } from "./a.js";',
      "export * from '../b/c.js';",
      'type T = import("./t.js").T;',
      'import type { X } from "@nonlin/core";',
      'import { y } from "./y.tsx";',
      '/** "./doc.ts" in prose stays */',
    ].join("\n"),
  );
});
