// A backend whose relu never returns, for the timeout test.
export * from "../../examples/reference_backend.ts";
import { backend as reference } from "../../examples/reference_backend.ts";

export const backend = { ...reference, name: "hanging-example" };

export function relu(): never {
  for (;;) {
    // Spins on purpose: the suite must stop this worker and go on.
  }
}
