// The page in a real browser: Debian's Chromium, headless, driven by
// playwright-core. Every backend tab of every section must render its plots,
// the numbers computed in the browser must match the float64 reference within
// the backend's tolerance, and the wasm and webgpu tabs must really run on
// those tfjs backends. A screenshot is written to out/book/book.png.

import assert from "node:assert";
import { chromium } from "playwright-core";
import { bookBackendNames } from "@nonlin/backends";
import { serveBook } from "../server.ts";
import { buildBook } from "../assets.ts";
import { compareCurve, referenceValues } from "./compare.ts";
import { bookSections } from "./sections.ts";
import { codeBlock, importLine } from "./run.ts";
import type { BookState } from "./page.ts";
import {
  chromium as chromiumBinary,
  needs,
} from "../../../_tools/requirements.ts";

const CHROMIUM = Deno.env.get("NONLIN_CHROMIUM") ?? "/usr/bin/chromium";
const ARTIFACTS = new URL("../../../out/book/", import.meta.url);
const STORAGE_KEY = "nonlin-book:backend";

async function exists(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isFile;
  } catch {
    return false;
  }
}

/** Chromium's flags: no network of its own, no first-run work; WebGPU on request. */
function chromiumArgs(webgpu: boolean): string[] {
  return [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    ...(webgpu ? ["--enable-unsafe-webgpu"] : []),
  ];
}

/** A headless Chromium with a fresh profile, removed on close. */
async function launch(webgpu: boolean) {
  assert.ok(
    await exists(CHROMIUM),
    `Chromium not found at ${CHROMIUM}: install Debian's chromium (apt-get install -y chromium) or set NONLIN_CHROMIUM`,
  );
  const profile = await Deno.makeTempDir({ prefix: "nonlin-book-chromium-" });
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1100, height: 1500 },
    args: chromiumArgs(webgpu),
  });
  return {
    context,
    async [Symbol.asyncDispose]() {
      await context.close();
      await Deno.remove(profile, { recursive: true });
    },
  };
}

/** The page is bundled once for both tests. */
let built: ReturnType<typeof buildBook> | undefined;
function bookAssets(): ReturnType<typeof buildBook> {
  return built ??= buildBook();
}

// Ignored, with the reason and the apt line, where Chromium is missing and
// NONLIN_REQUIRE_CHROMIUM does not ask for it.
const browserNeed = await needs(chromiumBinary);

