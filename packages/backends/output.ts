/**
 * What the commands (`nonlin`, `deno task conformance`, `deno task bench`,
 * the figures) share about their output: the two streams they write to, and
 * checking, before any work, that a command can write where it was told to:
 * the conformance report, the benchmark's JSON and Markdown, the figures.
 * A run that takes minutes should not end in a stack trace because its
 * output path was a typo.
 *
 * @module
 */

import { dirname, resolve } from "node:path";

/**
 * The two streams a command writes to. Text is written as given: callers
 * end their lines with `"\n"`.
 */
export interface Output {
  /** Writes text to standard output (results). */
  out(text: string): void;
  /** Writes text to standard error (errors, warnings, progress). */
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
 * so everything is out before the process exits. A command shows a progress
 * line only when it writes here and standard error is a terminal.
 *
 * @example
 * ```ts
 * import { standardOutput } from "@nonlin/backends/output";
 * import assert from "node:assert";
 *
 * assert.strictEqual(typeof standardOutput.out, "function");
 * assert.ok(Object.isFrozen(standardOutput));
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

function reason(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split("\n")[0]!;
}

async function statOrUndefined(
  path: string,
): Promise<Deno.FileInfo | undefined> {
  try {
    return await Deno.stat(path);
  } catch (error) {
    // Under a file, stat fails with ENOTDIR: nothing is there either.
    if (
      error instanceof Deno.errors.NotFound ||
      error instanceof Deno.errors.NotADirectory
    ) {
      return undefined;
    }
    throw error;
  }
}

/**
 * Why a folder cannot be created or written to, or `undefined` when it can.
 * Creates nothing: the nearest folder that exists must be a writable
 * folder (checked by creating and removing a file in it), so that the
 * missing ones can be made under it.
 *
 * @param dir The folder.
 * @returns The reason, in a few words, or `undefined`.
 *
 * @example
 * ```ts
 * import { outputDirProblem } from "@nonlin/backends/output";
 * import assert from "node:assert";
 *
 * const file = await Deno.makeTempFile();
 * assert.strictEqual(await outputDirProblem(`${file}/figures`), `${file} is not a folder`);
 * assert.strictEqual(await outputDirProblem(await Deno.makeTempDir()), undefined);
 * ```
 */
export async function outputDirProblem(
  dir: string,
): Promise<string | undefined> {
  if (dir === "") return "the path is empty";
  let existing = resolve(dir);
  let info: Deno.FileInfo | undefined;
  try {
    while ((info = await statOrUndefined(existing)) === undefined) {
      const parent = dirname(existing);
      if (parent === existing) return `no folder of ${dir} exists`;
      existing = parent;
    }
  } catch (error) {
    return reason(error);
  }
  if (!info.isDirectory) return `${existing} is not a folder`;
  try {
    const probe = await Deno.makeTempFile({
      dir: existing,
      prefix: ".nonlin_write_check_",
    });
    await Deno.remove(probe);
  } catch (error) {
    return `${existing} is not writable: ${reason(error)}`;
  }
  return undefined;
}

/**
 * Why a file cannot be written, or `undefined` when it can: an existing
 * file must open for writing (it is not truncated here); a new one needs a
 * folder that {@linkcode outputDirProblem} accepts.
 *
 * @param path The file.
 * @returns The reason, in a few words, or `undefined`.
 *
 * @example
 * ```ts
 * import { outputFileProblem } from "@nonlin/backends/output";
 * import assert from "node:assert";
 *
 * const dir = await Deno.makeTempDir();
 * assert.strictEqual(await outputFileProblem(`${dir}/new/report.json`), undefined);
 * assert.strictEqual(await outputFileProblem(dir), `${dir} is a folder`);
 * ```
 */
export async function outputFileProblem(
  path: string,
): Promise<string | undefined> {
  if (path === "") return "the path is empty";
  let info: Deno.FileInfo | undefined;
  try {
    info = await statOrUndefined(path);
  } catch (error) {
    return reason(error);
  }
  if (info === undefined) return await outputDirProblem(dirname(resolve(path)));
  if (info.isDirectory) return `${path} is a folder`;
  try {
    (await Deno.open(path, { write: true })).close();
  } catch (error) {
    return `${path} is not writable: ${reason(error)}`;
  }
  return undefined;
}

/** An output a command will write: a file or a folder, and the flag naming it. */
export interface OutputPath {
  /** The flag, as the user wrote it: `--json`. */
  readonly flag: string;
  /** The path given. */
  readonly path: string;
  /** Whether it names a folder. @default false */
  readonly folder?: boolean;
}

/**
 * The first output a command cannot write, as the one line it prints
 * (`cannot write --json out/x.json: /etc/passwd is not a folder`), or
 * `undefined` when every one can be written.
 *
 * @param outputs The outputs, in the order the command writes them.
 * @returns The line, without the command's name or a newline.
 *
 * @example
 * ```ts
 * import { outputPathsProblem } from "@nonlin/backends/output";
 * import assert from "node:assert";
 *
 * const dir = await Deno.makeTempDir();
 * assert.strictEqual(
 *   await outputPathsProblem([{ flag: "--json", path: dir }]),
 *   `cannot write --json ${dir}: ${dir} is a folder`,
 * );
 * assert.strictEqual(
 *   await outputPathsProblem([{ flag: "--out", path: dir, folder: true }]),
 *   undefined,
 * );
 * ```
 */
export async function outputPathsProblem(
  outputs: readonly OutputPath[],
): Promise<string | undefined> {
  for (const { flag, path, folder } of outputs) {
    const problem = folder
      ? await outputDirProblem(path)
      : await outputFileProblem(path);
    if (problem !== undefined) {
      return `cannot write ${flag} ${path}: ${problem}`;
    }
  }
  return undefined;
}
