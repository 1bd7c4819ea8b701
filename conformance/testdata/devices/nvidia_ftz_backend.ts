// Not a fault on its device: the example reference backend as it would run
// on an NVIDIA GPU, whose Vulkan driver flushes float32 subnormals to zero
// (docs/gpu/README.md), so relu, its derivative and its VJP give 0 where the
// result is subnormal; and reporting, as a WebGPU backend does, the adapter
// identity the H200 gave (h200_identity.json). With the `nvidia` device
// profile and nvidia_ftz_waivers.json the run passes; on a device with no
// profile the same results fail, by class.
import type { ElementwiseDerivative, OpFunction, Vjp } from "@nonlin/core";
import { dataOf, type Out, ref, rewrite } from "../faults/_fault.ts";
export * from "../../../examples/reference_backend.ts";
import { backend as base } from "../../../examples/reference_backend.ts";
import recorded from "./h200_identity.json" with { type: "json" };

export const backend = {
  ...base,
  name: "example-nvidia-ftz",
  capabilities: {
    ...base.capabilities,
    properties: { ...recorded.properties, engine: "the float64 reference" },
  },
};

const MIN_NORMAL = 2 ** -126;

/** What the driver does to a result below the normal range: ±0. */
function flush(y: number): number {
  return Math.abs(y) < MIN_NORMAL ? (y < 0 ? -0 : 0) : y;
}

export const relu =
  ((x: unknown, options?: unknown) =>
    rewrite(ref("relu")(x, options) as Out, flush)) as OpFunction<"relu">;

export const derivative =
  ((op: string, ...rest: unknown[]) =>
    op === "relu"
      ? rewrite(ref("derivative")(op, ...rest) as Out, flush)
      : ref("derivative")(op, ...rest)) as ElementwiseDerivative;

type Gradients = { dx: Out | Float32Array; dparams: unknown };

export const vjp = ((op: string, x: unknown, options: unknown) => {
  const result = ref("vjp")(op, x, options) as Gradients | Promise<Gradients>;
  if (op !== "relu") return result;
  // dx is a resident tensor or, in the host form, a Float32Array.
  const apply = (g: Gradients) => {
    const dx = g.dx instanceof Float32Array ? g.dx : dataOf(g.dx as never);
    for (let i = 0; i < dx.length; i++) dx[i] = flush(dx[i]!);
    return g;
  };
  return result instanceof Promise ? result.then(apply) : apply(result);
}) as Vjp;
