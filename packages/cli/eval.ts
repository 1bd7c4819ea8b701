/**
 * `nonlin eval`: one op on one backend at the given points, with its output,
 * its gradients and its second derivative.
 *
 * @module
 */

import { parseArgs } from "node:util";
import {
  type BackendModule,
  BackendUnavailableError,
  checkBroadcast,
  describe,
  formatFloat32,
  formatInterval,
  getOp,
  jsonFloat32,
  opNames,
  ops,
  type ParamSpec,
  parseFloat32List,
  parseNumber,
  resolveParams,
} from "@nonlin/core";
import { loadBackend } from "@nonlin/backends";
import { type Output, standardOutput } from "./output.ts";

/**
 * How long `nonlin eval` waits, by default, for the backend to load and
 * compute before it gives up: ample for a few points on any backend here,
 * WebGPU's start-up included.
 */
export const DEFAULT_TIMEOUT_S = 60;

/** How {@linkcode evaluate} runs. */
export interface EvalOptions {
  /**
   * Gives up waiting on the backend when aborted: the call in flight then
   * fails with an {@linkcode EvalTimeoutError} naming it. `nonlin eval`
   * aborts it at `--timeout`.
   * @default never aborted
   */
  readonly signal?: AbortSignal;
}

/**
 * A backend call that did not settle before {@linkcode EvalOptions.signal}
 * was aborted, named with the backend, the op and the call (`y`, `vjp`,
 * `second derivative`).
 */
export class EvalTimeoutError extends Error {
  /**
   * Names the backend, the call and why the wait ended.
   *
   * @param backend The backend's name.
   * @param what The op and the call, e.g. `relu (y)`.
   * @param reason Why the wait ended, e.g. `no answer within --timeout 5 s`.
   */
  constructor(backend: string, what: string, reason: string) {
    super(`Backend ${backend} did not settle computing ${what}: ${reason}`);
    this.name = "EvalTimeoutError";
  }
}

/** A parameter value as `nonlin eval` passes it to a backend. */
export type EvalParamValue = number | string | Float32Array;

/** What to evaluate: an op, its parameters and the points. */
export interface EvalRequest {
  /** The op's catalog name. */
  readonly op: string;
  /** The parameters as given; the catalog's defaults fill in the rest. */
  readonly params: Readonly<Record<string, EvalParamValue>>;
  /** The input. */
  readonly x: Float32Array;
  /** The upstream gradient, as long as x. @default all ones */
  readonly dy?: Float32Array;
}

/**
 * What `nonlin eval` reports. A gradient that the backend cannot compute is
 * the string `"not supported by this backend: <reason>"` instead of an array.
 */
export interface EvalResult {
  /** The op's name. */
  readonly op: string;
  /** The backend's name, as it reports it. */
  readonly backend: string;
  /** Every parameter, defaults filled in. */
  readonly params: Readonly<Record<string, EvalParamValue>>;
  /** The input. */
  readonly x: Float32Array;
  /** The upstream gradient used for dx and dparams. */
  readonly dy: Float32Array;
  /** f(x). */
  readonly y: Float32Array;
  /** dy · f'(x). */
  readonly dx: Float32Array | string;
  /** Σ dy · ∂f/∂θ for each learned parameter θ (prelu α per element of α). */
  readonly dparams: Readonly<Record<string, Float32Array | string>>;
  /** f''(x). */
  readonly d2x: Float32Array | string;
}

/**
 * Checks a request against the catalog without touching a backend: the op
 * exists, the parameters are valid, dy is as long as x, a tensor parameter
 * broadcasts to x.
 *
 * @param request The request.
 * @returns The parameters with the catalog's defaults filled in.
 * @throws {RangeError} For an unknown op (the message lists them), a
 * parameter out of range, dy of another length, a parameter that does not
 * broadcast.
 * @throws {TypeError} For an unknown parameter or a value of the wrong type.
 *
 * @example
 * ```ts
 * import { checkEvalRequest } from "@nonlin/cli";
 * import assert from "node:assert";
 *
 * const x = new Float32Array([-1, 0, 1]);
 * assert.deepStrictEqual(checkEvalRequest({ op: "gelu", params: {}, x }), { approximate: "none" });
 * assert.throws(() => checkEvalRequest({ op: "softplus", params: { beta: 0 }, x }), RangeError);
 * assert.throws(() => checkEvalRequest({ op: "relu", params: {}, x, dy: new Float32Array(2) }), RangeError);
 * ```
 */
