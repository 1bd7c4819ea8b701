/**
 * The book's grid, defined once: *Dive into Deep Learning* §5.1 plots every
 * activation over `torch.arange(-8.0, 8.0, 0.1)`, and the figures, the book
 * page and the conformance suite use the same points.
 *
 * @module
 */

/** The book's grid as arange's arguments, and its number of points. */
export const BOOK_GRID: {
  readonly start: number;
  readonly stop: number;
  readonly step: number;
  readonly length: number;
} = Object.freeze({ start: -8, stop: 8, step: 0.1, length: 160 });

/**
 * The book's grid `arange(-8.0, 8.0, 0.1)`: the float32 values nearest to
 * −8, −7.9, …, 7.9. Each is computed as (i − 80)/10 and rounded once, so the
 * kinks 0, ±3 and 6 lie on the grid exactly (PyTorch's −8 + 0.1·i misses 0 by
 * a few ULP).
 *
 * @returns A new Float32Array of `BOOK_GRID.length` values.
 *
 * @example
 * ```ts
 * import { BOOK_GRID, bookGrid } from "@nonlin/core";
 * import assert from "node:assert";
 *
 * const x = bookGrid();
 * assert.strictEqual(x.length, BOOK_GRID.length);
 * assert.strictEqual(x[0], -8);
 * assert.strictEqual(x[80], 0);
 * assert.strictEqual(x[159], Math.fround(7.9));
 * ```
 */
export function bookGrid(): Float32Array {
  const perUnit = Math.round(1 / BOOK_GRID.step);
  const first = Math.round(BOOK_GRID.start * perUnit);
  return Float32Array.from(
    { length: BOOK_GRID.length },
    (_, i) => (first + i) / perUnit,
  );
}
