/**
 * Where the `nonlin` subcommands write: standard output and standard error
 * in a real run, strings in a test.
 *
 * @module
 */

import type { Output } from "@nonlin/backends/output";

export { type Output, standardOutput } from "@nonlin/backends/output";

/**
 * An {@linkcode Output} that keeps what is written, for tests and for
 * programs that call a subcommand in process.
 *
 * @example
 * ```ts
 * import { BufferedOutput, main } from "@nonlin/cli";
 * import assert from "node:assert";
 *
 * const output = new BufferedOutput();
 * assert.strictEqual(await main(["--help"], output), 0);
 * assert.ok(output.stdout.startsWith("Usage: nonlin <command>"));
 * assert.strictEqual(output.stderr, "");
 * ```
 */
export class BufferedOutput implements Output {
  #stdout = "";
  #stderr = "";

  /** Everything written to standard output so far. */
  get stdout(): string {
    return this.#stdout;
  }

  /** Everything written to standard error so far. */
  get stderr(): string {
    return this.#stderr;
  }

  /** Appends to {@linkcode BufferedOutput.stdout}. */
  out(text: string): void {
    this.#stdout += text;
  }

  /** Appends to {@linkcode BufferedOutput.stderr}. */
  err(text: string): void {
    this.#stderr += text;
  }
}
