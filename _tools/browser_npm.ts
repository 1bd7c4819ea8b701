/**
 * The README's browser examples, bundled from the npm build of
 * `@nonlin/native`, in headless Chromium (playwright-core driving Debian's
 * `/usr/bin/chromium`; nothing is downloaded). A local `Deno.serve` on
 * 127.0.0.1 serves one page twice: plainly, and with
 * `Cross-Origin-Opener-Policy: same-origin` and
 * `Cross-Origin-Embedder-Policy: require-corp` (cross-origin isolated). The
 * page runs the README's `main.js` on its main thread and the README's
 * `worker.js` in a Web Worker, which it sends the same 2²⁰ floats
 * {@linkcode ROUNDS} times. The worker's bundle starts with an instrument
 * (not part of the example) that hashes the arrays the example posts back
 * and counts the kernel calls made by the engine's helper threads: it
 * replaces `Worker` so that each helper's script is prefixed with a wrapper
 * of `WebAssembly.instantiate` that reports every kernel call.
 *
 * Used by `browser_npm_test.ts` (on the npm build, unpacked) and by
 * `deno task check:npm` (on the packed, installed tarballs).
 *
 * @module
 */

import { chromium } from "playwright-core";
import { join } from "node:path";
import { ulpDistance } from "@nonlin/core";

/** How many times the page sends the worker its input. */
export const ROUNDS = 6;

/** Elements of the worker example's input. */
export const WORKER_ELEMENTS = 1 << 20;

/** What the README's worker example posted back once, as the instrument saw it. */
export interface WorkerRound {
  readonly threads: number;
  readonly threadsReason: string | undefined;
  /** SHA-256 (hex) of each array the example posted. */
  readonly y: string;
  readonly dx: string;
  readonly dalpha: string;
  /** dα's value. */
  readonly dalphaValue: number;
  /** The first elements of y. */
  readonly yHead: readonly number[];
  /** Helper threads the engine started so far in this worker. */
  readonly helpers: number;
  /** Kernel calls those helpers made so far. */
  readonly helperCalls: number;
}

/** One page load: what the main-thread example showed and the worker's rounds. */
export interface PageRun {
  /** `crossOriginIsolated` on the page. */
  readonly isolated: boolean;
  /** `navigator.hardwareConcurrency` on the page. */
  readonly cores: number;
  /** The text the README's `main.js` appended to the body. */
  readonly mainText: string;
  readonly rounds: readonly WorkerRound[];
}

/** The page served plainly and cross-origin isolated. */
export interface BrowserRun {
  readonly plain: PageRun;
  readonly isolated: PageRun;
}

/**
 * Prefixed to each helper thread's script: reports every call of the
 * kernel module's exports (but `scan`, the NaN check) to the thread that
 * started the helper.
 */
const HELPER_PRELUDE = `{
  const instantiate = WebAssembly.instantiate;
  WebAssembly.instantiate = async (...args) => {
    const made = await instantiate(...args);
    const instance = made instanceof WebAssembly.Instance ? made : made.instance;
    const exports = {};
    for (const [name, value] of Object.entries(instance.exports)) {
      exports[name] = typeof value !== "function" || name === "scan" ? value
        : (...a) => { postMessage("nonlin-helper-call"); return value(...a); };
    }
    return made instanceof WebAssembly.Instance ? { exports } : { module: made.module, instance: { exports } };
  };
}
`;

/**
 * The worker bundle's first module: counts the engine's helper threads and
 * their kernel calls, and turns what the example posts into hashes.
 * `?perturb` in the worker's URL flips the lowest bit of y[12345] on more
 * than one thread (to see the comparison fail).
 */
const INSTRUMENT = `const Native = globalThis.Worker;
const prelude = ${JSON.stringify(HELPER_PRELUDE)};
let helpers = 0;
let helperCalls = 0;
if (typeof Native === "function") {
  globalThis.Worker = class extends Native {
    constructor(url, options) {
      const request = new XMLHttpRequest();
      request.open("GET", String(url), false);
      request.send();
      super(URL.createObjectURL(new Blob([prelude + request.responseText], { type: "text/javascript" })), options);
      helpers++;
      this.addEventListener("message", ({ data }) => {
        if (data === "nonlin-helper-call") helperCalls++;
      });
    }
  };
}
const post = globalThis.postMessage.bind(globalThis);
// An error in the example's async handler fires no error event on the Worker.
addEventListener("unhandledrejection", (e) => post({ error: String(e.reason?.stack ?? e.reason) }));
const perturb = new URLSearchParams(location.search).has("perturb");
const hex = async (a) => Array.from(new Uint8Array(await crypto.subtle.digest("SHA-256", a)), (b) => b.toString(16).padStart(2, "0")).join("");
globalThis.postMessage = async (m) => {
  if (m === "ready") return post(m);
  // Let the helpers' reports of this round arrive.
  await new Promise((resolve) => setTimeout(resolve, 20));
  if (perturb && m.threads > 1) new Uint32Array(m.y.buffer)[12345] ^= 1;
  post({
    threads: m.threads,
    threadsReason: m.threadsReason,
    y: await hex(m.y),
    dx: await hex(m.dx),
    dalpha: await hex(m.dalpha),
    dalphaValue: m.dalpha[0],
    yHead: Array.from(m.y.subarray(0, 4)),
    helpers,
    helperCalls,
  });
};
`;

