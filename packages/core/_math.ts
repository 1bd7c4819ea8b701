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
  return decays === 0 && grows === grows ? 0 * Math.sign(grows) : grows * decays;
}
