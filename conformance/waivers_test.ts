import assert from "node:assert";
import { opNames, ops } from "@nonlin/core";
import { backendNames } from "@nonlin/backends";
import { allCases } from "./cases.ts";
import { checkKinds } from "./checks.ts";
import { waiverMatches } from "./run.ts";
import { waivers } from "./waivers.ts";

Deno.test("waivers", async (t) => {
  await t.step(
    "each names a built-in backend, a catalog op and a check kind",
    () => {
      for (const w of waivers) {
        assert.ok(backendNames.includes(w.backend), w.backend);
        assert.ok(opNames.includes(w.op), w.op);
        assert.ok((checkKinds as readonly string[]).includes(w.check), w.check);
      }
    },
  );
  await t.step(
    "each gives its reason and, for tfjs, where in tfjs it comes from",
    () => {
      for (const w of waivers) {
        assert.ok(w.reason.length > 40, `${w.backend} ${w.op} ${w.check}`);
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
    "parameters and witnesses name real parameters and finite float32 inputs",
    () => {
      for (const w of waivers) {
        for (const p of w.params ?? []) {
          for (const key of Object.keys(p)) {
            assert.ok(key in ops[w.op].params, `${w.op} has no ${key}`);
          }
          assert.ok(
            allCases([w.op]).some((c) =>
              waiverMatches(w, {
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
  await t.step("no case is covered by two waivers of the same check", () => {
    for (const c of allCases()) {
      for (const backend of backendNames) {
        for (const check of checkKinds) {
          const r = { backend, op: c.op, check, params: c.params };
          const matching = waivers.filter((w) => waiverMatches(w, r));
          assert.ok(
            matching.length <= 1,
            `${backend} ${c.id} ${check} has ${matching.length} waivers`,
          );
        }
      }
    }
  });
  await t.step("native, the project's own engine, has none", () => {
    assert.deepStrictEqual(waivers.filter((w) => w.backend === "native"), []);
  });
});
