/**
 * `deno task conformance` and `nonlin conformance`: runs the suite, prints
 * the matrix, writes the JSON report (always) and the Markdown report (with
 * `--md`), and exits 0 only when nothing fails unexpectedly.
 *
 * @module
 */

import { parseArgs } from "node:util";
import {
  type Output,
  outputPathsProblem,
  standardOutput,
} from "@nonlin/backends/output";
import { builtinBackends, isModulePath } from "@nonlin/backends";
import { type OpName, opNames } from "@nonlin/core";
import { renderMarkdown, renderMatrix, reportToJson } from "./report.ts";
import { checkKinds, deviationClassOf } from "./checks.ts";
import { type DeviceProfile, deviceProfiles } from "./devices.ts";
import { type KnownDeviation, ledger } from "./ledger.ts";
import { type Progress, type Report, runConformance } from "./run.ts";

export type { Output };

/** The default path of the JSON report. */
export const DEFAULT_JSON = "out/conformance.json";

const usage = `Usage: deno task conformance [options]
       nonlin conformance [options]

Runs the conformance suite: every op of the catalog, its gradients and its
conventions, on every backend, against the float64 reference and against each
other. Exits 0 when nothing fails unexpectedly and no waiver is stale.

Options:
  --backend NAME|PATH  a built-in backend or a module path/URL implementing the
                       contract; repeatable (default: every built-in backend);
                       a backend named here must run (unavailable: exit 1)
  --require NAME       fail when this backend is skipped; repeatable
  --op NAME            only this op; repeatable (default: every op)
  --quick              a quick subset (fewer random inputs, no [2^20] shape)
  --json FILE          the JSON report (default: ${DEFAULT_JSON}); always written
  --md FILE            also write the Markdown report
  --timeout SECONDS    stop a backend that takes longer over one case (default 120)
  --waivers FILE       known deviations to add to the ledger: a JSON array of
                       { backend, op, check, params?, devices?, class?, reason,
                       source?, inputs?, anyCase?, run? }, or { device, entries } as
                       --write-profile writes it
  --tolerances FILE    tolerances for third-party backends: JSON
                       { "<backend name>": { defaults?: { values?: { ulp,
                       reason }, … }, ops?: { <op>: { … } } } } over float32's
  --write-profile FILE record what failed as a device profile and ledger
                       entries (JSON) to review, and pass back with --waivers
  --ignore-device-profiles
                       recognise no checked-in device profile, as on a device
                       nobody has profiled yet
  -h, --help           this help
`;

function progressLine(p: Progress): string {
  const states = p.backends.map((b) => `${b.name} ${b.status}`).join(", ");
  if (p.phase === "loading") return `loading backends…`;
  if (p.phase === "identities") return `identities… (${states})`;
  if (p.phase === "done") return "";
  return `[${p.done + 1}/${p.total}] ${p.current} (${states})`;
}

async function ensureParent(path: string): Promise<void> {
  const slash = path.lastIndexOf("/");
  if (slash > 0) await Deno.mkdir(path.slice(0, slash), { recursive: true });
}

