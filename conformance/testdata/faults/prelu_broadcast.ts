// Fault: prelu broadcasts a tensor α only along the last axis, as
// tfjs-wasm's kernel did: α of shape [c, 1] on x of shape [c, n] takes
// α[i mod c] for flat element i instead of α[row].
import type { OpFunction, Tensor } from "@nonlin/core";
import { dataOf, ref } from "./_fault.ts";
export * from "../../../examples/reference_backend.ts";
import { backend as base } from "../../../examples/reference_backend.ts";
export const backend = { ...base, name: "fault-prelu-broadcast" };
export const prelu = ((x: unknown, options: { alpha: unknown }) => {
  const alpha = options.alpha as Tensor;
  if (
    typeof alpha !== "object" || !("shape" in alpha) || alpha.size <= 1 ||
    !(typeof x === "object" && x !== null && "shape" in x)
  ) {
    return ref("prelu")(x, options);
  }
  const xs = x as Tensor;
  const a = dataOf(alpha);
  const out = ref("tensor")(
    dataOf(xs).map((v, i) => (v > 0 ? v : Math.fround(a[i % a.length]! * v))),
    xs.shape,
  );
  return out;
}) as unknown as OpFunction<"prelu">;
