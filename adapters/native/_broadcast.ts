// NumPy broadcasting resolved to index maps, for prelu's α and the autodiff's
// binary arithmetic.

/**
 * The shape two shapes broadcast to by NumPy's rules (aligned from the right,
 * each pair of dimensions equal or one of them 1).
 *
 * @throws {RangeError} When they do not broadcast.
 */
export function broadcastShapes(
  a: readonly number[],
  b: readonly number[],
): readonly number[] {
  const rank = Math.max(a.length, b.length);
  const out = new Array<number>(rank);
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new RangeError(
        `Shapes [${a.join(", ")}] and [${
          b.join(", ")
        }] do not broadcast: dimension ${i} is ${da} against ${db}`,
      );
    }
    out[i] = da === 1 ? db : da;
  }
  return Object.freeze(out);
}

/**
 * Maps each element of a tensor of shape `to` onto the element of a tensor of
 * shape `from` that broadcasting gives it. `from` must broadcast to `to`
 * without enlarging it (checked by the caller).
 *
 * @returns The map (length = size of `to`), or `null` when `from` has one
 * element (all map to 0) or as many as `to` (the identity).
 */
export function broadcastIndex(
  from: readonly number[],
  to: readonly number[],
): Int32Array | null {
  const fromSize = from.reduce((p, d) => p * d, 1);
  const toSize = to.reduce((p, d) => p * d, 1);
  if (fromSize === 1 || fromSize === toSize) return null;
  const rank = to.length;
  // Strides of `from` padded to `to`'s rank, 0 along broadcast dimensions.
  const strides = new Array<number>(rank).fill(0);
  let stride = 1;
  for (let i = rank - 1, j = from.length - 1; j >= 0; i--, j--) {
    const d = from[j]!;
    strides[i] = d === 1 ? 0 : stride;
    stride *= d;
  }
  const index = new Int32Array(toSize);
  const coord = new Array<number>(rank).fill(0);
  let offset = 0;
  for (let k = 0; k < toSize; k++) {
    index[k] = offset;
    // Odometer step over `to`'s coordinates, keeping `offset` in step.
    for (let i = rank - 1; i >= 0; i--) {
      coord[i]!++;
      offset += strides[i]!;
      if (coord[i]! < to[i]!) break;
      offset -= strides[i]! * coord[i]!;
      coord[i] = 0;
    }
  }
  return index;
}
