/**
 * `nonlin book` (and `deno task book`): builds the page, serves it and prints
 * its URL, until interrupted.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { bookBackendNames } from "@nonlin/backends";
import type { Assets } from "./handler.ts";
import { DEFAULT_HOST, DEFAULT_PORT, serveBook } from "./server.ts";

/** The usage text of `nonlin book`. */
export const BOOK_USAGE: string =
  `Usage: nonlin book [--host HOST] [--port PORT]

Serves the live §5.1 page: every activation and its gradient, computed in the
browser by each backend: ${bookBackendNames.join(", ")}.

Options:
  --host HOST  address to bind (default ${DEFAULT_HOST}: this machine only)
  --port PORT  port to listen on; 0 picks any free port (default ${DEFAULT_PORT})
  -h, --help   show this text
`;

/** Where `nonlin book` writes: the same shape as `@nonlin/cli`'s `Output`. */
export interface BookOutput {
  /** Writes to standard output. */
  out(text: string): void;
  /** Writes to standard error. */
  err(text: string): void;
}

/** Options of {@linkcode main}. */
export interface BookMainOptions {
  /** Stops the server when aborted; without one, SIGINT and SIGTERM do. */
  readonly signal?: AbortSignal;
  /** The files to serve; by default the page is built. */
  readonly assets?: Assets;
}

const encoder = new TextEncoder();

const consoleOutput: BookOutput = {
  out: (text) => void Deno.stdout.writeSync(encoder.encode(text)),
  err: (text) => void Deno.stderr.writeSync(encoder.encode(text)),
};

/**
 * Runs `nonlin book`: builds the page, serves it, prints
 * `serving http://HOST:PORT/` and resolves when the server stops. Bad
 * arguments are reported on `output.err` with exit status 2.
 *
 * @param args The arguments after `book`.
 * @param output Where to write.
 * @param options How to stop it.
 * @returns The exit status: 0; 1 when the page cannot be built or served
 * (a port in use, say); 2 for bad usage.
 *
 * @example
 * ```ts
 * import { main } from "@nonlin/book/cli";
 * import assert from "node:assert";
 *
 * let err = "";
 * const output = { out() {}, err(text: string) { err += text; } };
 * assert.strictEqual(await main(["--port", "http"], output), 2);
 * assert.match(err, /Port must be an integer in \[0, 65535\]: got "http"/);
 * ```
 */
export async function main(
  args: string[],
  output: BookOutput = consoleOutput,
  options: BookMainOptions = {},
): Promise<number> {
  let values;
  try {
    values = parseArgs({
      args: [...args],
      options: {
        host: { type: "string" },
        port: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }).values;
    if (values.help) {
      output.out(BOOK_USAGE);
      return 0;
    }
    if (values.host === "") throw new TypeError("Host must not be empty");
  } catch (error) {
    output.err(`nonlin book: ${(error as Error).message}\n${BOOK_USAGE}`);
    return 2;
  }
  let port = DEFAULT_PORT;
  if (values.port !== undefined) {
    port = /^\d{1,5}$/.test(values.port) ? Number(values.port) : NaN;
    if (!(port <= 65535)) {
      output.err(
        `nonlin book: Port must be an integer in [0, 65535]: got "${values.port}"\n`,
      );
      return 2;
    }
  }
  let server;
  try {
    server = await serveBook({
      hostname: values.host ?? DEFAULT_HOST,
      port,
      ...(options.assets === undefined ? {} : { assets: options.assets }),
    });
  } catch (error) {
    // A port in use, a host that does not resolve, a failed bundle: say which.
    output.err(`nonlin book: ${(error as Error)?.message ?? error}\n`);
    return 1;
  }
  output.out(`serving ${server.url}\n`);
  if (!isLoopback(server.hostname)) {
    output.err(
      `nonlin book: warning: ${server.hostname} is reachable from other machines; the page is public while it runs\n`,
    );
  }

  const stop = () => void server.shutdown();
  const signals: Deno.Signal[] = options.signal ? [] : ["SIGINT", "SIGTERM"];
  for (const signal of signals) Deno.addSignalListener(signal, stop);
  options.signal?.addEventListener("abort", stop, { once: true });
  if (options.signal?.aborted) stop();
  try {
    await server.finished;
  } finally {
    for (const signal of signals) Deno.removeSignalListener(signal, stop);
    options.signal?.removeEventListener("abort", stop);
  }
  return 0;
}

/** Whether an address the server bound is reachable from this machine only. */
function isLoopback(hostname: string): boolean {
  return /^127\./.test(hostname) || hostname === "::1" ||
    hostname === "localhost";
}
