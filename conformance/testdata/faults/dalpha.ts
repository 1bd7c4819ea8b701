// Fault: prelu's ∂/∂α is 5·10⁻⁵ too large (relative), an error a float32
// sum of a thousand terms would not make, and one that a bound growing with
// n (n·u·Σ|t|, 7·10⁻⁴ of the sum over the full run's 1184 terms) let through.
import type { Vjp } from "@nonlin/core";
import { dataOf, ref } from "./_fault.ts";
export * from "../../../examples/reference_backend.ts";
import { backend as base } from "../../../examples/reference_backend.ts";
export const backend = { ...base, name: "fault-dalpha" };
export const vjp = ((op: string, x: unknown, options: unknown) => {
  const result = ref("vjp")(op, x, options) as
    | { dparams: Record<string, unknown> }
    | Promise<{ dparams: Record<string, unknown> }>;
  if (op !== "prelu") return result;
  const scale = (g: { dparams: Record<string, unknown> }) => {
    const data = dataOf(g.dparams.alpha as never);
    for (let i = 0; i < data.length; i++) data[i] = data[i]! * (1 + 5e-5);
    return g;
  };
  return result instanceof Promise ? result.then(scale) : scale(result);
}) as Vjp;
