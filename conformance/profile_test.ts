// On a device with no profile the run names its deviation classes and
// fails; --write-profile's output, passed back as --waivers, makes it pass.

import assert from "node:assert";
import { renderMatrix } from "./report.ts";
import { main, parseTolerances, parseWaivers, profileOfRun } from "./main.ts";
import { deviationClassOf, type Result } from "./checks.ts";
import { deviceOf, deviceProfileOf } from "./devices.ts";
import { findDeviation, ledger } from "./ledger.ts";
import { type Report, runConformance } from "./run.ts";

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
      assert.throws(
        () =>
          parseWaivers(
            '[{"backend":"b","op":"relu","check":"values","reason":"r","anyCase":1}]',
          ),
        /anyCase must be true when given: got 1/,
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

// The NVIDIA profile, without an NVIDIA GPU: the adapter identity and the
// failing results the H200 gave (testdata/devices/h200_identity.json, from
// docs/gpu/h200_2026-12-04/conf_tfjs.md), and a backend that flushes as the
// driver does and reports that identity.
Deno.test("the nvidia device profile", async (t) => {
  const recorded = JSON.parse(
    await Deno.readTextFile("conformance/testdata/devices/h200_identity.json"),
  ) as {
    properties: Record<string, unknown>;
    failures: (Omit<Result, "backend" | "case" | "status" | "worst"> & {
      worst: { quantity: string; x: number; got: number | "-0"; want: number };
    })[];
  };
  const identity = deviceOf(recorded.properties);
  const failures: Result[] = recorded.failures.map((f) => ({
    ...f,
    backend: "tfjs-webgpu",
    case: f.op,
    status: "fail",
    worst: {
      ...f.worst,
      index: 0,
      got: f.worst.got === "-0" ? -0 : f.worst.got,
    },
  }));
  const query = (r: Result, device: string | undefined) => ({
    backend: r.backend,
    op: r.op,
    check: r.check,
    params: r.params,
    onDevice: true,
    device,
  });

  await t.step("the H200's identity is the nvidia profile", () => {
    assert.strictEqual(deviceProfileOf(identity), "nvidia");
    assert.strictEqual(deviceProfileOf(identity, []), undefined);
  });

  await t.step("every result the H200 failed is in the ledger for it", () => {
    assert.strictEqual(failures.length, 24);
    for (const r of failures) {
      const entry = findDeviation(ledger, query(r, "nvidia"));
      assert.ok(entry, `${r.op} ${JSON.stringify(r.params)} ${r.check}`);
      assert.strictEqual(entry.class, "flushToZero", `${r.op} ${r.check}`);
    }
  });

  await t.step("without the profile they name their class", () => {
    const unexplained = failures.filter((r) =>
      findDeviation(ledger, query(r, undefined)) === undefined
    );
    assert.ok(unexplained.length >= 20, `${unexplained.length} unexplained`);
    for (const r of failures) {
      assert.strictEqual(deviationClassOf(r), "flushToZero", r.op);
    }
  });

  const fixture = "./conformance/testdata/devices/nvidia_ftz_backend.ts";
  const waivers = "conformance/testdata/devices/nvidia_ftz_waivers.json";
  const args = [
    "--backend",
    fixture,
    "--op",
    "relu",
    "--quick",
    "--waivers",
    waivers,
    "--json",
    "out/nvidia_profile.json",
  ];
  await t.step("a run on that identity passes with the profile", async () => {
    let text = "";
    const output = { out: (s: string) => void (text += s), err: () => {} };
    assert.strictEqual(await main(args, output), 0, text);
    assert.match(
      text,
      /example-nvidia-ftz device: NVIDIA H200, .*; profile nvidia/,
    );
    const report = JSON.parse(
      await Deno.readTextFile("out/nvidia_profile.json"),
    ) as Report;
    assert.strictEqual(report.backends[0]!.deviceProfile, "nvidia");
    assert.deepStrictEqual(report.backends[0]!.classes, { flushToZero: 1 });
    assert.strictEqual(report.summary.waived, 1);
  });

  await t.step(
    "and without it names its class and exits 1",
    async () => {
      let text = "";
      const output = { out: (s: string) => void (text += s), err: () => {} };
      const status = await main([...args, "--ignore-device-profiles"], output);
      assert.strictEqual(status, 1, text);
      assert.match(
        text,
        /example-nvidia-ftz flushes subnormal inputs or results to zero \(FTZ\): 1 result \(relu\)/,
      );
      assert.match(text, /FAILED/);
    },
  );
});
