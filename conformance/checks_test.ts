import assert from "node:assert";
import * as native from "@nonlin/native";
import type { BackendModule } from "@nonlin/core";
import { execute, type Outcome } from "./_executor.ts";
import { casesOf } from "./cases.ts";
import { checkDescriptions, checkKinds, evaluateCase } from "./checks.ts";
import { quickSizes } from "./inputs.ts";
import { planCase } from "./plan.ts";

const backend = native as unknown as BackendModule;

/** prelu's first case with a per-channel α (the catalog's edge sets decide where). */
const perChannel = casesOf("prelu").findIndex((c) => c.channels !== undefined);

async function runPlan(
  op: "swish" | "gelu" | "prelu",
  index = 0,
  gradientCount = 416,
) {
  const c = casesOf(op)[index]!;
  const plan = planCase(c, {
    sizes: quickSizes,
    gradientCount,
    residentRandom: 64,
    shapes: [],
    witnesses: [],
  });
  const outcomes: Outcome[] = [];
  for (const call of plan.calls) {
    outcomes.push(await execute(backend, call, "native"));
  }
  return { plan, outcomes };
}

Deno.test("evaluateCase()", async (t) => {
  await t.step(
    "native passes every check, its fused VJP included",
    async () => {
      for (
        const [op, index] of [["swish", 3], ["gelu", 1], [
          "prelu",
          perChannel,
        ]] as const
      ) {
        const { plan, outcomes } = await runPlan(op, index);
        const { results } = evaluateCase(plan, {
          backend: "native",
          profile: "native",
        }, outcomes);
        assert.deepStrictEqual(
          results.filter((r) => r.status !== "pass").map((r) => r.check),
          [],
          op,
        );
        assert.ok(
          results.some((r) => r.check === "fusedVjp" && r.count > 0),
          op,
        );
      }
    },
  );

  await t.step(
    "fusedVjp fails when the fused VJP and the composition's disagree",
    async () => {
      const { plan, outcomes } = await runPlan("swish", 3);
      const expanded = outcomes[plan.slots.expanded]!;
      const dx = expanded.out!.data.map((
        v,
        i,
      ) => (i === 200 ? v * 1.01 + 1e-3 : v));
      const dbeta = expanded.dparams!.beta!.data.map((v) => v * 1.05 + 0.1);
      const tampered = [...outcomes];
      tampered[plan.slots.expanded] = {
        out: { data: dx, shape: expanded.out!.shape },
        dparams: { beta: { data: dbeta, shape: [] } },
      };
      const { results } = evaluateCase(plan, {
        backend: "native",
        profile: "native",
      }, tampered);
      const fused = results.find((r) => r.check === "fusedVjp")!;
      assert.strictEqual(fused.status, "fail");
      assert.strictEqual(fused.failures, 2);
    },
  );

  await t.step(
    "a call that throws fails its own check with the error",
    async () => {
      const { plan, outcomes } = await runPlan("gelu");
      const tampered = [...outcomes];
      tampered[plan.slots.secondDerivative] = {
        error: { name: "NotSupportedError", message: "not here" },
      };
      const { results } = evaluateCase(plan, {
        backend: "native",
        profile: "native",
      }, tampered);
      const second = results.find((r) => r.check === "secondDerivative")!;
      assert.strictEqual(second.status, "fail");
      assert.match(second.message ?? "", /NotSupportedError: not here/);
      assert.ok(
        results.filter((r) => r.check !== "secondDerivative").every((r) =>
          r.status === "pass"
        ),
      );
    },
  );

  await t.step("a result of the wrong shape fails its check", async () => {
    const { plan, outcomes } = await runPlan("prelu", perChannel);
    const tampered = [...outcomes];
    const o = outcomes[plan.slots.dparams!]!;
    tampered[plan.slots.dparams!] = {
      ...o,
      dparams: { alpha: { data: new Float32Array(1), shape: [] } },
    };
    const { results } = evaluateCase(plan, {
      backend: "native",
      profile: "native",
    }, tampered);
    assert.match(
      results.find((r) => r.check === "dparams")!.message ?? "",
      /dalpha has shape \[\], expected \[4\]/,
    );
  });
});

Deno.test("the parameter-gradient bound does not loosen with n", async (t) => {
  // prelu's dα 5·10⁻⁵ too large (relative): a bound of n·u·Σ|t| let it
  // through with the full run's 1184 terms while --quick's 416 caught it.
  for (const n of [416, 1184, 4096]) {
    await t.step(`${n} terms`, async () => {
      for (const index of [0, perChannel]) {
        const { plan, outcomes } = await runPlan("prelu", index, n);
        const judged = { backend: "native", profile: "native" } as const;
        const pass = evaluateCase(plan, judged, outcomes).results;
        assert.strictEqual(
          pass.find((r) => r.check === "dparams")?.status,
          "pass",
        );
        const o = outcomes[plan.slots.dparams!]!;
        const alpha = o.dparams!.alpha!;
        const tampered = [...outcomes];
        tampered[plan.slots.dparams!] = {
          ...o,
          dparams: {
            alpha: {
              data: alpha.data.map((v) => v * (1 + 5e-5)),
              shape: alpha.shape,
            },
          },
        };
        const { results } = evaluateCase(plan, judged, tampered);
        assert.strictEqual(
          results.find((r) => r.check === "dparams")?.status,
          "fail",
          `case ${index}`,
        );
      }
    });
  }
});

Deno.test("checkDescriptions", () => {
  for (const check of checkKinds) {
    assert.ok(checkDescriptions[check].length > 20, check);
  }
});
