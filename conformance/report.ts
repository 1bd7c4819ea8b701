/**
 * The report in its three forms: JSON (the schema of DESIGN.md, with the
 * worst input of every result), the terminal matrix of ops × backends, and a
 * Markdown page laid out like the book's §5.1.
 *
 * @module
 */

import { type OpName, opNames, ops } from "@nonlin/core";
import { formatParam } from "./cases.ts";
import {
  checkDescriptions,
  checkKinds,
  deviationClassOf,
  type Result,
} from "./checks.ts";
import { describeDevice } from "./devices.ts";
import { classLabels, type DeviationClass } from "./ledger.ts";
import type { Report } from "./run.ts";
import type { Quantity } from "./tolerances.ts";

/** What each class means, as the run says it. */
const classSentences: { readonly [C in DeviationClass]: string } = {
  flushToZero: "flushes subnormal inputs or results to zero (FTZ)",
  nanDropped: "drops NaN (max/min or a comparison branch)",
  infArithmetic: "computes ∞·0 or ∞/∞ where the limit is finite",
  tailCancellation: "loses digits to cancellation in a tail",
  rightKink: "takes the right-hand derivative at a kink",
  unsupported: "does not support a feature it does not declare",
  signOfZero: "loses the sign of zero",
  accuracy: "is outside its ULP tolerance",
  error: "throws or returns the wrong shape",
};

/** A number as the reports write it: the special values as strings. */
function jsonNumber(v: number): number | string {
  if (v !== v) return "NaN";
  if (v === Infinity) return "Infinity";
  if (v === -Infinity) return "-Infinity";
  if (Object.is(v, -0)) return "-0";
  return v;
}

/**
 * The report as JSON: NaN, ±∞ and −0 are written as the strings "NaN",
 * "Infinity", "-Infinity" and "-0", as the CLI writes them.
 *
 * @param report The report.
 * @returns Indented JSON.
 *
 * @example
 * ```ts
 * import { reportToJson, runConformance } from "@nonlin/conformance";
 * import assert from "node:assert";
 *
 * const report = await runConformance({ backends: ["./examples/reference_backend.ts"], ops: ["relu"], quick: true });
 * const parsed = JSON.parse(reportToJson(report));
 * assert.strictEqual(parsed.backends[0].status, "ran");
 * assert.ok(parsed.results.some((r: { worst?: unknown }) => r.worst !== undefined));
 * ```
 */
export function reportToJson(report: Report): string {
  return JSON.stringify(
    report,
    (_key, value) => (typeof value === "number" ? jsonNumber(value) : value),
    2,
  );
}

/** An ULP count, short: `0`, `3`, `1.2e5`, `∞` (NaN against a number). */
export function formatUlp(ulp: number | undefined): string {
  if (ulp === undefined) return "–";
  if (ulp === Infinity) return "∞";
  if (ulp < 1e4) return String(Math.round(ulp * 100) / 100);
  return ulp.toExponential(1).replace("e+", "e");
}

/** A float32 value as the CLI writes it: shortest round-trip decimal, specials spelled out. */
export function formatValue(v: number | string): string {
  if (typeof v === "string") return v;
  if (v !== v) return "NaN";
  if (v === Infinity) return "Infinity";
  if (v === -Infinity) return "-Infinity";
  if (Object.is(v, -0)) return "-0";
  return String(v);
}

type Cell = {
  status: "pass" | "fail" | "waived";
  /** The worst f(x) ULP. */
  ulp: number | undefined;
  /** The worst ULP over values and gradients. */
  worstUlp: number | undefined;
  /** The share of compared elements within tolerance, 0–1. */
  share: number | undefined;
  /** The deviation classes that show. */
  classes: readonly DeviationClass[];
  results: number;
};

const gradientChecks = new Set([
  "values",
  "vjp",
  "derivative",
  "secondDerivative",
]);

/**
 * The aggregate of an op's results on one backend: the worst status, the
 * share of elements within tolerance, the worst ULP over values and
 * gradients, and the deviation classes that show.
 */
