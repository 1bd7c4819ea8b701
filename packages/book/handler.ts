/**
 * The book server's request handler: it answers from a fixed table of files
 * held in memory and never resolves a request against the file system, so no
 * spelling of a path (`..`, `%2e%2e`, `%2f`, backslashes, absolute paths,
 * symbolic links) can reach a file outside the table.
 *
 * @module
 */

/** One file the server can send. */
export interface Asset {
  /** The bytes sent. */
  readonly body: Uint8Array<ArrayBuffer>;
  /** The `Content-Type` header. */
  readonly type: string;
}

/**
 * The files a server sends, keyed by URL path: `"/index.html"`,
 * `"/wasm/tfjs-backend-wasm-simd.wasm"`. Keys start with `/`.
 */
export type Assets = ReadonlyMap<string, Asset>;

/** Content types by file extension; anything else is `application/octet-stream`. */
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".txt": "text/plain; charset=utf-8",
};

/**
 * The content type of a file, from its extension.
 *
 * @param name A file name or URL path.
 * @returns The `Content-Type` value; `application/octet-stream` for an
 * unknown extension.
 *
 * @example
 * ```ts
 * import { contentType } from "@nonlin/book";
 * import assert from "node:assert";
 *
 * assert.strictEqual(contentType("/wasm/tfjs-backend-wasm.wasm"), "application/wasm");
 * assert.strictEqual(contentType("app.js"), "text/javascript; charset=utf-8");
 * assert.strictEqual(contentType("index.html"), "text/html; charset=utf-8");
 * ```
 */
export function contentType(name: string): string {
  const dot = name.lastIndexOf(".");
  const slash = name.lastIndexOf("/");
  if (dot <= slash) return "application/octet-stream";
  return CONTENT_TYPES[name.slice(dot).toLowerCase()] ??
    "application/octet-stream";
}

/**
 * Headers sent with every response. The policy allows scripts from the page's
 * own origin only, WebAssembly compilation (`'wasm-unsafe-eval'`, needed by
 * tfjs-wasm) and inline styles (Observable Plot styles its SVG inline).
 */
const COMMON_HEADERS: Readonly<Record<string, string>> = {
  "cache-control": "no-cache",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "content-security-policy": [
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join("; "),
};

function plain(
  status: number,
  text: string,
  extra: Record<string, string> = {},
): Response {
  return new Response(`${text}\n`, {
    status,
    headers: {
      ...COMMON_HEADERS,
      "content-type": "text/plain; charset=utf-8",
      ...extra,
    },
  });
}

/**
 * Makes the handler that serves `assets` and nothing else. `GET` and `HEAD`
 * only; `/` means `/index.html`. The path is looked up exactly as the URL
 * parser leaves it: a path with percent-escapes, backslashes or empty
 * segments matches no key and gets 404, never a file outside the table.
 *
 * @param assets The files, by URL path.
 * @returns A `Deno.serve` handler.
 * @throws {TypeError} When a key does not start with `/` or holds `..`, `\`,
 * `%` or an empty segment: such a key could never be requested.
 *
 * @example
 * ```ts
 * import { createHandler } from "@nonlin/book";
 * import assert from "node:assert";
 *
 * const handler = createHandler(new Map([
 *   ["/index.html", { body: new TextEncoder().encode("<p>hi</p>"), type: "text/html; charset=utf-8" }],
 * ]));
 * const ok = await handler(new Request("http://127.0.0.1/"));
 * assert.strictEqual(ok.status, 200);
 * assert.strictEqual(ok.headers.get("content-type"), "text/html; charset=utf-8");
 * const escaped = await handler(new Request("http://127.0.0.1/..%2f..%2fetc%2fpasswd"));
 * assert.strictEqual(escaped.status, 404);
 * ```
 */
export function createHandler(assets: Assets): (request: Request) => Response {
  for (const key of assets.keys()) {
    if (
      typeof key !== "string" || !key.startsWith("/") || key.includes("\\") ||
      key.includes("%") || key.split("/").slice(1).some((s) =>
        s === "" || s === "." || s === ".."
      )
    ) {
      throw new TypeError(
        `Asset path must be a plain absolute URL path: got "${key}"`,
      );
    }
  }
  const table = new Map(assets);
  return (request: Request): Response => {
    if (request.method !== "GET" && request.method !== "HEAD") {
      return plain(405, "Method not allowed", { allow: "GET, HEAD" });
    }
    const pathname = new URL(request.url).pathname;
    const asset = table.get(pathname === "/" ? "/index.html" : pathname);
    if (asset === undefined) return plain(404, "Not found");
    return new Response(request.method === "HEAD" ? null : asset.body, {
      status: 200,
      headers: {
        ...COMMON_HEADERS,
        "content-type": asset.type,
        "content-length": String(asset.body.byteLength),
      },
    });
  };
}
