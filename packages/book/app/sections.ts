/**
 * What the page shows, derived from the op catalog: one section per op, in
 * the order of *Dive into Deep Learning* §5.1 (ReLU with pReLU, sigmoid,
 * tanh) followed by GELU, Swish and the rest of the catalog in catalog order;
 * each section plots one or more curves (parameter settings) of its op.
 *
 * @module
 */

import {
  type BookPlace,
  type OpName,
  opNames,
  ops,
  type OpSpec,
  type ParamSpec,
} from "@nonlin/core";

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

/** Where the catalog puts an op on the page. */
function placeOf(op: OpName): BookPlace {
  return (ops[op] as unknown as OpSpec).book;
}

/**
 * The parameter sets each section plots besides the defaults, from the
 * catalog: its example values for parameters without a default (pReLU's
 * learned α starts at 0.25 in PyTorch's `nn.PReLU`) and its further curves
 * (Swish with β = 0.5 and 10 shows it moving from x/2-like towards ReLU).
 * Choice parameters (GELU's `approximate`) get one curve per choice.
 */
function extraCurves(op: OpName): CurveParams[] {
  const spec = ops[op] as unknown as OpSpec;
  const example = Object.keys(spec.example).length === 0 ? [] : [spec.example];
  return [...example, ...spec.curves] as CurveParams[];
}

function label(params: CurveParams): string {
  const entries = Object.entries(params);
  if (entries.length === 0) return "default";
  return entries.map(([k, v]) =>
    `${k} = ${typeof v === "string" ? `"${v}"` : v}`
  ).join(", ");
}

function requiresValue(spec: ParamSpec): boolean {
  return !("default" in spec);
}

function curvesOf(op: OpName): Curve[] {
  const specs = Object.entries(
    ops[op].params as Readonly<Record<string, ParamSpec>>,
  );
  const extra = extraCurves(op);
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
  const order = (["§5.1", "next", "more"] as const).flatMap((part) =>
    opNames.filter((name) => placeOf(name).part === part)
  );
  return order.map((op) => {
    const spec = ops[op];
    const parent = placeOf(op).parent as OpName | undefined;
    return {
      op,
      id: op,
      title: spec.title,
      inBook: placeOf(op).part === "§5.1",
      ...(parent === undefined ? {} : { parent }),
      tex: spec.tex,
      formula: spec.formula,
      derivative: spec.derivative,
      paper: spec.paper,
      curves: curvesOf(op),
    };
  });
}