function cellOf(results: readonly Result[]): Cell | undefined {
  if (results.length === 0) return undefined;
  const status = results.some((r) => r.status === "fail")
    ? "fail"
    : results.some((r) => r.status === "waived")
    ? "waived"
    : "pass";
  const ulps = results.filter((r) =>
    r.check === "values" && r.maxUlp !== undefined
  ).map((r) => r.maxUlp!);
  const worst = results.filter((r) =>
    gradientChecks.has(r.check) && r.maxUlp !== undefined &&
    Number.isFinite(r.maxUlp)
  ).map((r) => r.maxUlp!);
  let count = 0;
  let failures = 0;
  for (const r of results) {
    count += r.count;
    failures += Math.min(r.failures, r.count);
  }
  const classes = new Set<DeviationClass>();
  for (const r of results) {
    if (r.status !== "pass") classes.add(deviationClassOf(r));
  }
  return {
    status,
    ulp: ulps.length === 0 ? undefined : Math.max(...ulps),
    worstUlp: worst.length === 0 ? undefined : Math.max(...worst),
    share: count === 0 ? undefined : (count - failures) / count,
    classes: [...classes].sort(),
    results: results.length,
  };
}

function shareText(share: number): string {
  if (share === 1) return "100%";
  const pct = share * 100;
  // Never round a failure up to 100%.
  return `${Math.min(pct, 99.99).toFixed(pct >= 99 ? 2 : 1)}%`;
}

function cellText(cell: Cell | undefined, backendStatus: string): string {
  if (cell === undefined) return backendStatus === "ran" ? "–" : backendStatus;
  const parts = [
    ...(cell.share === undefined ? [] : [shareText(cell.share)]),
    `${formatUlp(cell.worstUlp)} ULP`,
    ...(cell.classes.length === 0
      ? []
      : [cell.classes.map((c) => classLabels[c]).join(", ")]),
  ];
  return `${cell.status === "fail" ? "FAIL " : ""}${parts.join(" · ")}`;
}

function pad(text: string, width: number): string {
  return text + " ".repeat(Math.max(0, width - [...text].length));
}

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, k) =>
    Math.max(...rows.map((r) => [...(r[k] ?? "")].length))
  );
  return rows.map((r) =>
    r.map((c, k) => pad(c, widths[k]!)).join("  ").trimEnd()
  ).join("\n");
}

/** The ops that ran, in catalog order. */
function opsOf(report: Report): OpName[] {
  const seen = new Set(report.cases.map((c) => c.op));
  return opNames.filter((op) => seen.has(op));
}

/** One line naming a result: backend, case, check. */
function describeResult(r: Result): string {
  const who = r.against ? `${r.backend} vs ${r.against}` : r.backend;
  const what = r.identity ? `identity ${r.identity}` : r.check;
  return `${who} ${r.case} ${what}`;
}

/** What a failing (or waived) result found, in one line. */
export function describeFinding(r: Result): string {
  const parts: string[] = [];
  if (r.count > 0) parts.push(`${r.failures} of ${r.count} fail`);
  if (r.maxUlp !== undefined && r.maxUlp > 0) {
    parts.push(`max ${formatUlp(r.maxUlp)} ULP`);
  }
  if (r.worst && (r.failures > 0 || r.message === undefined)) {
    const w = r.worst;
    const dy = w.dy === undefined ? "" : ` dy=${formatValue(w.dy)}`;
    const param = w.param === undefined ? "" : ` α=${formatValue(w.param)}`;
    parts.push(
      `worst ${w.quantity} at x=${formatValue(w.x)}${dy}${param}: got ${
        formatValue(w.got)
      }, want ${formatValue(Math.fround(w.want))}${
        w.note ? ` (${w.note})` : ""
      }`,
    );
  }
  if (r.message) parts.push(r.message);
  return parts.join("; ");
}

/**
 * The terminal report: the matrix of ops × backends (pass, fail or waived,
 * and the worst f ULP over the op's cases), pairwise agreement, every
 * unexpected failure and stale waiver, and the verdict. Stable: it holds no
 * timings unless `timings` is set.
 *
 * @param report The report.
 * @param options `timings` adds the time each backend took.
 * @returns Plain text.
 */
