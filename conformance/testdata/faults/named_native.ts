// Not a fault: the correct example backend, named "native". It must pass.
export * from "../../../examples/reference_backend.ts";
import { backend as base } from "../../../examples/reference_backend.ts";
export const backend = { ...base, name: "native" };
