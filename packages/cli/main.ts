/**
 * The `nonlin` command: `deno task nonlin <command> …`. Each subcommand is a
 * module imported only when it runs, so a slow or broken one never slows or
 * breaks the others.
 *
 * @module
 */

import { type Output, standardOutput } from "./output.ts";

/**
 * What a subcommand's module exports: `main(args, output)`, resolving to the
 * exit status (0 success, 1 failure, 2 bad usage). `args` are the arguments
 * after the subcommand's name; `output` is where to write (a module may
 * ignore it and write to the console). `<command> --help` is passed on to the
 * module, which prints its usage.
 */
export interface CommandModule {
  /** Runs the subcommand; resolves to its exit status. */
  main(args: string[], output?: Output): Promise<number>;
}

/** One subcommand: a one-line summary for `nonlin --help`, and its module. */
export interface Command {
  /** What it does, in a few words. */
  readonly summary: string;
  /** Imports the module. */
  readonly load: () => Promise<CommandModule>;
  /**
   * Whether the process ends by itself once the command returns, so that
   * `nonlin` sets the exit code instead of calling `Deno.exit`. Set where
   * the backends run in workers that release their device and end
   * themselves: `Deno.exit` while a worker tears down its WebGPU device
   * crashed Deno 2.9.6 (about 1 run in 12).
   */
  readonly exitsOnItsOwn?: boolean;
}

/**
 * The subcommands, in the order `nonlin --help` lists them.
 *
 * @example
 * ```ts
 * import { commands } from "@nonlin/cli";
 * import assert from "node:assert";
 *
 * assert.ok("eval" in commands && "backends" in commands);
 * assert.strictEqual(typeof (await commands.eval!.load()).main, "function");
 * ```
 */
export const commands: Readonly<Record<string, Command>> = {
  eval: {
    summary: "an op, its gradients and 2nd derivative",
    load: () => import("./eval.ts"),
  },
  backends: {
    summary: "the backends, and whether they run here",
    load: () => import("./backends.ts"),
  },
  conformance: {
    summary:
      "every backend against the reference, the conventions and each other",
    load: () => import("@nonlin/conformance/cli"),
    exitsOnItsOwn: true,
  },
  plot: {
    summary: "the figures: each op and its gradient per backend",
    load: () => import("@nonlin/plot/cli"),
  },
  bench: {
    summary: "the backends' speed against each other and the memory floor",
    load: () => import("@nonlin/bench/cli"),
  },
  book: {
    summary: "serves the live §5.1 page: every backend in the browser",
    load: () => import("@nonlin/book/cli"),
  },
  // Other packages register their subcommand here, one entry each, pointing
  // at a module that exports `main(args: string[], output?: Output):
  // Promise<number>`, e.g.
  //   conformance: { summary: "…", load: () => import("@nonlin/conformance/cli") },
  // (with "./cli" in that package's deno.json exports).
};

/** The help text of `nonlin`. */
function help(): string {
  const width = Math.max(...Object.keys(commands).map((name) => name.length));
  const list = Object.entries(commands)
    .map(([name, command]) => `  ${name.padEnd(width)}  ${command.summary}`);
  return `Usage: nonlin <command> [options]

Activation functions and their gradients on interchangeable backends.

Commands:
${list.join("\n")}

Run "nonlin <command> --help" for a command's options.
`;
}

/**
 * Runs the `nonlin` command with the given arguments.
 *
 * @param args The arguments, e.g. `["eval", "gelu", "--backend", "native", "--x=-1,0,1"]`.
 * @param output Where to write. @default the process's stdout and stderr
 * @returns The exit status: 0 on success, 1 when a command fails, 2 for bad
 * usage (no command, an unknown one, bad options).
 *
 * @example
 * ```ts
 * import { BufferedOutput, main } from "@nonlin/cli";
 * import assert from "node:assert";
 *
 * const output = new BufferedOutput();
 * assert.strictEqual(await main(["evaluate"], output), 2);
 * assert.match(output.stderr, /unknown command "evaluate": expected one of eval, backends/);
 * ```
 */
export async function main(
  args: string[],
  output: Output = standardOutput,
): Promise<number> {
  const [name, ...rest] = args;
  if (name === undefined) {
    output.err(help());
    return 2;
  }
  if (
    name === "-h" || name === "--help" || (name === "help" && rest.length === 0)
  ) {
    output.out(help());
    return 0;
  }
  if (name === "help") return main([rest[0]!, "--help"], output);
  const command = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (command === undefined) {
    output.err(
      `nonlin: unknown command "${name}": expected one of ${
        Object.keys(commands).join(", ")
      }\nRun "nonlin --help" for usage.\n`,
    );
    return 2;
  }
  let module: CommandModule;
  try {
    module = await command.load();
  } catch (error) {
    output.err(
      `nonlin ${name}: could not load the command: ${message(error)}\n`,
    );
    return 1;
  }
  try {
    return await module.main(rest, output);
  } catch (error) {
    output.err(`nonlin ${name}: ${message(error)}\n`);
    return 1;
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

if (import.meta.main) {
  const code = await main(Deno.args);
  const name = Deno.args[0] ?? "";
  // Other commands may hold a backend in this process (jax-js's worker pool
  // keeps it alive), so they end it; conformance's workers end themselves.
  if (Object.hasOwn(commands, name) && commands[name]!.exitsOnItsOwn) {
    Deno.exitCode = code;
  } else {
    Deno.exit(code);
  }
}
