// Seeded inputs: the same numbers on every run and every machine, so that
// two reports measure the same work and a failed check can be replayed.

/** mulberry32: a small, fast 32-bit generator with a full 2³² period. */
function mulberry32(seed: number): () => number {
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
 * `length` samples of `scale`·N(0, 1), rounded to float32, from `seed`
 * (Box–Muller on mulberry32). The first n samples do not depend on `length`,
 * so every size of a run is a prefix of the largest.
 */
export function normalSamples(
  length: number,
  seed: number,
  scale: number,
): Float32Array {
  const next = mulberry32(seed);
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