export function renderMatrix(
  report: Report,
  options: { timings?: boolean } = {},
): string {
  const lines: string[] = [];
  const backends = report.backends;
  const ran = backends.filter((b) => b.status === "ran");
  lines.push(
    `nonlin conformance${
      report.quick ? " --quick" : ""
    }: ${report.cases.length} cases over ${backends.length} backend${
      backends.length === 1 ? "" : "s"
    }`,
    "",
  );
  for (const b of backends) {
    if (b.device === undefined) continue;
    lines.push(
      `${b.name} device: ${describeDevice(b.device)}; profile ${
        b.deviceProfile ?? "none (no checked-in device profile matches)"
      }`,
    );
  }
  if (backends.some((b) => b.device !== undefined)) lines.push("");
  const own = report.results.filter((r) => r.check !== "pairwise");
  const rows: string[][] = [["op", ...backends.map((b) => b.name)]];
  for (const op of opsOf(report)) {
    rows.push([
      op,
      ...backends.map((b) =>
        cellText(
          cellOf(own.filter((r) => r.op === op && r.backend === b.name)),
          b.status,
        )
      ),
    ]);
  }
  lines.push(
    table(rows),
    "",
    "cell: FAIL when it fails; the share of elements within tolerance · the worst ULP over values and gradients · the deviation classes that show",
  );
  if (ran.length > 1) {
    const pairs = report.results.filter((r) => r.check === "pairwise");
    const pairRows: string[][] = [["pairwise", ...ran.map((b) => b.name)]];
    for (const a of ran) {
      pairRows.push([
        a.name,
        ...ran.map((b) => {
          if (a === b) return "·";
          const rs = pairs.filter((r) =>
            (r.backend === a.name && r.against === b.name) ||
            (r.backend === b.name && r.against === a.name)
          );
          const cell = cellOf(
            rs.map((r) => ({ ...r, check: "values" as const })),
          );
          // The share of elements on which the two agree says more than
          // the worst ULP, which one flushed subnormal or one NaN makes ∞.
          return cell === undefined
            ? "–"
            : `${cell.status === "fail" ? "FAIL" : cell.status} ${
              cell.share === undefined ? "–" : shareText(cell.share)
            }`;
        }),
      ]);
    }
    lines.push(
      "",
      table(pairRows),
      "",
      "pairwise: status, then the share of elements (f and f′ on every case's main input) on which the two agree within the sum of their tolerances; per op in --md",
    );
  }
  lines.push("");
  for (const b of backends) {
    const time = options.timings && b.status !== "skipped"
      ? ` in ${(b.durationMs / 1000).toFixed(1)} s`
      : "";
    const profile = b.profile && b.status === "ran"
      ? ` (profile ${b.profile})`
      : "";
    lines.push(
      `${b.name}: ${b.status}${profile}${time}${
        b.reason ? `: ${b.reason}` : ""
      }`,
    );
  }
  const failures = report.results.filter((r) => r.status === "fail");
  if (failures.length > 0) {
    // The run explains itself: what kind of deviation each backend shows.
    lines.push("", "unexpected deviations, by class:");
    for (const b of backends) {
      const mine = failures.filter((r) => r.backend === b.name);
      const byClass = new Map<DeviationClass, Result[]>();
      for (const r of mine) {
        const c = deviationClassOf(r);
        byClass.set(c, [...(byClass.get(c) ?? []), r]);
      }
      for (const [c, rs] of byClass) {
        const ops = [...new Set(rs.map((r) => r.op))];
        const abs = Math.max(...rs.map((r) => r.maxAbsError ?? 0));
        lines.push(
          `  ${b.name} ${classSentences[c]}: ${rs.length} result${
            rs.length === 1 ? "" : "s"
          } (${ops.join(", ")})${
            c === "tailCancellation"
              ? `, absolute error at most ${abs.toPrecision(2)}`
              : ""
          }`,
        );
      }
    }
    if (backends.some((b) => b.device !== undefined)) {
      lines.push(
        "  (review them and record a device profile with --write-profile FILE)",
      );
    }
    lines.push("", `unexpected failures (${failures.length}):`);
    for (const r of failures) {
      lines.push(`  ${describeResult(r)}: ${describeFinding(r)}`);
    }
  }
  const stale = report.waivers.filter((w) => w.status === "stale");
  if (stale.length > 0) {
    lines.push(
      "",
      `stale waivers (${stale.length}), remove them from conformance/ledger.ts:`,
    );
    for (const w of stale) {
      lines.push(`  ${w.backend} ${w.op} ${w.check}: ${w.why}`);
    }
  }
  const s = report.summary;
  if (s.missingRequired.length > 0) {
    lines.push("", `required but not run: ${s.missingRequired.join(", ")}`);
  }
  lines.push(
    "",
    `${s.pass} pass, ${s.fail} fail, ${s.waived} waived, ${s.staleWaivers} stale waivers` +
      (options.timings
        ? ` in ${(report.durationMs / 1000).toFixed(1)} s`
        : "") +
      `: ${s.ok ? "OK" : "FAILED"}`,
  );
  return lines.join("\n");
}

