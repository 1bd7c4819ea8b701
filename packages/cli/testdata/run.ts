// What the CLI's tests share: a fixture backend's URL, and running `nonlin`
// in process with its output kept.

import { main } from "../main.ts";
import { BufferedOutput } from "../output.ts";

/** The URL of a module in this folder. */
export function fixture(name: string): string {
  return new URL(`./${name}`, import.meta.url).href;
}

/** What one in-process run of `nonlin` gave. */
export interface Run {
  /** The exit status. */
  readonly status: number;
  /** Everything written to standard output. */
  readonly stdout: string;
  /** Everything written to standard error. */
  readonly stderr: string;
}

/** A command's `main`: the arguments and where to write, to the exit status. */
export type Main = (args: string[], output: BufferedOutput) => Promise<number>;

/** Runs a command's `main` in process, keeping what it writes. */
export function runOf(command: Main): (...args: string[]) => Promise<Run> {
  return async (...args) => {
    const output = new BufferedOutput();
    const status = await command(args, output);
    return { status, stdout: output.stdout, stderr: output.stderr };
  };
}

/** Runs `nonlin ARGS…` in process. */
export const run: (...args: string[]) => Promise<Run> = runOf(main);
