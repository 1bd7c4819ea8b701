// A backend that cannot run here, for the isolation tests: every export is
// present, and `backend.available` is false with its reason.
export * from "../../examples/reference_backend.ts";
import { backend as reference } from "../../examples/reference_backend.ts";

export const backend = {
  ...reference,
  name: "unavailable-example",
  available: false,
  reason: "needs hardware this machine lacks",
};
