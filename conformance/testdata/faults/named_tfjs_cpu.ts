// Not a fault: the correct example backend, named like a built-in. It must
// pass, neither inheriting tfjs-cpu's ledger entries (which would be stale)
// nor native's fusedVjp check.
export * from "../../../examples/reference_backend.ts";
import { backend as base } from "../../../examples/reference_backend.ts";
export const backend = { ...base, name: "tfjs-cpu" };
