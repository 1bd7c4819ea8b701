import assert from "node:assert";
import fc from "fast-check";
import {
  type OpName,
  opNames,
  ops,
  type OpSpec,
  SELU_ALPHA,
  SELU_LAMBDA,
} from "./catalog.ts";
import { erf } from "./erf.ts";
import { nextFloat64, ulps } from "./testdata/float64.ts";

const EPS = 2 ** -52;
/** Seeded, so a failure reproduces (fast-check prints the counterexample). */
const SEED = 5115;

type Params = Record<string, number | string>;

function spec(name: OpName): OpSpec {
  return ops[name] as unknown as OpSpec;
}

/**
 * The default parameters of an op, and the catalog's example value for each
 * parameter without a default (prelu's α = 0.25).
 */
function defaults(op: OpSpec): Params {
  const out: Params = {};
  for (const [name, p] of Object.entries(op.params)) {
    out[name] = "default" in p ? p.default : op.example[name] as number;
  }
  return out;
}

/** The bounds random parameters are drawn from: the range, clipped to [−4, 4]. */
function bounds(
  range: { min: number; max: number; minOpen?: boolean; maxOpen?: boolean },
) {
  const lo = range.min > -4 ? range.min + (range.minOpen ? 0.05 : 0) : -4;
  const hi = range.max < 4 ? range.max - (range.maxOpen ? 0.05 : 0) : 4;
  return { lo, hi };
}

/**
 * Valid parameters of an op, read from its catalog entry: each real one is
 * its default or any number in its range clipped to [−4, 4]; a choice is any
 * of its choices. Drawn sets that break the op's own constraint (hardTanh
 * min < max) are dropped.
 */
function paramsArb(op: OpSpec): fc.Arbitrary<Params> {
  const fields: Record<string, fc.Arbitrary<number | string>> = {};
  for (const [name, p] of Object.entries(op.params)) {
    if (p.kind === "choice") {
      fields[name] = fc.constantFrom(...p.choices);
      continue;
    }
    const { lo, hi } = bounds(p.range);
    const any = fc.double({ min: lo, max: hi, noNaN: true });
    fields[name] = "default" in p ? fc.oneof(fc.constant(p.default), any) : any;
  }
  return fc.record(fields).filter((p) => op.check?.(p) === undefined);
}

/**
 * Like {@linkcode paramsArb}, but every real parameter is 0 (where valid) or
 * ±2ʲ, j ∈ [−3, 2]: then every kink (threshold/β, min, max, …) is a float64
 * exactly, and "the derivative at the kink" means what it says.
 */
function dyadicParamsArb(op: OpSpec): fc.Arbitrary<Params> {
  const fields: Record<string, fc.Arbitrary<number | string>> = {};
  for (const [name, p] of Object.entries(op.params)) {
    if (p.kind === "choice") {
      fields[name] = fc.constantFrom(...p.choices);
      continue;
    }
    const { lo, hi } = bounds(p.range);
    const values = [0, 0.125, 0.25, 0.5, 1, 2, 4].flatMap((v) => [v, -v])
      .filter((v) =>
        v >= lo && v <= hi && (v !== 0 || lo < 0 || !p.range.minOpen)
      );
    fields[name] = fc.constantFrom(...values);
  }
  return fc.record(fields).filter((p) => op.check?.(p) === undefined);
}

/**
 * A double uniform on [lo, hi]. (fast-check's own `double` spreads its draws
 * over the bit patterns, so half of them would be tinier than 10⁻¹⁵⁰.)
 */
function uniform(lo: number, hi: number): fc.Arbitrary<number> {
  return fc.integer({ min: 0, max: 2 ** 30 }).map((i) =>
    lo + (hi - lo) * (i / 2 ** 30)
  );
}

/**
 * Inputs for the finite differences: uniform on [−20, 20], or log-uniform in
 * magnitude from 10⁻⁶ to 10³ with either sign.
 */
const xArb = fc.oneof(
  uniform(-20, 20),
  fc.tuple(uniform(-6, 3), fc.boolean()).map(([e, negative]) =>
    (negative ? -1 : 1) * 10 ** e
  ),
);

/** The learned parameters of an op: those its reference has a ∂f/∂θ for. */
function learned(op: OpSpec): string[] {
  return Object.keys(op.dfdp);
}

interface SlopeCheck {
  readonly ok: boolean;
  /** Whether the tolerance pinned the slope to 0.01% (or 10⁻⁸ absolute). */
  readonly informative: boolean;
  readonly detail: string;
}

/**
 * Compares `want` with the slope of g at t, estimated by central differences
 * in float64 with Richardson extrapolation: D(h) = g' + ch² + O(h⁴), so
 * R = (4D(h/2) − D(h))/3 = g' + O(h⁴), and |D(h) − D(h/2)| = ¾|c|h² bounds
 * R's truncation error with room to spare.
 *
 * Step: h = 2⁻¹⁴·max(1, |t|) ≈ 6e-5 relative. Larger steps cost truncation
 * (which Richardson removes), smaller ones cost rounding: each g has a
 * relative error of a few ulps, up to ~|z|·2⁻⁵³ where g exponentiates an
 * argument z it had to round (|z| ≤ 4·10³ here), so the differences carry an
 * error of at most NOISE·ε·|g|/h with NOISE = 2¹², ≈ 1.5e-8·|g| at h ≈ 6e-5.
 * The tolerance is the sum of the two bounds plus 10⁻⁹ relative.
 */
function checkSlope(
  g: (t: number) => number,
  t: number,
  want: number,
): SlopeCheck {
  const h = 2 ** -14 * Math.max(1, Math.abs(t));
  const diff = (step: number) => {
    const hi = t + step;
    const lo = t - step;
    return (g(hi) - g(lo)) / (hi - lo);
  };
  const d1 = diff(h);
  const d2 = diff(h / 2);
  const extrapolated = (4 * d2 - d1) / 3;
  const size = Math.max(Math.abs(g(t - h)), Math.abs(g(t)), Math.abs(g(t + h)));
  // Plus the spacing of subnormals, for g of the order of 2⁻¹⁰⁷⁴ (α = 5e-324).
  const noise = (2 ** 12 * EPS * size + 2 ** -1072) / h;
  const tol = Math.abs(d1 - d2) + noise + 1e-9 * Math.abs(want);
  const ok = Math.abs(extrapolated - want) <= tol;
  return {
    ok,
    informative: tol <= 1e-8 + 1e-4 * Math.abs(want),
    detail:
      `at ${t}: want ${want}, finite differences give ${extrapolated} ± ${tol}`,
  };
}

/**
 * Whether x lies within `margin` of a kink of f, or between the places a
 * kink takes as the parameters vary over `sets` (softplus's threshold/β
 * moves with β).
 */
function nearKink(
  op: OpSpec,
  x: number,
  sets: readonly Params[],
  margin: number,
): boolean {
  const perSet = sets.map((p) => op.kinks(p));
  return perSet[0]!.some((_, i) => {
    const ks = perSet.map((k) => k[i]!);
    return x >= Math.min(...ks) - margin && x <= Math.max(...ks) + margin;
  });
}

/** Runs a slope check over random x and parameters; tallies how much it said. */
function assertSlopes(
  name: string,
  op: OpSpec,
  check: (x: number, p: Params) => SlopeCheck | undefined,
): void {
  let checked = 0;
  let informative = 0;
  let runs = 0;
  fc.assert(
    fc.property(xArb, paramsArb(op), (x, p) => {
      runs++;
      const r = check(x, p);
      if (r === undefined) return true;
      checked++;
      if (r.informative) informative++;
      if (!r.ok) {
        throw new Error(`${op.name} ${JSON.stringify(p)} ${name} ${r.detail}`);
      }
      return true;
    }),
    { seed: SEED, numRuns: 400 },
  );
  // Guard against a check that skips everything or whose tolerance says nothing.
  assert.ok(
    checked >= 0.5 * runs,
    `${op.name} ${name}: only ${checked} of ${runs} checked`,
  );
  assert.ok(
    informative >= 0.6 * checked,
    `${op.name} ${name}: only ${informative} of ${checked} checks were informative`,
  );
}

/** Values of f at x, read from the mpmath table below. */
type Known = readonly [
  op: OpName,
  params: Params,
  x: number,
  f: string,
  dfdx: string,
  d2fdx2: string,
  dfdp: Readonly<Record<string, string>>,
];

/**
 * Known values of every op: f, ∂f/∂x, ∂²f/∂x² and ∂f/∂θ for each learned θ,
 * to 21 significant digits, at x ∈ {−2.5, −0.6, −10⁻⁵, 0.5, 1, 4} (kinks left out)
 * for the default parameters and a few others.
 *
 * Made with mpmath 1.3.0 at 1000 bits, from the definitions (not from the
 * catalog's formulas): σ(z) = 1/(1 + e⁻ᶻ), softplus(z) = log1p(eᶻ), Φ(x) =
 * erfc(−x/√2)/2, λ and α of SELU to 32 digits, each x and parameter taken as
 * the float64 it denotes; derivatives by `mpmath.diff` (numerical, with the
 * working precision raised far beyond the 21 digits kept), e.g.
 *
 * ```py
 * mpmath.mp.prec = 1000
 * gelu = lambda x: x * mpmath.erfc(-x / mpmath.sqrt(2)) / 2
 * mpmath.nstr(mpmath.diff(gelu, mpmath.mpf(1)), 21)  # 1.08331547058768629838
 * ```
 */
