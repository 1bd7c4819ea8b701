import assert from "node:assert";
import { join } from "node:path";
import {
  findCycles,
  importSpecifiers,
  packageImports,
} from "./package_deps.ts";

const root = new URL("..", import.meta.url).pathname;

Deno.test("importSpecifiers()", () => {
  const source = [
    'import { a } from "@x/a";',
    'export * from "./b.ts";',
    'import type {\n  C,\n} from "@x/c/sub";',
    'const d = await import("@x/d");',
    'import "./side_effect.ts";',
    ' * import { e } from "@x/e"; // in a doc example, which --doc runs',
  ].join("\n");
  assert.deepStrictEqual(importSpecifiers(source), [
    "@x/a",
    "./b.ts",
    "@x/c/sub",
    "@x/d",
    "./side_effect.ts",
    "@x/e",
  ]);
});

Deno.test("findCycles()", async (t) => {
  await t.step("an acyclic graph has none", () => {
    assert.deepStrictEqual(
      findCycles([["a", "b"], ["b", "c"], ["a", "c"]]),
      [],
    );
  });
  await t.step("names each cycle once, as a closed path", () => {
    assert.deepStrictEqual(
      findCycles([["a", "b"], ["b", "c"], ["c", "a"], ["c", "d"], ["d", "d"]]),
      [["a", "b", "c", "a"], ["d", "d"]],
    );
  });
});

Deno.test("package dependencies", async (t) => {
  await t.step(
    "no circular dependency among the workspace's packages",
    async () => {
      const { imports } = await packageImports(root);
      assert.ok(imports.length > 0, "found no imports at all");
      assert.deepStrictEqual(
        findCycles(imports.map((i) => [i.from, i.to] as const)),
        [],
      );
    },
  );

  await t.step("no relative import leaves a package", async () => {
    const { crossRelative } = await packageImports(root);
    assert.deepStrictEqual(crossRelative, []);
  });

  await t.step("core imports nothing of the project", async () => {
    const { imports } = await packageImports(root);
    assert.deepStrictEqual(
      imports.filter((i) => i.from === "@nonlin/core"),
      [],
    );
    assert.deepStrictEqual(
      [
        ...new Set(
          imports.filter((i) => i.from === "@nonlin/native").map((i) => i.to),
        ),
      ],
      ["@nonlin/core"],
    );
  });

  await t.step(
    "a cycle in a workspace is found, through names and paths",
    async () => {
      // A deliberately broken workspace: a imports b by name, b imports a by a
      // relative path; c imports a and is not part of the cycle.
      const dir = await Deno.makeTempDir({ prefix: "nonlin_cycle_" });
      try {
        const write = async (path: string, text: string) => {
          await Deno.mkdir(join(dir, path, ".."), { recursive: true });
          await Deno.writeTextFile(join(dir, path), text);
        };
        await write(
          "deno.json",
          JSON.stringify({ workspace: ["./a", "./b", "./c"] }),
        );
        for (const p of ["a", "b", "c"]) {
          await write(`${p}/deno.json`, JSON.stringify({ name: `@t/${p}` }));
        }
        await write("a/mod.ts", 'export * from "@t/b";');
        await write("b/mod.ts", 'export { x } from "../a/x.ts";');
        await write("c/mod.ts", 'import "@t/a";');
        // Tests are left out, as deno publish leaves them out.
        await write("c/mod_test.ts", 'import "@t/c/../b";');
        const { imports, crossRelative } = await packageImports(dir);
        assert.deepStrictEqual(
          findCycles(imports.map((i) => [i.from, i.to] as const)),
          [["@t/a", "@t/b", "@t/a"]],
        );
        assert.deepStrictEqual(crossRelative, [{
          from: "@t/b",
          to: "@t/a",
          file: join("b", "mod.ts"),
          specifier: "../a/x.ts",
        }]);
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    },
  );
});

/** The `npm:` modules a module pulls in, as `deno info --json` lists them. */
async function npmModules(path: string): Promise<string[]> {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", join(root, path)],
    cwd: root,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.strictEqual(code, 0, new TextDecoder().decode(stderr));
  const info = JSON.parse(new TextDecoder().decode(stdout)) as {
    modules: { specifier: string; kind?: string }[];
  };
  return info.modules.filter((m) =>
    m.specifier.startsWith("npm:") || m.kind === "npm"
  ).map((m) => m.specifier);
}

Deno.test("deno info: core and native pull in no npm module", async (t) => {
  for (
    const path of [
      "packages/core/mod.ts",
      "adapters/native/mod.ts",
      "adapters/native/js.ts",
    ]
  ) {
    await t.step(path, async () => {
      assert.deepStrictEqual(await npmModules(path), []);
    });
  }
  await t.step("the check sees npm modules where there are some", async () => {
    // @nonlin/backends imports the tfjs adapters on demand.
    const found = await npmModules("packages/backends/mod.ts");
    assert.ok(
      found.some((s) => s.includes("@tensorflow/tfjs")),
      found.join(", "),
    );
  });
});

Deno.test("deno task check:docs lints every package entry point", async () => {
  const config = JSON.parse(
    await Deno.readTextFile(join(root, "deno.json")),
  ) as { workspace: string[]; tasks: Record<string, string> };
  const linted = new Set(
    config.tasks["check:docs"]!.split(/\s+/).filter((a) => a.endsWith(".ts")),
  );
  const entries: string[] = [];
  for (const member of config.workspace) {
    const { exports } = JSON.parse(
      await Deno.readTextFile(join(root, member, "deno.json")),
    ) as { exports: string | Record<string, string> };
    for (
      const e of Object.values(
        typeof exports === "string" ? { ".": exports } : exports,
      )
    ) {
      entries.push(join(member, e));
    }
  }
  assert.deepStrictEqual(
    entries.filter((e) => !linted.has(e)),
    [],
    "entry points missing from the check:docs task",
  );
});