export function checkEvalRequest(
  request: EvalRequest,
): Readonly<Record<string, EvalParamValue>> {
  const spec = getOp(request.op);
  const resolved = resolveParams(spec.name, request.params) as Record<
    string,
    EvalParamValue
  >;
  if (request.dy !== undefined && request.dy.length !== request.x.length) {
    throw new RangeError(
      `dy must have as many values as x: got ${request.dy.length} and ${request.x.length}`,
    );
  }
  for (const [name, value] of Object.entries(resolved)) {
    if (value instanceof Float32Array) {
      checkBroadcast(
        [value.length],
        [request.x.length],
        `${spec.name} ${name}`,
      );
    }
  }
  return resolved;
}

/**
 * Evaluates an op on a backend: the output, the VJP (dx and every learned
 * parameter's gradient) with the given dy, and the second derivative. A
 * `NotSupportedError` from the VJP or the second derivative becomes a
 * `"not supported by this backend: <reason>"` string in the result; any
 * other error is thrown.
 *
 * @param backend A backend module, e.g. from `loadBackend`.
 * @param request What to evaluate.
 * @param options A signal that ends the wait on the backend.
 * @returns Everything `nonlin eval` prints.
 * @throws {BackendUnavailableError} When the backend cannot run here.
 * @throws {TypeError} When the backend returns something other than a
 * Float32Array of the right length, or throws something other than an
 * Error (the message names the backend, the op and the call).
 * @throws {EvalTimeoutError} When a call has not settled by the time
 * `options.signal` aborts.
 *
 * @example
 * ```ts
 * import { evaluate } from "@nonlin/cli";
 * import { loadBackend } from "@nonlin/backends";
 * import assert from "node:assert";
 *
 * const backend = await loadBackend(new URL("./testdata/reference_backend.ts", import.meta.url).href);
 * const result = await evaluate(backend, { op: "relu", params: {}, x: new Float32Array([-1, 2]) });
 * assert.deepStrictEqual(result.y, new Float32Array([0, 2]));
 * assert.deepStrictEqual(result.dx, new Float32Array([0, 1]));
 * ```
 */