// ---------------------------------------------------------------------------
// Markdown

/** The book's §5.1 order: ReLU and pReLU, sigmoid, tanh, then the others. */
const bookSections: readonly {
  readonly title: string;
  readonly ops: readonly OpName[] | "rest";
}[] = [
  { title: "ReLU function (and pReLU)", ops: ["relu", "prelu"] },
  { title: "Sigmoid function", ops: ["sigmoid"] },
  { title: "Tanh function", ops: ["tanh"] },
  { title: "The other activations", ops: "rest" },
];

function mdEscape(text: string): string {
  return text.replace(/\|/g, "\\|");
}

function mdTable(rows: readonly (readonly string[])[]): string {
  const [head, ...body] = rows;
  return [
    `| ${head!.map(mdEscape).join(" | ")} |`,
    `|${head!.map(() => "---").join("|")}|`,
    ...body.map((r) => `| ${r.map(mdEscape).join(" | ")} |`),
  ].join("\n");
}

function paramsText(params: Readonly<Record<string, unknown>>): string {
  const entries = Object.entries(params);
  return entries.length === 0
    ? "–"
    : entries.map(([k, v]) => `${k}=${formatParam(v as number)}`).join(", ");
}

const quantityChecks: readonly {
  readonly check: Quantity;
  readonly label: string;
}[] = [
  { check: "values", label: "f" },
  { check: "derivative", label: "f'" },
  { check: "secondDerivative", label: "f''" },
  { check: "vjp", label: "dx" },
];

/**
 * The Markdown report: a summary, then one section per op in the order of the
 * book's §5.1 (ReLU and pReLU, sigmoid, tanh, then the others), each with a
 * column per backend for every check, a table of the worst ULPs per case in
 * the spirit of glibc's libm ULP tables, and its waivers; then pairwise
 * agreement, the identities, every waiver with its reason, and the
 * tolerances.
 *
 * @param report The report.
 * @param options `command` is shown as how the page was made.
 * @returns Markdown.
 */
