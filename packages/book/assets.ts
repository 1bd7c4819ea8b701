/**
 * Building the page: the browser bundle of `app/main.ts` (made with
 * `deno bundle`, so the browser runs the very adapters of this repository),
 * the static files beside it, and the tfjs-wasm binaries from the installed
 * npm package. Everything is read into memory once; the server never touches
 * the file system after that.
 *
 * @module
 */

import { type Asset, contentType } from "./handler.ts";
import { WASM_PREFIX as PAGE_WASM_PREFIX } from "./app/_paths.ts";

/** The URL folder the tfjs-wasm binaries are served from. */
export const WASM_PREFIX: string = PAGE_WASM_PREFIX;

const ROOT = new URL("../../", import.meta.url);
const STATIC_DIR = new URL("./static/", import.meta.url);
const APP_ENTRY = new URL("./app/main.ts", import.meta.url);

/** File names the collector accepts: no dot files, no odd characters. */
const SAFE_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

/**
 * Reads the regular files of a folder, recursively, into an asset table.
 * Symbolic links (to files or folders), dot files, names with characters
 * other than letters, digits, `.`, `_` and `-`, and anything that is not a
 * regular file are left out, so the table holds only files that really lie
 * inside `dir`.
 *
 * @param dir The folder, as a path or `file:` URL.
 * @param prefix The URL path the folder is served under; starts and ends with `/`.
 * @returns The files, keyed by URL path.
 * @throws {TypeError} When `prefix` does not start and end with `/`.
 *
 * @example
 * ```ts
 * import { collectAssets } from "@nonlin/book";
 * import assert from "node:assert";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/index.html`, "<p>hi</p>");
 * await Deno.symlink("/etc/hostname", `${dir}/host.txt`);
 * const assets = await collectAssets(dir, "/");
 * assert.deepStrictEqual([...assets.keys()], ["/index.html"]);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function collectAssets(
  dir: string | URL,
  prefix: string,
): Promise<Map<string, Asset>> {
  if (
    typeof prefix !== "string" || !prefix.startsWith("/") ||
    !prefix.endsWith("/")
  ) {
    throw new TypeError(
      `Asset prefix must start and end with "/": got ${String(prefix)}`,
    );
  }
  const assets = new Map<string, Asset>();
  const root = await Deno.realPath(dir);
  await walk(root, prefix, assets);
  return assets;
}

async function walk(
  dir: string,
  prefix: string,
  out: Map<string, Asset>,
): Promise<void> {
  const entries: Deno.DirEntry[] = [];
  for await (const entry of Deno.readDir(dir)) entries.push(entry);
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (entry.isSymlink || !SAFE_NAME.test(entry.name)) continue;
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory) {
      await walk(path, `${prefix}${entry.name}/`, out);
    } else if (entry.isFile) {
      // lstat again: the entry could have been swapped for a link since readDir.
      const info = await Deno.lstat(path);
      if (!info.isFile) continue;
      const key = `${prefix}${entry.name}`;
      out.set(key, { body: await Deno.readFile(path), type: contentType(key) });
    }
  }
}

/** Options of {@linkcode buildBook}. */
export interface BuildOptions {
  /**
   * Minify the bundle.
   *
   * @default true
   */
  readonly minify?: boolean;
}

/**
 * Builds the page in memory: `/index.html` and its stylesheet, `/app.js` (the
 * browser bundle of the page, the core catalog and every adapter, made with
 * `deno bundle --platform browser`) and the tfjs-wasm binaries under
 * {@linkcode WASM_PREFIX}.
 *
 * @param options Whether to minify.
 * @returns The files, keyed by URL path, ready for {@linkcode createHandler}.
 * @throws {Error} When `deno bundle` fails; the message carries its output.
 *
 * @example
 * ```ts ignore
 * import { buildBook } from "@nonlin/book";
 * import assert from "node:assert";
 *
 * const assets = await buildBook();
 * assert.ok(assets.has("/app.js"));
 * ```
 */
export async function buildBook(
  options: BuildOptions = {},
): Promise<Map<string, Asset>> {
  const assets = await collectAssets(STATIC_DIR, "/");
  assets.set("/app.js", {
    body: await bundleApp(options.minify ?? true),
    type: contentType("app.js"),
  });
  for (const [key, asset] of await collectAssets(wasmDir(), WASM_PREFIX)) {
    if (key.endsWith(".wasm")) assets.set(key, asset);
  }
  return assets;
}

/** The folder of the installed `@tensorflow/tfjs-backend-wasm` holding its binaries. */
function wasmDir(): URL {
  return new URL("./", import.meta.resolve("@tensorflow/tfjs-backend-wasm"));
}

function toPath(url: URL): string {
  return decodeURIComponent(url.pathname);
}

async function bundleApp(minify: boolean): Promise<Uint8Array<ArrayBuffer>> {
  const out = await Deno.makeTempDir({ prefix: "nonlin-book-" });
  try {
    const file = `${out}/app.js`;
    const args = [
      "bundle",
      "--quiet",
      "--platform=browser",
      "--format=esm",
      `--config=${toPath(new URL("deno.json", ROOT))}`,
      `--output=${file}`,
      ...(minify ? ["--minify"] : []),
      toPath(APP_ENTRY),
    ];
    const result = await new Deno.Command(Deno.execPath(), {
      args,
      cwd: ROOT,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (!result.success) {
      const log = new TextDecoder().decode(result.stderr) +
        new TextDecoder().decode(result.stdout);
      throw new Error(`Bundling the book page failed: ${log.trim()}`);
    }
    return await Deno.readFile(file);
  } finally {
    await Deno.remove(out, { recursive: true });
  }
}