export async function evaluate(
  backend: BackendModule,
  request: EvalRequest,
  options: EvalOptions = {},
): Promise<EvalResult> {
  const params = checkEvalRequest(request);
  const info = backend.backend;
  if (!info.available) {
    throw new BackendUnavailableError(
      info.name,
      info.reason ?? "no reason given",
    );
  }
  const op = getOp(request.op);
  const { x } = request;
  const dy = request.dy ?? new Float32Array(x.length).fill(1);
  const learned = Object.entries(op.params as Record<string, ParamSpec>)
    .filter(([, spec]) => spec.learned)
    .map(([name]) => name);
  const returned = (
    value: unknown,
    length: number,
    what: string,
  ): Float32Array => {
    if (value instanceof Float32Array && value.length === length) return value;
    const got = value instanceof Float32Array
      ? `a Float32Array of ${value.length} elements`
      : value === null || typeof value !== "object"
      ? String(value)
      : value.constructor?.name ?? "an object";
    throw new TypeError(
      `Backend ${info.name} returned a wrong ${what} for ${op.name}: expected a Float32Array of ${length} elements, got ${got}`,
    );
  };

  // The contract's functions are typed per op; here the op is a run-time name.
  const untyped = backend as unknown as Record<
    string,
    (...args: unknown[]) => Promise<unknown>
  >;
  const { signal } = options;
  // One backend call: abandoned when the signal aborts, and a thrown
  // non-Error (a string, say) turned into an Error that says who threw it
  // and where.
  const call = async (what: string, f: () => unknown): Promise<unknown> => {
    const where = `${op.name} (${what})`;
    const timedOut = () =>
      new EvalTimeoutError(
        info.name,
        where,
        signal!.reason instanceof Error
          ? signal!.reason.message
          : String(signal!.reason),
      );
    let onAbort: (() => void) | undefined;
    try {
      if (signal?.aborted) throw timedOut();
      const work = (async () => await f())();
      if (signal === undefined) return await work;
      const aborted = new Promise<never>((_, reject) => {
        onAbort = () => reject(timedOut());
        signal.addEventListener("abort", onAbort, { once: true });
      });
      return await Promise.race([work, aborted]);
    } catch (error) {
      if (error instanceof Error) throw error;
      throw new TypeError(
        `Backend ${info.name} threw ${
          describe(error)
        }, not an Error, computing ${where}`,
        { cause: error },
      );
    } finally {
      if (onAbort !== undefined) signal?.removeEventListener("abort", onAbort);
    }
  };
  const y = returned(
    await call("y", () => untyped[op.name]!(x, request.params)),
    x.length,
    "y",
  );

  let dx: Float32Array | string;
  let dparams: Record<string, Float32Array | string>;
  try {
    const grads = await call("vjp", () =>
      untyped.vjp!(op.name, x, {
        dy,
        params: request.params,
      })) as {
        dx?: unknown;
        dparams?: Record<string, unknown>;
      };
    dx = returned(grads.dx, x.length, "dx");
    dparams = {};
    for (const name of learned) {
      const value = params[name];
      const length = value instanceof Float32Array ? value.length : 1;
      dparams[name] = returned(
        grads.dparams?.[name],
        length,
        `gradient of ${name}`,
      );
    }
  } catch (error) {
    const reason = notSupported(error);
    if (reason === undefined) throw error;
    dx = reason;
    dparams = Object.fromEntries(learned.map((name) => [name, reason]));
  }

  let d2x: Float32Array | string;
  try {
    d2x = returned(
      await call(
        "second derivative",
        () => untyped.secondDerivative!(op.name, x, request.params),
      ),
      x.length,
      "second derivative",
    );
  } catch (error) {
    const reason = notSupported(error);
    if (reason === undefined) throw error;
    d2x = reason;
  }

  return {
    op: op.name,
    backend: info.name,
    params,
    x,
    dy,
    y,
    dx,
    dparams,
    d2x,
  };
}

/**
 * The report of a `NotSupportedError`, or `undefined` for any other error.
 * Matched by name, not class, so that a backend loaded from a path with its
 * own copy of `@nonlin/core` is understood too.
 */
function notSupported(error: unknown): string | undefined {
  if (!(error instanceof Error) || error.name !== "NotSupportedError") {
    return undefined;
  }
  const reason = (error as { reason?: unknown }).reason;
  return `not supported by this backend: ${
    typeof reason === "string" ? reason : error.message
  }`;
}

function jsonValue(value: EvalParamValue | Float32Array | string): unknown {
  if (value instanceof Float32Array) return Array.from(value, jsonFloat32);
  return value;
}

