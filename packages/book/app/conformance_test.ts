// The conformance suite in Chromium: the book page's server serves a bundle
// of the suite (_conformance_entry.ts), which runs `--quick` over every op on
// tfjs-webgpu in the page, where headless Chromium's WebGPU is SwiftShader.
// The run must recognise the device as the `swiftshader` profile and pass
// with that profile's ledger entries.

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
    await tab.goto(`${server.url}?backend=tfjs-webgpu`);
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
    const b = report.backends[0]!;
    if (b.status === "skipped") {
      // A Chromium without a WebGPU adapter: said, not passed.
      await t.step(`no WebGPU adapter here: ${b.reason}`, () => {
        assert.ok((b.reason ?? "").length > 0);
      });
      return;
    }
    await t.step("tfjs-webgpu ran on SwiftShader", () => {
      assert.strictEqual(b.status, "ran", b.reason);
      assert.strictEqual(b.device?.architecture, "swiftshader", state.matrix);
      assert.strictEqual(b.deviceProfile, "swiftshader");
      assert.match(state.matrix!, /profile swiftshader/);
    });
    await t.step("the suite passes with the swiftshader profile", () => {
      assert.ok(report.summary.ok, state.matrix);
      assert.strictEqual(report.summary.fail, 0);
      assert.ok(report.summary.pass > 100, `${report.summary.pass} pass`);
      // The profile's own entries are put to the test, not only carried.
      assert.ok(
        report.waivers.some((w) =>
          w.devices?.includes("swiftshader") === true &&
          w.devices.length === 1 && w.status === "used"
        ),
      );
    });
  } finally {
    await context.close();
    await Deno.remove(profile, { recursive: true });
  }
});
