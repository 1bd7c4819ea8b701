// What a backend's resident call returns, for the bench and the device
// sweep (docs/gpu/device_sweep.ts): a tensor, or a VJP's gradients.

import type { Tensor } from "@nonlin/core";

/** A resident call's result: a tensor, or a VJP's dx and parameter gradients. */
export type Output = Tensor | {
  readonly dx: Tensor;
  readonly dparams: Readonly<Record<string, Tensor>>;
};

/**
 * The tensors of an {@linkcode Output}, to wait on or dispose of. A
 * third-party VJP may leave out what it should return (dparams, say): what
 * is there is returned, and the check reports what is missing.
 */
export function tensorsOf(out: Output): Tensor[] {
  if (isTensorLike(out)) return [out];
  const all: (Tensor | undefined)[] = [
    out.dx,
    ...Object.values(out.dparams ?? {}),
  ];
  return all.filter((t): t is Tensor => t !== undefined);
}

/** Frees every tensor of an {@linkcode Output}. */
export function disposeOutput(out: Output): void {
  for (const t of tensorsOf(out)) t.dispose();
}

/** Whether an {@linkcode Output} is one tensor (not a VJP's gradients). */
export function isTensorLike(out: Output): out is Tensor {
  return typeof (out as Tensor).read === "function";
}
