/**
 * The native engine's CPU targets against its peers (issue 14), counted
 * from one bench report: every count twice, from the cells' medians and
 * from their fastest samples (on a shared machine the fastest call is the
 * one least disturbed by other processes; neither is a verdict alone).
 *
 * ```sh
 * deno run -A packages/bench/peer_targets.ts docs/bench/peers_1e6.json
 * deno run -A packages/bench/peer_targets.ts docs/bench/peers_1e6.json --table
 * ```
 *
 * (`--table`: the README's table of the peers against native instead.)
 *
 * @module
 */

import { formatMs, formatRatio } from "./_format.ts";
import {
  type BenchReport,
  bytesPerElement,
  type CellResult,
  type FloorEntry,
  type Measurement,
  type Mode,
  type TimingKind,
} from "./types.ts";

/** The peers a forward host call is held against (those in the report). */
export const FORWARD_PEERS: readonly string[] = Object.freeze([
  "ort-wasm",
  "ort-wasm-mt",
  "jax-js",
]);

/** One target: how many cells meet it, of how many, and which miss. */
export interface TargetCount {
  /** What it asks, in words. */
  readonly target: string;
  /** Cells that meet it, by median. */
  readonly metByMedian: number;
  /** Cells that meet it, by fastest sample. */
  readonly metByFastest: number;
  /** Cells it could be judged on. */
  readonly cells: number;
  /** The cells that miss it by median (op, or op and mode). */
  readonly missesByMedian: readonly string[];
}

/** Which statistic of a timing a count reads. */
type Stat = "medianMs" | "minMs";

function timing(
  cell: CellResult | undefined,
  kind: TimingKind,
): (Measurement & { status: "ok" }) | undefined {
  if (cell === undefined || cell.status !== "ok") return undefined;
  const t = cell[kind];
  return t?.status === "ok" ? t : undefined;
}

/** Counts the targets at `size` (the report's largest when absent). */
export function peerTargets(
  report: BenchReport,
  size?: number,
): TargetCount[] {
  const at = size ?? Math.max(...report.results.map((r) => r.size));
  const cell = (backend: string, op: string, mode: Mode) =>
    report.results.find((r) =>
      r.backend === backend && r.op === op && r.mode === mode && r.size === at
    );
  const floor = (mode: Mode): FloorEntry | undefined =>
    report.floors.find((f) =>
      f.device === "cpu" && !f.reference && f.size === at &&
      f.bytesPerElement === bytesPerElement(mode) && f.status === "ok"
    );
  const ops = report.config.ops;
  const others = report.backends
    .filter((b) => b.name !== "native" && b.status === "ran")
    .map((b) => b.name);
  const counts: TargetCount[] = [];
  const count = (
    target: string,
    judge: (stat: Stat, op: string, mode: Mode) => boolean | undefined,
    modes: readonly Mode[],
  ) => {
    let cells = 0, median = 0, fastest = 0;
    const misses: string[] = [];
    for (const op of ops) {
      for (const mode of modes) {
        const m = judge("medianMs", op, mode);
        const f = judge("minMs", op, mode);
        if (m === undefined || f === undefined) continue;
        cells++;
        if (m) median++;
        else misses.push(modes.length > 1 ? `${op} ${mode}` : op);
        if (f) fastest++;
      }
    }
    counts.push({
      target,
      metByMedian: median,
      metByFastest: fastest,
      cells,
      missesByMedian: misses,
    });
  };
  count(
    "host into out ≤ resident + 2 copies",
    (stat, op, mode) => {
      const c = cell("native", op, mode);
      const r = timing(c, "resident"), o = timing(c, "roundTripOut");
      const f = floor(mode);
      if (r === undefined || o === undefined || f === undefined) return;
      return o[stat] <= r[stat] + 2 * f[stat]!;
    },
    ["forward", "vjp"],
  );
  count(
    "forward, host (fresh array): native ≥ 2× the fastest peer",
    (stat, op) => {
      const n = timing(cell("native", op, "forward"), "roundTrip");
      const peers = FORWARD_PEERS.map((p) =>
        timing(cell(p, op, "forward"), "roundTrip")?.[stat]
      ).filter((t): t is number => t !== undefined);
      if (n === undefined || peers.length === 0) return;
      return Math.min(...peers) >= 2 * n[stat];
    },
    ["forward"],
  );
  count(
    "VJP, host (fresh array): native ≥ 2× jax-js",
    (stat, op) => {
      const n = timing(cell("native", op, "vjp"), "roundTrip");
      const j = timing(cell("jax-js", op, "vjp"), "roundTrip");
      if (n === undefined || j === undefined) return;
      return j[stat] >= 2 * n[stat];
    },
    ["vjp"],
  );
  count(
    "resident: native ≤ the fastest other backend",
    (stat, op, mode) => {
      const n = timing(cell("native", op, mode), "resident");
      const rest = others.map((b) =>
        timing(cell(b, op, mode), "resident")?.[stat]
      ).filter((t): t is number => t !== undefined);
      if (n === undefined || rest.length === 0) return;
      return n[stat] <= Math.min(...rest);
    },
    ["forward", "vjp"],
  );
  count(
    "sigmoid VJP resident ≤ 0.5× tfjs-wasm",
    (stat, op) => {
      if (op !== "sigmoid") return;
      const n = timing(cell("native", op, "vjp"), "resident");
      const t = timing(cell("tfjs-wasm", op, "vjp"), "resident");
      if (n === undefined || t === undefined) return;
      return n[stat] <= 0.5 * t[stat];
    },
    ["vjp"],
  );
  return counts;
}

