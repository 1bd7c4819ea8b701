// Float64 building blocks of the reference, each stable over the whole line.

/** σ(x) without overflow: e^x / (1 + e^x) for x < 0. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** log(1 + eˣ) as max(x, 0) + log1p(e^−|x|): no overflow, no cancellation. */
export function softplus(x: number): number {
  return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
}

/**
 * a·b where a zero factor wins over an infinite one. Used only where the
 * zero is an exponentially decaying term (σ(−∞), e^−∞) whose limit beats any
 * polynomial growth of the other factor, so the product's limit is 0.
 */
export function mulDecay(grows: number, decays: number): number {
  return decays === 0 && grows === grows
    ? 0 * Math.sign(grows)
    : grows * decays;
}

/**
 * The rounding error of the product p = a·b: a·b − p exactly (Dekker's
 * two-product, with Veltkamp's split into 26-bit halves). Valid while |a|,
 * |b| < 2⁹⁹⁵ or so, where the split cannot overflow.
 */
export function productError(a: number, b: number, p: number): number {
  const SPLIT = 134217729; // 2²⁷ + 1
  let c = SPLIT * a;
  const aHi = c - (c - a);
  const aLo = a - aHi;
  c = SPLIT * b;
  const bHi = c - (c - b);
  const bLo = b - bHi;
  return ((aHi * bHi - p) + aHi * bLo + aLo * bHi) + aLo * bLo;
}