/** Writes a JSON value on one line, with a space after each comma and colon. */
function inline(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(inline).join(", ")}]`;
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value).map(([k, v]) =>
      `${JSON.stringify(k)}: ${inline(v)}`
    );
    return entries.length === 0 ? "{}" : `{ ${entries.join(", ")} }`;
  }
  return JSON.stringify(value);
}

/**
 * Writes a result as the one JSON object of the CLI contract:
 * `{ "op", "backend", "params", "x", "y", "dx", "dparams", "d2x" }`, one key
 * per line. Finite numbers other than −0 are JSON numbers written as the
 * shortest decimal that reads back to the same float32; NaN, ±∞ and −0 are
 * the strings `"NaN"`, `"Infinity"`, `"-Infinity"` and `"-0"`.
 *
 * @param result The result of {@linkcode evaluate}.
 * @returns The JSON text, ending in a newline.
 *
 * @example
 * ```ts
 * import { evaluate, formatEvalJson } from "@nonlin/cli";
 * import { loadBackend } from "@nonlin/backends";
 * import assert from "node:assert";
 *
 * const backend = await loadBackend(new URL("./testdata/reference_backend.ts", import.meta.url).href);
 * const x = new Float32Array([NaN, -0, 0.1]);
 * const json = JSON.parse(formatEvalJson(await evaluate(backend, { op: "tanh", params: {}, x })));
 * assert.deepStrictEqual(json.y, ["NaN", "-0", 0.099667996]);
 * ```
 */
export function formatEvalJson(result: EvalResult): string {
  const object = {
    op: result.op,
    backend: result.backend,
    params: Object.fromEntries(
      Object.entries(result.params).map(([k, v]) => [k, jsonValue(v)]),
    ),
    x: jsonValue(result.x),
    y: jsonValue(result.y),
    dx: jsonValue(result.dx),
    dparams: Object.fromEntries(
      Object.entries(result.dparams).map(([k, v]) => [k, jsonValue(v)]),
    ),
    d2x: jsonValue(result.d2x),
  };
  const lines = Object.entries(object).map(([k, v]) =>
    `  ${JSON.stringify(k)}: ${inline(v)}`
  );
  return `{\n${lines.join(",\n")}\n}\n`;
}

function textValue(value: EvalParamValue): string {
  if (value instanceof Float32Array) {
    return `[${Array.from(value, formatFloat32).join(", ")}]`;
  }
  return typeof value === "number" ? String(value) : value;
}

/** Options of {@linkcode formatEvalText}. */
export interface FormatEvalTextOptions {
  /** Whether to show the dy column. @default false */
  readonly showDy?: boolean;
}

/**
 * Writes a result as a table for people: one row per element with the
 * columns x, (dy), y, dx and d2x, followed by the parameter gradients.
 * Numbers are written as {@linkcode formatFloat32} writes them.
 *
 * @param result The result of {@linkcode evaluate}.
 * @param options Whether to show dy.
 * @returns The text, ending in a newline.
 *
 * @example
 * ```ts
 * import { evaluate, formatEvalText } from "@nonlin/cli";
 * import { loadBackend } from "@nonlin/backends";
 * import assert from "node:assert";
 *
 * const backend = await loadBackend(new URL("./testdata/reference_backend.ts", import.meta.url).href);
 * const result = await evaluate(backend, { op: "relu", params: {}, x: new Float32Array([-1, 2]) });
 * assert.ok(formatEvalText(result).includes("   x  y  dx  d2x\n  -1  0   0    0\n"));
 * ```
 */
export function formatEvalText(
  result: EvalResult,
  options: FormatEvalTextOptions = {},
): string {
  const params = Object.entries(result.params);
  const lines = [
    `op       ${result.op}`,
    `backend  ${result.backend}`,
    `params   ${
      params.length === 0
        ? "(none)"
        : params.map(([k, v]) => `${k} = ${textValue(v)}`).join(", ")
    }`,
    "",
  ];
  const columns: [string, Float32Array | string][] = [["x", result.x]];
  if (options.showDy) columns.push(["dy", result.dy]);
  columns.push(["y", result.y], ["dx", result.dx], ["d2x", result.d2x]);
  const shown = columns.filter((c): c is [string, Float32Array] =>
    c[1] instanceof Float32Array
  );
  const cells = shown.map((
    [name, values],
  ) => [name, ...Array.from(values, formatFloat32)]);
  const widths = cells.map((column) =>
    Math.max(...column.map((s) => s.length))
  );
  for (let row = 0; row < result.x.length + 1; row++) {
    lines.push(
      cells.map((column, c) => `  ${column[row]!.padStart(widths[c]!)}`).join(
        "",
      ),
    );
  }
  if (result.x.length === 0) lines.push("  (x is empty)");
  for (const [name, value] of columns) {
    if (typeof value === "string") lines.push("", `${name.padEnd(8)} ${value}`);
  }
  const dparams = Object.entries(result.dparams);
  lines.push(
    "",
    `dparams  ${
      dparams.length === 0
        ? `(${result.op} has no learned parameters)`
        : dparams.map(([k, v]) => `${k} = ${textValue(v)}`).join(", ")
    }`,
  );
  return lines.join("\n") + "\n";
}

function describeParam(name: string, spec: ParamSpec): string {
  switch (spec.kind) {
    case "choice":
      return `${name} = ${spec.choices.join(" | ")} (default ${spec.default})`;
    case "real":
      return `${name} = ${
        "default" in spec ? spec.default : "v (required)"
      } in ${formatInterval(spec.range)}${spec.learned ? ", learned" : ""}`;
    case "tensor":
      return `${name} = v or v,v,… (required, broadcast to x), learned`;
  }
}

/** The help text of `nonlin eval`, with every op of the catalog and its parameters. */
export function evalHelp(): string {
  const width = Math.max(...opNames.map((name) => name.length));
  const catalog = opNames.map((name) => {
    const params = Object.entries(ops[name].params as Record<string, ParamSpec>)
      .map(([p, spec]) => describeParam(p, spec));
    return `  ${name.padEnd(width)}  ${params.join("; ")}`.trimEnd();
  });
  return `Usage: nonlin eval <op> --backend <name|path> [--param k=v …] --x <v,v,…> [--dy <v,v,…>] [--json] [--timeout <seconds>]

