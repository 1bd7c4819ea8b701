/**
 * Where the `nonlin` subcommands write: standard output and standard error
 * in a real run, strings in a test.
 *
 * @module
 */

/**
 * The two streams a subcommand writes to. Text is written as given: callers
 * end their lines with `"\n"`.
 */
export interface Output {
  /** Writes text to standard output (results). */
  out(text: string): void;
  /** Writes text to standard error (errors, warnings). */
  err(text: string): void;
}

const encoder = new TextEncoder();

function writeAll(
  stream: { writeSync(p: Uint8Array): number },
  text: string,
): void {
  const bytes = encoder.encode(text);
  let written = 0;
  while (written < bytes.length) {
    written += stream.writeSync(bytes.subarray(written));
  }
}

/**
 * The process's standard output and standard error. Writes are synchronous,
 * so everything is out before the process exits.
 *
 * @example
 * ```ts
 * import { standardOutput } from "@nonlin/cli";
 * import assert from "node:assert";
 *
 * assert.strictEqual(typeof standardOutput.out, "function");
 * ```
 */
export const standardOutput: Output = Object.freeze({
  out(text: string): void {
    writeAll(Deno.stdout, text);
  },
  err(text: string): void {
    writeAll(Deno.stderr, text);
  },
});

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