/** The counts as a Markdown table. */
export function peerTargetsTable(counts: readonly TargetCount[]): string {
  return [
    "| target | met (median) | met (fastest sample) | misses (median) |",
    "| --- | ---: | ---: | --- |",
    ...counts.map((c) =>
      `| ${c.target} | ${c.metByMedian}/${c.cells} | ${c.metByFastest}/${c.cells} | ${
        c.missesByMedian.join(", ") || "–"
      } |`
    ),
  ].join("\n");
}

/**
 * The README's table of the peers against native at `size` (the report's
 * largest when absent): host form, fresh output array, median ms per call;
 * native also into `out`; the fastest peer's ratio; the VJPs against
 * jax-js's.
 */
export function peersTable(report: BenchReport, size?: number): string {
  const at = size ?? Math.max(...report.results.map((r) => r.size));
  const ms = (backend: string, op: string, mode: Mode, kind: TimingKind) => {
    const c = report.results.find((r) =>
      r.backend === backend && r.op === op && r.mode === mode && r.size === at
    );
    return timing(c, kind)?.medianMs;
  };
  const text = (v: number | undefined) => v === undefined ? "–" : formatMs(v);
  const ratio = (a: number | undefined, b: number | undefined) =>
    a === undefined || b === undefined ? "–" : formatRatio(a / b);
  const rows = report.config.ops.map((op) => {
    const native = ms("native", op, "forward", "roundTrip");
    const peers = FORWARD_PEERS.map((p) => ms(p, op, "forward", "roundTrip"));
    const known = peers.filter((t): t is number => t !== undefined);
    const fastest = known.length === 0 ? undefined : Math.min(...known);
    const vjp = ms("native", op, "vjp", "roundTrip");
    const jax = ms("jax-js", op, "vjp", "roundTrip");
    return `| ${op} | ${text(native)} | ${
      text(ms("native", op, "forward", "roundTripOut"))
    } | ${peers.map(text).join(" | ")} | ${ratio(fastest, native)} | ${
      text(vjp)
    } | ${text(jax)} | ${ratio(jax, vjp)} |`;
  });
  return [
    `| op | native | native into out | ${
      FORWARD_PEERS.join(" | ")
    } | fastest peer ÷ native | native VJP | jax-js VJP | jax-js ÷ native VJP |`,
    `| --- | ${
      Array.from({ length: 3 + FORWARD_PEERS.length + 3 }, () => "---:").join(
        " | ",
      )
    } |`,
    ...rows,
  ].join("\n");
}

if (import.meta.main) {
  const file = Deno.args.find((a) => !a.startsWith("--"));
  if (file === undefined) {
    throw new TypeError(
      "Usage: deno run -A packages/bench/peer_targets.ts REPORT.json [--table]",
    );
  }
  const report = JSON.parse(await Deno.readTextFile(file)) as BenchReport;
  // deno-lint-ignore no-console
  console.log(
    Deno.args.includes("--table")
      ? peersTable(report)
      : peerTargetsTable(peerTargets(report)),
  );
}
