/**
 * The page in the browser: §5.1's sections with one tab per backend, each tab
 * computing its plots live with that backend's adapter.
 *
 * @module
 */

import * as Plot from "@observablehq/plot";
import katex from "katex";
import { getBackend } from "@tensorflow/tfjs";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import {
  type BackendInfo,
  type BackendModule,
  BOOK_GRID,
  bookGrid,
} from "@nonlin/core";
import { bookBackendNames, loadBackend } from "@nonlin/backends";
import type { Tolerance, WaiverNote } from "./compare.ts";
import { codeBlock, type CurveRun, runCurve } from "./run.ts";
import { bookSections, type Section } from "./sections.ts";
import { WASM_PREFIX } from "./_paths.ts";

/** The key the chosen tab is stored under in localStorage. */
export const STORAGE_KEY = "nonlin-book:backend";

/** One backend as the page saw it, for people and for the browser test. */
export interface BackendReport {
  /** The name. */
  readonly name: string;
  /** Whether it ran here. */
  readonly available: boolean;
  /** Why not. */
  readonly reason?: string;
  /** The adapter's `capabilities.properties`. */
  readonly properties: Readonly<Record<string, string | number | boolean>>;
  /** Milliseconds to compute every curve. */
  readonly ms?: number;
  /**
   * For a tfjs backend, `tf.getBackend()` right after it computed: the
   * engine that really ran (`"cpu"`, `"wasm"`, `"webgpu"`).
   */
  readonly engine?: string;
}

/** One curve on one backend, as plain JSON for the browser test. */
export interface RunReport {
  /** The backend. */
  readonly backend: string;
  /** The op. */
  readonly op: string;
  /** The curve's label. */
  readonly label: string;
  /** Its parameters. */
  readonly params: Readonly<Record<string, number | string>>;
  /** The inputs. */
  readonly x: number[];
  /** f(x) as computed in the browser. */
  readonly value?: number[];
  /** f'(x) as computed in the browser. */
  readonly gradient?: number[];
  /** Largest differences and deviating indices, as shown. */
  readonly maxAbs?: { readonly value: number; readonly gradient: number };
  /** Largest ULP distances, as shown. */
  readonly maxUlp?: { readonly value: number; readonly gradient: number };
  /** Deviating indices, as marked. */
  readonly deviations?: {
    readonly value: number[];
    readonly gradient: number[];
  };
  /** Points outside the tolerance that a conformance waiver covers, as marked. */
  readonly waived?: {
    readonly value: number[];
    readonly gradient: number[];
  };
  /** The waivers covering them, as shown. */
  readonly waivers?: readonly WaiverNote[];
  /** The error, when the backend threw. */
  readonly error?: string;
}

/** What the page exposes on `globalThis.nonlinBook`. */
export interface BookState {
  /** `"running"` until every backend has run, then `"ready"` (or `"failed"`). */
  state: "running" | "ready" | "failed";
  /** The chosen tab. */
  selected: string;
  /** Every backend, in tab order. */
  readonly backends: BackendReport[];
  /** Every curve on every available backend. */
  readonly runs: RunReport[];
  /** A failure of the page itself. */
  error?: string;
}

type Props = Record<string, string | number | boolean>;

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  node.append(...children);
  return node;
}

/** A number as the page prints it: short, exact for 0, `∞` for Infinity. */
function fmt(n: number): string {
  if (n === 0) return "0";
  if (!Number.isFinite(n)) return n !== n ? "NaN" : n > 0 ? "∞" : "−∞";
  return Math.abs(n) >= 1e-3 && Math.abs(n) < 1e4
    ? String(Number(n.toPrecision(3)))
    : Number(n.toPrecision(3)).toExponential();
}

function describeTolerance(t: Tolerance): string {
  return t.abs !== undefined
    ? `≤ ${t.ulp} ULP or ≤ ${fmt(t.abs)}`
    : `≤ ${t.ulp} ULP`;
}