/**
 * Runs the command.
 *
 * @param args The arguments after the command's name.
 * @param output Where to write; the process's streams by default.
 * @returns The exit status: 0 pass, 1 fail, 2 bad usage.
 *
 * @example
 * ```ts
 * import { main } from "@nonlin/conformance";
 * import assert from "node:assert";
 *
 * let text = "";
 * const output = { out: (t: string) => void (text += t), err: () => {} };
 * const status = await main(["--backend", "./examples/reference_backend.ts", "--op", "relu", "--quick", "--json", "out/doc_example.json"], output);
 * assert.strictEqual(status, 0);
 * assert.match(text, /OK/);
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
        backend: { type: "string", multiple: true },
        require: { type: "string", multiple: true },
        op: { type: "string", multiple: true },
        quick: { type: "boolean", default: false },
        json: { type: "string", default: DEFAULT_JSON },
        md: { type: "string" },
        timeout: { type: "string", default: "120" },
        waivers: { type: "string" },
        tolerances: { type: "string" },
        "write-profile": { type: "string" },
        "ignore-device-profiles": { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (error) {
    output.err(`nonlin conformance: ${(error as Error).message}\n\n${usage}`);
    return 2;
  }
  const v = parsed.values;
  if (v.help) {
    output.out(usage);
    return 0;
  }
  const unknownOps = (v.op ?? []).filter((op) =>
    !opNames.includes(op as OpName)
  );
  if (unknownOps.length > 0) {
    output.err(
      `nonlin conformance: unknown op ${
        unknownOps.join(", ")
      }: expected one of ${opNames.join(", ")}\n`,
    );
    return 2;
  }
  // A name that is neither built in nor a module path is a typo: bad usage
  // (exit 2), not a run of "error" cells.
  const unknownBackends = (v.backend ?? [])
    .filter((b) => !Object.hasOwn(builtinBackends, b) && !isModulePath(b));
  if (unknownBackends.length > 0) {
    output.err(
      `nonlin conformance: unknown backend ${
        unknownBackends.join(", ")
      }: expected one of ${
        Object.keys(builtinBackends).join(", ")
      }, or a module path such as ./my_backend.ts\n`,
    );
    return 2;
  }
  const timeout = Number(v.timeout);
  if (!(timeout > 0)) {
    output.err(
      `nonlin conformance: --timeout must be a positive number of seconds: got ${v.timeout}\n`,
    );
    return 2;
  }
  // Checked before the run: a typo in a path should not cost a whole run.
  const unwritable = await outputPathsProblem([
    { flag: "--json", path: v.json },
    ...(v.md ? [{ flag: "--md", path: v.md }] : []),
  ]);
  if (unwritable !== undefined) {
    output.err(`nonlin conformance: ${unwritable}\n`);
    return 2;
  }
  let extra: LoadedWaivers = { entries: [], devices: [] };
  let tolerances: Record<string, never> | undefined;
  try {
    if (v.waivers) extra = parseWaivers(await Deno.readTextFile(v.waivers));
    if (v.tolerances) {
      tolerances = parseTolerances(await Deno.readTextFile(v.tolerances));
    }
  } catch (error) {
    output.err(`nonlin conformance: ${(error as Error).message}\n`);
    return 2;
  }
  const tty = output === standardOutput && Deno.stderr.isTerminal();
  let last = 0;
  const report = await runConformance({
    ...(v.backend ? { backends: v.backend } : {}),
    // A backend named on the command line must run: skipped is a failure.
    ...(v.require || v.backend
      ? { require: [...(v.require ?? []), ...(v.backend ?? [])] }
      : {}),
    ...(v.op ? { ops: v.op as OpName[] } : {}),
    quick: v.quick,
    timeoutMs: timeout * 1000,
    waivers: [...ledger, ...extra.entries],
    devices: v["ignore-device-profiles"]
      ? [...extra.devices]
      : [...deviceProfiles, ...extra.devices],
    ...(tolerances === undefined ? {} : { tolerances }),
    ...(tty
      ? {
        onProgress: (p: Progress) => {
          const now = performance.now();
          if (p.phase === "cases" && now - last < 100) return;
          last = now;
          output.err(`\r\x1b[K${progressLine(p)}`);
        },
      }
      : {}),
  });
  if (tty) output.err("\r\x1b[K");
  // The matrix first, so that a report that cannot be written (a disk that
  // filled up during the run) loses no result.
  output.out(renderMatrix(report, { timings: tty }) + "\n");
  try {
    await ensureParent(v.json);
    await Deno.writeTextFile(v.json, reportToJson(report) + "\n");
    if (v.md) {
      await ensureParent(v.md);
      const command = `deno task conformance${
        v.quick ? " --quick" : ""
      } --md ${v.md}`;
      await Deno.writeTextFile(v.md, renderMarkdown(report, { command }));
    }
    if (v["write-profile"]) {
      const path = v["write-profile"];
      await ensureParent(path);
      await Deno.writeTextFile(
        path,
        JSON.stringify(profileOfRun(report), null, 2) + "\n",
      );
      output.out(`profile to review: ${path}\n`);
    }
  } catch (error) {
    output.err(
      `nonlin conformance: could not write the report: ${
        (error instanceof Error ? error.message : String(error)).split("\n")[0]
      }\n`,
    );
    return 1;
  }
  output.out(`report: ${v.json}${v.md ? `, ${v.md}` : ""}\n`);
  return report.summary.ok ? 0 : 1;
}

/** Ledger entries and device profiles read from a `--waivers` file. */
export interface LoadedWaivers {
  /** The ledger entries, added to the built-in ledger. */
  readonly entries: readonly KnownDeviation[];
  /** The device profiles, added to the built-in ones. */
  readonly devices: readonly DeviceProfile[];
}

