import assert from "node:assert";
import type { KnownDeviation } from "./ledger.ts";
import { runConformance } from "./run.ts";

const BACKEND = "./conformance/testdata/softplus_beta2_backend.ts";
const NAME = "softplus-beta2-example";

/** An entry for softplus's β sums at β = 1 and 2 (only β = 2 fails). */
function entry(anyCase: boolean): KnownDeviation {
  return {
    backend: NAME,
    op: "softplus",
    check: "dparams",
    params: [{ beta: 1, threshold: 20 }, { beta: 2, threshold: 20 }],
    reason: "test: the fixture's ∂/∂β is 1% large at β = 2",
    ...(anyCase ? { anyCase: true as const } : {}),
  };
}

async function run(waiver: KnownDeviation) {
  const report = await runConformance({
    backends: [BACKEND],
    quick: true,
    ops: ["softplus"],
    waivers: [waiver],
  });
  const status = report.waivers.find((w) => w.backend === NAME)?.status;
  return { report, status };
}

Deno.test("a ledger entry's anyCase", async (t) => {
  await t.step(
    "without it, an entry whose β = 1 case passes is stale",
    async () => {
      const { report, status } = await run(entry(false));
      assert.strictEqual(status, "stale");
      assert.strictEqual(report.summary.ok, false);
    },
  );
  await t.step(
    "with it, the entry is used while the β = 2 sum fails",
    async () => {
      const { report, status } = await run(entry(true));
      assert.strictEqual(status, "used");
      const sums = report.results.filter((r) =>
        r.check === "dparams" && r.params?.threshold === 20
      );
      assert.deepStrictEqual(
        sums.map((r) => [r.params?.beta, r.status]).sort(),
        [[0.5, "pass"], [1, "pass"], [2, "waived"]],
      );
    },
  );
  await t.step(
    "with it, the entry is stale once every case passes",
    async () => {
      const { report, status } = await run({
        ...entry(true),
        params: [{ beta: 1, threshold: 20 }, { beta: 0.5, threshold: 20 }],
      });
      assert.strictEqual(status, "stale");
      assert.strictEqual(report.summary.ok, false);
    },
  );
});

Deno.test("an identity's entry when the identity's other op is not run", async (t) => {
  const waiver: KnownDeviation = {
    backend: "example-reference",
    op: "tanh",
    check: "identity",
    reason: "test: an entry for tanh(x) + 1 = 2σ(2x)",
  };
  const statusOf = async (ops: ("tanh" | "sigmoid")[]) => {
    const report = await runConformance({
      backends: ["./examples/reference_backend.ts"],
      quick: true,
      ops,
      waivers: [waiver],
    });
    return report.waivers.find((w) => w.check === "identity");
  };
  await t.step("is not evaluated (not stale) with tanh alone", async () => {
    const w = await statusOf(["tanh"]);
    assert.strictEqual(w?.status, "not evaluated");
    assert.match(String(w?.why), /identity needs sigmoid, not run/);
  });
  await t.step("is judged (here stale) with tanh and sigmoid", async () => {
    assert.strictEqual((await statusOf(["tanh", "sigmoid"]))?.status, "stale");
  });
});

Deno.test("an entry shown only on the contract grid", async () => {
  const { report, status } = await run({
    ...entry(false),
    params: [{ beta: 2, threshold: 20 }],
    shownBy: "contract",
  });
  // It neither waives the run's failure nor is judged by the run.
  assert.strictEqual(status, "not evaluated");
  const sum = report.results.find((r) =>
    r.check === "dparams" && r.params?.beta === 2 &&
    r.params?.threshold === 20
  );
  assert.strictEqual(sum?.status, "fail");
});

Deno.test("an entry scoped to one run's inputs", async (t) => {
  const only = (run: "quick" | "full"): KnownDeviation => ({
    ...entry(false),
    params: [{ beta: 2, threshold: 20 }],
    run,
  });
  await t.step("waives in the run it names", async () => {
    assert.strictEqual((await run(only("quick"))).status, "used");
  });
  await t.step(
    "is not evaluated, and waives nothing, in the other",
    async () => {
      const { report, status } = await run(only("full"));
      assert.strictEqual(status, "not evaluated");
      const sum = report.results.find((r) =>
        r.check === "dparams" && r.params?.beta === 2 &&
        r.params?.threshold === 20
      );
      assert.strictEqual(sum?.status, "fail");
    },
  );
});