function formulaNode(section: Section): HTMLElement {
  const node = el("div", { class: "formula", title: section.formula });
  try {
    node.innerHTML = katex.renderToString(section.tex, {
      output: "mathml",
      displayMode: true,
      throwOnError: true,
    });
  } catch {
    node.textContent = `${section.title}(x) = ${section.formula}`;
  }
  return node;
}

/** The tab bar and the empty panels of one section. */
function sectionNode(section: Section, names: readonly string[]): HTMLElement {
  const heading = section.parent === undefined ? "h3" : "h4";
  const tabs = el("div", {
    class: "tabs",
    role: "tablist",
    "aria-label": "backend",
  });
  const panels: HTMLElement[] = [];
  for (const name of names) {
    const panelId = `${section.id}--${name}`;
    tabs.append(el("button", {
      type: "button",
      role: "tab",
      class: "tab",
      "data-backend": name,
      "aria-controls": panelId,
      "aria-selected": "false",
    }, name));
    panels.push(el("div", {
      role: "tabpanel",
      class: "panel",
      id: panelId,
      "data-backend": name,
      "data-op": section.op,
      "data-state": "pending",
      hidden: "",
    }, el("p", { class: "status" }, `computing with ${name}…`)));
  }
  return el(
    "section",
    { id: section.id, class: section.parent === undefined ? "op" : "op sub" },
    el(heading, {}, section.title),
    formulaNode(section),
    el(
      "p",
      { class: "derivative" },
      `Derivative: ${section.derivative}. `,
      el("span", { class: "paper" }, section.paper),
    ),
    tabs,
    ...panels,
  );
}

type Marked = { x: number; y: number; want: number; curve: string };

function plotNode(
  section: Section,
  runs: readonly CurveRun[],
  kind: "value" | "gradient",
): HTMLElement {
  const multiple = runs.length > 1;
  const rows: { x: number; y: number; curve: string }[] = [];
  const deviating: Marked[] = [];
  const waived: Marked[] = [];
  for (const run of runs) {
    const got = run.values![kind];
    const want = run.reference[kind];
    const label = run.curve.label;
    for (let i = 0; i < run.x.length; i++) {
      rows.push({ x: run.x[i]!, y: got[i]!, curve: label });
    }
    const mark = (i: number) => ({
      x: run.x[i]!,
      y: got[i]!,
      want: want[i]!,
      curve: label,
    });
    deviating.push(...run[kind]!.deviations.map(mark));
    waived.push(...run[kind]!.waived.map(mark));
  }
  const title = (what: string) => (d: Marked) =>
    `${what}${
      multiple ? ` (${d.curve})` : ""
    }: x = ${d.x}, got ${d.y}, reference ${d.want}`;
  const figure = Plot.plot({
    width: 340,
    height: 230,
    marginLeft: 48,
    style: { fontSize: "11px" },
    x: { label: "x", domain: [BOOK_GRID.start, BOOK_GRID.stop] },
    y: {
      label: kind === "value" ? `${section.op}(x)` : `grad of ${section.op}`,
      grid: true,
    },
    ...(multiple
      ? { color: { legend: true, domain: runs.map((r) => r.curve.label) } }
      : {}),
    marks: [
      Plot.ruleY([0], { stroke: "#ccc" }),
      Plot.line(rows, {
        x: "x",
        y: "y",
        z: "curve",
        stroke: multiple ? "curve" : "#1f77b4",
        strokeWidth: 1.6,
      }),
      Plot.dot(waived, {
        x: "x",
        y: "y",
        r: 2.5,
        stroke: "#e08a00",
        strokeWidth: 1,
        title: title("outside the tolerance, waived by the conformance suite"),
      }),
      Plot.dot(deviating, {
        x: "x",
        y: "y",
        r: 3.5,
        fill: "#d62728",
        title: title("outside the tolerance"),
      }),
    ],
  });
  return el("figure", {
    class: deviating.length > 0 ? "plot deviates" : "plot",
    "data-kind": kind,
    "data-deviations": String(deviating.length),
    "data-waived": String(waived.length),
  }, figure);
}