const PAGE = `<!doctype html>
<meta charset="utf-8">
<title>nonlin in a browser</title>
<script type="module" src="bundle.js"></script>
<script type="module">
const worker = new Worker("worker.bundle.js" + location.search, { type: "module" });
// The worker says when it can take messages: one sent while its modules
// still load (the engine's top-level await) would be lost.
const ready = new Promise((resolve) => {
  worker.onmessage = ({ data }) => { if (data === "ready") resolve(); };
});
const x = new Float32Array(${WORKER_ELEMENTS}).map((_, i) => 8 * Math.sin(i));
globalThis.runWorker = async (rounds) => {
  await ready;
  const results = [];
  for (let r = 0; r < rounds; r++) {
    results.push(await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("round " + r + ": the worker posted nothing in 60 s")), 60000);
      worker.onmessage = ({ data }) => {
        clearTimeout(timer);
        if (data.error) reject(new Error("round " + r + ": the worker failed: " + data.error));
        else resolve(data);
      };
      worker.onerror = (e) => reject(new Error("round " + r + ": the worker failed: " + e.message));
      worker.postMessage(x);
    }));
    // Calls further apart than a helper's idle time in Deno (50 ms).
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return results;
};
</script>
`;

/**
 * Writes the page and its two bundles into `dir`, where `node_modules`
 * holds `@nonlin/native` and `@nonlin/core`: `bundle.js` from the README's
 * `main.js`, `worker.bundle.js` from the instrument and the README's
 * `worker.js`, each with `deno bundle --platform=browser`.
 *
 * @param dir A folder with the npm packages in `node_modules`.
 * @param examples The README's `main.js` and `worker.js`.
 */
export async function bundleBrowserExamples(
  dir: string,
  examples: { readonly main: string; readonly worker: string },
): Promise<void> {
  await Deno.writeTextFile(join(dir, "main.js"), examples.main);
  await Deno.writeTextFile(join(dir, "worker.js"), examples.worker);
  await Deno.writeTextFile(join(dir, "instrument.js"), INSTRUMENT);
  await Deno.writeTextFile(
    join(dir, "worker_entry.js"),
    'import "./instrument.js";\nimport "./worker.js";\n',
  );
  await Deno.writeTextFile(join(dir, "index.html"), PAGE);
  for (
    const [entry, out] of [["main.js", "bundle.js"], [
      "worker_entry.js",
      "worker.bundle.js",
    ]] as const
  ) {
    const { code, stderr } = await new Deno.Command(Deno.execPath(), {
      args: [
        "bundle",
        "--quiet",
        "--platform=browser",
        "--node-modules-dir=manual",
        entry,
        "-o",
        out,
      ],
      cwd: dir,
      stdout: "null",
      stderr: "piped",
    }).output();
    if (code !== 0) {
      throw new Error(
        `deno bundle --platform=browser ${entry} failed (exit ${code}): ${
          new TextDecoder().decode(stderr)
        }`,
      );
    }
  }
}

/** What the test reads of the page's globals. */
interface PageGlobals {
  readonly crossOriginIsolated: boolean;
  readonly document: { readonly body: { readonly textContent: string | null } };
  runWorker(rounds: number): Promise<unknown>;
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
};

/**
 * Serves `dir` on 127.0.0.1: under `/plain/` as it is, under `/isolated/`
 * with the two headers that make a page cross-origin isolated.
 */
function serve(dir: string): Deno.HttpServer<Deno.NetAddr> {
  return Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    async (request) => {
      const path = new URL(request.url).pathname;
      const match = /^\/(plain|isolated)\/([\w.]*)$/.exec(path);
      const file = match?.[2] || "index.html";
      const ext = file.slice(file.lastIndexOf("."));
      if (match === null || TYPES[ext] === undefined) {
        return new Response("not found", { status: 404 });
      }
      const headers = new Headers({ "content-type": TYPES[ext] });
      if (match[1] === "isolated") {
        headers.set("cross-origin-opener-policy", "same-origin");
        headers.set("cross-origin-embedder-policy", "require-corp");
      }
      try {
        return new Response(await Deno.readFile(join(dir, file)), { headers });
      } catch {
        return new Response("not found", { status: 404 });
      }
    },
  );
}

/**
 * Loads the page from `dir` (see {@linkcode bundleBrowserExamples}) in
 * headless Chromium, plainly and cross-origin isolated, and reports what
 * each showed.
 *
 * @param dir The folder with the page and its bundles.
 * @param options `chromium`: the binary; `perturb`: flip one bit of y on
 * more than one thread (the comparison must then fail).
 * @returns What each page load showed.
 */
