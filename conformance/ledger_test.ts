import assert from "node:assert";
import { opNames, ops } from "@nonlin/core";
import {
  backendNames,
  backendVariantNames,
  peerBackendNames,
} from "@nonlin/backends";
import { allCases } from "./cases.ts";
import { checkKinds } from "./checks.ts";
import { deviceProfiles } from "./devices.ts";
import {
  classLabels,
  deviationMatches,
  findDeviation,
  type KnownDeviation,
  ledger,
} from "./ledger.ts";

Deno.test("ledger", async (t) => {
  await t.step(
    "each names a built-in backend (a peer or a variant too), a catalog op, a check kind and known devices",
    () => {
      for (const w of ledger) {
        assert.ok(
          [...backendNames, ...peerBackendNames, ...backendVariantNames]
            .includes(w.backend),
          w.backend,
        );
        assert.ok(opNames.includes(w.op), w.op);
        assert.ok((checkKinds as readonly string[]).includes(w.check), w.check);
        for (const d of w.devices ?? []) {
          assert.ok(deviceProfiles.some((p) => p.name === d), d);
        }
        assert.ok(w.class === undefined || w.class in classLabels);
      }
    },
  );
  await t.step(
    "each gives its reason, its class and, for tfjs, where in tfjs it comes from",
    () => {
      for (const w of ledger) {
        assert.ok(w.reason.length > 40, `${w.backend} ${w.op} ${w.check}`);
        assert.ok(w.class, `${w.backend} ${w.op} ${w.check} has no class`);
        if (w.backend.startsWith("tfjs")) {
          assert.ok(
            w.source,
            `${w.backend} ${w.op} ${w.check} has no source`,
          );
        }
      }
    },
  );
  await t.step(
    "what a backend declares unsupported is not restated",
    () => {
      assert.deepStrictEqual(
        ledger.filter((w) => w.class === "unsupported"),
        [],
      );
    },
  );
  await t.step(
    "parameters and witnesses name real parameters and finite float32 inputs",
    () => {
      for (const w of ledger) {
        for (const p of w.params ?? []) {
          for (const key of Object.keys(p)) {
            assert.ok(
              Object.hasOwn(ops[w.op].params, key),
              `${w.op} has no ${key}`,
            );
          }
          assert.ok(
            allCases([w.op]).some((c) =>
              deviationMatches(w, {
                backend: w.backend,
                op: w.op,
                check: w.check,
                params: c.params,
              })
            ),
          );
        }
        for (const x of w.inputs ?? []) {
          assert.ok(Number.isFinite(x), `${w.op}: ${x}`);
        }
      }
    },
  );
  await t.step(
    "no case is covered by two entries of the same check on one device",
    () => {
      // On every profile, and on a device with no profile (unscoped entries
      // only). Entries scoped to different devices never meet on one run.
      const devices = [undefined, ...deviceProfiles.map((p) => p.name)];
      for (const c of allCases()) {
        for (const backend of backendNames) {
          for (const check of checkKinds) {
            for (const device of devices) {
              const q = {
                backend,
                op: c.op,
                check,
                params: c.params,
                onDevice: true,
                device,
              };
              const matching = ledger.filter((w) => deviationMatches(w, q));
              assert.ok(
                matching.length <= 1,
                `${backend} ${c.id} ${check} on ${device} has ${matching.length} entries`,
              );
            }
          }
        }
      }
    },
  );
  await t.step("native, the project's own engine, has none", () => {
    assert.deepStrictEqual(ledger.filter((w) => w.backend === "native"), []);
  });
});

Deno.test("deviationMatches()", async (t) => {
  const entry: KnownDeviation = {
    backend: "b",
    op: "relu",
    check: "flushToZero",
    devices: ["llvmpipe-gl"],
    class: "flushToZero",
    reason: "a device-scoped entry for the test",
  };
  const q = { backend: "b", op: "relu", check: "flushToZero", params: {} };
  await t.step("a device-scoped entry holds only on its devices", () => {
    assert.ok(
      deviationMatches(entry, { ...q, onDevice: true, device: "llvmpipe-gl" }),
    );
    assert.ok(
      !deviationMatches(entry, { ...q, onDevice: true, device: "nvidia" }),
    );
    assert.ok(
      !deviationMatches(entry, { ...q, onDevice: true, device: undefined }),
      "a device with no profile matches no device-scoped entry",
    );
    assert.ok(deviationMatches(entry, { ...q, onDevice: false }));
  });
  await t.step("parameters match on the keys the entry gives", () => {
    const p: KnownDeviation = { ...entry, params: [{ beta: 0 }] };
    assert.ok(deviationMatches(p, { ...q, params: { beta: 0, x: 1 } }));
    assert.ok(!deviationMatches(p, { ...q, params: { beta: 1 } }));
    assert.ok(!deviationMatches(p, { ...q, params: {} }));
  });
  await t.step("findDeviation() returns the first that matches", () => {
    assert.strictEqual(findDeviation([entry], q), entry);
    assert.strictEqual(findDeviation([entry], { ...q, op: "tanh" }), undefined);
  });
});