export function renderMarkdown(
  report: Report,
  options: { command?: string } = {},
): string {
  const out: string[] = [];
  const backends = report.backends;
  const ran = backends.filter((b) => b.status === "ran");
  const s = report.summary;
  const p = report.platform;
  out.push(
    "# nonlin conformance report",
    "",
    `Every op of the catalog, under ${report.cases.length} parameter sets, on ${backends.length} backends, ` +
      `against the float64 reference rounded to float32. Generated by \`${
        options.command ?? "deno task conformance --md FILE"
      }\` on ${
        report.startedAt.slice(0, 10)
      } (Deno ${p.deno}, ${p.os}/${p.arch}, ${p.cpus} CPUs) in ` +
      `${(report.durationMs / 1000).toFixed(0)} s${
        report.quick ? ", quick subset" : ""
      }.`,
    "",
    `**${
      s.ok ? "Passes" : "Fails"
    }**: ${s.pass} results pass, ${s.fail} fail, ${s.waived} are waived, ` +
      `${s.staleWaivers} waivers are stale.`,
    "",
    `Inputs per case: the book's grid arange(−8, 8, 0.1) (${report.inputs.grid} points), ${report.inputs.moderate} ` +
      `uniform random points in [−20, 20], ${report.inputs.random} log-uniform random points over the whole float32 ` +
      "range (both signs, subnormals included), NaN, ±∞, ±0, subnormals, every kink, saturation and overflow " +
      "point with its float32 neighbours. ULPs are float32 units in the last place from the reference rounded to float32.",
    "",
    "## Backends",
    "",
    mdTable([
      ["backend", "status", "profile", "time", "notes"],
      ...backends.map((b) => [
        b.name,
        b.status,
        b.profile ?? "–",
        b.status === "skipped" ? "–" : `${(b.durationMs / 1000).toFixed(1)} s`,
        b.reason ?? propertiesText(b.capabilities),
      ]),
    ]),
    "",
    "## Matrix",
    "",
    "Each cell: the share of compared elements within tolerance over the op's cases and checks, " +
      "the worst ULP over values and gradients, and the deviation classes that show " +
      "(waived or not); `FAIL` first when a departure is in no ledger entry.",
    "",
  );
  const own = report.results.filter((r) => r.check !== "pairwise");
  out.push(
    mdTable([
      ["op", ...backends.map((b) => b.name)],
      ...opsOf(report).map((op) => [
        `[${ops[op].title}](#${anchor(op)})`,
        ...backends.map((b) =>
          cellText(
            cellOf(own.filter((r) => r.op === op && r.backend === b.name)),
            b.status,
          )
        ),
      ]),
    ]).replace(/\\\|/g, "|"),
  );

  out.push("", ...ulpTable(report));

  const present = new Set(opsOf(report));
  const listed = new Set(
    bookSections.flatMap((sct) => (sct.ops === "rest" ? [] : sct.ops)),
  );
  let number = 0;
  for (const section of bookSections) {
    const sectionOps = (section.ops === "rest"
      ? opNames.filter((op) =>
        !listed.has(op)
      )
      : section.ops).filter((op) => present.has(op));
    if (sectionOps.length === 0) continue;
    number++;
    out.push("", `## ${number}. ${section.title}`);
    for (const op of sectionOps) out.push("", ...opSection(report, op));
  }

  if (ran.length > 1) {
    out.push(
      "",
      "## Pairwise agreement",
      "",
      "The worst ULP between every two backends over each op's cases (f and f').",
      "",
    );
    const pairs: [string, string][] = [];
    for (let i = 0; i < ran.length; i++) {
      for (let j = i + 1; j < ran.length; j++) {
        pairs.push([ran[i]!.name, ran[j]!.name]);
      }
    }
    const pairResults = report.results.filter((r) => r.check === "pairwise");
    out.push(mdTable([
      ["op", ...pairs.map(([a, b]) => `${a} · ${b}`)],
      ...opsOf(report).map((op) => [
        op,
        ...pairs.map(([a, b]) => {
          const rs = pairResults.filter((r) =>
            r.op === op && r.backend === a && r.against === b
          );
          const cell = cellOf(
            rs.map((r) => ({ ...r, check: "values" as const })),
          );
          return cell === undefined ? "–" : cellText(cell, "ran");
        }),
      ]),
    ]));
  }

  const ids = report.results.filter((r) => r.check === "identity");
  if (ids.length > 0) {
    out.push(
      "",
      "## The book's identities",
      "",
      "Each on the backend's own results, within its own tolerances.",
      "",
    );
    const texts = [...new Set(ids.map((r) => r.identity!))];
    out.push(mdTable([
      ["identity", ...ran.map((b) => b.name)],
      ...texts.map((t) => [
        t,
        ...ran.map((b) => {
          const r = ids.find((r) => r.identity === t && r.backend === b.name);
          return r === undefined
            ? "–"
            : r.status === "fail"
            ? "FAIL"
            : r.status;
        }),
      ]),
    ]));
  }

  out.push(
    "",
    "## Waivers",
    "",
    "Every accepted departure, with its reason (conformance/ledger.ts).",
    "",
  );
  if (report.waivers.length === 0) out.push("None.");
  // Grouped by finding: the reason once, then every backend, op and check it
  // covers, with how each fared in this run.
  const findings = new Map<string, typeof report.waivers[number][]>();
  for (const w of report.waivers) {
    const key = `${w.reason}\u0000${w.source ?? ""}`;
    findings.set(key, [...(findings.get(key) ?? []), w]);
  }
  for (const ws of findings.values()) {
    const covered = ws.map((w) =>
      `${w.backend} ${w.op} \`${w.check}\`${
        w.params ? ` (${w.params.map(paramsText).join("; ")})` : ""
      }` +
      (w.status === "used"
        ? ""
        : ` — **${w.status}**${w.why ? `: ${w.why}` : ""}`)
    );
    out.push(
      `- ${ws[0]!.reason}${ws[0]!.source ? ` (${ws[0]!.source})` : ""}.`,
      `  Covers: ${covered.join(", ")}.`,
    );
  }

  const failures = report.results.filter((r) => r.status === "fail");
  if (failures.length > 0) {
    out.push("", "## Unexpected failures", "");
    for (const r of failures) {
      out.push(`- ${describeResult(r)}: ${describeFinding(r)}`);
    }
  }

  out.push(
    "",
    "## Checks",
    "",
    mdTable([
      ["check", "what it verifies"],
      ...checkKinds.map((c) => [`\`${c}\``, checkDescriptions[c]]),
    ]),
  );
  out.push(
    "",
    "## Tolerances",
    "",
    "From conformance/tolerances.ts, per precision profile.",
  );
  for (const [name, profile] of Object.entries(report.profiles)) {
    out.push("", `### Profile \`${name}\``, "", profile.description, "");
    const rows: string[][] = [["op", "quantity", "ULP", "abs", "reason"]];
    for (const [q, t] of Object.entries(profile.defaults)) {
      rows.push([
        "all",
        q,
        String(t.ulp),
        t.abs === undefined ? "–" : String(t.abs),
        t.reason,
      ]);
    }
    for (const [op, qs] of Object.entries(profile.ops ?? {})) {
      for (const [q, t] of Object.entries(qs ?? {})) {
        rows.push([
          op,
          q,
          String(t!.ulp),
          t!.abs === undefined ? "–" : String(t!.abs),
          t!.reason,
        ]);
      }
    }
    out.push(mdTable(rows));
  }
  out.push("");
  return out.join("\n");
}