function statsNode(runs: readonly CurveRun[]): HTMLElement {
  const head = [
    "",
    "max |Δ| from reference",
    "max ULP",
    "tolerance",
    "waived",
    "deviations",
  ];
  const body = el("tbody");
  for (const run of runs) {
    for (const kind of ["value", "gradient"] as const) {
      const c = run[kind]!;
      const what = `${kind === "value" ? "f(x)" : "f′(x)"}${
        runs.length > 1 ? ` · ${run.curve.label}` : ""
      }`;
      body.append(el(
        "tr",
        {
          class: c.deviations.length > 0 ? "deviates" : "",
          "data-kind": kind,
          "data-curve": run.curve.label,
        },
        el("td", {}, what),
        el("td", { class: "num" }, fmt(c.maxAbs)),
        el("td", { class: "num" }, fmt(c.maxUlp)),
        el("td", { title: c.tolerance.reason }, describeTolerance(c.tolerance)),
        el("td", { class: "num" }, String(c.waived.length)),
        el("td", { class: "num" }, String(c.deviations.length)),
      ));
    }
  }
  return el(
    "table",
    { class: "stats" },
    el("thead", {}, el("tr", {}, ...head.map((h) => el("th", {}, h)))),
    body,
  );
}

/** The conformance waivers behind a panel's waived points, once each. */
function panelWaivers(runs: readonly CurveRun[]): WaiverNote[] {
  const notes: WaiverNote[] = [];
  for (const run of runs) {
    for (const w of [...run.value!.waivers, ...run.gradient!.waivers]) {
      if (!notes.some((n) => n.check === w.check && n.reason === w.reason)) {
        notes.push(w);
      }
    }
  }
  return notes;
}

function waiverNodes(name: string, runs: readonly CurveRun[]): HTMLElement[] {
  return panelWaivers(runs).map((w) =>
    el(
      "p",
      { class: "waiver", "data-check": w.check },
      `Waived by the conformance suite for ${name} (${w.check} check): ${w.reason}`,
      ...(w.source === undefined
        ? []
        : [el("span", { class: "source" }, ` — ${w.source}`)]),
    )
  );
}

function fillPanel(
  panel: HTMLElement,
  section: Section,
  name: string,
  runs: readonly CurveRun[],
): void {
  const code = el(
    "pre",
    { class: "code" },
    el("code", {}, codeBlock(name, section.curves)),
  );
  const failed = runs.filter((r) => r.error !== undefined);
  if (failed.length > 0) {
    panel.dataset.state = "error";
    panel.replaceChildren(
      code,
      el(
        "p",
        { class: "status error" },
        `${name} could not compute this: ${
          failed.map((r) => r.error).join("; ")
        }`,
      ),
    );
    return;
  }
  const deviations = runs.reduce(
    (n, r) => n + r.value!.deviations.length + r.gradient!.deviations.length,
    0,
  );
  panel.dataset.state = deviations > 0 ? "deviates" : "ok";
  panel.dataset.deviations = String(deviations);
  panel.replaceChildren(
    code,
    el(
      "div",
      { class: "plots" },
      plotNode(section, runs, "value"),
      plotNode(section, runs, "gradient"),
    ),
    statsNode(runs),
    ...waiverNodes(name, runs),
  );
}

function markUnavailable(
  root: ParentNode,
  sections: readonly Section[],
  name: string,
  reason: string,
): void {
  for (const section of sections) {
    const panel = root.querySelector<HTMLElement>(
      `.panel[data-backend="${name}"][data-op="${section.op}"]`,
    )!;
    panel.dataset.state = "unavailable";
    panel.replaceChildren(
      el(
        "pre",
        { class: "code" },
        el("code", {}, codeBlock(name, section.curves)),
      ),
      el(
        "p",
        { class: "status unavailable" },
        `${name} is not available in this browser: ${reason}`,
      ),
    );
  }
  for (
    const tab of root.querySelectorAll<HTMLElement>(
      `.tab[data-backend="${name}"]`,
    )
  ) {
    tab.classList.add("unavailable");
    tab.title = reason;
  }
}

