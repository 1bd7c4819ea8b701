// The example reference backend with a release() that takes a while and
// leaves a mark (the file NONLIN_RELEASE_MARK names): the suite must wait for
// it before it stops the backend's worker.
export * from "../../examples/reference_backend.ts";
import { backend as base } from "../../examples/reference_backend.ts";

export const backend = { ...base, name: "releasing-example" };

export async function release(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 200));
  const mark = Deno.env.get("NONLIN_RELEASE_MARK");
  if (mark !== undefined) await Deno.writeTextFile(mark, "released");
}