/**
 * The largest error in ULPs of each op and quantity on each backend, over
 * every case of the op, laid out like glibc's table of known maximum errors
 * of its libm functions: one row per function, one column per platform.
 */
function ulpTable(report: Report): string[] {
  const ran = report.backends.filter((b) => b.status === "ran");
  if (ran.length === 0) return [];
  const rows: string[][] = [["op", "", ...ran.map((b) => b.name)]];
  for (const op of opsOf(report)) {
    for (const q of quantityChecks) {
      const cells = ran.map((b) => {
        const rs = report.results.filter((r) =>
          r.op === op && r.check === q.check && r.backend === b.name &&
          r.maxUlp !== undefined
        );
        if (rs.length === 0) return "–";
        const worst = rs.reduce((a, r) => (r.maxUlp! > a.maxUlp! ? r : a));
        const status = rs.some((r) => r.status === "fail")
          ? " FAIL"
          : rs.some((r) => r.status === "waived")
          ? " (waived)"
          : "";
        return `${formatUlp(worst.maxUlp)}${status}`;
      });
      if (cells.every((c) => c === "–")) continue;
      rows.push([q.label === "f" ? op : "", q.label, ...cells]);
    }
  }
  return [
    "## ULP table",
    "",
    "The largest error in ULPs over every case of each op (every parameter " +
    "set; finite normal inputs and results away from kinks: special values, " +
    "kinks and subnormals have checks of their own), by backend, in the manner of glibc's table of " +
    "known maximum errors of its libm functions. f is the value, f' and f'' " +
    "the elementwise derivatives, dx the VJP with a random dy. " +
    "(waived): some of those results depart from the tolerance as a ledger " +
    "entry or a declared unsupported feature says; FAIL: not explained.",
    "",
    mdTable(rows),
  ];
}

function anchor(op: OpName): string {
  return `${ops[op].title} (${op})`.toLowerCase().replace(/[^a-z0-9 -]/g, "")
    .replace(/ /g, "-");
}