/** Shows one backend's tab in every section and remembers the choice. */
function select(root: ParentNode, state: BookState, name: string): void {
  state.selected = name;
  for (const tab of root.querySelectorAll<HTMLElement>(".tab")) {
    tab.setAttribute("aria-selected", String(tab.dataset.backend === name));
  }
  for (const panel of root.querySelectorAll<HTMLElement>(".panel")) {
    panel.hidden = panel.dataset.backend !== name;
  }
  try {
    localStorage.setItem(STORAGE_KEY, name);
  } catch {
    // Storage can be disabled; the choice then lasts until the page reloads.
  }
}

function summaryRow(
  report: BackendReport,
  runs: readonly CurveRun[],
): HTMLElement {
  const facts = el(
    "details",
    {},
    el(
      "summary",
      {},
      report.engine === undefined
        ? "its own kernels"
        : `tf.getBackend() = "${report.engine}"`,
    ),
    el(
      "dl",
      {},
      ...Object.entries(report.properties).flatMap((
        [k, v],
      ) => [el("dt", {}, k), el("dd", {}, String(v))]),
    ),
  );
  if (!report.available) {
    return el(
      "tr",
      { "data-backend": report.name, "data-state": "unavailable" },
      el("th", {}, report.name),
      el(
        "td",
        { colspan: "5", class: "unavailable" },
        `not available: ${report.reason ?? "no reason given"}`,
      ),
    );
  }
  const ok = runs.filter((r) => r.error === undefined);
  const max = (kind: "value" | "gradient") =>
    Math.max(0, ...ok.map((r) => r[kind]!.maxAbs));
  const count = (key: "deviations" | "waived") =>
    ok.reduce((n, r) => n + r.value![key].length + r.gradient![key].length, 0);
  const errors = runs.length - ok.length;
  return el(
    "tr",
    {
      "data-backend": report.name,
      "data-state": count("deviations") + errors > 0 ? "deviates" : "ok",
    },
    el("th", {}, report.name),
    el("td", { class: "props" }, facts),
    el(
      "td",
      { class: "num" },
      `${fmt(max("value"))} / ${fmt(max("gradient"))}`,
    ),
    el(
      "td",
      { class: "num" },
      `${count("deviations")}${errors > 0 ? ` (${errors} failed)` : ""}`,
    ),
    el("td", { class: "num" }, String(count("waived"))),
    el("td", { class: "num" }, `${Math.round(report.ms ?? 0)} ms`),
  );
}

function toReport(run: CurveRun): RunReport {
  const base = {
    backend: run.backend,
    op: run.curve.op,
    label: run.curve.label,
    params: run.curve.params,
    x: Array.from(run.x),
  };
  if (run.error !== undefined) return { ...base, error: run.error };
  return {
    ...base,
    value: Array.from(run.values!.value),
    gradient: Array.from(run.values!.gradient),
    maxAbs: { value: run.value!.maxAbs, gradient: run.gradient!.maxAbs },
    maxUlp: { value: run.value!.maxUlp, gradient: run.gradient!.maxUlp },
    deviations: {
      value: [...run.value!.deviations],
      gradient: [...run.gradient!.deviations],
    },
    waived: {
      value: [...run.value!.waived],
      gradient: [...run.gradient!.waived],
    },
    waivers: panelWaivers([run]),
  };
}

async function load(name: string): Promise<BackendModule | string> {
  try {
    return await loadBackend(name);
  } catch (error) {
    return `the adapter failed to load: ${(error as Error)?.message ?? error}`;
  }
}

