// Shared by the fault fixtures: each is the example reference backend with
// one deliberate fault, fed to the suite as a third-party module by path.

import { type ArrayInput, nextFloat32, type Tensor } from "@nonlin/core";
import * as reference from "../../../examples/reference_backend.ts";

/** A result in either form. */
export type Out = Tensor | Promise<Float32Array>;
/** Any function of the reference, loosely typed. */
export type Loose = (...args: unknown[]) => unknown;

/** The reference's function of that name, loosely typed. */
export function ref(name: string): Loose {
  return (reference as unknown as Record<string, Loose>)[name]!;
}

/** The data behind a reference tensor, or host data as a Float32Array. */
export function dataOf(t: Tensor | ArrayInput): Float32Array {
  return (t as unknown as { data: Float32Array }).data ??
    Float32Array.from(t as ArrayInput);
}

/** Rewrites each element of a result in place, in whichever form it came. */
export function rewrite<T extends Out>(
  result: T,
  change: (y: number, i: number) => number,
): T {
  const apply = (out: Float32Array) => {
    for (let i = 0; i < out.length; i++) out[i] = change(out[i]!, i);
    return out;
  };
  if (result instanceof Promise) return result.then(apply) as T;
  apply(dataOf(result as Tensor));
  return result;
}

/** `y` moved `n` float32 steps away from zero (core's float32 stepping). */
export function ulpsAway(y: number, n: number): number {
  if (y === 0 || y !== y || Math.abs(y) === Infinity) return y;
  let out = Math.fround(y);
  for (let i = 0; i < n; i++) out = nextFloat32(out, out > 0);
  return out;
}
