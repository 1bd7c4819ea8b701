/**
 * The inputs of a case, built from the catalog entry and a seed: the book's
 * grid, the special values, the op's kinks and notable points with their
 * float32 neighbours, subnormals, and seeded random inputs.
 *
 * @module
 */

import {
  bookGrid,
  FLOAT32_MAX,
  FLOAT32_MIN_NORMAL,
  nextFloat32,
  ops,
  seededRandom,
  seedOf,
} from "@nonlin/core";
import { type Case, referenceParams } from "./cases.ts";

/** What an input element is there to test. */
export const Tag: {
  /** arange(−8, 8, 0.1), the book's plotting grid. */
  readonly grid: 1;
  /** Uniform random in [−20, 20], where the activations bend. */
  readonly moderate: 2;
  /** A kink of the op, exactly. */
  readonly kink: 3;
  /** A saturation or overflow point, a kink's neighbour, or a landmark (±1, ±max). */
  readonly notable: 4;
  /** NaN, +∞ or −∞. */
  readonly special: 5;
  /** +0 or −0. */
  readonly zero: 6;
  /** A nonzero subnormal float32. */
  readonly subnormal: 7;
  /** Log-uniform random over the whole float32 range, both signs. */
  readonly random: 8;
  /** An input a waiver names as where its deviation shows. */
  readonly witness: 9;
} = Object.freeze({
  /** arange(−8, 8, 0.1), the book's plotting grid. */
  grid: 1,
  /** Uniform random in [−20, 20], where the activations bend. */
  moderate: 2,
  /** A kink of the op, exactly. */
  kink: 3,
  /** A saturation or overflow point, a kink's neighbour, or a landmark (±1, ±max). */
  notable: 4,
  /** NaN, +∞ or −∞. */
  special: 5,
  /** +0 or −0. */
  zero: 6,
  /** A nonzero subnormal float32. */
  subnormal: 7,
  /** Log-uniform random over the whole float32 range, both signs. */
  random: 8,
  /** An input a waiver names as where its deviation shows. */
  witness: 9,
});

/** One of {@linkcode Tag}'s values. */
export type Tag = (typeof Tag)[keyof typeof Tag];

/** Whether a number is a nonzero float32 subnormal (|x| < 2⁻¹²⁶). */
export function isSubnormal(x: number): boolean {
  return x !== 0 && Math.abs(x) < FLOAT32_MIN_NORMAL;
}

/** How many inputs of each random kind a run uses. */
export interface InputSizes {
  /** Log-uniform random inputs over the whole float32 range. */
  readonly random: number;
  /** Uniform random inputs in [−20, 20]. */
  readonly moderate: number;
}

/** The sizes of a full run: over 10⁵ random inputs per op. */
export const fullSizes: InputSizes = Object.freeze({
  random: 131072,
  moderate: 16384,
});
/** The sizes of a `--quick` run. */
export const quickSizes: InputSizes = Object.freeze({
  random: 4096,
  moderate: 1024,
});

/** A case's input: x, its layout, the tag of each element, and a random dy. */
export interface CaseInput {
  /** The elements. */
  readonly x: Float32Array;
  /** x's shape: `[n]`, or `[n / C, C]` for a per-channel parameter. */
  readonly shape: readonly number[];
  /** `tags[i]` says why `x[i]` is there. */
  readonly tags: Uint8Array;
  /** An upstream gradient for the VJP: random sign, magnitude in [1/8, 8]. */
  readonly dy: Float32Array;
  /** How many leading elements are grid or moderate: finite and of moderate size. */
  readonly moderateEnd: number;
}

/** Landmarks every op is tested at, besides its own kinks and notable points. */
const landmarks = [
  1,
  -1,
  0.5,
  -0.5,
  2 ** -24,
  -(2 ** -24),
  1e-7,
  -1e-7,
  FLOAT32_MIN_NORMAL,
  -FLOAT32_MIN_NORMAL,
  2 ** 24,
  -(2 ** 24),
  1e20,
  -1e20,
  FLOAT32_MAX,
  -FLOAT32_MAX,
];

/** Subnormal inputs: the smallest, the largest and a few between, both signs. */
const subnormals = [
  2 ** -149,
  2 ** -148,
  1e-45,
  1e-42,
  1e-40,
  2 ** -127,
  FLOAT32_MIN_NORMAL - 2 ** -149,
]
  .flatMap((v) => [v, -v]);

