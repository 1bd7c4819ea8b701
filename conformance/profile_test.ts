// On a device with no profile the run names its deviation classes and
// fails; --write-profile's output, passed back as --waivers, makes it pass.

import assert from "node:assert";
import { renderMatrix } from "./report.ts";
import { parseTolerances, parseWaivers, profileOfRun } from "./main.ts";
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

Deno.test("parseWaivers() and parseTolerances()", async (t) => {
  await t.step("read the README's example files", async () => {
    const w = parseWaivers(await Deno.readTextFile("examples/waivers.json"));
    assert.strictEqual(w.entries[0]?.backend, "my-backend");
    const tol = parseTolerances(
      await Deno.readTextFile("examples/tolerances.json"),
    );
    assert.ok("my-backend" in tol);
  });
  await t.step(
    "refuse an entry without a reason or with an unknown check",
    () => {
      assert.throws(
        () => parseWaivers('[{"backend":"b","op":"relu","check":"values"}]'),
        TypeError,
      );
      assert.throws(
        () =>
          parseWaivers(
            '[{"backend":"b","op":"relu","check":"nope","reason":"r"}]',
          ),
        /unknown check/,
      );
      assert.throws(() => parseTolerances("[]"), TypeError);
    },
  );
  await t.step(
    "a --tolerances profile loosens only what it names",
    async () => {
      const report = await runConformance({
        backends: ["./conformance/testdata/faults/claims_precision.ts"],
        ops: ["sigmoid"],
        quick: true,
        tolerances: {
          "fault-claims-precision": {
            defaults: { values: { ulp: 32, reason: "a test's allowance" } },
          },
        },
      });
      assert.strictEqual(
        report.backends[0]!.profile,
        "fault-claims-precision (--tolerances)",
      );
      assert.ok(
        !report.results.some((r) =>
          r.check === "values" && r.status === "fail"
        ),
      );
    },
  );
});
