/**
 * `nonlin backends`: every built-in backend (and any module given by path),
 * whether it can run here, why not, and what it can do.
 *
 * @module
 */

import { parseArgs } from "node:util";
import type { Unsupported } from "@nonlin/core";
import {
  backendNames,
  backendVariantNames,
  isModulePath,
  loadBackend,
  peerBackendNames,
} from "@nonlin/backends";
import { type Output, standardOutput } from "./output.ts";

/** How long one backend may take to load before it is reported as hanging. */
const LOAD_TIMEOUT_MS = 60_000;

/** What `nonlin backends` reports about one backend. */
export interface BackendReport {
  /** The built-in name, or for a module path the name the module reports. */
  readonly name: string;
  /** The module path or URL, for a backend that is not built in. */
  readonly module?: string;
  /** Whether it can run in this process. */
  readonly available: boolean;
  /** Why not: the backend's own reason, or the error that stopped it loading. */
  readonly reason?: string;
  /** The arithmetic its kernels use, when it loaded. */
  readonly precision?: string;
  /** Facts about the engine here (`simd`, `threads`, the GPU adapter, versions). */
  readonly properties: Readonly<Record<string, string | number | boolean>>;
  /** What it cannot compute, and why. */
  readonly unsupported: readonly Unsupported[];
}

/**
 * Loads every built-in backend and every module given, and reports on each.
 * A backend that fails to load (or takes over a minute) is reported as not
 * available with the error as its reason; nothing is thrown.
 *
 * @param modules Module paths or URLs of further backends.
 * @returns One report per backend, built-in ones first.
 *
 * @example
 * ```ts
 * import { listBackends } from "@nonlin/cli";
 * import {
 *   backendNames,
 *   backendVariantNames,
 *   peerBackendNames,
 * } from "@nonlin/backends";
 * import assert from "node:assert";
 *
 * const reports = await listBackends(["./no_such_backend.ts"]);
 * assert.deepStrictEqual(reports.map((r) => r.name), [
 *   ...backendNames,
 *   ...peerBackendNames,
 *   ...backendVariantNames,
 *   "./no_such_backend.ts",
 * ]);
 * assert.strictEqual(reports.at(-1)?.available, false);
 * ```
 */
export async function listBackends(
  modules: readonly string[] = [],
): Promise<BackendReport[]> {
  const reports: BackendReport[] = [];
  for (
    const name of [...backendNames, ...peerBackendNames, ...backendVariantNames]
  ) {
    reports.push(await report(name, false));
  }
  const builtins = [
    ...backendNames,
    ...peerBackendNames,
    ...backendVariantNames,
  ];
  for (const path of modules) {
    if (!builtins.includes(path)) reports.push(await report(path, true));
  }
  return reports;
}

/** How the reason of a backend that could not be imported begins. */
const LOAD_FAILURE = "failed to load:";

async function report(
  nameOrPath: string,
  isPath: boolean,
): Promise<BackendReport> {
  const where = isPath ? { module: nameOrPath } : {};
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(new Error(`did not load within ${LOAD_TIMEOUT_MS / 1000} s`)),
        LOAD_TIMEOUT_MS,
      );
    });
    const module = await Promise.race([loadBackend(nameOrPath), timeout]);
    const info = module.backend;
    return {
      name: isPath ? info.name : nameOrPath,
      ...where,
      available: info.available,
      ...(info.available ? {} : { reason: info.reason ?? "no reason given" }),
      precision: info.precision,
      properties: info.capabilities?.properties ?? {},
      unsupported: info.capabilities?.unsupported ?? [],
    };
  } catch (error) {
    return {
      name: nameOrPath,
      ...where,
      available: false,
      reason: `${LOAD_FAILURE} ${
        (error instanceof Error ? error.message : String(error)).replaceAll(
          "\n",
          " ",
        )
      }`,
      properties: {},
      unsupported: [],
    };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Writes the reports for people: a table of the backends, whether each runs
 * here and why not, then each backend's properties and what it cannot
 * compute, grouped by feature and reason.
 *
 * @param reports From {@linkcode listBackends}.
 * @returns The text, ending in a newline.
 *
 * @example
 * ```ts
 * import { formatBackendsText } from "@nonlin/cli";
 * import assert from "node:assert";
 *
 * const text = formatBackendsText([
 *   { name: "native", available: true, precision: "float32", properties: { simd: false }, unsupported: [] },
 * ]);
 * assert.strictEqual(
 *   text,
 *   "backend  here\nnative   yes\n\nnative\n  precision  float32\n  simd       false\n  computes everything\n",
 * );
 * ```
 */
export function formatBackendsText(reports: readonly BackendReport[]): string {
  const table = [
    ["backend", "here", "why not"],
    ...reports.map((r) => [r.name, r.available ? "yes" : "no", r.reason ?? ""]),
  ];
  if (reports.every((r) => r.reason === undefined)) {
    table.forEach((row) => row.pop());
  }
  const lines = aligned(table, "");
  for (const r of reports) {
    if (r.precision === undefined) continue; // it did not load: the reason says why
    lines.push("", r.module === undefined ? r.name : `${r.name} (${r.module})`);
    const facts = Object.entries({ precision: r.precision, ...r.properties });
    lines.push(...aligned(facts.map(([k, v]) => [k, String(v)]), "  "));
    const groups = new Map<
      string,
      { feature: string; reason: string; ops: string[] }
    >();
    for (const u of r.unsupported) {
      const key = JSON.stringify([u.feature, u.reason]);
      const group = groups.get(key) ??
        { feature: u.feature, reason: u.reason, ops: [] };
      group.ops.push(u.op);
      groups.set(key, group);
    }
    if (groups.size === 0) {
      lines.push("  computes everything");
      continue;
    }
    lines.push("  cannot compute:");
    for (const g of groups.values()) {
      lines.push(`    ${g.feature} of ${g.ops.join(", ")}: ${g.reason}`);
    }
  }
  return lines.join("\n") + "\n";
}

/** Lines of left-aligned columns two spaces apart. */
function aligned(
  rows: readonly (readonly string[])[],
  indent: string,
): string[] {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, c) => widths[c] = Math.max(widths[c] ?? 0, cell.length));
  }
  return rows.map((row) =>
    (indent + row.map((cell, c) => cell.padEnd(widths[c]!)).join("  "))
      .trimEnd()
  );
}