function propertiesText(capabilities: unknown): string {
  const c = capabilities as {
    properties?: Record<string, unknown>;
    unsupported?: unknown[];
  } | undefined;
  const props = Object.entries(c?.properties ?? {}).map(([k, v]) =>
    `${k}: ${v}`
  );
  const unsupported = c?.unsupported?.length
    ? [`${c.unsupported.length} unsupported features`]
    : [];
  return [...props, ...unsupported].join("; ") || "–";
}

function opSection(report: Report, op: OpName): string[] {
  const spec = ops[op];
  const backends = report.backends;
  const results = report.results.filter((r) =>
    r.op === op && r.check !== "pairwise"
  );
  const out: string[] = [
    `### ${spec.title} (${op})`,
    "",
    `${spec.formula}; derivative ${spec.derivative}. ${spec.paper}.`,
    "",
  ];
  const checks = checkKinds.filter((c) =>
    c !== "pairwise" && results.some((r) => r.check === c)
  );
  out.push(mdTable([
    ["check", ...backends.map((b) => b.name)],
    ...checks.map((c) => [
      c,
      ...backends.map((b) => {
        const rs = results.filter((r) => r.check === c && r.backend === b.name);
        const cell = cellOf(
          rs.map((r) => ({ ...r, check: "values" as const })),
        );
        if (cell === undefined) return b.status === "ran" ? "–" : b.status;
        const showUlp = [
          "values",
          "derivative",
          "secondDerivative",
          "vjp",
          "subnormal",
          "kink",
        ].includes(c);
        return `${cell.status === "fail" ? "FAIL" : cell.status}${
          showUlp ? ` ${formatUlp(cell.ulp)}` : ""
        }`;
      }),
    ]),
  ]));
  // glibc-style: the largest known error in ULPs, per case and quantity.
  const ran = backends.filter((b) => b.status === "ran");
  if (ran.length > 0) {
    out.push("", "Largest error in ULPs (finite normal inputs):", "");
    const rows: string[][] = [["case", "quantity", ...ran.map((b) => b.name)]];
    for (const c of report.cases.filter((c) => c.op === op)) {
      for (const q of quantityChecks) {
        rows.push([
          paramsText(c.params),
          q.label,
          ...ran.map((b) => {
            const r = results.find((r) =>
              r.case === c.id && r.check === q.check && r.backend === b.name
            );
            return r === undefined ? "–" : formatUlp(r.maxUlp);
          }),
        ]);
      }
    }
    out.push(mdTable(rows));
  }
  const departures = results.filter((r) => r.status !== "pass");
  if (departures.length > 0) {
    out.push(
      "",
      "Departures (each check once, with the backends and cases it fails on):",
      "",
    );
    // One line per check and reason, so a finding shared by the three tfjs
    // backends is written once.
    const groups = new Map<string, Result[]>();
    for (const r of departures) {
      const key = `${r.check}\u0000${r.status}\u0000${
        r.waiver?.reason ?? r.message ?? ""
      }`;
      groups.set(key, [...(groups.get(key) ?? []), r]);
    }
    for (const rs of groups.values()) {
      const first = rs[0]!;
      const where = [...new Set(rs.map((r) => r.backend))].map((b) => {
        const mine = rs.filter((r) => r.backend === b);
        const cases = mine.length === report.cases.filter((c) =>
            c.op === op
          ).length
          ? "all cases"
          : mine.map((r) => paramsText(r.params)).join("; ");
        const worst = mine.reduce((
          a,
          r,
        ) => ((r.maxUlp ?? 0) > (a.maxUlp ?? 0) ? r : a));
        return `**${b}** (${cases}): ${describeFinding(worst)}`;
      });
      out.push(
        `- \`${first.check}\`${
          first.identity ? ` (${first.identity})` : ""
        }, ${first.status}. ` +
          where.join(". ") +
          (first.waiver
            ? `. *Why:* ${first.waiver.reason}${
              first.waiver.source ? ` (${first.waiver.source})` : ""
            }.`
            : "."),
      );
    }
  }
  return out;
}
