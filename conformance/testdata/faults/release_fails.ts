// Fault: release() rejects (a device that cannot be freed).
export * from "../../../examples/reference_backend.ts";
import { backend as base } from "../../../examples/reference_backend.ts";
export const backend = { ...base, name: "fault-release-fails" };
export function release(): Promise<void> {
  return Promise.reject(new Error("the device is busy"));
}
