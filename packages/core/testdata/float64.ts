// Float64 neighbours and ULP distances for the float64 reference's tests
// (catalog_test.ts, erf_test.ts); core's public ULP helpers are float32's.

const f64 = new Float64Array(1);
const i64 = new BigInt64Array(f64.buffer);

/** Maps a float64 onto a monotone integer line where ±0 share one point. */
function ordinal(x: number): bigint {
  f64[0] = x;
  const bits = i64[0]!;
  return bits < 0n ? -(bits & 0x7fffffffffffffffn) : bits;
}

/** The number of float64 values between a and b (0 for ±0 against each other). */
export function ulps(a: number, b: number): number {
  if (a !== a || b !== b) return a !== a && b !== b ? 0 : Infinity;
  const d = ordinal(a) - ordinal(b);
  return Number(d < 0n ? -d : d);
}

/** The float64 next to finite x towards +∞ (`up`) or −∞. */
export function nextFloat64(x: number, up: boolean): number {
  const o = ordinal(x) + (up ? 1n : -1n);
  i64[0] = o < 0n ? -o | -0x8000000000000000n : o;
  return f64[0]!;
}
