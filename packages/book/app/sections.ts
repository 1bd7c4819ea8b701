/**
 * What the page shows, derived from the op catalog: one section per op, in
 * the order of *Dive into Deep Learning* §5.1 (ReLU with pReLU, sigmoid,
 * tanh) followed by GELU, Swish and the rest of the catalog in catalog order;
 * each section plots one or more curves (parameter settings) of its op.
 *
 * @module
 */

import { type OpName, opNames, ops, type ParamSpec } from "@nonlin/core";

/** Parameter values of one curve, as passed to the op. */
export type CurveParams = Readonly<Record<string, number | string>>;

/** One curve of a section: the op evaluated with one set of parameters. */
export interface Curve {
  /** The op. */
  readonly op: OpName;
  /** The parameters given to the op; defaults are left out. */
  readonly params: CurveParams;
  /** How the legend names it: `"default"` or `"beta = 0.5"`. */
  readonly label: string;
}

/** One section of the page: an op, its formula and its curves. */
export interface Section {
  /** The op. */
  readonly op: OpName;
  /** The HTML id: the op's name. */
  readonly id: string;
  /** The heading, as the book writes the name. */
  readonly title: string;
  /** Whether §5.1 of the book covers it. */
  readonly inBook: boolean;
  /** The section it sits under (pReLU under ReLU, as in the book). */
  readonly parent?: OpName;
  /** f(x) in TeX, from the catalog. */
  readonly tex: string;
  /** f(x) in plain text, from the catalog. */
  readonly formula: string;
  /** f'(x) in plain text with the kink convention, from the catalog. */
  readonly derivative: string;
  /** Where the op comes from. */
  readonly paper: string;
  /** The curves plotted, the first with the default parameters. */
  readonly curves: readonly Curve[];
}

/** The ops §5.1 of the book covers, in its order, then the two it leads to. */
const BOOK_ORDER = [
  "relu",
  "prelu",
  "sigmoid",
  "tanh",
] as const satisfies readonly OpName[];
const NEXT = ["gelu", "swish"] as const satisfies readonly OpName[];

/** Sections nested under another, as the book treats pReLU as a ReLU variant. */
const PARENTS: Partial<Record<OpName, OpName>> = { prelu: "relu" };

/**
 * Values for parameters that have no default (pReLU's learned α starts at
 * 0.25 in PyTorch's `nn.PReLU`) and further values worth a curve: Swish with
 * β = 0.5 and 10 shows it moving from x/2-like towards ReLU. Choice
 * parameters (GELU's `approximate`) get one curve per choice automatically.
 */
const EXTRA_CURVES: Partial<Record<OpName, readonly CurveParams[]>> = {
  prelu: [{ alpha: 0.25 }],
  swish: [{ beta: 0.5 }, { beta: 10 }],
};

function label(params: CurveParams): string {
  const entries = Object.entries(params);
  if (entries.length === 0) return "default";
  return entries.map(([k, v]) =>
    `${k} = ${typeof v === "string" ? `"${v}"` : v}`
  ).join(", ");
}

function requiresValue(spec: ParamSpec): boolean {
  return spec.kind === "tensor";
}

function curvesOf(op: OpName): Curve[] {
  const specs = Object.entries(
    ops[op].params as Readonly<Record<string, ParamSpec>>,
  );
  const extra = EXTRA_CURVES[op] ?? [];
  const needsValue = specs.some(([, spec]) => requiresValue(spec));
  const settings: CurveParams[] = needsValue ? [...extra] : [{}, ...extra];
  for (const [name, spec] of specs) {
    if (spec.kind !== "choice") continue;
    for (const choice of spec.choices) {
      if (choice !== spec.default) settings.push({ [name]: choice });
    }
  }
  for (const params of settings) {
    for (const [name, spec] of specs) {
      if (requiresValue(spec) && !(name in params)) {
        throw new TypeError(
          `Section ${op} needs a value for its required parameter ${name}`,
        );
      }
    }
  }
  return settings.map((params) => ({ op, params, label: label(params) }));
}

/**
 * The sections of the page, every catalog op exactly once: §5.1's ReLU,
 * pReLU (under ReLU), sigmoid and tanh, then GELU and Swish, then the rest of
 * the catalog in catalog order.
 *
 * @returns The sections, in page order.
 *
 * @example
 * ```ts
 * import { bookSections } from "@nonlin/book";
 * import { opNames } from "@nonlin/core";
 * import assert from "node:assert";
 *
 * const sections = bookSections();
 * assert.deepStrictEqual(sections.slice(0, 4).map((s) => s.op), ["relu", "prelu", "sigmoid", "tanh"]);
 * assert.strictEqual(sections.length, opNames.length);
 * assert.deepStrictEqual(
 *   sections.find((s) => s.op === "gelu")?.curves.map((c) => c.label),
 *   ["default", 'approximate = "tanh"'],
 * );
 * ```
 */
export function bookSections(): Section[] {
  const first: readonly OpName[] = [...BOOK_ORDER, ...NEXT];
  const order = [...first, ...opNames.filter((name) => !first.includes(name))];
  return order.map((op) => {
    const spec = ops[op];
    const parent = PARENTS[op];
    return {
      op,
      id: op,
      title: spec.title,
      inBook: (BOOK_ORDER as readonly OpName[]).includes(op),
      ...(parent === undefined ? {} : { parent }),
      tex: spec.tex,
      formula: spec.formula,
      derivative: spec.derivative,
      paper: spec.paper,
      curves: curvesOf(op),
    };
  });
}
