// What a backend's resident call returns, for the bench and the device
// sweep (docs/gpu/device_sweep.ts): a tensor, or a VJP's gradients.

import type { Tensor } from "@nonlin/core";

/** A resident call's result: a tensor, or a VJP's dx and parameter gradients. */
export type Output = Tensor | {
  readonly dx: Tensor;
  readonly dparams: Readonly<Record<string, Tensor>>;
};

/** The tensors of an {@linkcode Output}, to wait on or dispose of. */
export function tensorsOf(out: Output): Tensor[] {
  return isTensorLike(out) ? [out] : [out.dx, ...Object.values(out.dparams)];
}

/** Frees every tensor of an {@linkcode Output}. */
export function disposeOutput(out: Output): void {
  for (const t of tensorsOf(out)) t.dispose();
}

/** Whether an {@linkcode Output} is one tensor (not a VJP's gradients). */
export function isTensorLike(out: Output): out is Tensor {
  return typeof (out as Tensor).read === "function";
}
