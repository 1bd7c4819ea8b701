// deno-lint-ignore-file no-console
/**
 * `deno task check:npm`: what CI does to prove the npm build works where its
 * users are. Builds `@nonlin/core` and `@nonlin/native` for npm, packs them
 * with `npm pack`, installs the tarballs into an empty Node project (offline:
 * `@nonlin/native`'s dependency must come from the core tarball, not a
 * registry), runs the README's Node example there with `node`, and bundles
 * the README's browser examples (`main.js`, `worker.js`) from the installed
 * packages with `deno bundle --platform=browser`, runs `main.js`'s bundle
 * in Deno, then both in headless Chromium, plainly and cross-origin isolated
 * (`browser_npm.ts`; skipped with the reason where Chromium is missing,
 * unless `NONLIN_REQUIRE_CHROMIUM` asks for it). Exits non-zero,
 * naming the step, when any of it fails. Needs `node` and `npm` on PATH;
 * `NONLIN_NODE` names another Node command (CI sets `npx -y node@20` where
 * the distribution's Node is older than 20).
 *
 * @module
 */

import { dirname, join, resolve } from "node:path";
import { gelu, sigmoid } from "@nonlin/native";
import { buildNpm } from "./build_npm.ts";
import {
  bundleBrowserExamples,
  checkBrowserRun,
  runInBrowser,
} from "./browser_npm.ts";
import { chromium, needs } from "./requirements.ts";

const root = resolve(dirname(new URL(import.meta.url).pathname), "..");

/**
 * The code block that follows a `<!-- npm-example:NAME -->` marker in a
 * markdown text.
 *
 * @param markdown The README's text.
 * @param name The example's name (`node`, `browser`).
 * @returns The code inside the fence.
 * @throws {RangeError} When there is no such example.
 */
export function readmeExample(markdown: string, name: string): string {
  const marker = `<!-- npm-example:${name} -->`;
  const at = markdown.indexOf(marker);
  const fence = /```[a-z]*(?: ignore)?\n([\s\S]*?)\n```/.exec(
    at < 0 ? "" : markdown.slice(at + marker.length),
  );
  if (at < 0 || fence === null) {
    throw new RangeError(
      `No example "${name}" in the README: expected ${marker} and a code block after it`,
    );
  }
  return fence[1]!;
}

async function run(
  step: string,
  cmd: string,
  args: string[],
  cwd: string,
  options: { quiet?: boolean } = {},
): Promise<string> {
  const started = performance.now();
  const { code, stdout, stderr } = await new Deno.Command(cmd, {
    args,
    cwd,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const out = new TextDecoder().decode(stdout);
  const err = new TextDecoder().decode(stderr);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (code !== 0) {
    throw new Error(
      `${step} failed (exit ${code}): ${cmd} ${args.join(" ")}\n${out}${err}`,
    );
  }
  const shown = options.quiet ? "" : out.trim();
  console.log(
    `ok: ${step} (${seconds} s)${shown ? `\n${shown}` : ""}`,
  );
  return out;
}

if (import.meta.main) {
  const [node = "node", ...nodeArgs] = (Deno.env.get("NONLIN_NODE") ?? "node")
    .trim().split(/\s+/);
  const built = buildNpm();
  const readme = await Deno.readTextFile(join(root, "README.md"));
  const scratch = await Deno.makeTempDir({ prefix: "nonlin_npm_" });
  try {
    await run("node --version", node, [...nodeArgs, "--version"], scratch);
    const tarballs: string[] = [];
    for (const b of built) {
      const [packed] = JSON.parse(
        await run(
          `npm pack ${b.name}`,
          "npm",
          [
            "pack",
            "--json",
            "--pack-destination",
            scratch,
            b.dir,
          ],
          scratch,
          { quiet: true },
        ),
      ) as { filename: string }[];
      tarballs.push(`./${packed!.filename}`);
    }
    await Deno.writeTextFile(
      join(scratch, "package.json"),
      JSON.stringify({ name: "scratch", private: true, type: "module" }),
    );
    await run("npm install the tarballs", "npm", [
      "install",
      "--offline",
      "--no-audit",
      "--no-fund",
      ...tarballs,
    ], scratch);
    await Deno.writeTextFile(
      join(scratch, "example.mjs"),
      readmeExample(readme, "node"),
    );
    const printed = await run(
      "node example.mjs (the README's Node example)",
      node,
      [...nodeArgs, "example.mjs"],
      scratch,
    );
    // Node 20 has no navigator: the engine must still find the cores.
    const threads = Number(/(\d+) thread\(s\)/.exec(printed)?.[1]);
    if (navigator.hardwareConcurrency > 1 && !(threads > 1)) {
      throw new Error(
        `node example.mjs ran on ${threads} thread(s) with ${navigator.hardwareConcurrency} cores here: the engine did not find Node's cores`,
      );
    }
    const bundled = performance.now();
    await bundleBrowserExamples(scratch, {
      main: readmeExample(readme, "browser"),
      worker: readmeExample(readme, "browser-worker"),
    });
    console.log(
      `ok: deno bundle --platform=browser (the README's browser examples, main.js and worker.js) (${
        ((performance.now() - bundled) / 1000).toFixed(1)
      } s)`,
    );
    await run("the main.js bundle runs in Deno", Deno.execPath(), [
      "run",
      "--no-config",
      "bundle.js",
    ], scratch);
    const browser = await needs(chromium);
    if (browser.ignore) {
      console.log(
        `skipped: the browser examples in Chromium (${browser.missing})`,
      );
    } else {
      browser.assertPresent();
      const started = performance.now();
      const report = await runInBrowser(scratch, {
        chromium: Deno.env.get("NONLIN_CHROMIUM") ?? "/usr/bin/chromium",
      });
      checkBrowserRun(
        report,
        [...await sigmoid(await gelu([-2, -1, 0, 1, 2]))],
      );
      const last = report.isolated.rounds.at(-1)!;
      console.log(
        `ok: the browser examples in Chromium (${
          ((performance.now() - started) / 1000).toFixed(1)
        } s): plain page on 1 thread (${
          report.plain.rounds[0]!.threadsReason
        }); cross-origin-isolated page's worker on ${last.threads} threads, ${last.helperCalls} helper kernel calls, the same SHA-256 of y, dx and dα as on 1 thread`,
      );
    }
  } finally {
    await Deno.remove(scratch, { recursive: true });
  }
}