/**
 * Builds a case's input. The layout is: the grid, moderate witnesses and
 * moderate random values first (the elements that are finite and moderate),
 * then kinks, notable points, specials, zeros, subnormals, the other
 * witnesses, and the log-uniform random inputs.
 *
 * @param c The case.
 * @param sizes How many random inputs.
 * @param witnesses Extra inputs named by waivers.
 * @returns The input.
 */
export function caseInput(
  c: Case,
  sizes: InputSizes,
  witnesses: readonly number[] = [],
): CaseInput {
  const spec = ops[c.op];
  const p = referenceParams(c)(0);
  const values: number[] = [];
  const tags: number[] = [];
  const push = (v: number, tag: Tag) => {
    values.push(Math.fround(v));
    tags.push(tag);
  };
  // The same op always gets the same random inputs, whatever its parameters.
  const random = seededRandom(seedOf(c.op));
  for (const v of bookGrid()) push(v, Tag.grid);
  // Witnesses of moderate size join the gradient subset, so that the
  // finite-difference and parameter-gradient checks see them too.
  const moderateWitness = (v: number) => Math.abs(v) <= 100 && !isSubnormal(v);
  for (const v of witnesses.filter(moderateWitness)) push(v, Tag.witness);
  for (let i = 0; i < sizes.moderate; i++) {
    push(-20 + 40 * random(), Tag.moderate);
  }
  const moderateEnd = values.length;
  for (const k of spec.kinks(p)) {
    push(k, Tag.kink);
    push(nextFloat32(Math.fround(k), false), Tag.notable);
    push(nextFloat32(Math.fround(k), true), Tag.notable);
  }
  for (const v of [...spec.notable(p), ...landmarks]) {
    const r = Math.fround(v);
    push(r, Tag.notable);
    if (Math.abs(r) < FLOAT32_MAX) {
      push(nextFloat32(r, false), Tag.notable);
      push(nextFloat32(r, true), Tag.notable);
    }
  }
  for (const v of [NaN, Infinity, -Infinity]) push(v, Tag.special);
  push(0, Tag.zero);
  push(-0, Tag.zero);
  for (const v of subnormals) push(v, Tag.subnormal);
  for (const v of witnesses.filter((v) => !moderateWitness(v))) {
    push(v, tagOf(v, Tag.witness));
  }
  for (let i = 0; i < sizes.random; i++) {
    // Magnitude 2^u, u uniform over the exponents of float32 (subnormals
    // included), so every binade is hit about equally often.
    const magnitude = Math.min(2 ** (-149 + 277 * random()), FLOAT32_MAX);
    const v = Math.fround(random() < 0.5 ? -magnitude : magnitude);
    push(v, tagOf(v, Tag.random));
  }
  if (c.channels !== undefined) {
    // Pads to whole rows with grid values, so α broadcasts along the last axis.
    for (let i = 0; values.length % c.channels !== 0; i++) {
      push(-1 + 0.5 * i, Tag.grid);
    }
  }
  const x = Float32Array.from(values);
  const dy = new Float32Array(x.length);
  const upstream = seededRandom(seedOf(`${c.op} dy`));
  for (let i = 0; i < dy.length; i++) {
    const magnitude = 2 ** (-3 + 6 * upstream());
    dy[i] = upstream() < 0.5 ? -magnitude : magnitude;
  }
  // At the kinks dy comes from a stream of its own, so that it does not
  // depend on how many random inputs precede them: --quick and the full run
  // judge a kink's dx = dy·f'(x) (and its rounding) alike.
  const atKinks = seededRandom(seedOf(`${c.op} dy at kinks`));
  for (let i = 0; i < dy.length; i++) {
    if (tags[i] !== Tag.kink) continue;
    const magnitude = 2 ** (-3 + 6 * atKinks());
    dy[i] = atKinks() < 0.5 ? -magnitude : magnitude;
  }
  const shape = c.channels === undefined
    ? [x.length]
    : [x.length / c.channels, c.channels];
  return { x, shape, tags: Uint8Array.from(tags), dy, moderateEnd };
}

/** A value's tag by what it is: special, zero, subnormal, else `otherwise`. */
function tagOf(v: number, otherwise: Tag): Tag {
  if (v !== v || Math.abs(v) === Infinity) return Tag.special;
  if (v === 0) return Tag.zero;
  if (isSubnormal(v)) return Tag.subnormal;
  return otherwise;
}
