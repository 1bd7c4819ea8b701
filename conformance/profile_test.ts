// On a device with no profile the run names its deviation classes and
// fails; --write-profile's output, passed back as --waivers, makes it pass.

import assert from "node:assert";
import { renderMatrix } from "./report.ts";
import { parseWaivers, profileOfRun } from "./main.ts";
import { ledger } from "./ledger.ts";
import { runConformance } from "./run.ts";

const adapter = await (navigator as Navigator & { gpu?: GPU }).gpu
  ?.requestAdapter().catch(() => null);

Deno.test({
  name: "a device with no profile",
  ignore: !adapter,
  async fn(t) {
    const options = {
      backends: ["tfjs-webgpu"],
      ops: ["tanh" as const],
      quick: true,
    };
    const unknown = await runConformance({ ...options, devices: [] });
    await t.step("fails and explains itself by class", () => {
      assert.strictEqual(unknown.summary.ok, false);
      const b = unknown.backends[0]!;
      assert.ok(b.device, "the device is in the report");
      assert.strictEqual(b.deviceProfile, undefined);
      const text = renderMatrix(unknown);
      assert.match(text, /tfjs-webgpu device: .*backend (vulkan|gl)/);
      assert.match(text, /unexpected deviations, by class:/);
      assert.ok(Object.keys(b.classes ?? {}).length > 0);
    });
    await t.step(
      "the recorded profile, passed back, makes it pass",
      async () => {
        const recorded = parseWaivers(JSON.stringify(profileOfRun(unknown)));
        assert.strictEqual(recorded.devices.length, 1);
        assert.ok(recorded.entries.every((e) => e.class !== undefined));
        const again = await runConformance({
          ...options,
          devices: recorded.devices,
          waivers: [...ledger, ...recorded.entries],
        });
        assert.ok(
          again.summary.ok,
          JSON.stringify(again.results.filter((r) => r.status === "fail")),
        );
      },
    );
  },
});
