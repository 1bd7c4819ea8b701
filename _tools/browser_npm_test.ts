// The README's browser examples, bundled from the npm build of
// @nonlin/native (unpacked: node_modules/@nonlin/* point at the built
// folders; `deno task check:npm` does the same from the packed tarballs),
// in headless Chromium: a plain page runs on one thread and says why; the
// same page served cross-origin isolated runs its worker on helper threads
// with the same bits. NONLIN_BROWSER_PERTURB=1 flips one bit on the helper
// threads' side, and the test must then fail.

import assert from "node:assert";
import { join } from "node:path";
import { gelu, sigmoid } from "@nonlin/native";
import { buildNpm } from "./build_npm.ts";
import { readmeExample } from "./npm_example.ts";
import {
  bundleBrowserExamples,
  checkBrowserRun,
  runInBrowser,
} from "./browser_npm.ts";
import { chromium, needs } from "./requirements.ts";

const browserNeed = await needs(chromium);

/** What the README's main.js must show: sigmoid(gelu(x)) as Deno computes it. */
async function mainExampleValues(): Promise<number[]> {
  return [...await sigmoid(await gelu([-2, -1, 0, 1, 2]))];
}

Deno.test({
  name: browserNeed.name("runInBrowser()"),
  ignore: browserNeed.ignore,
}, async (t) => {
  browserNeed.assertPresent();
  const readme = await Deno.readTextFile(
    new URL("../README.md", import.meta.url),
  );
  const dir = await Deno.makeTempDir({ prefix: "nonlin_browser_" });
  try {
    await t.step(
      "bundles the README's examples from the npm build",
      async () => {
        buildNpm(join(dir, "npm"));
        await Deno.mkdir(join(dir, "node_modules/@nonlin"), {
          recursive: true,
        });
        for (const name of ["core", "native"]) {
          await Deno.symlink(
            join(dir, "npm", name),
            join(dir, "node_modules/@nonlin", name),
          );
        }
        await bundleBrowserExamples(dir, {
          main: readmeExample(readme, "browser"),
          worker: readmeExample(readme, "browser-worker"),
        });
      },
    );
    const perturb = Deno.env.get("NONLIN_BROWSER_PERTURB") === "1";
    const run = await runInBrowser(dir, {
      chromium: Deno.env.get("NONLIN_CHROMIUM") ?? "/usr/bin/chromium",
      perturb,
    });
    const values = await mainExampleValues();
    await t.step("plain page: one thread, the reason, right values", () => {
      assert.strictEqual(run.plain.isolated, false);
      assert.match(
        run.plain.mainText,
        /^native: .*; 1 thread\(s\) the page is not cross-origin isolated, so there is no SharedArrayBuffer \(serve it with Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp\)$/,
      );
      for (const r of run.plain.rounds) {
        assert.strictEqual(r.threads, 1);
        assert.match(r.threadsReason ?? "", /not cross-origin isolated/);
        assert.strictEqual(r.helpers, 0);
      }
    });
    await t.step("isolated page: helper threads in its worker", () => {
      assert.strictEqual(run.isolated.isolated, true);
      assert.match(
        run.isolated.mainText,
        /; 1 thread\(s\) this thread cannot block on Atomics\.wait/,
      );
      const last = run.isolated.rounds.at(-1)!;
      if (navigator.hardwareConcurrency > 1) {
        assert.ok(last.threads >= 2, `${last.threads} thread(s)`);
        assert.ok(last.helperCalls > 0, "no helper made a kernel call");
      }
    });
    await t.step("same bits on helper threads as on one", () => {
      // Everything, the values of main.js and the hashes among them.
      checkBrowserRun(run, values);
      assert.ok(!perturb, "NONLIN_BROWSER_PERTURB=1 and yet the check passed");
    });
    // deno-lint-ignore no-console
    console.log(
      `plain: ${run.plain.rounds[0]!.threads} thread; isolated: ${
        run.isolated.rounds.at(-1)!.threads
      } threads, ${
        run.isolated.rounds.at(-1)!.helperCalls
      } helper kernel calls; y ${run.plain.rounds[0]!.y.slice(0, 16)}…, dα = ${
        run.plain.rounds[0]!.dalphaValue
      }`,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("checkBrowserRun()", async (t) => {
  const round = {
    threads: 1,
    threadsReason: "the page is not cross-origin isolated, so …",
    y: "aa",
    dx: "bb",
    dalpha: "cc",
    dalphaValue: 1,
    yHead: [],
    helpers: 0,
    helperCalls: 0,
  };
  const good = {
    plain: {
      isolated: false,
      cores: 2,
      mainText:
        "native: 1, 2; 1 thread(s) the page is not cross-origin isolated",
      rounds: [round, round],
    },
    isolated: {
      isolated: true,
      cores: 2,
      mainText:
        "native: 1, 2; 1 thread(s) this thread cannot block on Atomics.wait",
      rounds: [{
        ...round,
        threads: 2,
        threadsReason: undefined,
        helpers: 1,
        helperCalls: 9,
      }],
    },
  };
  await t.step("passes a good run", () => checkBrowserRun(good, [1, 2]));
  await t.step("fails on one changed bit on helper threads", () => {
    const bad = structuredClone(good);
    bad.isolated.rounds[0]!.y = "ab";
    assert.throws(() => checkBrowserRun(bad, [1, 2]), /other bits/);
  });
  await t.step("fails when the isolated worker claims no helper work", () => {
    const bad = structuredClone(good);
    bad.isolated.rounds[0]!.helperCalls = 0;
    assert.throws(() => checkBrowserRun(bad, [1, 2]), /made no kernel call/);
  });
  await t.step("fails when the plain page claims threads", () => {
    const bad = structuredClone(good);
    bad.plain.rounds[1] = { ...round, threads: 2 };
    assert.throws(() => checkBrowserRun(bad, [1, 2]), /claims threads/);
  });
  await t.step("fails on a wrong value of main.js", () => {
    assert.throws(() => checkBrowserRun(good, [1, 3]), /main\.js showed/);
  });
});