/**
 * Reads a `--waivers` file: an array of ledger entries, or the
 * `{ device, entries }` that `--write-profile` writes.
 *
 * @throws {TypeError} When an entry lacks a field or names an unknown op or check.
 */
export function parseWaivers(text: string): LoadedWaivers {
  const json = JSON.parse(text) as unknown;
  const file = Array.isArray(json)
    ? { entries: json, device: undefined }
    : json as { entries?: unknown; device?: DeviceProfile };
  if (!Array.isArray(file.entries)) {
    throw new TypeError(
      "--waivers: expected an array of entries or { device, entries }",
    );
  }
  file.entries.forEach((e: Partial<KnownDeviation>, i: number) => {
    const where = `--waivers: entry ${i}`;
    if (typeof e?.backend !== "string") {
      throw new TypeError(`${where} has no backend`);
    }
    if (!opNames.includes(e.op as OpName)) {
      throw new TypeError(`${where}: unknown op ${e.op}`);
    }
    if (!(checkKinds as readonly string[]).includes(String(e.check))) {
      throw new TypeError(
        `${where}: unknown check ${e.check}: expected one of ${
          checkKinds.join(", ")
        }`,
      );
    }
    if (typeof e.reason !== "string" || e.reason.length === 0) {
      throw new TypeError(`${where} gives no reason`);
    }
    if (e.run !== undefined && e.run !== "quick" && e.run !== "full") {
      throw new TypeError(
        `${where}: run must be "quick" or "full" when given: got ${
          JSON.stringify(e.run)
        }`,
      );
    }
    if (e.anyCase !== undefined && e.anyCase !== true) {
      throw new TypeError(
        `${where}: anyCase must be true when given: got ${
          JSON.stringify(e.anyCase)
        }`,
      );
    }
  });
  return {
    entries: file.entries as KnownDeviation[],
    devices: file.device ? [file.device] : [],
  };
}

/**
 * Reads a `--tolerances` file: `{ "<backend>": { defaults?, ops? } }`.
 *
 * @throws {TypeError} When it is not an object of objects.
 */
export function parseTolerances(text: string): Record<string, never> {
  const json = JSON.parse(text) as unknown;
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new TypeError(
      '--tolerances: expected { "<backend name>": { defaults?, ops? } }',
    );
  }
  for (const [name, p] of Object.entries(json)) {
    if (typeof p !== "object" || p === null) {
      throw new TypeError(`--tolerances: ${name} is not an object`);
    }
  }
  return json as Record<string, never>;
}

/**
 * What a run found, as a device profile and ledger entries to review: one
 * entry per failing result, with its detected class, scoped to the device.
 */
export function profileOfRun(
  report: Report,
): { device?: DeviceProfile; entries: KnownDeviation[] } {
  const date = report.startedAt.slice(0, 10);
  let device: DeviceProfile | undefined;
  const entries: KnownDeviation[] = [];
  for (const b of report.backends) {
    const failing = report.results.filter((r) =>
      r.backend === b.name && r.status === "fail" && r.check !== "pairwise"
    );
    if (failing.length === 0) continue;
    let scope: string[] | undefined;
    if (b.device !== undefined) {
      const name = b.deviceProfile ??
        b.device.description.toLowerCase().replace(/[^a-z0-9]+/g, "-")
          .replace(/^-|-$/g, "");
      device ??= {
        name,
        description: `${b.device.description} (${b.device.backendType})`,
        match: {
          description: b.device.description,
          vendor: b.device.vendor,
          backendType: b.device.backendType,
        },
        measured: `recorded by --write-profile on ${date}`,
      };
      scope = [name];
    }
    for (const r of failing) {
      entries.push({
        backend: b.name,
        op: r.op,
        check: r.check,
        params: [r.params],
        ...(scope ? { devices: scope } : {}),
        class: deviationClassOf(r),
        reason:
          `recorded by --write-profile on ${date}: ${r.failures} of ${r.count} outside tolerance` +
          (r.message ? `; ${r.message}` : "") +
          " (review: say why, or fix the backend)",
      });
    }
  }
  return { ...(device ? { device } : {}), entries };
}

if (import.meta.main) {
  // Every worker has released its backend's device (release()) and is
  // ending itself; the process exits once they have, not before (Deno.exit
  // while a worker tears down its WebGPU instance crashed Deno 2.9.6).
  Deno.exitCode = await main(Deno.args);
}