/**
 * Builds the page into `root` and computes every section on every backend,
 * one backend after the other; exposes its progress and numbers on
 * `globalThis.nonlinBook` and sets `data-state="ready"` on `root` when done.
 *
 * @param root The element to fill.
 * @returns The state once every backend has run.
 */
export async function startPage(root: HTMLElement): Promise<BookState> {
  const names = [...bookBackendNames];
  const state: BookState = {
    state: "running",
    selected: names[0] ?? "",
    backends: [],
    runs: [],
  };
  (globalThis as { nonlinBook?: BookState }).nonlinBook = state;
  root.dataset.state = "running";

  const sections = bookSections();
  const summary = el("tbody");
  root.append(
    el(
      "table",
      { class: "summary" },
      el(
        "thead",
        {},
        el(
          "tr",
          {},
          ...[
            "backend",
            "runs on",
            "max |Δ| f / f′",
            "deviations",
            "waived",
            "time",
          ].map((h) => el("th", {}, h)),
        ),
      ),
      summary,
    ),
  );
  const book = el(
    "div",
    { class: "part" },
    el(
      "h2",
      { class: "part-title" },
      "§5.1.2 Activation functions, as in the book",
    ),
  );
  const rest = el(
    "div",
    { class: "part" },
    el(
      "h2",
      { class: "part-title" },
      "Beyond the book: GELU, Swish and the rest of the catalog",
    ),
  );
  for (const section of sections) {
    (section.inBook ? book : rest).append(sectionNode(section, names));
  }
  root.append(book, rest);

  root.addEventListener("click", (event) => {
    const tab = (event.target as HTMLElement).closest<HTMLElement>(".tab");
    if (tab?.dataset.backend) select(root, state, tab.dataset.backend);
  });
  let stored: string | null = null;
  try {
    stored = localStorage.getItem(STORAGE_KEY);
  } catch {
    stored = null;
  }
  select(
    root,
    state,
    stored !== null && names.includes(stored) ? stored : state.selected,
  );

  // tfjs-wasm fetches its binaries from where this page's server serves them;
  // set before the adapter is first imported, as tfjs asks.
  setWasmPaths(new URL(WASM_PREFIX, document.baseURI).href);
  const x = bookGrid();
  try {
    for (const name of names) {
      const backend = await load(name);
      const info: BackendInfo | undefined = typeof backend === "string"
        ? undefined
        : backend.backend;
      if (typeof backend === "string" || !info!.available) {
        const reason = typeof backend === "string"
          ? backend
          : info!.reason ?? "no reason given";
        const report: BackendReport = {
          name,
          available: false,
          reason,
          properties: (info?.capabilities.properties ?? {}) as Props,
        };
        state.backends.push(report);
        markUnavailable(root, sections, name, reason);
        summary.append(summaryRow(report, []));
        continue;
      }
      const started = performance.now();
      const all: CurveRun[] = [];
      for (const section of sections) {
        const runs: CurveRun[] = [];
        for (const curve of section.curves) {
          runs.push(await runCurve(backend, curve, x));
        }
        all.push(...runs);
        const panel = root.querySelector<HTMLElement>(
          `.panel[data-backend="${name}"][data-op="${section.op}"]`,
        )!;
        fillPanel(panel, section, name, runs);
      }
      const report: BackendReport = {
        name,
        available: true,
        properties: { ...info!.capabilities.properties } as Props,
        ms: performance.now() - started,
        ...(name.startsWith("tfjs-") ? { engine: getBackend() } : {}),
      };
      state.backends.push(report);
      state.runs.push(...all.map(toReport));
      summary.append(summaryRow(report, all));
    }
    state.state = "ready";
  } catch (error) {
    state.state = "failed";
    state.error = String((error as Error)?.stack ?? error);
    root.append(el("pre", { class: "status error" }, state.error));
  }
  root.dataset.state = state.state;
  return state;
}
