// The conformance suite in Chromium: the book page's server serves a bundle
// of the suite (_conformance_entry.ts), which runs `--quick` over every op on
// both WebGPU backends, tfjs-webgpu and native-webgpu, in the page, where
// headless Chromium's WebGPU is SwiftShader. Each run must recognise the
// device as the `swiftshader` profile and pass with that profile's ledger
// entries, and the two must agree pairwise wherever neither is waived.
// SwiftShader compiles every pipeline on the CPU: the page took 56 s on the
// 2-core development machine at load 2 (both backends; tfjs-webgpu alone
// about as long), so it gets ten times that before the test gives up.

import assert from "node:assert";
import { chromium } from "playwright-core";
import type { Report } from "@nonlin/conformance";
import { contentType } from "../handler.ts";
import { serveBook } from "../server.ts";
import {
  chromium as chromiumBinary,
  needs,
} from "../../../_tools/requirements.ts";

const CHROMIUM = Deno.env.get("NONLIN_CHROMIUM") ?? "/usr/bin/chromium";
const ROOT = new URL("../../../", import.meta.url);
const ENTRY = new URL("./_conformance_entry.ts", import.meta.url);
/** The WebGPU backends the page runs. */
const BACKENDS = ["tfjs-webgpu", "native-webgpu"] as const;

/** The suite's browser bundle, made as the page's own bundle is. */
async function bundleSuite(): Promise<Uint8Array<ArrayBuffer>> {
  const dir = await Deno.makeTempDir({ prefix: "nonlin-conformance-page-" });
  try {
    const file = `${dir}/conformance.js`;
    const path = (url: URL) => decodeURIComponent(url.pathname);
    const result = await new Deno.Command(Deno.execPath(), {
      args: [
        "bundle",
        "--quiet",
        "--platform=browser",
        "--format=esm",
        `--config=${path(new URL("deno.json", ROOT))}`,
        `--output=${file}`,
        path(ENTRY),
      ],
      cwd: path(ROOT),
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.ok(
      result.success,
      `bundling the suite failed: ${new TextDecoder().decode(result.stderr)}`,
    );
    return await Deno.readFile(file);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const page = `<!doctype html>
<meta charset="utf-8">
<title>nonlin conformance</title>
<script type="module" src="/conformance.js"></script>
<body></body>
`;

const browserNeed = await needs(chromiumBinary);

Deno.test({
  name: browserNeed.name("the conformance suite in Chromium (SwiftShader)"),
  ignore: browserNeed.ignore,
}, async (t) => {
  browserNeed.assertPresent();
  const assets = new Map([
    ["/index.html", {
      body: new TextEncoder().encode(page),
      type: contentType("index.html"),
    }],
    ["/conformance.js", {
      body: await bundleSuite(),
      type: contentType("conformance.js"),
    }],
  ]);
  await using server = await serveBook({ port: 0, assets });
  const profile = await Deno.makeTempDir({ prefix: "nonlin-conf-chromium-" });
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-background-networking",
      "--disable-component-update",
      "--no-first-run",
      "--enable-unsafe-webgpu",
    ],
  });
  try {
    const tab = context.pages()[0] ?? await context.newPage();
    const errors: string[] = [];
    tab.on("pageerror", (error) => errors.push(error.message));
    await tab.goto(
      `${server.url}?${BACKENDS.map((b) => `backend=${b}`).join("&")}`,
    );
    await tab.waitForSelector("body[data-state=done]", {
      state: "attached",
      timeout: 600_000,
    });
    const state = await tab.evaluate(() =>
      (globalThis as { nonlinConformance?: unknown }).nonlinConformance
    ) as { report?: Report; matrix?: string; error?: string };
    assert.deepStrictEqual(errors, []);
    assert.strictEqual(state.error, undefined, state.error);
    const report = state.report!;
    const skipped = report.backends.filter((b) => b.status === "skipped");
    if (skipped.length === BACKENDS.length) {
      // A Chromium without a WebGPU adapter: said, not passed.
      await t.step(`no WebGPU adapter here: ${skipped[0]!.reason}`, () => {
        assert.ok((skipped[0]!.reason ?? "").length > 0);
      });
      return;
    }
    for (const name of BACKENDS) {
      await t.step(`${name} ran on SwiftShader`, () => {
        const b = report.backends.find((b) => b.name === name);
        assert.ok(b !== undefined, `${name} is not in the report`);
        assert.strictEqual(b.status, "ran", b.reason);
        assert.strictEqual(b.device?.architecture, "swiftshader", state.matrix);
        assert.strictEqual(b.deviceProfile, "swiftshader");
      });
    }
    await t.step("the suite passes with the swiftshader profile", () => {
      assert.match(state.matrix!, /profile swiftshader/);
      assert.ok(report.summary.ok, state.matrix);
      assert.strictEqual(report.summary.fail, 0);
      assert.ok(report.summary.pass > 200, `${report.summary.pass} pass`);
      assert.ok(
        report.results.some((r) => r.check === "pairwise"),
        "no pairwise comparison between the two backends",
      );
      // Each backend's profile entries are put to the test, not only carried.
      for (const name of BACKENDS) {
        assert.ok(
          report.waivers.some((w) =>
            w.backend === name && w.devices?.includes("swiftshader") === true &&
            w.devices.length === 1 && w.status === "used"
          ),
          `no swiftshader entry of ${name} was used`,
        );
      }
    });
  } finally {
    await context.close();
    await Deno.remove(profile, { recursive: true });
  }
});
