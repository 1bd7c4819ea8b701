/**
 * The seeded random generator every test, check and benchmark draws from:
 * the same seed gives the same numbers on every run and every machine, so
 * two reports measure the same work and a failed check can be replayed.
 *
 * @module
 */

/**
 * A small, fast generator of uniform numbers in [0, 1) with a full 2³²
 * period (mulberry32).
 *
 * @param seed Any number; its low 32 bits are the state.
 * @returns A function giving the next number on each call.
 *
 * @example
 * ```ts
 * import { seededRandom } from "@nonlin/core";
 * import assert from "node:assert";
 *
 * const a = seededRandom(42);
 * const b = seededRandom(42);
 * const first = a();
 * assert.ok(first >= 0 && first < 1);
 * assert.strictEqual(b(), first);
 * ```
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A stable 32-bit seed from a string (FNV-1a), so that a case named in a
 * report draws the same numbers wherever it runs.
 *
 * @param text Any string, e.g. a case id.
 * @returns An unsigned 32-bit seed.
 *
 * @example
 * ```ts
 * import { seedOf } from "@nonlin/core";
 * import assert from "node:assert";
 *
 * assert.strictEqual(seedOf("relu"), seedOf("relu"));
 * assert.notStrictEqual(seedOf("relu"), seedOf("relu6"));
 * ```
 */
export function seedOf(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * `length` samples of `scale`·N(0, 1), rounded to float32, from `seed`
 * (Box–Muller on {@linkcode seededRandom}). The first n samples do not
 * depend on `length`, so every size of a run is a prefix of the largest.
 *
 * @param length How many samples.
 * @param seed The generator's seed.
 * @param scale The standard deviation.
 * @returns A new Float32Array.
 *
 * @example
 * ```ts
 * import { normalSamples } from "@nonlin/core";
 * import assert from "node:assert";
 *
 * const long = normalSamples(10, 7, 3);
 * assert.deepStrictEqual(normalSamples(4, 7, 3), long.slice(0, 4));
 * ```
 */
export function normalSamples(
  length: number,
  seed: number,
  scale: number,
): Float32Array {
  const next = seededRandom(seed);
  const out = new Float32Array(length);
  for (let i = 0; i < length; i += 2) {
    const u = 1 - next(); // (0, 1]: log(u) is finite
    const v = next();
    const r = scale * Math.sqrt(-2 * Math.log(u));
    out[i] = r * Math.cos(2 * Math.PI * v);
    if (i + 1 < length) out[i + 1] = r * Math.sin(2 * Math.PI * v);
  }
  return out;
}