Deno.test({
  name: browserNeed.name("startPage()"),
  ignore: browserNeed.ignore,
}, async (t) => {
  browserNeed.assertPresent();
  const started = performance.now();
  const assets = await bookAssets();
  await using server = await serveBook({ port: 0, assets });
  await using browser = await launch(true);
  const { context } = browser;
  const page = context.pages()[0] ?? await context.newPage();
  const problems: string[] = [];
  page.on(
    "pageerror",
    (error) => problems.push(`page error: ${error.message}`),
  );
  page.on("console", (message) => {
    if (message.type() === "error") {
      problems.push(`console error: ${message.text()}`);
    }
  });
  page.on(
    "requestfailed",
    (request) => problems.push(`request failed: ${request.url()}`),
  );
  const responses: { url: string; type: string | null }[] = [];
  page.on("response", (response) => {
    responses.push({
      url: response.url(),
      type: response.headers()["content-type"] ?? null,
    });
  });

  await page.goto(server.url);
  // The native-webgpu tab compiles some forty WGSL pipelines in SwiftShader
  // (its JIT is the slow part, 3-40 s here depending on the machine's load).
  await page.waitForSelector(
    "#book[data-state=ready], #book[data-state=failed]",
    { timeout: 180_000 },
  );
  const state = await page.evaluate(() =>
    (globalThis as { nonlinBook?: unknown }).nonlinBook
  ) as BookState;
  const loadMs = performance.now() - started;
  // Kinks where a backend takes the right-hand derivative: reported, and shown on the page.
  // Points the conformance suite waives, by backend, curve and quantity: reported.
  const waived = new Map<string, number>();

  await t.step("the page ran every backend without errors", () => {
    assert.strictEqual(state.error, undefined, state.error);
    assert.strictEqual(state.state, "ready");
    assert.deepStrictEqual(problems, []);
    assert.deepStrictEqual(state.backends.map((b) => b.name), [
      ...bookBackendNames,
    ]);
    for (
      const name of [
        "native",
        "tfjs-cpu",
        "tfjs-wasm",
        "tfjs-webgpu",
        "native-webgpu",
      ]
    ) {
      assert.ok(bookBackendNames.includes(name), `${name} has a tab`);
    }
  });

  await t.step("the server holds only the page's own files", () => {
    const keys = [...assets.keys()].sort();
    assert.deepStrictEqual(keys, [
      "/app.js",
      "/index.html",
      "/style.css",
      "/wasm/tfjs-backend-wasm-simd.wasm",
      "/wasm/tfjs-backend-wasm-threaded-simd.wasm",
      "/wasm/tfjs-backend-wasm.wasm",
    ]);
    for (const [key, asset] of assets) {
      if (key.endsWith(".wasm")) {
        assert.strictEqual(asset.type, "application/wasm", key);
        assert.deepStrictEqual([...asset.body.slice(0, 4)], [
          0,
          0x61,
          0x73,
          0x6d,
        ], `${key} is WebAssembly`);
      }
    }
  });

  await t.step("files came with their content types", () => {
    const typeOf = (suffix: string) =>
      responses.find((r) => r.url.endsWith(suffix))?.type;
    assert.strictEqual(typeOf("/"), "text/html; charset=utf-8");
    assert.strictEqual(typeOf("/app.js"), "text/javascript; charset=utf-8");
    const wasm = responses.filter((r) => r.url.endsWith(".wasm"));
    assert.ok(wasm.length > 0, "the page fetched a .wasm file");
    for (const r of wasm) {
      assert.strictEqual(r.type, "application/wasm", r.url);
    }
  });

  await t.step(
    "the wasm and webgpu tabs run on those tfjs backends",
    async () => {
      const byName = new Map(state.backends.map((b) => [b.name, b]));
      const wasm = byName.get("tfjs-wasm")!;
      assert.ok(wasm.available, wasm.reason);
      assert.strictEqual(wasm.engine, "wasm");
      assert.strictEqual(byName.get("tfjs-cpu")?.engine, "cpu");
      const webgpu = byName.get("tfjs-webgpu")!;
      const hasGpu = await page.evaluate(async () => {
        const gpu =
          (navigator as { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
        return gpu !== undefined && (await gpu.requestAdapter()) !== null;
      });
      // The native kernels as WGSL: they run wherever an adapter is found.
      const nativeGpu = byName.get("native-webgpu")!;
      if (hasGpu) {
        assert.ok(webgpu.available, webgpu.reason);
        assert.strictEqual(webgpu.engine, "webgpu");
        assert.ok(nativeGpu.available, nativeGpu.reason);
      } else {
        assert.strictEqual(nativeGpu.available, false);
        assert.ok(nativeGpu.reason && nativeGpu.reason.length > 0);
        // No adapter in this browser: the tab must say so, with the reason.
        assert.strictEqual(webgpu.available, false);
        assert.ok(webgpu.reason && webgpu.reason.length > 0);
        const shown = await page.locator(
          `.panel[data-backend="tfjs-webgpu"] .status.unavailable`,
        ).first()
          .textContent({ timeout: 1000 }).catch(() => "");
        assert.ok(
          shown?.includes(webgpu.reason),
          `the reason is shown: ${shown}`,
        );
      }
    },
  );

  await t.step(
    "numbers computed in the browser match the reference within tolerance",
    () => {
      const sections = bookSections();
      const curves = sections.flatMap((s) => s.curves);
      for (const backend of state.backends.filter((b) => b.available)) {
        const runs = state.runs.filter((r) => r.backend === backend.name);
        assert.strictEqual(
          runs.length,
          curves.length,
          `${backend.name} ran every curve`,
        );
        for (const curve of curves) {
          const run = runs.find((r) =>
            r.op === curve.op && r.label === curve.label
          );
          const what = `${backend.name} ${curve.op} ${curve.label}`;
          assert.ok(run !== undefined, what);
          assert.strictEqual(run.error, undefined, `${what}: ${run.error}`);
          const x = new Float32Array(run.x);
          const want = referenceValues(curve, x);
          const got = {
            value: new Float32Array(run.value!),
            gradient: new Float32Array(run.gradient!),
          };
          const compared = compareCurve(backend.name, curve, x, got);
          for (const kind of ["value", "gradient"] as const) {
            const c = compared[kind];
            const worst = c.deviations.slice(0, 3).map((i) =>
              `x = ${x[i]}: got ${got[kind][i]}, want ${want[kind][i]}`
            );
            assert.deepStrictEqual(
              c.deviations,
              [],
              `${what} ${kind}: ${worst.join("; ")}`,
            );
            // What the page shows is what the numbers say.
            assert.strictEqual(
              run.maxUlp![kind],
              c.maxUlp,
              `${what} ${kind} max ULP shown`,
            );
            // |Δ| subtracts the float64 reference, which the browser's V8 and
            // Deno's may compute an ulp apart (Math.exp, Math.tanh): equal to
            // within a few float64 ulps of the largest reference value.
            const scale = want[kind].reduce(
              (m, v) => Number.isFinite(v) ? Math.max(m, Math.abs(v)) : m,
              Number.MIN_VALUE,
            );
            const shownAbs = run.maxAbs![kind];
            assert.ok(
              shownAbs === c.maxAbs ||
                Math.abs(shownAbs - c.maxAbs) <= 8 * Number.EPSILON * scale,
              `${what} ${kind} max |Δ| shown: ${shownAbs}, computed here ${c.maxAbs}`,
            );
            assert.deepStrictEqual(
              run.deviations![kind],
              [...c.deviations],
              `${what} ${kind} marks`,
            );
            assert.deepStrictEqual(
              run.waived![kind],
              [...c.waived],
              `${what} ${kind} waived`,
            );
            if (c.waived.length > 0) {
              const key =
                `${backend.name} ${curve.op} (${curve.label}) ${kind}`;
              waived.set(key, c.waived.length);
            }
          }
        }
      }
    },
  );

  await t.step(
    "every tab renders every plot, with that backend's import line",
    async () => {
      const sections = bookSections();
      const formulas = await page.evaluate(() =>
        [...document.querySelectorAll("section.op")].map((s) =>
          s.querySelector(":scope > .formula math") !== null
        )
      );
      assert.deepStrictEqual(
        formulas,
        sections.map(() => true),
        "every formula is typeset as MathML",
      );
      for (const backend of state.backends) {
        await page.locator(`#relu .tab[data-backend="${backend.name}"]`)
          .click();
        const shown = await page.evaluate(() => {
          return [...document.querySelectorAll<HTMLElement>("section.op")]
            .map((section) => {
              const visible = [
                ...section.querySelectorAll<HTMLElement>(".panel"),
              ].filter((p) => !p.hidden);
              const panel = visible[0];
              return {
                op: section.id,
                visible: visible.map((p) => p.dataset.backend),
                state: panel?.dataset.state,
                code: panel?.querySelector("pre code")?.textContent ?? "",
                status: panel?.querySelector(".status")?.textContent ?? "",
                notes: [...(panel?.querySelectorAll(".waiver") ?? [])].map((
                  n,
                ) => n.textContent ?? ""),
                plots: [
                  ...(panel?.querySelectorAll<HTMLElement>("figure.plot") ??
                    []),
                ].map((f) => ({
                  kind: f.dataset.kind,
                  lines: [
                    ...f.querySelectorAll("svg g[aria-label=line] path"),
                  ].map((p) =>
                    (p.getAttribute("d") ?? "").split(/[ML]/).filter((s) =>
                      s.trim() !== ""
                    ).length
                  ),
                  width: f.querySelector("svg:has(g[aria-label=line])")
                    ?.getBoundingClientRect().width ??
                    0,
                })),
              };
            });
        });
        assert.deepStrictEqual(
          shown.map((s) => s.op),
          sections.map((s) => s.id),
        );
        for (const [i, s] of shown.entries()) {
          const section = sections[i]!;
          const what = `${backend.name} ${s.op}`;
          assert.deepStrictEqual(
            s.visible,
            [backend.name],
            `${what}: only the chosen tab shows`,
          );
          assert.strictEqual(
            s.code,
            codeBlock(backend.name, section.curves),
            `${what}: code block`,
          );
          assert.ok(
            s.code.startsWith(
              importLine(backend.name, [section.op, "derivative"]),
            ),
          );
          if (!backend.available) {
            assert.strictEqual(s.state, "unavailable", what);
            assert.ok(
              s.status.includes(backend.reason!),
              `${what}: reason shown`,
            );
            continue;
          }
          assert.strictEqual(s.state, "ok", `${what}: ${s.status}`);
          // Each waiver behind a waived point is named, with its reason.
          const reasons = new Set(
            state.runs
              .filter((r) => r.backend === backend.name && r.op === s.op)
              .flatMap((r) => r.waivers!.map((w) => `${w.check}: ${w.reason}`)),
          );
          assert.strictEqual(
            s.notes.length,
            reasons.size,
            `${what}: a note per waiver`,
          );
          for (const reason of reasons) {
            const [check] = reason.split(":");
            assert.ok(
              s.notes.some((n) =>
                n.includes(`(${check} check)`) &&
                n.includes(reason.slice(check!.length + 2))
              ),
              `${what}: ${reason}`,
            );
          }
          assert.deepStrictEqual(s.plots.map((p) => p.kind), [
            "value",
            "gradient",
          ], what);
          for (const plot of s.plots) {
            assert.ok(
              plot.width > 100,
              `${what} ${plot.kind}: drawn at ${plot.width}px`,
            );
            // One line per curve, through all 160 grid points.
            assert.deepStrictEqual(
              plot.lines,
              section.curves.map(() => 160),
              `${what} ${plot.kind}`,
            );
          }
        }
      }
    },
  );

  await t.step(
    "the chosen tab is remembered across sections and reloads",
    async () => {
      await page.locator(`#gelu .tab[data-backend="tfjs-wasm"]`).click();
      const selected = await page.evaluate(() =>
        [...document.querySelectorAll<HTMLElement>(
          ".tab[aria-selected=true]",
        )].map((t) => t.dataset.backend)
      );
      assert.strictEqual(selected.length, bookSections().length);
      assert.ok(selected.every((name) => name === "tfjs-wasm"));
      assert.strictEqual(
        await page.evaluate((key) => localStorage.getItem(key), STORAGE_KEY),
        "tfjs-wasm",
      );

      await Deno.mkdir(ARTIFACTS, { recursive: true });
      await page.locator(`#relu .tab[data-backend="native"]`).click();
      await page.evaluate(() => globalThis.scrollTo(0, 0));
      await page.screenshot({
        path: decodeURIComponent(new URL("book.png", ARTIFACTS).pathname),
      });

      await page.locator(`#tanh .tab[data-backend="tfjs-cpu"]`).click();
      await page.reload();
      await page.waitForSelector(
        `#sigmoid .tab[data-backend="tfjs-cpu"][aria-selected=true]`,
        { timeout: 10_000 },
      );
      const panels = await page.evaluate(() =>
        [...document.querySelectorAll<HTMLElement>(".panel")].filter((p) =>
          !p.hidden
        ).map((p) => p.dataset.backend)
      );
      assert.ok(
        panels.length > 0 && panels.every((name) => name === "tfjs-cpu"),
      );
    },
  );

  await t.step(`load and compute took ${Math.round(loadMs)} ms`, () => {});
  await t.step(
    `points waived by the conformance suite: ${
      [...waived].map(([k, n]) => `${k} ${n}`).join(", ") || "none"
    }`,
    () => {},
  );
});

Deno.test({
  name: browserNeed.name("startPage() without WebGPU"),
  ignore: browserNeed.ignore,
}, async (t) => {
  browserNeed.assertPresent();
  // Without --enable-unsafe-webgpu, headless Chromium on Linux has
  // navigator.gpu but no adapter: the webgpu tab must say so and why.
  await using server = await serveBook({ port: 0, assets: await bookAssets() });
  await using browser = await launch(false);
  const page = browser.context.pages()[0] ?? await browser.context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  await page.goto(server.url);
  await page.waitForSelector(
    "#book[data-state=ready], #book[data-state=failed]",
    { timeout: 50_000 },
  );
  const state = await page.evaluate(() =>
    (globalThis as { nonlinBook?: unknown }).nonlinBook
  ) as BookState;

  await t.step("the other backends still run", () => {
    assert.deepStrictEqual(errors, []);
    assert.strictEqual(state.state, "ready");
    for (const name of ["native", "tfjs-cpu", "tfjs-wasm"]) {
      assert.ok(state.backends.find((b) => b.name === name)?.available, name);
    }
  });
  const nativeGpu = state.backends.find((b) => b.name === "native-webgpu")!;
  await t.step(
    `native-webgpu is unavailable, with its reason: ${nativeGpu.reason}`,
    () => {
      assert.strictEqual(nativeGpu.available, false);
      assert.ok(nativeGpu.reason !== undefined && nativeGpu.reason.length > 0);
      assert.strictEqual(
        state.runs.filter((r) => r.backend === "native-webgpu").length,
        0,
      );
    },
  );
  const webgpu = state.backends.find((b) => b.name === "tfjs-webgpu")!;
  await t.step(
    `tfjs-webgpu is unavailable, with its reason: ${webgpu.reason}`,
    async () => {
      assert.strictEqual(webgpu.available, false);
      assert.ok(webgpu.reason !== undefined && webgpu.reason.length > 0);
      assert.strictEqual(
        state.runs.filter((r) => r.backend === "tfjs-webgpu").length,
        0,
      );
      await page.locator(`#relu .tab[data-backend="tfjs-webgpu"]`).click();
      const shown = await page.evaluate(() =>
        [...document.querySelectorAll<HTMLElement>(
          `.panel[data-backend="tfjs-webgpu"]`,
        )].map((p) => ({
          hidden: p.hidden,
          state: p.dataset.state,
          text: p.querySelector(".status")?.textContent ?? "",
          plots: p.querySelectorAll("figure.plot").length,
        }))
      );
      assert.strictEqual(shown.length, bookSections().length);
      for (const panel of shown) {
        assert.deepStrictEqual(
          { hidden: panel.hidden, state: panel.state, plots: panel.plots },
          { hidden: false, state: "unavailable", plots: 0 },
        );
        assert.strictEqual(
          panel.text,
          `tfjs-webgpu is not available in this browser: ${webgpu.reason}`,
        );
      }
      const row = await page.locator(
        `table.summary tr[data-backend="tfjs-webgpu"]`,
      ).textContent();
      assert.ok(row?.includes(webgpu.reason!), row ?? "");
    },
  );
});
