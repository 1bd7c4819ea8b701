// The example reference backend with softplus's ∂/∂β 1% too large at β = 2
// only: a parameter-gradient sum that fails for one of softplus's β and
// passes for the others, to put a ledger entry's anyCase to the test.
import type { Vjp } from "@nonlin/core";
import { dataOf, ref } from "./faults/_fault.ts";
export * from "../../examples/reference_backend.ts";
import { backend as base } from "../../examples/reference_backend.ts";
export const backend = { ...base, name: "softplus-beta2-example" };
export const vjp = ((op: string, x: unknown, options: unknown) => {
  const result = ref("vjp")(op, x, options) as
    | { dparams: Record<string, unknown> }
    | Promise<{ dparams: Record<string, unknown> }>;
  const beta = (options as { params?: { beta?: number } }).params?.beta;
  if (op !== "softplus" || beta !== 2) return result;
  const scale = (g: { dparams: Record<string, unknown> }) => {
    const data = dataOf(g.dparams.beta as never);
    for (let i = 0; i < data.length; i++) data[i] = data[i]! * 1.01;
    return g;
  };
  return result instanceof Promise ? result.then(scale) : scale(result);
}) as Vjp;
