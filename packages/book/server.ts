/**
 * The book server: builds the page and serves it over HTTP, on 127.0.0.1
 * unless told otherwise.
 *
 * @module
 */

import { buildBook } from "./assets.ts";
import { type Assets, createHandler } from "./handler.ts";

/** The host the server binds when none is given: loopback only. */
export const DEFAULT_HOST = "127.0.0.1";

/** The port the server listens on when none is given. */
export const DEFAULT_PORT = 8000;

/** Options of {@linkcode serveBook}. */
export interface ServeOptions {
  /**
   * The address to bind.
   *
   * @default {"127.0.0.1"}
   */
  readonly hostname?: string;
  /**
   * The port; 0 picks any free port (read it from {@linkcode BookServer.port}).
   *
   * @default {8000}
   */
  readonly port?: number;
  /**
   * The files to serve; by default the page is built with
   * {@linkcode buildBook}.
   */
  readonly assets?: Assets;
}

/** A running book server. */
export interface BookServer {
  /** The address it is bound to. */
  readonly hostname: string;
  /** The port it listens on (the real one when 0 was asked for). */
  readonly port: number;
  /** The page's URL, e.g. `http://127.0.0.1:8000/`. */
  readonly url: string;
  /** Settles when the server has stopped. */
  readonly finished: Promise<void>;
  /** Stops the server and waits for open requests to finish. */
  shutdown(): Promise<void>;
  /** The same as {@linkcode BookServer.shutdown}, for `await using`. */
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Builds the page (unless `assets` are given) and serves it.
 *
 * @param options Host, port and the files.
 * @returns The running server.
 * @throws {TypeError} When the host is not a non-empty string.
 * @throws {RangeError} When the port is not an integer in [0, 65535].
 *
 * @example
 * ```ts
 * import { serveBook } from "@nonlin/book";
 * import assert from "node:assert";
 *
 * const assets = new Map([
 *   ["/index.html", { body: new TextEncoder().encode("<p>hi</p>"), type: "text/html; charset=utf-8" }],
 * ]);
 * await using server = await serveBook({ port: 0, assets });
 * assert.strictEqual(server.hostname, "127.0.0.1");
 * const response = await fetch(server.url);
 * assert.strictEqual(await response.text(), "<p>hi</p>");
 * ```
 */
export async function serveBook(
  options: ServeOptions = {},
): Promise<BookServer> {
  const hostname = options.hostname ?? DEFAULT_HOST;
  const port = options.port ?? DEFAULT_PORT;
  if (typeof hostname !== "string" || hostname === "") {
    throw new TypeError(
      `Host must be a non-empty string: got ${String(hostname)}`,
    );
  }
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new RangeError(
      `Port must be an integer in [0, 65535]: got ${String(port)}`,
    );
  }
  const handler = createHandler(options.assets ?? await buildBook());
  const server = Deno.serve({ hostname, port, onListen: () => {} }, handler);
  const addr = server.addr;
  const host = addr.hostname.includes(":")
    ? `[${addr.hostname}]`
    : addr.hostname;
  const shutdown = () => server.shutdown();
  return {
    hostname: addr.hostname,
    port: addr.port,
    url: `http://${host}:${addr.port}/`,
    finished: server.finished,
    shutdown,
    [Symbol.asyncDispose]: shutdown,
  };
}