Evaluates an activation function on a backend at the points x and prints the
input x, the output y = f(x), the gradient dx = dy·f'(x), the gradient with
respect to each learned parameter (Σ dy·∂f/∂θ), and the second derivative
f''(x).

Options:
  --backend <name|path>  a built-in backend, or the path or URL of a module
                         implementing the contract (see nonlin backends)
  --x <v,v,…>            the input, comma-separated; besides decimals
                         NaN, Infinity, -Infinity, -0, nan, inf, +inf, -inf
  --dy <v,v,…>           the upstream gradient, as many values as x
                         (default: all ones)
  --param <name=value>   a parameter, repeatable: --param alpha=0.2;
                         prelu's alpha may be a list: --param alpha=0.1,0.2;
                         gelu: --param approximate=tanh
  --json                 one JSON object { "op", "backend", "params", "x",
                         "y", "dx", "dparams", "d2x" } instead of a table
  --timeout <seconds>    how long the backend may take to load and compute,
                         all calls together (default: ${DEFAULT_TIMEOUT_S}); past
                         it the command fails naming the call that hung
  -h, --help             this help

Numbers are written as the shortest decimal that reads back to the same
float32; NaN, ±∞ and −0 as "NaN", "Infinity", "-Infinity", "-0". A gradient
the backend cannot compute is reported as "not supported by this backend: …".

Ops and parameters:
${catalog.join("\n")}

Exit status: 0 on success, 1 when the backend fails, 2 for bad usage.

Example:
  nonlin eval gelu --backend native --x=-1,0,1 --json
