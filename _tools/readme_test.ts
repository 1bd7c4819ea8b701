// The README must be true: every task it names exists (and every task is in
// its Development table), every file it links to exists, every anchor names
// a heading, every flag of a `deno task …` command it shows is one the
// command's --help documents, and the list of built-in backends it gives is
// the code's. Its TypeScript and JavaScript examples are run by `deno task
// test` itself (`deno test --doc` runs a Markdown file's ts and js blocks);
// the `nonlin eval` transcripts are held by packages/cli/readme_test.ts.

import assert from "node:assert";
import { existsSync } from "node:fs";
import {
  backendNames,
  backendVariantNames,
  peerBackendNames,
} from "@nonlin/backends";
import { BufferedOutput, main } from "@nonlin/cli";
import { allCases } from "@nonlin/conformance";

const root = new URL("../", import.meta.url);
const readme = Deno.readTextFileSync(new URL("README.md", root));
const denoJson = JSON.parse(
  Deno.readTextFileSync(new URL("deno.json", root)),
) as {
  tasks: Record<string, string>;
  workspace: string[];
  exclude?: string[];
};
const tasks = Object.keys(denoJson.tasks);

/** A `deno task` command line the README shows: the task and its arguments. */
interface TaskCommand {
  task: string;
  args: string[];
}