const KNOWN: readonly Known[] = [
  ["relu", {}, -2.5, "0", "0", "0", {}],
  ["relu", {}, -0.6, "0", "0", "0", {}],
  ["relu", {}, -1e-05, "0", "0", "0", {}],
  ["relu", {}, 0.5, "0.5", "1.0", "0", {}],
  ["relu", {}, 1, "1.0", "1.0", "0", {}],
  ["relu", {}, 4, "4.0", "1.0", "0", {}],
  [
    "leakyRelu",
    { "alpha": 0.01 },
    -2.5,
    "-0.0250000000000000005204",
    "0.0100000000000000002082",
    "0",
    { alpha: "-2.5" },
  ],
  [
    "leakyRelu",
    { "alpha": 0.01 },
    -0.6,
    "-0.00599999999999999990286",
    "0.0100000000000000002082",
    "0",
    { alpha: "-0.599999999999999977796" },
  ],
  [
    "leakyRelu",
    { "alpha": 0.01 },
    -1e-05,
    "-1.00000000000000010262e-7",
    "0.0100000000000000002082",
    "0",
    { alpha: "-1.0000000000000000818e-5" },
  ],
  ["leakyRelu", { "alpha": 0.01 }, 0.5, "0.5", "1.0", "0", { alpha: "0" }],
  ["leakyRelu", { "alpha": 0.01 }, 1, "1.0", "1.0", "0", { alpha: "0" }],
  ["leakyRelu", { "alpha": 0.01 }, 4, "4.0", "1.0", "0", { alpha: "0" }],
  [
    "leakyRelu",
    { "alpha": 0.2 },
    -2.5,
    "-0.500000000000000027756",
    "0.200000000000000011102",
    "0",
    { alpha: "-2.5" },
  ],
  [
    "leakyRelu",
    { "alpha": 0.2 },
    -0.6,
    "-0.12000000000000000222",
    "0.200000000000000011102",
    "0",
    { alpha: "-0.599999999999999977796" },
  ],
  [
    "leakyRelu",
    { "alpha": 0.2 },
    -1e-05,
    "-2.00000000000000027463e-6",
    "0.200000000000000011102",
    "0",
    { alpha: "-1.0000000000000000818e-5" },
  ],
  ["leakyRelu", { "alpha": 0.2 }, 0.5, "0.5", "1.0", "0", { alpha: "0" }],
  ["leakyRelu", { "alpha": 0.2 }, 1, "1.0", "1.0", "0", { alpha: "0" }],
  ["leakyRelu", { "alpha": 0.2 }, 4, "4.0", "1.0", "0", { alpha: "0" }],
  ["prelu", { "alpha": 0.25 }, -2.5, "-0.625", "0.25", "0", { alpha: "-2.5" }],
  ["prelu", { "alpha": 0.25 }, -0.6, "-0.149999999999999994449", "0.25", "0", {
    alpha: "-0.599999999999999977796",
  }],
  [
    "prelu",
    { "alpha": 0.25 },
    -1e-05,
    "-2.50000000000000020451e-6",
    "0.25",
    "0",
    { alpha: "-1.0000000000000000818e-5" },
  ],
  ["prelu", { "alpha": 0.25 }, 0.5, "0.5", "1.0", "0", { alpha: "0" }],
  ["prelu", { "alpha": 0.25 }, 1, "1.0", "1.0", "0", { alpha: "0" }],
  ["prelu", { "alpha": 0.25 }, 4, "4.0", "1.0", "0", { alpha: "0" }],
  ["relu6", {}, -2.5, "0", "0", "0", {}],
  ["relu6", {}, -0.6, "0", "0", "0", {}],
  ["relu6", {}, -1e-05, "0", "0", "0", {}],
  ["relu6", {}, 0.5, "0.5", "1.0", "0", {}],
  ["relu6", {}, 1, "1.0", "1.0", "0", {}],
  ["relu6", {}, 4, "4.0", "1.0", "0", {}],
  [
    "elu",
    { "alpha": 1 },
    -2.5,
    "-0.91791500137610120483",
    "0.0820849986238987951695",
    "0.0820849986238987951695",
    { alpha: "-0.91791500137610120483" },
  ],
  [
    "elu",
    { "alpha": 1 },
    -0.6,
    "-0.451188363905973555185",
    "0.548811636094026444815",
    "0.548811636094026444815",
    { alpha: "-0.451188363905973555185" },
  ],
  [
    "elu",
    { "alpha": 1 },
    -1e-05,
    "-9.99995000016666706802e-6",
    "0.999990000049999833333",
    "0.999990000049999833333",
    { alpha: "-9.99995000016666706802e-6" },
  ],
  ["elu", { "alpha": 1 }, 0.5, "0.5", "1.0", "0", { alpha: "0" }],
  ["elu", { "alpha": 1 }, 1, "1.0", "1.0", "0", { alpha: "0" }],
  ["elu", { "alpha": 1 }, 4, "4.0", "1.0", "0", { alpha: "0" }],
  [
    "elu",
    { "alpha": 0.5 },
    -2.5,
    "-0.458957500688050602415",
    "0.0410424993119493975848",
    "0.0410424993119493975848",
    { alpha: "-0.91791500137610120483" },
  ],
  [
    "elu",
    { "alpha": 0.5 },
    -0.6,
    "-0.225594181952986777593",
    "0.274405818047013222407",
    "0.274405818047013222407",
    { alpha: "-0.451188363905973555185" },
  ],
  [
    "elu",
    { "alpha": 0.5 },
    -1e-05,
    "-4.99997500008333353401e-6",
    "0.499995000024999916666",
    "0.499995000024999916666",
    { alpha: "-9.99995000016666706802e-6" },
  ],
  ["elu", { "alpha": 0.5 }, 0.5, "0.5", "1.0", "0", { alpha: "0" }],
  ["elu", { "alpha": 0.5 }, 1, "1.0", "1.0", "0", { alpha: "0" }],
  ["elu", { "alpha": 0.5 }, 4, "4.0", "1.0", "0", { alpha: "0" }],
  [
    "selu",
    {},
    -2.5,
    "-1.61378575887324255154",
    "0.144313581974134308396",
    "0.144313581974134308396",
    {},
  ],
  [
    "selu",
    {},
    -0.6,
    "-0.793233965181098508477",
    "0.964865375666278351463",
    "0.964865375666278351463",
    {},
  ],
  [
    "selu",
    {},
    -1e-05,
    "-1.7580905503799743493e-5",
    "1.7580817599418730602",
    "1.7580817599418730602",
    {},
  ],
  [
    "selu",
    {},
    0.5,
    "0.52535049367774024671",
    "1.05070098735548049342",
    "0",
    {},
  ],
  ["selu", {}, 1, "1.05070098735548049342", "1.05070098735548049342", "0", {}],
  ["selu", {}, 4, "4.20280394942192197368", "1.05070098735548049342", "0", {}],
  [
    "celu",
    { "alpha": 1 },
    -2.5,
    "-0.91791500137610120483",
    "0.0820849986238987951695",
    "0.0820849986238987951695",
    { alpha: "-0.712702504816354216907" },
  ],
  [
    "celu",
    { "alpha": 1 },
    -0.6,
    "-0.451188363905973555185",
    "0.548811636094026444815",
    "0.548811636094026444815",
    { alpha: "-0.121901382249557700483" },
  ],
  [
    "celu",
    { "alpha": 1 },
    -1e-05,
    "-9.99995000016666706802e-6",
    "0.999990000049999833333",
    "0.999990000049999833333",
    { alpha: "-4.99996666679166715136e-11" },
  ],
  ["celu", { "alpha": 1 }, 0.5, "0.5", "1.0", "0", { alpha: "0" }],
  ["celu", { "alpha": 1 }, 1, "1.0", "1.0", "0", { alpha: "0" }],
  ["celu", { "alpha": 1 }, 4, "4.0", "1.0", "0", { alpha: "0" }],
  [
    "celu",
    { "alpha": 0.5 },
    -2.5,
    "-0.496631026500457266452",
    "0.00673794699908546709664",
    "0.0134758939981709341933",
    { alpha: "-0.95957231800548719742" },
  ],
  [
    "celu",
    { "alpha": 0.5 },
    -0.6,
    "-0.34940289404389894499",
    "0.301194211912202110021",
    "0.602388423824404220041",
    { alpha: "-0.33737273379315537133" },
  ],
  [
    "celu",
    { "alpha": 0.5 },
    -1e-05,
    "-9.99990000066666415136e-6",
    "0.999980000199998666672",
    "1.99996000039999733334",
    { alpha: "-1.99997333353333259388e-10" },
  ],
  ["celu", { "alpha": 0.5 }, 0.5, "0.5", "1.0", "0", { alpha: "0" }],
  ["celu", { "alpha": 0.5 }, 1, "1.0", "1.0", "0", { alpha: "0" }],
  ["celu", { "alpha": 0.5 }, 4, "4.0", "1.0", "0", { alpha: "0" }],
  [
    "sigmoid",
    {},
    -2.5,
    "0.0758581800212435511933",
    "0.0701037165451081569323",
    "0.0594678358454340677737",
    {},
  ],
  [
    "sigmoid",
    {},
    -0.6,
    "0.354343693774204552171",
    "0.228784240456657302264",
    "0.0666477347751817915718",
    {},
  ],
  [
    "sigmoid",
    {},
    -1e-05,
    "0.499997500000000020833",
    "0.24999999999375",
    "1.24999999995833343559e-6",
    {},
  ],
  [
    "sigmoid",
    {},
    0.5,
    "0.622459331201854564639",
    "0.235003712201594489069",
    "-0.0575567948523207405594",
    {},
  ],
  [
    "sigmoid",
    {},
    1,
    "0.731058578630004879251",
    "0.196611933241481852537",
    "-0.0908577476729484094425",
    {},
  ],
  [
    "sigmoid",
    {},
    4,
    "0.982013790037908441973",
    "0.0176627062132911164216",
    "-0.0170273359283891301465",
    {},
  ],
  [
    "logSigmoid",
    {},
    -2.5,
    "-2.57888973429254962334",
    "0.924141819978756448807",
    "-0.0701037165451081569323",
    {},
  ],
  [
    "logSigmoid",
    {},
    -0.6,
    "-1.03748795048588561211",
    "0.645656306225795447829",
    "-0.228784240456657302264",
    {},
  ],
  [
    "logSigmoid",
    {},
    -1e-05,
    "-0.693152180572445309418",
    "0.500002499999999979167",
    "-0.24999999999375",
    {},
  ],
  [
    "logSigmoid",
    {},
    0.5,
    "-0.474076984180106680873",
    "0.377540668798145435361",
    "-0.235003712201594489069",
    {},
  ],
  [
    "logSigmoid",
    {},
    1,
    "-0.313261687518222834049",
    "0.268941421369995120749",
    "-0.196611933241481852537",
    {},
  ],
  [
    "logSigmoid",
    {},
    4,
    "-0.018149927917809740355",
    "0.0179862099620915580268",
    "-0.0176627062132911164216",
    {},
  ],
  [
    "hardSigmoid",
    {},
    -2.5,
    "0.0833333333333333333333",
    "0.166666666666666666667",
    "0",
    {},
  ],
  [
    "hardSigmoid",
    {},
    -0.6,
    "0.400000000000000003701",
    "0.166666666666666666667",
    "0",
    {},
  ],
  [
    "hardSigmoid",
    {},
    -1e-05,
    "0.499998333333333333333",
    "0.166666666666666666667",
    "0",
    {},
  ],
  [
    "hardSigmoid",
    {},
    0.5,
    "0.583333333333333333333",
    "0.166666666666666666667",
    "0",
    {},
  ],
  [
    "hardSigmoid",
    {},
    1,
    "0.666666666666666666667",
    "0.166666666666666666667",
    "0",
    {},
  ],
  ["hardSigmoid", {}, 4, "1.0", "0", "0", {}],
  [
    "tanh",
    {},
    -2.5,
    "-0.986614298151430288881",
    "0.026592226683160619656",
    "0.0524725421305805035035",
    {},
  ],
  [
    "tanh",
    {},
    -0.6,
    "-0.537049566998035270062",
    "0.711577762587222825725",
    "0.764305058565797520309",
    {},
  ],
  [
    "tanh",
    {},
    -1e-05,
    "-9.99999999966666748471e-6",
    "0.999999999900000000007",
    "1.99999999973333349696e-5",
    {},
  ],
  [
    "tanh",
    {},
    0.5,
    "0.462117157260009758502",
    "0.78644773296592741015",
    "-0.72686198138358727554",
    {},
  ],
  [
    "tanh",
    {},
    1,
    "0.761594155955764888119",
    "0.419974341614026069394",
    "-0.639700008449224500188",
    {},
  ],
  [
    "tanh",
    {},
    4,
    "0.999329299739067043792",
    "0.00134095068302589687997",
    "-0.00268010261410578637016",
    {},
  ],
  ["hardTanh", { "min": -1, "max": 1 }, -2.5, "-1.0", "0", "0", {}],
  [
    "hardTanh",
    { "min": -1, "max": 1 },
    -0.6,
    "-0.599999999999999977796",
    "1.0",
    "0",
    {},
  ],
  [
    "hardTanh",
    { "min": -1, "max": 1 },
    -1e-05,
    "-1.0000000000000000818e-5",
    "1.0",
    "0",
    {},
  ],
  ["hardTanh", { "min": -1, "max": 1 }, 0.5, "0.5", "1.0", "0", {}],
  ["hardTanh", { "min": -1, "max": 1 }, 4, "1.0", "0", "0", {}],
  ["hardTanh", { "min": -2, "max": 0.5 }, -2.5, "-2.0", "0", "0", {}],
  [
    "hardTanh",
    { "min": -2, "max": 0.5 },
    -0.6,
    "-0.599999999999999977796",
    "1.0",
    "0",
    {},
  ],
  [
    "hardTanh",
    { "min": -2, "max": 0.5 },
    -1e-05,
    "-1.0000000000000000818e-5",
    "1.0",
    "0",
    {},
  ],
  ["hardTanh", { "min": -2, "max": 0.5 }, 1, "0.5", "0", "0", {}],
  ["hardTanh", { "min": -2, "max": 0.5 }, 4, "0.5", "0", "0", {}],
  [
    "softsign",
    {},
    -2.5,
    "-0.714285714285714285714",
    "0.0816326530612244897959",
    "0.0466472303206997084548",
    {},
  ],
  [
    "softsign",
    {},
    -0.6,
    "-0.374999999999999991326",
    "0.390625000000000010842",
    "0.488281250000000020329",
    {},
  ],
  [
    "softsign",
    {},
    -1e-05,
    "-9.99990000099999081811e-6",
    "0.999980000299996000048",
    "1.9999400011999800003",
    {},
  ],
  [
    "softsign",
    {},
    0.5,
    "0.333333333333333333333",
    "0.444444444444444444444",
    "-0.592592592592592592593",
    {},
  ],
  ["softsign", {}, 1, "0.5", "0.25", "-0.25", {}],
  ["softsign", {}, 4, "0.8", "0.04", "-0.016", {}],
  [
    "softplus",
    { "beta": 1, "threshold": 20 },
    -2.5,
    "0.078889734292549623344",
    "0.0758581800212435511933",
    "0.0701037165451081569323",
    { beta: "-0.268535184345658501327" },
  ],
  [
    "softplus",
    { "beta": 1, "threshold": 20 },
    -0.6,
    "0.437487950485885634319",
    "0.354343693774204552171",
    "0.228784240456657302264",
    { beta: "-0.650094166750408357754" },
  ],
  [
    "softplus",
    { "beta": 1, "threshold": 20 },
    -1e-05,
    "0.693142180572445309417",
    "0.499997500000000020833",
    "0.24999999999375",
    { beta: "-0.693147180547445309417" },
  ],
  [
    "softplus",
    { "beta": 1, "threshold": 20 },
    0.5,
    "0.974076984180106680873",
    "0.622459331201854564639",
    "0.235003712201594489069",
    { beta: "-0.662847318579179398554" },
  ],
  [
    "softplus",
    { "beta": 1, "threshold": 20 },
    1,
    "1.31326168751822283405",
    "0.731058578630004879251",
    "0.196611933241481852537",
    { beta: "-0.582203108888217954798" },
  ],
  [
    "softplus",
    { "beta": 1, "threshold": 20 },
    4,
    "4.01814992791780974035",
    "0.982013790037908441973",
    "0.0176627062132911164216",
    { beta: "-0.0900947677661759724622" },
  ],
  [
    "softplus",
    { "beta": 2, "threshold": 20 },
    -2.5,
    "0.00335767424455903430821",
    "0.00669285092428485555936",
    "0.013296113341580309828",
    { beta: "-0.0100449007776355866033" },
  ],
  [
    "softplus",
    { "beta": 2, "threshold": 20 },
    -0.6,
    "0.131641233669015599734",
    "0.231475216500982364969",
    "0.355788881293611412863",
    { beta: "-0.135263181784802506788" },
  ],
  [
    "softplus",
    { "beta": 2, "threshold": 20 },
    -1e-05,
    "0.346568590304972654708",
    "0.499995000000000166666",
    "0.499999999950000000003",
    { beta: "-0.173286795127486327355" },
  ],
  [
    "softplus",
    { "beta": 2, "threshold": 20 },
    0.5,
    "0.656630843759111417024",
    "0.731058578630004879251",
    "0.393223866482963705075",
    { beta: "-0.145550777222054488699" },
  ],
  [
    "softplus",
    { "beta": 2, "threshold": 20 },
    1,
    "1.06346400552148624822",
    "0.88079707797788244406",
    "0.209987170807013034697",
    { beta: "-0.0913334637718019020811" },
  ],
  [
    "softplus",
    { "beta": 2, "threshold": 20 },
    4,
    "4.00016770318644788442",
    "0.999664649869533521896",
    "6.70475341512948439985e-4",
    { beta: "-7.5455185415689841565e-4" },
  ],
  [
    "softplus",
    { "beta": 0.5, "threshold": 1 },
    -2.5,
    "0.503858162690745777907",
    "0.222700138825308853",
    "0.0865523934962485087038",
    { beta: "-2.12121701950803582082" },
  ],
  [
    "softplus",
    { "beta": 0.5, "threshold": 1 },
    -0.6,
    "1.10871048893705424708",
    "0.425557483188341015562",
    "0.122229155845372934735",
    { beta: "-2.72808995770011769393" },
  ],
  [
    "softplus",
    { "beta": 0.5, "threshold": 1 },
    -1e-05,
    "1.38628936112614061883",
    "0.499998750000000002604",
    "0.12499999999921875",
    { beta: "-2.77258872222728123767" },
  ],
  [
    "softplus",
    { "beta": 0.5, "threshold": 1 },
    0.5,
    "1.65187883975768712442",
    "0.562176500885798104027",
    "0.123067041368799173793",
    { beta: "-2.7415811786295761448" },
  ],
  [
    "softplus",
    { "beta": 0.5, "threshold": 1 },
    1,
    "1.94815396836021336175",
    "0.622459331201854564639",
    "0.117501856100797244535",
    { beta: "-2.65138927431671759421" },
  ],
  ["softplus", { "beta": 0.5, "threshold": 1 }, 4, "4.0", "1.0", "0", {
    beta: "0",
  }],
  [
    "gelu",
    { "approximate": "none" },
    -2.5,
    "-0.0155241633144403379174",
    "-0.0376110859081452082384",
    "-0.0744952770976662837892",
    {},
  ],
  [
    "gelu",
    { "approximate": "none" },
    -0.6,
    "-0.164551870650044146526",
    "0.0743183560149938110371",
    "0.54648834874255141863",
    {},
  ],
  [
    "gelu",
    { "approximate": "none" },
    -1e-05,
    "-4.99996010577196093064e-6",
    "0.499992021154392237307",
    "0.797884560723076899803",
    {},
  ],
  [
    "gelu",
    { "approximate": "none" },
    0.5,
    "0.345731230637006551819",
    "0.867495124656162842525",
    "0.616114321837524086106",
    {},
  ],
  [
    "gelu",
    { "approximate": "none" },
    1,
    "0.841344746068542948585",
    "1.08331547058768629838",
    "0.241970724519143349798",
    {},
  ],
  [
    "gelu",
    { "approximate": "none" },
    4,
    "3.99987331503266752031",
    "1.00050364966122642149",
    "-0.00187362316070839492484",
    {},
  ],
  [
    "gelu",
    { "approximate": "tanh" },
    -2.5,
    "-0.0150842660899985820795",
    "-0.0379515762126661826342",
    "-0.0762453920736129526364",
    {},
  ],
  [
    "gelu",
    { "approximate": "tanh" },
    -0.6,
    "-0.164584800769185251868",
    "0.074508466667516955117",
    "0.545812752804924432957",
    {},
  ],
  [
    "gelu",
    { "approximate": "tanh" },
    -1e-05,
    "-4.99996010577196093394e-6",
    "0.499992021154392238624",
    "0.79788456072268198327",
    {},
  ],
  [
    "gelu",
    { "approximate": "tanh" },
    0.5,
    "0.345714009825143922038",
    "0.86736990353464231156",
    "0.615506895115984892273",
    {},
  ],
  [
    "gelu",
    { "approximate": "tanh" },
    1,
    "0.841191990608276704782",
    "1.08296408384578255514",
    "0.242148197983772952419",
    {},
  ],
  [
    "gelu",
    { "approximate": "tanh" },
    4,
    "3.99992975405180762731",
    "1.00033512319712267076",
    "-0.00147405966376533644921",
    {},
  ],
  [
    "swish",
    { "beta": 1 },
    -2.5,
    "-0.189645450053108877983",
    "-0.0994011113415268411375",
    "-0.00846215652336885556963",
    { beta: "0.438148228406925980827" },
  ],
  [
    "swish",
    { "beta": 1 },
    -0.6,
    "-0.212606216264522723435",
    "0.217073149500210175892",
    "0.417579840048205531065",
    { beta: "0.0823623265643966227191" },
  ],
  [
    "swish",
    { "beta": 1 },
    -1e-05,
    "-4.99997500000000061734e-6",
    "0.499995000000000083333",
    "0.499999999975000000001",
    { beta: "2.49999999993750040902e-11" },
  ],
  [
    "swish",
    { "beta": 1 },
    0.5,
    "0.311229665600927282319",
    "0.739961187302651809174",
    "0.441229026977028607859",
    { beta: "0.0587509280503986222673" },
  ],
  [
    "swish",
    { "beta": 1 },
    1,
    "0.731058578630004879251",
    "0.927670511871486731789",
    "0.302366118810015295632",
    { beta: "0.196611933241481852537" },
  ],
  [
    "swish",
    { "beta": 1 },
    4,
    "3.92805516015163376789",
    "1.05266461489107290766",
    "-0.032783931286974287743",
    { beta: "0.282603299412657862745" },
  ],
  [
    "swish",
    { "beta": 2 },
    -2.5,
    "-0.0167321273107121388984",
    "-0.0265474324296659190106",
    "-0.0389984509800650097234",
    { beta: "0.0415503541924384682125" },
  ],
  [
    "swish",
    { "beta": 2 },
    -0.6,
    "-0.138885129900589413842",
    "0.0180018877248155251517",
    "0.482286245017483578118",
    { beta: "0.0640419986328500495752" },
  ],
  [
    "swish",
    { "beta": 2 },
    -1e-05,
    "-4.99995000000000207567e-6",
    "0.499990000000000666666",
    "0.99999999980000000002",
    { beta: "2.49999999975000040903e-11" },
  ],
  [
    "swish",
    { "beta": 2 },
    0.5,
    "0.365529289315002439626",
    "0.927670511871486731789",
    "0.604732237620030591265",
    { beta: "0.0491529833103704631344" },
  ],
  [
    "swish",
    { "beta": 2 },
    1,
    "0.88079707797788244406",
    "1.09078424878489547876",
    "0.1001243373894138193",
    { beta: "0.104993585403506517349" },
  ],
  [
    "swish",
    { "beta": 2 },
    4,
    "3.99865859947813408758",
    "1.00234655123558531566",
    "-0.00401925454518567586036",
    { beta: "0.00536380273210358751988" },
  ],
  [
    "swish",
    { "beta": -0.5 },
    -2.5,
    "-1.9432496529367278675",
    "0.993680844915312418759",
    "-0.113102370240379636457",
    { beta: "1.0819049187031063588" },
  ],
  [
    "swish",
    { "beta": -0.5 },
    -0.6,
    "-0.344665510086995377908",
    "0.647780010318882742565",
    "-0.238998884097409433239",
    { beta: "0.0880049922086685064955" },
  ],
  [
    "swish",
    { "beta": -0.5 },
    -1e-05,
    "-5.00001250000000038298e-6",
    "0.500002499999999989584",
    "-0.249999999996875",
    { beta: "2.49999999998437540902e-11" },
  ],
  [
    "swish",
    { "beta": -0.5 },
    0.5,
    "0.218911749557100947986",
    "0.376289978429802309076",
    "-0.242308143734258500714",
    { beta: "0.0615335206843995868963" },
  ],
  [
    "swish",
    { "beta": -0.5 },
    1,
    "0.377540668798145435361",
    "0.260038812697348190826",
    "-0.220614513488514303929",
    { beta: "0.235003712201594489069" },
  ],
  [
    "swish",
    { "beta": -0.5 },
    4,
    "0.476811688088470223761",
    "-0.090784248784895478757",
    "-0.0250310843473534548251",
    { beta: "1.67989736645610427758" },
  ],
  ["swish", { "beta": 0 }, -2.5, "-1.25", "0.5", "0", { beta: "1.5625" }],
  ["swish", { "beta": 0 }, -0.6, "-0.299999999999999988898", "0.5", "0", {
    beta: "0.0899999999999999933387",
  }],
  ["swish", { "beta": 0 }, -1e-05, "-5.00000000000000040902e-6", "0.5", "0", {
    beta: "2.50000000000000040902e-11",
  }],
  ["swish", { "beta": 0 }, 0.5, "0.25", "0.5", "0", { beta: "0.0625" }],
  ["swish", { "beta": 0 }, 1, "0.5", "0.5", "0", { beta: "0.25" }],
  ["swish", { "beta": 0 }, 4, "2.0", "0.5", "0", { beta: "4.0" }],
  [
    "silu",
    {},
    -2.5,
    "-0.189645450053108877983",
    "-0.0994011113415268411375",
    "-0.00846215652336885556963",
    {},
  ],
  [
    "silu",
    {},
    -0.6,
    "-0.212606216264522723435",
    "0.217073149500210175892",
    "0.417579840048205531065",
    {},
  ],
  [
    "silu",
    {},
    -1e-05,
    "-4.99997500000000061734e-6",
    "0.499995000000000083333",
    "0.499999999975000000001",
    {},
  ],
  [
    "silu",
    {},
    0.5,
    "0.311229665600927282319",
    "0.739961187302651809174",
    "0.441229026977028607859",
    {},
  ],
  [
    "silu",
    {},
    1,
    "0.731058578630004879251",
    "0.927670511871486731789",
    "0.302366118810015295632",
    {},
  ],
  [
    "silu",
    {},
    4,
    "3.92805516015163376789",
    "1.05266461489107290766",
    "-0.032783931286974287743",
    {},
  ],
  [
    "mish",
    {},
    -2.5,
    "-0.196816203906533338208",
    "-0.109743572750185688323",
    "-0.0211459112787477831914",
    {},
  ],
  [
    "mish",
    {},
    -0.6,
    "-0.246936028305836618233",
    "0.234965427392161119647",
    "0.526136198898924798808",
    {},
  ],
  [
    "mish",
    {},
    -1e-05,
    "-5.99996799998400094948e-6",
    "0.599993599995200183466",
    "0.640000959944960007469",
    {},
  ],
  [
    "mish",
    {},
    0.5,
    "0.375245211304895104819",
    "0.886424375357727258451",
    "0.468053377844886583326",
    {},
  ],
  [
    "mish",
    {},
    1,
    "0.865098388267310346116",
    "1.04903622009979215909",
    "0.184685764473328264316",
    {},
  ],
  [
    "mish",
    {},
    4,
    "3.99741280697623852435",
    "1.00443287690375006919",
    "-0.00733896756586955041392",
    {},
  ],
  [
    "hardSwish",
    {},
    -2.5,
    "-0.208333333333333333333",
    "-0.333333333333333333333",
    "0.333333333333333333333",
    {},
  ],
  [
    "hardSwish",
    {},
    -0.6,
    "-0.239999999999999993339",
    "0.300000000000000007401",
    "0.333333333333333333333",
    {},
  ],
  [
    "hardSwish",
    {},
    -1e-05,
    "-4.99998333333333374235e-6",
    "0.499996666666666666666",
    "0.333333333333333333333",
    {},
  ],
  [
    "hardSwish",
    {},
    0.5,
    "0.291666666666666666667",
    "0.666666666666666666667",
    "0.333333333333333333333",
    {},
  ],
  [
    "hardSwish",
    {},
    1,
    "0.666666666666666666667",
    "0.833333333333333333333",
    "0.333333333333333333333",
    {},
  ],
  ["hardSwish", {}, 4, "4.0", "1.0", "0", {}],
  [
    "hardshrink",
    {},
    -2,
    "-2.0",
    "1",
    "0",
    {},
  ],
  [
    "hardshrink",
    {},
    -0.5,
    "0",
    "1",
    "0",
    {},
  ],
  [
    "hardshrink",
    {},
    0.25,
    "0",
    "0",
    "0",
    {},
  ],
  [
    "hardshrink",
    {},
    0.5,
    "0",
    "0",
    "0",
    {},
  ],
  [
    "hardshrink",
    {},
    3,
    "3.0",
    "1",
    "0",
    {},
  ],
  [
    "softshrink",
    {},
    -2,
    "-1.5",
    "1",
    "0",
    {},
  ],
  [
    "softshrink",
    {},
    -0.5,
    "0",
    "1",
    "0",
    {},
  ],
  [
    "softshrink",
    {},
    0.25,
    "0",
    "0",
    "0",
    {},
  ],
  [
    "softshrink",
    {},
    0.5,
    "0",
    "0",
    "0",
    {},
  ],
  [
    "softshrink",
    {},
    3,
    "2.5",
    "1",
    "0",
    {},
  ],
  [
    "tanhshrink",
    {},
    1e-3,
    "0.000000000333333200000053968232",
    "0.000000999999333333711110914",
    "0.00199999733333559999843",
    {},
  ],
  [
    "tanhshrink",
    {},
    0.1,
    "0.000332005375044182936838",
    "0.00993370915256022274774",
    "0.197355843509065151748",
    {},
  ],
  [
    "tanhshrink",
    {},
    0.4,
    "0.0200510377447751179377",
    "0.144361213918822318971",
    "0.650198137673727669818",
    {},
  ],
  [
    "tanhshrink",
    {},
    -0.6,
    "-0.0629504330019647077339",
    "0.288422237412777174275",
    "-0.764305058565797520309",
    {},
  ],
  [
    "tanhshrink",
    {},
    2,
    "1.03597241992418311605",
    "0.929349175146835534314",
    "0.136218687427113041172",
    {},
  ],
  [
    "tanhshrink",
    {},
    -7,
    "-6.00000166305605532826",
    "0.999996673890655098915",
    "-0.00000665220762678959736297",
    {},
  ],
  [
    "threshold",
    { threshold: 1, value: -1 },
    -2,
    "-1",
    "0",
    "0",
    {},
  ],
  [
    "threshold",
    { threshold: 1, value: -1 },
    1,
    "-1",
    "0",
    "0",
    {},
  ],
  [
    "threshold",
    { threshold: 1, value: -1 },
    1.5,
    "1.5",
    "1",
    "0",
    {},
  ],
  [
    "squareplus",
    { b: 4 },
    -2.5,
    "0.350781059358212171622",
    "0.10956559527848483619",
    "0.0609458582979926109362",
    {},
  ],
  [
    "squareplus",
    { b: 4 },
    -0.6,
    "0.744030650891055025888",
    "0.356326057216827295982",
    "0.219684927803016376472",
    {},
  ],
  [
    "squareplus",
    { b: 4 },
    -1e-05,
    "0.9999950000125",
    "0.49999750000000003125",
    "0.249999999990625",
    {},
  ],
  [
    "squareplus",
    { b: 4 },
    0.5,
    "1.28077640640441513746",
    "0.621267812518166486759",
    "0.228268823563607504488",
    {},
  ],
  [
    "squareplus",
    { b: 4 },
    1,
    "1.6180339887498948482",
    "0.723606797749978969641",
    "0.178885438199983175713",
    {},
  ],
  [
    "squareplus",
    { b: 4 },
    4,
    "4.23606797749978969641",
    "0.947213595499957939282",
    "0.0223606797749978969641",
    {},
  ],
  [
    "squareplus",
    { b: 4 },
    -10000,
    "0.00009999999900000002",
    "9.99999970000001e-9",
    "1.999999880000006e-12",
    {},
  ],
  [
    "squareplus",
    { b: 1 },
    -2.5,
    "0.0962912017836260078127",
    "0.0357616545573703421336",
    "0.0256131500933864638823",
    {},
  ],
  [
    "squareplus",
    { b: 1 },
    0.5,
    "0.809016994374947424102",
    "0.723606797749978969641",
    "0.357770876399966351425",
    {},
  ],
  [
    "squareplus",
    { b: 0.25 },
    -1e6,
    "6.249999999999609375e-8",
    "6.249999999998828125e-14",
    "1.24999999999953125e-19",
    {},
  ],
  ["squareplus", { b: 0 }, -2.5, "0", "0", "0", {}],
  ["squareplus", { b: 0 }, 1, "1.0", "1.0", "0", {}],
];