`;
}

/**
 * Lets `--x -1,0,1` through: parseArgs takes a value starting with "-" for an
 * option, so a number list after --x or --dy is joined to it with "=".
 */
function joinNumberLists(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const next = args[i + 1];
    if (
      (arg === "--x" || arg === "--dy") && next !== undefined &&
      /^-([\d.]|inf|nan)/i.test(next)
    ) {
      out.push(`${arg}=${next}`);
      i++;
    } else {
      out.push(arg);
    }
  }
  return out;
}

/** Reads the `--param name=value` options against the op's catalog entry. */
function parseParams(
  op: string,
  given: readonly string[],
): Record<string, EvalParamValue> {
  const spec = getOp(op);
  const params: Record<string, EvalParamValue> = {};
  for (const item of given) {
    const eq = item.indexOf("=");
    if (eq <= 0) {
      throw new TypeError(
        `--param must be name=value: got ${JSON.stringify(item)}`,
      );
    }
    const name = item.slice(0, eq).trim();
    const text = item.slice(eq + 1);
    const param = (spec.params as Record<string, ParamSpec>)[name];
    if (param === undefined) {
      const names = Object.keys(spec.params);
      throw new TypeError(
        `Unknown parameter "${name}" of ${spec.name}: ${
          names.length === 0 ? "it takes none" : `expected ${names.join(", ")}`
        }`,
      );
    }
    if (Object.hasOwn(params, name)) {
      throw new TypeError(`Parameter "${name}" of ${spec.name} is given twice`);
    }
    const what = `${spec.name} ${name}`;
    params[name] = param.kind === "choice"
      ? text.trim()
      : param.kind === "tensor" && text.includes(",")
      ? parseFloat32List(text, what)
      : parseNumber(text, what);
  }
  return params;
}

/** A command-line mistake: reported with exit status 2. */
class UsageError extends Error {
  constructor(cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.name = "UsageError";
  }
}

function usage<T>(f: () => T): T {
  try {
    return f();
  } catch (error) {
    throw new UsageError(error);
  }
}

/**
 * Runs `nonlin eval`.
 *
 * @param args The arguments after `eval`.
 * @param output Where to write.
 * @returns The exit status: 0 on success, 1 when the backend fails, 2 for
 * bad usage (unknown op, parameter or backend name, a value that is not a
 * number, dy of another length, a parameter out of range).
 *
 * @example
 * ```ts
 * import { BufferedOutput } from "@nonlin/cli";
 * import { main } from "@nonlin/cli";
 * import assert from "node:assert";
 *
 * const output = new BufferedOutput();
 * const backend = new URL("./testdata/reference_backend.ts", import.meta.url).href;
 * assert.strictEqual(await main(["eval", "relu", "--backend", backend, "--x=-1,2", "--json"], output), 0);
 * assert.deepStrictEqual(JSON.parse(output.stdout).y, [0, 2]);
 * ```
 */
export async function main(
  args: string[],
  output: Output = standardOutput,
): Promise<number> {
  const fail = (status: number, message: string, hint = ""): number => {
    output.err(`nonlin eval: ${message.replaceAll("\n", " ")}\n${hint}`);
    return status;
  };
  try {
    const { values, positionals } = usage(() =>
      parseArgs({
        args: joinNumberLists(args),
        options: {
          backend: { type: "string" },
          x: { type: "string" },
          dy: { type: "string" },
          param: { type: "string", multiple: true },
          json: { type: "boolean" },
          timeout: { type: "string" },
          help: { type: "boolean", short: "h" },
        },
        allowPositionals: true,
        strict: true,
      })
    );
    if (values.help) {
      output.out(evalHelp());
      return 0;
    }
    const request = usage(() => {
      if (positionals.length !== 1) {
        throw new TypeError(
          positionals.length === 0
            ? `Missing op: expected one of ${opNames.join(", ")}`
            : `Expected one op, got ${positionals.length}: ${
              positionals.join(" ")
            }`,
        );
      }
      const op = getOp(positionals[0]).name;
      if (values.backend === undefined) {
        throw new TypeError(
          "Missing --backend: a backend name (see nonlin backends) or a module path",
        );
      }
      if (values.x === undefined) {
        throw new TypeError("Missing --x: the input, e.g. --x=-1,0,1");
      }
      const r: EvalRequest = {
        op,
        params: parseParams(op, values.param ?? []),
        x: parseFloat32List(values.x, "--x"),
        ...(values.dy === undefined
          ? {}
          : { dy: parseFloat32List(values.dy, "--dy") }),
      };
      checkEvalRequest(r);
      return r;
    });
    const timeoutS = usage(() => {
      const seconds = values.timeout === undefined
        ? DEFAULT_TIMEOUT_S
        : Number(values.timeout);
      if (
        !(seconds > 0 && seconds <= 86_400) || values.timeout?.trim() === ""
      ) {
        throw new RangeError(
          `--timeout must be a number of seconds in (0, 86400]: got ${values.timeout}`,
        );
      }
      return seconds;
    });

    // One limit for the load and every call together.
    const limit = new AbortController();
    const timer = setTimeout(
      () => limit.abort(new Error(`no answer within --timeout ${timeoutS} s`)),
      timeoutS * 1000,
    );
    try {
      let backend: BackendModule;
      try {
        backend = await Promise.race([
          loadBackend(values.backend!),
          new Promise<never>((_, reject) =>
            limit.signal.addEventListener(
              "abort",
              () => reject(new Error(`it did not load within ${timeoutS} s`)),
              { once: true },
            )
          ),
        ]);
      } catch (error) {
        if (error instanceof RangeError) throw new UsageError(error);
        return fail(
          1,
          `Could not load backend ${values.backend}: ${message(error)}`,
        );
      }
      const result = await evaluate(backend, request, {
        signal: limit.signal,
      });
      output.out(
        values.json
          ? formatEvalJson(result)
          : formatEvalText(result, { showDy: values.dy !== undefined }),
      );
      return 0;
    } finally {
      clearTimeout(timer);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      return fail(2, error.message, 'Run "nonlin eval --help" for usage.\n');
    }
    return fail(1, message(error));
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