/** The help text of `nonlin backends`. */
export function backendsHelp(): string {
  return `Usage: nonlin backends [--json] [name|module …]

Lists every built-in backend (${
    [...backendNames, ...peerBackendNames, ...backendVariantNames].join(", ")
  }), whether it can run
here and why not, its engine's properties and what it cannot compute. Module
paths or URLs given after the options are loaded and listed too, as any
backend implementing the contract can be. A backend that fails to load is
listed as not available, with the error; when it was named on the command
line (a built-in name or a module), the command also exits 1. An unknown
name exits 2.

Options:
  --json      one JSON object { "backends": [{ "name", "module"?, "available",
              "reason"?, "precision"?, "properties", "unsupported" }] }
  -h, --help  this help
`;
}

/**
 * Runs `nonlin backends`.
 *
 * @param args The arguments after `backends`.
 * @param output Where to write.
 * @returns The exit status: 0, also when backends are unavailable; 1 when a
 * backend named on the command line fails to load (its line on standard
 * error says why); 2 for bad usage, an unknown backend name among them.
 *
 * @example
 * ```ts
 * import { BufferedOutput, main } from "@nonlin/cli";
 * import assert from "node:assert";
 *
 * const output = new BufferedOutput();
 * assert.strictEqual(await main(["backends", "--json", "./no_such_backend.ts"], output), 1);
 * const { backends } = JSON.parse(output.stdout);
 * assert.strictEqual(backends.at(-1).available, false);
 * assert.match(output.stderr, /^nonlin backends: \.\/no_such_backend\.ts failed to load: /);
 * assert.strictEqual(await main(["backends", "nativ"], new BufferedOutput()), 2);
 * ```
 */
export async function main(
  args: string[],
  output: Output = standardOutput,
): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: {
        json: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    output.err(
      `nonlin backends: ${
        message.replaceAll("\n", " ")
      }\nRun "nonlin backends --help" for usage.\n`,
    );
    return 2;
  }
  if (parsed.values.help) {
    output.out(backendsHelp());
    return 0;
  }
  const builtins = [
    ...backendNames,
    ...peerBackendNames,
    ...backendVariantNames,
  ];
  const unknown = parsed.positionals.filter((p) =>
    !builtins.includes(p) && !isModulePath(p)
  );
  if (unknown.length > 0) {
    output.err(
      `nonlin backends: unknown backend ${
        unknown.map((u) => `"${u}"`).join(", ")
      }: expected one of ${
        builtins.join(", ")
      }, or a module path such as ./my_backend.ts\n`,
    );
    return 2;
  }
  const reports = await listBackends(parsed.positionals);
  output.out(
    parsed.values.json
      ? JSON.stringify({ backends: reports }, null, 2) + "\n"
      : formatBackendsText(reports),
  );
  // A backend named on the command line must load: listing it as merely
  // unavailable would let a script go on with a module that is not there.
  const failed = reports.filter((r) =>
    parsed.positionals.includes(r.module ?? r.name) &&
    r.reason?.startsWith(LOAD_FAILURE)
  );
  for (const r of failed) {
    output.err(
      `nonlin backends: ${r.module ?? r.name} ${r.reason}\n`,
    );
  }
  return failed.length > 0 ? 1 : 0;
}