export async function runInBrowser(
  dir: string,
  options: { readonly chromium: string; readonly perturb?: boolean },
): Promise<BrowserRun> {
  await using server = serve(dir);
  const profile = await Deno.makeTempDir({ prefix: "nonlin-npm-chromium-" });
  try {
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: options.chromium,
      headless: true,
      args: [
        "--no-sandbox",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    });
    try {
      const load = async (kind: "plain" | "isolated"): Promise<PageRun> => {
        const page = await context.newPage();
        const errors: string[] = [];
        page.on("pageerror", (e) => errors.push(e.message));
        const query = options.perturb ? "?perturb" : "";
        await page.goto(
          `http://127.0.0.1:${server.addr.port}/${kind}/${query}`,
        );
        await page.waitForFunction(
          () =>
            (globalThis as unknown as PageGlobals).document.body.textContent !==
              "",
          undefined,
          { timeout: 60_000 },
        ).catch(() => {
          throw new Error(
            `${kind} page: the README's main.js showed nothing${
              errors.length > 0 ? `: ${errors.join("; ")}` : ""
            }`,
          );
        });
        page.on("console", (m) => errors.push(`console: ${m.text()}`));
        const run = await page.evaluate(async (rounds) => {
          const g = globalThis as unknown as PageGlobals;
          return {
            isolated: g.crossOriginIsolated,
            cores: navigator.hardwareConcurrency,
            mainText: g.document.body.textContent ?? "",
            rounds: await g.runWorker(rounds),
          };
        }, ROUNDS).catch((error: Error) => {
          throw new Error(
            `${kind} page: ${error.message}${
              errors.length > 0 ? `\n${errors.join("\n")}` : ""
            }`,
          );
        });
        await page.close();
        return run as PageRun;
      };
      return { plain: await load("plain"), isolated: await load("isolated") };
    } finally {
      await context.close();
    }
  } finally {
    await Deno.remove(profile, { recursive: true });
  }
}

/**
 * What the two page loads must show; throws naming the first thing that
 * is wrong. The plain page: no isolation, one thread everywhere with the
 * reason, no helper started. The isolated page's main thread: one thread
 * (it cannot block) with that reason; its worker: as many threads as the
 * page reports cores (at most 16), helpers that made kernel calls, and in
 * every round the same bits as the plain page's worker on one thread.
 *
 * @param run What {@linkcode runInBrowser} reported.
 * @param mainValues The values the README's `main.js` must show, each
 * within 1 ULP (Deno's: Chromium's V8 may fuse a multiply–add where
 * Deno's does not, and the bounds allow either).
 */
export function checkBrowserRun(
  run: BrowserRun,
  mainValues: readonly number[],
): void {
  const { plain, isolated } = run;
  const fail = (what: string): never => {
    throw new Error(`${what}\n${JSON.stringify(run, null, 1)}`);
  };
  const shown = (p: PageRun) =>
    /^native: ([^;]*); (\d+) thread\(s\)/.exec(p.mainText);
  for (const p of [plain, isolated]) {
    const m = shown(p);
    const values = m?.[1]?.split(", ").map(Number);
    if (
      m === null || values?.length !== mainValues.length ||
      values.some((v, i) => !(ulpDistance(v, mainValues[i]!) <= 1))
    ) {
      fail(
        `main.js showed "${p.mainText}", not native: ${mainValues.join(", ")}`,
      );
    }
    if (m![2] !== "1") fail(`main.js ran on ${m![2]} threads, not 1`);
  }
  if (plain.isolated) fail("the plain page is cross-origin isolated");
  if (!/not cross-origin isolated/.test(plain.mainText)) {
    fail("the plain page's main thread does not say it is not isolated");
  }
  if (!isolated.isolated) {
    fail("the page served with COOP and COEP is not cross-origin isolated");
  }
  if (!/cannot block on Atomics\.wait/.test(isolated.mainText)) {
    fail("the isolated page's main thread does not say it cannot block");
  }
  const first = plain.rounds[0];
  if (first === undefined) {
    return fail("the plain page's worker posted nothing");
  }
  for (const r of plain.rounds) {
    if (
      r.threads !== 1 ||
      !/not cross-origin isolated/.test(r.threadsReason ?? "")
    ) {
      fail("the plain page's worker claims threads or gives no reason");
    }
    if (r.helpers !== 0) fail("the plain page's worker started helpers");
    if (r.y !== first.y || r.dx !== first.dx || r.dalpha !== first.dalpha) {
      fail("the plain page's worker gave different bits from round to round");
    }
  }
  const threads = Math.min(isolated.cores, 16);
  const last = isolated.rounds.at(-1);
  if (last === undefined) fail("the isolated page's worker posted nothing");
  for (const r of isolated.rounds) {
    if (r.threads !== threads || r.threadsReason !== undefined) {
      fail(
        `the isolated page's worker runs ${r.threads} thread(s), not ${threads}`,
      );
    }
    if (r.y !== first.y || r.dx !== first.dx || r.dalpha !== first.dalpha) {
      fail(
        "the isolated page's worker (helper threads) gave other bits than the plain page's (one thread)",
      );
    }
  }
  if (threads > 1 && !(last!.helpers >= 1 && last!.helperCalls > 0)) {
    fail("the isolated page's helper threads made no kernel call");
  }
}
