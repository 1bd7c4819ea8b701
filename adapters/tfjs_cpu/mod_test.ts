import type { BackendModule } from "@nonlin/core";
import { adapterSteps } from "../_tfjs/testdata/adapter_steps.ts";

Deno.test("@nonlin/tfjs-cpu", async (t) => {
  // The annotation is the proof: the module's exports are the contract.
  const m: BackendModule = await import("@nonlin/tfjs-cpu");
  await adapterSteps(t, m, "cpu");
});
