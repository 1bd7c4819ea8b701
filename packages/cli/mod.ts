/**
 * `@nonlin/cli`: the `nonlin` command (`deno task nonlin …`), and its parts
 * for programs that want them in process: {@linkcode evaluate} (what
 * `nonlin eval` computes), {@linkcode listBackends}, and the float32 text
 * format ({@linkcode formatFloat32}, {@linkcode parseFloat32List}).
 *
 * ```ts
 * import { BufferedOutput, main } from "@nonlin/cli";
 * import assert from "node:assert";
 *
 * const output = new BufferedOutput();
 * const backend = new URL("./testdata/reference_backend.ts", import.meta.url).href;
 * const status = await main(["eval", "sigmoid", "--backend", backend, "--x", "0", "--json"], output);
 * assert.strictEqual(status, 0);
 * assert.deepStrictEqual(JSON.parse(output.stdout).dx, [0.25]);
 * ```
 *
 * @module
 */

export { type Command, type CommandModule, commands, main } from "./main.ts";
export { BufferedOutput, type Output, standardOutput } from "./output.ts";
export {
  formatFloat32,
  jsonFloat32,
  parseFloat32,
  parseFloat32List,
  parseNumber,
} from "@nonlin/core";
export {
  checkEvalRequest,
  DEFAULT_TIMEOUT_S,
  evalHelp,
  type EvalOptions,
  type EvalParamValue,
  type EvalRequest,
  type EvalResult,
  EvalTimeoutError,
  evaluate,
  formatEvalJson,
  formatEvalText,
  type FormatEvalTextOptions,
} from "./eval.ts";
export {
  type BackendReport,
  backendsHelp,
  formatBackendsText,
  listBackends,
} from "./backends.ts";
