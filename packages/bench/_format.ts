// Number formatting shared by the terminal table and the markdown report.

/** Milliseconds with three significant digits, never in exponent form. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  if (ms >= 100) return ms.toFixed(0);
  if (ms >= 0.001) return ms.toPrecision(3);
  return ms.toFixed(5);
}

/** A size as a power of ten or two when it is one (1e6, 2^20), else the integer. */
export function formatSize(n: number): string {
  const e10 = Math.round(Math.log10(n));
  if (10 ** e10 === n && e10 >= 2) return `1e${e10}`;
  const e2 = Math.round(Math.log2(n));
  if (2 ** e2 === n && e2 >= 8) return `2^${e2}`;
  return String(n);
}

/** A ratio as "1.62×", with fewer digits as it grows. */
export function formatRatio(r: number | undefined): string {
  if (r === undefined || !Number.isFinite(r)) return "–";
  return `${r >= 100 ? r.toFixed(0) : r >= 10 ? r.toFixed(1) : r.toFixed(2)}×`;
}

/** A rate (Melem/s, GB/s) with three significant digits. */
export function formatRate(r: number | undefined): string {
  if (r === undefined || !Number.isFinite(r)) return "–";
  if (r >= 1000) return r.toFixed(0);
  return r.toPrecision(3);
}

/** The size of `sizes` closest to `target` on a log scale. */
export function closestSize(
  sizes: readonly number[],
  target: number,
): number | undefined {
  let best: number | undefined;
  for (const n of sizes) {
    if (
      best === undefined ||
      Math.abs(Math.log(n / target)) < Math.abs(Math.log(best / target))
    ) {
      best = n;
    }
  }
  return best;
}