/**
 * Whether every number of `p` is 0 or at least 1e-6 from it: a parameter
 * that scales x (softplus's β = 5e-324, swish's β = −8e-323) moves kinks and
 * limits beyond the float64 range.
 */
function apart(p: Params): boolean {
  return Object.values(p).every((v) =>
    typeof v !== "number" || v === 0 || Math.abs(v) >= 1e-6
  );
}

/** The 8-ulp budget of the known-value table (measured worst: 7, gelu's tanh form). */
const KNOWN_ULPS = 8;

Deno.test("ops: every op and its reference", async (t) => {
  await t.step(
    "the catalog lists the 24 ops of the design, each under its name",
    () => {
      assert.strictEqual(opNames.length, 24);
      for (const name of opNames) assert.strictEqual(spec(name).name, name);
    },
  );

  await t.step("dfdp holds exactly the learned real-valued parameters", () => {
    for (const name of opNames) {
      const op = spec(name);
      const want = Object.entries(op.params)
        .filter(([, p]) => p.learned)
        .map(([k]) => k);
      assert.deepStrictEqual(learned(op).sort(), want.sort(), name);
    }
  });

  await t.step("kinks and notable points are finite numbers", () => {
    fc.assert(
      fc.property(fc.constantFrom(...opNames), fc.nat(), (name, i) => {
        const op = spec(name);
        const p = fc.sample(paramsArb(op).filter(apart), {
          seed: SEED + i,
          numRuns: 1,
        })[0]!;
        return [...op.kinks(p), ...op.notable(p)].every(Number.isFinite);
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  await t.step("known values from an mpmath table, within 8 ulps", () => {
    const covered = new Set<string>();
    for (const [name, p, x, f, dfdx, d2fdx2, dfdp] of KNOWN) {
      const op = spec(name);
      const full = { ...defaults(op), ...p };
      covered.add(name);
      const pairs: [string, number, string][] = [
        ["f", op.f(x, full), f],
        ["dfdx", op.dfdx(x, full), dfdx],
        ["d2fdx2", op.d2fdx2(x, full), d2fdx2],
        ...Object.entries(dfdp).map(([k, v]): [string, number, string] => [
          `dfdp.${k}`,
          op.dfdp[k]!(x, full),
          v,
        ]),
      ];
      assert.deepStrictEqual(Object.keys(dfdp).sort(), learned(op).sort());
      for (const [what, got, want] of pairs) {
        const d = ulps(got, Number(want));
        assert.ok(
          d <= KNOWN_ULPS,
          `${name} ${
            JSON.stringify(p)
          } ${what}(${x}) = ${got}, want ${want}: ${d} ulps`,
        );
      }
    }
    assert.deepStrictEqual([...covered].sort(), [...opNames].sort());
  });

  await t.step("the book's and the papers' values", () => {
    const at = (name: OpName, x: number, p: Params = {}) =>
      spec(name).f(x, { ...defaults(spec(name)), ...p });
    assert.strictEqual(at("sigmoid", 1), 0.7310585786300049); // e/(1 + e)
    assert.strictEqual(at("sigmoid", 0), 0.5);
    assert.strictEqual(at("gelu", 1), 0.8413447460685429); // Φ(1)
    assert.ok(
      ulps(at("gelu", 1, { approximate: "tanh" }), 0.8411919906082768) <= 1,
    );
    assert.ok(ulps(at("mish", 1), 0.8650983882673103) <= 1);
    assert.ok(ulps(at("softplus", 1), Math.log(1 + Math.E)) <= 1);
    assert.strictEqual(at("softplus", 0), Math.LN2);
    assert.strictEqual(at("tanh", 1), 0.7615941559557649);
    assert.strictEqual(at("silu", 1), 0.7310585786300049);
    assert.strictEqual(at("hardSwish", 1), 2 / 3);
    assert.strictEqual(at("relu6", 7), 6);
    assert.strictEqual(at("softsign", 1), 0.5);
    assert.ok(ulps(at("elu", -1), Math.expm1(-1)) === 0);
  });

  await t.step("SELU's constants are the paper's, and self-normalising", () => {
    // Klambauer et al. 2017, eq. 14: α01 and λ01 to 32 digits.
    assert.strictEqual(SELU_ALPHA, Number("1.6732632423543772848170429916717"));
    assert.strictEqual(
      SELU_LAMBDA,
      Number("1.0507009873554804934193349852946"),
    );
    // Their defining property: for z ~ N(0, 1), E[selu z] = 0 and E[selu² z]
    // = 1. Composite Simpson on [−12, 0] and [0, 12] (the kink at 0 is an
    // end point; the tails beyond ±12 weigh < 1e-32), 2·10⁴ panels each.
    const selu = spec("selu");
    const phi = (z: number) => Math.exp(-z * z / 2) / Math.sqrt(2 * Math.PI);
    const simpson = (
      g: (z: number) => number,
      a: number,
      b: number,
      n: number,
    ) => {
      const h = (b - a) / n;
      let sum = g(a) + g(b);
      for (let i = 1; i < n; i++) sum += (i % 2 === 1 ? 4 : 2) * g(a + i * h);
      return sum * h / 3;
    };
    const moment = (k: number) =>
      simpson((z) => selu.f(z, {}) ** k * phi(z), -12, 0, 20000) +
      simpson((z) => selu.f(z, {}) ** k * phi(z), 0, 12, 20000);
    assert.ok(Math.abs(moment(1)) < 1e-12, `mean ${moment(1)}`);
    assert.ok(Math.abs(moment(2) - 1) < 1e-12, `second moment ${moment(2)}`);
  });

  for (const name of opNames) {
    const op = spec(name);
    await t.step(`${name}: df/dx matches central finite differences`, () => {
      assertSlopes("dfdx", op, (x, p) => {
        if (nearKink(op, x, [p], 2 ** -12 * Math.max(1, Math.abs(x)))) {
          return undefined;
        }
        return checkSlope((t) => op.f(t, p), x, op.dfdx(x, p));
      });
    });
    await t.step(
      `${name}: d²f/dx² matches central differences of df/dx`,
      () => {
        assertSlopes("d2fdx2", op, (x, p) => {
          if (
            nearKink(op, x, [p], 2 ** -12 * Math.max(1, Math.abs(x)))
          ) return undefined;
          return checkSlope((t) => op.dfdx(t, p), x, op.d2fdx2(x, p));
        });
      },
    );
    for (const param of learned(op)) {
      await t.step(
        `${name}: df/d${param} matches central finite differences`,
        () => {
          assertSlopes(`dfdp.${param}`, op, (x, p) => {
            const theta = p[param] as number;
            const h = 2 ** -14 * Math.max(1, Math.abs(theta));
            const sets = [p, { ...p, [param]: theta - h }, {
              ...p,
              [param]: theta + h,
            }];
            if (sets.some((q) => op.check?.(q) !== undefined)) return undefined;
            if (
              nearKink(op, x, sets, 2 ** -12 * Math.max(1, Math.abs(x)))
            ) return undefined;
            return checkSlope(
              (th) => op.f(x, { ...p, [param]: th }),
              theta,
              op.dfdp[param]!(x, p),
            );
          });
        },
      );
    }
  }
});

/** f, ∂f/∂x, ∂²f/∂x² and each ∂f/∂θ of an op, by name. */
function allFns(op: OpSpec): [string, (x: number, p: Params) => number][] {
  return [
    ["f", op.f],
    ["dfdx", op.dfdx],
    ["d2fdx2", op.d2fdx2],
    ...Object.entries(op.dfdp).map((
      [k, fn],
    ): [string, (x: number, p: Params) => number] => [
      `dfdp.${k}`,
      fn,
    ]),
  ];
}

Deno.test("ops: pinned conventions", async (t) => {
  await t.step("NaN in gives NaN out, for f and every derivative", () => {
    fc.assert(
      fc.property(fc.constantFrom(...opNames), fc.nat(), (name, i) => {
        const op = spec(name);
        const p = fc.sample(paramsArb(op), { seed: SEED + i, numRuns: 1 })[0]!;
        for (const [what, fn] of allFns(op)) {
          assert.ok(
            Number.isNaN(fn(NaN, p)),
            `${name} ${JSON.stringify(p)} ${what}(NaN)`,
          );
        }
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  await t.step("±∞ give the limits: no NaN, and what ±10³⁰⁰ tends to", () => {
    // The limit as x → ±∞ is approached at x = ±1e300 for every op: finite
    // limits to 1e-9; infinite ones by values of the same sign growing from
    // ±1 through ±1e150 to ±1e300 (leakyRelu with α = 5e-324 grows slowly).
    // A parameter scaling x (swish's β = −8e-323) within 1e-6 of 0 reaches
    // its limit only beyond ±1e300, so those are drawn as 0 or farther out.
    fc.assert(
      fc.property(fc.constantFrom(...opNames), fc.nat(), (name, i) => {
        const op = spec(name);
        const p = fc.sample(paramsArb(op).filter(apart), {
          seed: SEED + i,
          numRuns: 1,
        })[0]!;
        for (const [what, fn] of allFns(op)) {
          for (const sign of [1, -1]) {
            const atInf = fn(sign * Infinity, p);
            const near = fn(sign * 1e300, p);
            const label = `${name} ${JSON.stringify(p)} ${what}(${
              sign * Infinity
            }) = ${atInf}`;
            assert.ok(!Number.isNaN(atInf), label);
            if (Number.isFinite(atInf)) {
              assert.ok(
                Math.abs(near - atInf) <= 1e-9 * Math.max(1, Math.abs(atInf)),
                `${label}, at ±1e300 ${near}`,
              );
            } else {
              const mid = fn(sign * 1e150, p);
              const grows = Math.abs(near) >= Math.abs(mid) &&
                Math.abs(mid) > Math.abs(fn(sign, p));
              assert.ok(
                Math.sign(near) === Math.sign(atInf) && grows,
                `${label}, at ±1e300 ${near}`,
              );
            }
          }
        }
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  await t.step("the limits the design names, exactly", () => {
    const f = (name: OpName, x: number, p: Params = {}) =>
      spec(name).f(x, { ...defaults(spec(name)), ...p });
    const limits: [OpName, Params, number, number][] = [
      ["relu", {}, -Infinity, 0],
      ["relu", {}, Infinity, Infinity],
      ["leakyRelu", {}, -Infinity, -Infinity],
      ["leakyRelu", { alpha: 0 }, -Infinity, 0],
      ["relu6", {}, Infinity, 6],
      ["elu", {}, -Infinity, -1],
      ["elu", { alpha: 0.5 }, -Infinity, -0.5],
      ["selu", {}, -Infinity, -SELU_LAMBDA * SELU_ALPHA],
      ["celu", { alpha: 2 }, -Infinity, -2],
      ["sigmoid", {}, -Infinity, 0],
      ["sigmoid", {}, Infinity, 1],
      ["logSigmoid", {}, -Infinity, -Infinity],
      ["logSigmoid", {}, Infinity, 0],
      ["hardSigmoid", {}, Infinity, 1],
      ["tanh", {}, -Infinity, -1],
      ["hardTanh", {}, Infinity, 1],
      ["softsign", {}, Infinity, 1],
      ["softsign", {}, -Infinity, -1],
      ["softplus", {}, Infinity, Infinity],
      ["softplus", {}, -Infinity, 0],
      ["gelu", {}, -Infinity, 0],
      ["gelu", { approximate: "tanh" }, -Infinity, 0],
      ["gelu", {}, Infinity, Infinity],
      ["gelu", { approximate: "tanh" }, Infinity, Infinity],
      ["swish", {}, -Infinity, 0],
      ["swish", { beta: 0 }, -Infinity, -Infinity], // x/2
      ["swish", { beta: -1 }, Infinity, 0],
      ["swish", { beta: -1 }, -Infinity, -Infinity],
      ["silu", {}, -Infinity, 0],
      ["mish", {}, -Infinity, 0],
      ["mish", {}, Infinity, Infinity],
      ["hardSwish", {}, -Infinity, 0],
      ["squareplus", {}, -Infinity, 0],
      ["squareplus", {}, Infinity, Infinity],
      ["squareplus", { b: 0 }, -Infinity, 0],
    ];
    for (const [name, p, x, want] of limits) {
      assert.ok(
        f(name, x, p) === want,
        `${name} ${JSON.stringify(p)} at ${x}: ${f(name, x, p)}`,
      );
    }
    const d = (name: OpName, x: number, p: Params = {}) =>
      spec(name).dfdx(x, { ...defaults(spec(name)), ...p });
    assert.strictEqual(d("gelu", -Infinity), 0);
    assert.strictEqual(d("gelu", Infinity), 1);
    assert.strictEqual(d("gelu", Infinity, { approximate: "tanh" }), 1);
    assert.strictEqual(d("swish", Infinity), 1);
    assert.strictEqual(d("swish", -Infinity, { beta: -2 }), 1);
    assert.strictEqual(d("swish", Infinity, { beta: 0 }), 0.5);
    assert.strictEqual(d("mish", Infinity), 1);
    assert.strictEqual(d("tanh", Infinity), 0);
    assert.strictEqual(d("softsign", -Infinity), 0);
    assert.strictEqual(spec("celu").dfdp.alpha!(-Infinity, { alpha: 1 }), -1);
    assert.strictEqual(
      spec("swish").dfdp.beta!(Infinity, { beta: 0 }),
      Infinity,
    ); // x²/4
  });

  await t.step(
    "odd ops keep the sign of zero; the others give equal zeros",
    () => {
      for (const name of opNames) {
        const op = spec(name);
        for (
          const p of fc.sample(paramsArb(op), { seed: SEED, numRuns: 20 })
            .concat([defaults(op)])
        ) {
          const neg = op.f(-0, p);
          const pos = op.f(0, p);
          // hardTanh is odd at zero only where zero lies strictly inside [min, max].
          const odd = op.odd && op.kinks(p).every((k) => k !== 0) &&
            (name !== "hardTanh" ||
              ((p.min as number) < 0 && (p.max as number) > 0));
          if (odd) {
            assert.ok(
              Object.is(neg, -0),
              `${name} ${JSON.stringify(p)}: f(−0) = ${neg}`,
            );
            assert.ok(
              Object.is(pos, 0),
              `${name} ${JSON.stringify(p)}: f(+0) = ${pos}`,
            );
          } else {
            assert.ok(
              neg === pos,
              `${name} ${JSON.stringify(p)}: f(−0) = ${neg}, f(+0) = ${pos}`,
            );
          }
          for (const [what, fn] of allFns(op).slice(1)) {
            assert.ok(
              fn(-0, p) === fn(0, p),
              `${name} ${JSON.stringify(p)}: ${what} at ±0`,
            );
          }
        }
      }
      assert.deepStrictEqual(
        opNames.filter((n) => spec(n).odd),
        [
          "tanh",
          "hardTanh",
          "softsign",
          "gelu",
          "swish",
          "silu",
          "mish",
          "hardSwish",
          "tanhshrink",
        ],
      );
    },
  );

  await t.step(
    "no flush to zero: subnormal inputs act as the small numbers they are",
    () => {
      // f(x) = f(0) + x·f'(x) + O(x²f'') for |x| ≤ 1e-40; the rounding of
      // f(0) + (tiny), the spacing 2⁻¹⁰⁷⁴ of subnormals and the remainder
      // x²·|f''| (all of tanhshrink's x³/3, whose f' vanishes at 0) are the
      // only slack.
      for (const name of opNames) {
        const op = spec(name);
        const p = defaults(op);
        for (
          const x of [
            1e-45,
            -1e-45,
            1e-40,
            -1e-40,
            1e-310,
            -1e-310,
            5e-324,
            -5e-324,
          ]
        ) {
          const got = op.f(x, p);
          const want = op.f(0, p) + x * op.dfdx(x, p);
          const slack = 1e-6 * Math.abs(x * op.dfdx(x, p)) +
            EPS * Math.abs(op.f(0, p)) + x * x * Math.abs(op.d2fdx2(x, p)) +
            2 ** -1074;
          assert.ok(
            Math.abs(got - want) <= slack,
            `${name}(${x}) = ${got}, want ${want}`,
          );
          for (const [what, fn] of allFns(op)) {
            assert.ok(
              Number.isFinite(fn(x, p)),
              `${name} ${what}(${x}) = ${fn(x, p)}`,
            );
          }
        }
      }
      // And outputs: a subnormal result is returned, not 0.
      assert.strictEqual(spec("relu").f(1e-45, {}), 1e-45);
      assert.strictEqual(spec("tanh").f(-1e-40, {}), -1e-40);
      assert.ok(
        ulps(spec("leakyRelu").f(-1e-40, { alpha: 0.01 }), -1e-42) <= 1,
      );
      assert.ok(spec("sigmoid").f(-740, {}) > 0); // e⁻⁷⁴⁰ ≈ 4e-322
      assert.ok(spec("sigmoid").dfdx(-740, {}) > 0);
      assert.ok(spec("gelu").f(-38, {}) < 0); // −38·Φ(−38) ≈ −1e-314
      assert.ok(spec("tanh").dfdx(370, {}) > 0); // sech² 370 ≈ 2e-321
      assert.ok(spec("tanh").d2fdx2(-370, {}) > 0);
      assert.ok(spec("mish").dfdx(370, {}) === 1);
      assert.ok(spec("mish").d2fdx2(360, {}) < 0); // ≈ −5.8e-310
      assert.ok(spec("softsign").dfdx(1e155, {}) > 0); // 1e-310
      assert.ok(spec("softsign").d2fdx2(-1e103, {}) > 0); // 2e-309
    },
  );

  await t.step("at each kink the derivatives are the left-hand ones", () => {
    // Parameters are ±2ʲ so each kink is a double exactly; the left-hand value
    // is the one just below the kink, to rounding.
    const close = (a: number, b: number) =>
      Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b));
    for (const name of opNames) {
      const op = spec(name);
      fc.assert(
        fc.property(dyadicParamsArb(op), (p) => {
          for (const k of op.kinks(p)) {
            for (const [what, fn] of allFns(op).slice(1)) {
              const at = fn(k, p);
              const left = fn(nextFloat64(k, false), p);
              assert.ok(
                close(at, left),
                `${name} ${
                  JSON.stringify(p)
                } ${what}(${k}) = ${at}, left ${left}`,
              );
            }
          }
        }),
        { seed: SEED, numRuns: 60 },
      );
    }
  });

  await t.step("the design's kink values, exactly", () => {
    const d = (name: OpName, x: number, p: Params = {}) =>
      spec(name).dfdx(x, { ...defaults(spec(name)), ...p });
    assert.strictEqual(d("relu", 0), 0);
    assert.strictEqual(d("relu", -0), 0);
    assert.strictEqual(d("leakyRelu", 0), 0.01);
    assert.strictEqual(d("leakyRelu", 0, { alpha: 0.2 }), 0.2);
    assert.strictEqual(d("prelu", 0, { alpha: 0.3 }), 0.3);
    assert.strictEqual(d("elu", 0), 1);
    assert.strictEqual(d("elu", 0, { alpha: 0.5 }), 0.5);
    assert.strictEqual(d("selu", 0), SELU_LAMBDA * SELU_ALPHA);
    assert.strictEqual(d("celu", 0, { alpha: 3 }), 1);
    assert.strictEqual(d("relu6", 0), 0);
    assert.strictEqual(d("relu6", 6), 1);
    assert.strictEqual(d("hardSigmoid", 3), 1 / 6);
    assert.strictEqual(d("hardSigmoid", -3), 0);
    assert.strictEqual(d("hardSwish", -3), 0);
    assert.strictEqual(d("hardSwish", 3), 1.5);
    assert.strictEqual(d("hardTanh", -1), 0);
    assert.strictEqual(d("hardTanh", 1), 1);
    assert.strictEqual(d("softplus", 20), spec("sigmoid").f(20, {})); // βx = threshold: not yet linear
    assert.strictEqual(d("softplus", nextFloat64(20, true)), 1);
    assert.strictEqual(spec("softsign").d2fdx2(0, {}), 2);
    assert.strictEqual(spec("softsign").d2fdx2(-0, {}), 2);
    assert.strictEqual(spec("softsign").d2fdx2(5e-324, {}), -2);
    assert.strictEqual(spec("elu").d2fdx2(0, { alpha: 0.5 }), 0.5);
    assert.strictEqual(spec("celu").d2fdx2(0, { alpha: 0.5 }), 2);
    assert.strictEqual(spec("hardSwish").d2fdx2(3, {}), 1 / 3);
    assert.strictEqual(spec("hardSwish").d2fdx2(-3, {}), 0);
    assert.strictEqual(spec("leakyRelu").dfdp.alpha!(0, { alpha: 0.01 }), 0);
  });
});

Deno.test("ops: the book's identities", async (t) => {
  const f = (name: OpName, x: number, p: Params = {}) =>
    spec(name).f(x, { ...defaults(spec(name)), ...p });
  const d = (name: OpName, x: number, p: Params = {}) =>
    spec(name).dfdx(x, { ...defaults(spec(name)), ...p });
  const runs = { seed: SEED, numRuns: 1000 };
  const anyX = fc.oneof(xArb, fc.double({ noNaN: true }));

  await t.step("tanh(x) + 1 = 2·sigmoid(2x)", () => {
    // Absolute: the left side cancels for x ≪ 0, to within ε of 0.
    fc.assert(
      fc.property(
        anyX,
        (x) => Math.abs(f("tanh", x) + 1 - 2 * f("sigmoid", 2 * x)) <= 4 * EPS,
      ),
      runs,
    );
    assert.strictEqual(f("tanh", -Infinity) + 1, 2 * f("sigmoid", -Infinity));
  });

  await t.step("sigmoid' peaks at 0.25 at x = 0", () => {
    assert.strictEqual(d("sigmoid", 0), 0.25);
    fc.assert(fc.property(anyX, (x) => d("sigmoid", x) <= 0.25), runs);
    fc.assert(
      fc.property(
        anyX.filter((x) => Math.abs(x) >= 1e-3),
        (x) => d("sigmoid", x) < 0.25,
      ),
      runs,
    );
    // sigmoid' = σ(1 − σ), read off the function itself where it does not cancel.
    fc.assert(
      fc.property(uniform(-30, 5), (x) => {
        const s = f("sigmoid", x);
        return Math.abs(d("sigmoid", x) - s * (1 - s)) <= 4 * EPS * s;
      }),
      runs,
    );
  });

  await t.step("relu' is 0 or 1, and relu'(0) = 0", () => {
    fc.assert(
      fc.property(
        fc.double({ noNaN: true }),
        (x) => d("relu", x) === (x > 0 ? 1 : 0),
      ),
      runs,
    );
    assert.strictEqual(d("relu", 0), 0);
  });

  await t.step("silu = swish with β = 1", () => {
    fc.assert(
      fc.property(anyX, (x) => {
        for (const fn of ["f", "dfdx", "d2fdx2"] as const) {
          if (
            !Object.is(
              spec("silu")[fn](x, {}),
              spec("swish")[fn](x, { beta: 1 }),
            )
          ) return false;
        }
        // And silu(x) = x·sigmoid(x) with the catalog's sigmoid.
        return ulps(f("silu", x), x * f("sigmoid", x)) <= 1;
      }),
      runs,
    );
  });

  await t.step("hardSwish(x) = x·hardSigmoid(x)", () => {
    fc.assert(
      fc.property(
        anyX,
        (x) => ulps(f("hardSwish", x), x * f("hardSigmoid", x)) <= 2,
      ),
      runs,
    );
    // and hardSwish' = hardSigmoid + x·hardSigmoid' (left-hand at ±3 on both sides)
    fc.assert(
      fc.property(anyX.filter(Number.isFinite), (x) => {
        const want = f("hardSigmoid", x) + x * d("hardSigmoid", x);
        return Math.abs(d("hardSwish", x) - want) <=
          4 * EPS * Math.max(1, Math.abs(want));
      }),
      runs,
    );
  });

  await t.step("swish → relu as β grows", () => {
    // |swish_β(x) − relu(x)| = |x|σ(−β|x|) ≤ 0.2785/β (its maximum over x).
    for (const beta of [1, 10, 100, 1e4, 1e8]) {
      fc.assert(
        fc.property(uniform(-10, 10), (x) => {
          const gap = Math.abs(f("swish", x, { beta }) - f("relu", x));
          return gap <= 0.2785 / beta + 4 * EPS * Math.abs(x);
        }),
        runs,
      );
    }
    assert.strictEqual(f("swish", 3, { beta: 1e4 }), 3);
    assert.strictEqual(f("swish", -3, { beta: 1e4 }), -0);
    assert.strictEqual(d("swish", -0.5, { beta: 1e4 }), 0);
    assert.strictEqual(d("swish", 0.5, { beta: 1e4 }), 1);
  });

  await t.step("softplus → relu as β grows (linear past the threshold)", () => {
    // 0 ≤ softplus_β(x) − relu(x) = log(1 + e^(−β|x|))/β ≤ log(2)/β, and it is
    // x itself where βx > threshold.
    for (const beta of [1, 10, 100, 1e4, 1e8]) {
      fc.assert(
        fc.property(uniform(-10, 10), (x) => {
          const y = f("softplus", x, { beta });
          const gap = y - f("relu", x);
          if (beta * x > 20) return y === x;
          return gap >= 0 &&
            gap <= Math.LN2 / beta * (1 + 4 * EPS) + 4 * EPS * Math.abs(x);
        }),
        runs,
      );
      assert.ok(ulps(f("softplus", 0, { beta }), Math.LN2 / beta) <= 1);
    }
  });

  await t.step("the ops built from others agree with their definitions", () => {
    const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
    fc.assert(
      fc.property(uniform(-8, 8), (x) => {
        // gelu = x·(1 + erf(x/√2))/2: only for x ≥ −2, where 1 + erf does not cancel
        const gelu = 0.5 * x * (1 + erf(x / Math.SQRT2));
        const tanhForm = 0.5 * x *
          (1 + Math.tanh(SQRT_2_OVER_PI * (x + 0.044715 * x ** 3)));
        const checks = [
          x < -2 || Math.abs(f("gelu", x) - gelu) <= 8 * EPS * Math.abs(x),
          x < -2 ||
          Math.abs(f("gelu", x, { approximate: "tanh" }) - tanhForm) <=
            8 * EPS * Math.abs(x),
          ulps(f("mish", x), x * Math.tanh(f("softplus", x))) <= 2,
          ulps(
            f("selu", x),
            SELU_LAMBDA * f("elu", x, { alpha: SELU_ALPHA }),
          ) <= 1,
          ulps(f("logSigmoid", x), -f("softplus", -x)) === 0,
          x < -30 ||
          Math.abs(f("logSigmoid", x) - Math.log(f("sigmoid", x))) <=
            4 * EPS * Math.max(1, -x),
          ulps(f("hardSigmoid", x), f("relu6", x + 3) / 6) <= 1,
          Object.is(f("celu", x, { alpha: 1 }), f("elu", x, { alpha: 1 })),
          Object.is(
            f("prelu", x, { alpha: 0.3 }),
            f("leakyRelu", x, { alpha: 0.3 }),
          ),
          Object.is(f("hardTanh", x), Math.min(Math.max(x, -1), 1)),
        ];
        const bad = checks.indexOf(false);
        if (bad >= 0) throw new Error(`definition ${bad} fails at ${x}`);
      }),
      runs,
    );
  });
});