/** The `deno task …` (or `npx -y deno@2.9.6 task …`) commands in a README. */
function taskCommands(text: string): TaskCommand[] {
  const lines: string[] = [];
  // Shell blocks, with `\` continuations joined and comments dropped.
  for (const [, block] of text.matchAll(/```sh\n([\s\S]*?)```/g)) {
    lines.push(
      ...block!.replace(/\\\n\s*/g, " ").split("\n").map((l) =>
        l.replace(/\s#.*$/, "")
      ),
    );
  }
  // Inline code, which may wrap over lines.
  const prose = text.replace(/```[\s\S]*?```/g, "");
  for (const [, span] of prose.matchAll(/`([^`]*\btask\b[^`]*)`/g)) {
    lines.push(span!.replace(/\s+/g, " "));
  }
  const found: TaskCommand[] = [];
  for (const line of lines) {
    for (
      const [, task, rest] of line.matchAll(
        /\bdeno(?:@[\d.]+)? task ([\w:]+)((?: [^;|&()]*)?)/g,
      )
    ) {
      found.push({
        task: task!,
        args: rest!.trim().split(/ +/).filter(Boolean),
      });
    }
  }
  return found;
}

/** The tasks listed in the README's Development table. */
function tableTasks(text: string): string[] {
  const section = text.split("<!-- section:development -->")[1] ?? "";
  return [...section.matchAll(/^\| `deno task ([\w:]+)[^`]*` +\|/gm)].map((
    m,
  ) => m[1]!);
}

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to -. */
function slug(heading: string): string {
  return heading.toLowerCase().replace(/`/g, "").replace(
    /[^\p{L}\p{N} _-]/gu,
    "",
  )
    .replace(/ /g, "-");
}

/** Link targets that do not resolve: missing files and unknown anchors. */
function brokenLinks(
  text: string,
  exists: (path: string) => boolean,
): string[] {
  const anchors = new Set(
    [...text.matchAll(/^#{1,6} (.+)$/gm)].map((m) => slug(m[1]!)),
  );
  const broken: string[] = [];
  for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
    if (/^[a-z]+:/.test(target!)) continue; // https:, mailto:
    if (target!.startsWith("#")) {
      if (!anchors.has(target!.slice(1))) broken.push(target!);
    } else if (!exists(target!.split("#")[0]!)) {
      broken.push(target!);
    }
  }
  return broken;
}

/** The nonlin subcommand a task runs, where it is one. */
function subcommandOf(command: TaskCommand): string[] | undefined {
  if (command.task === "nonlin") {
    return command.args[0]?.startsWith("-") ? [] : command.args.slice(0, 1);
  }
  return ["conformance", "bench", "plot", "book"].includes(command.task)
    ? [command.task]
    : undefined;
}

/** The flags of README commands that their --help does not document. */
async function undocumentedFlags(text: string): Promise<string[]> {
  const helps = new Map<string, string>();
  const missing: string[] = [];
  for (const command of taskCommands(text)) {
    const sub = subcommandOf(command);
    if (sub === undefined) continue;
    const key = sub.join(" ");
    if (!helps.has(key)) {
      const out = new BufferedOutput();
      await main([...sub, "--help"], out);
      helps.set(key, out.stdout + out.stderr);
    }
    for (const arg of command.args) {
      const flag = /^(--?[\w-]+)/.exec(arg)?.[1];
      if (flag === undefined || /^-\d/.test(arg)) continue;
      if (!new RegExp(`(^|[\\s,])${flag}\\b`, "m").test(helps.get(key)!)) {
        missing.push(`deno task ${command.task} … ${flag}`);
      }
    }
  }
  return missing;
}

Deno.test("README", async (t) => {
  await t.step("every task it names exists in deno.json", () => {
    const named = new Set(taskCommands(readme).map((c) => c.task));
    assert.ok(named.size >= 8, `found ${[...named]}`);
    assert.deepStrictEqual([...named].filter((n) => !tasks.includes(n)), []);
  });

  await t.step("its Development table lists every task of deno.json", () => {
    assert.deepStrictEqual(
      tasks.filter((n) => !tableTasks(readme).includes(n)),
      [],
    );
    assert.deepStrictEqual(
      tableTasks(readme).filter((n) => !tasks.includes(n)),
      [],
    );
  });

  await t.step("every relative link and anchor resolves", () => {
    assert.deepStrictEqual(
      brokenLinks(readme, (path) => existsSync(new URL(path, root))),
      [],
    );
  });

  await t.step("every flag of a command it shows is documented", async () => {
    const shown = taskCommands(readme);
    assert.ok(
      shown.some((c) => c.task === "bench" && c.args.includes("--quick")) &&
        shown.some((c) => c.task === "nonlin" && c.args.includes("--json")),
      "finds the bench and nonlin eval commands",
    );
    assert.deepStrictEqual(await undocumentedFlags(readme), []);
  });

  await t.step("it lists the built-in backends as the code has them", () => {
    for (
      const [name, names] of [
        ["backendNames", backendNames],
        ["peerBackendNames", peerBackendNames],
        ["backendVariantNames", backendVariantNames],
      ] as const
    ) {
      const match = new RegExp(`\`${name}\`:\\s+([^;)]*)`).exec(readme);
      assert.ok(match, `README names ${name}`);
      const listed = [...match[1]!.matchAll(/`([\w-]+)`/g)].map((m) => m[1]);
      assert.deepStrictEqual(listed, [...names], name);
    }
  });

  await t.step("it counts the conformance cases as the suite has them", () => {
    const match = /`paramSetsOf` from `@nonlin\/core`, (\d+)\s+cases in all/
      .exec(readme);
    assert.ok(match, "README counts the conformance cases");
    assert.strictEqual(Number(match[1]), allCases().length);
  });

  await t.step(
    "every package has the license and publish.exclude it promises",
    () => {
      assert.match(readme, /field `license` in every package/);
      for (const member of denoJson.workspace) {
        const pkg = JSON.parse(
          Deno.readTextFileSync(new URL(`${member}/deno.json`, root)),
        ) as { license?: string; publish?: { exclude?: string[] } };
        assert.strictEqual(pkg.license, "MIT", member);
        for (const tests of ["**/*_test.ts", "**/*_bench.ts", "**/testdata/"]) {
          assert.ok(
            pkg.publish?.exclude?.includes(tests),
            `${member}: ${tests}`,
          );
        }
      }
    },
  );

  await t.step("deno task test runs its code examples", () => {
    // `deno test --doc` runs the ts and js blocks of the Markdown files it
    // finds, README.md among them unless it is excluded.
    assert.match(denoJson.tasks.test!, /^deno test .*--doc\b/);
    assert.ok(!(denoJson.exclude ?? []).some((e) => /README|\.md/.test(e)));
    const blocks = [...readme.matchAll(/^```(ts|js)$/gm)].length;
    assert.ok(blocks >= 10, `found ${blocks} ts and js blocks`);
  });

  await t.step("each check catches a README that is wrong", async () => {
    const wrong = [
      "## Usage",
      "```sh\ndeno task tset\nnpx -y deno@2.9.6 task bench --quikc\n```",
      "[missing](docs/no_such_file.md), [anchor](#usgae), [ok](#usage)",
      "<!-- section:development -->\n| `deno task test` | tests |",
    ].join("\n\n");
    assert.deepStrictEqual(
      taskCommands(wrong).map((c) => c.task).filter((n) => !tasks.includes(n)),
      ["tset"],
    );
    assert.ok(tasks.filter((n) => !tableTasks(wrong).includes(n)).length > 0);
    assert.deepStrictEqual(
      brokenLinks(wrong, (path) => existsSync(new URL(path, root))),
      ["docs/no_such_file.md", "#usgae"],
    );
    assert.deepStrictEqual(await undocumentedFlags(wrong), [
      "deno task bench … --quikc",
    ]);
  });
});
