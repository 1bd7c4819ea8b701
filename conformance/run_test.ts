import assert from "node:assert";
import { type Report, runConformance } from "./run.ts";
import { checkKinds, type Result } from "./checks.ts";
import type { Waiver } from "./ledger.ts";

const reference = "./examples/reference_backend.ts";
const broken = "./conformance/testdata/broken_backend.ts";

function failing(report: Report, backend: string): Result[] {
  return report.results.filter((r) =>
    r.backend === backend && r.status === "fail" && r.check !== "pairwise"
  );
}

function checksFailing(
  report: Report,
  backend: string,
  op: string,
): Set<string> {
  return new Set(
    failing(report, backend).filter((r) => r.op === op).map((r) => r.check),
  );
}

Deno.test("runConformance()", async (t) => {
  await t.step(
    "the example backend passes every check of every op, at 0 ULP",
    async () => {
      const report = await runConformance({
        backends: [reference],
        quick: true,
      });
      assert.deepStrictEqual(report.summary.errored, []);
      assert.ok(
        report.summary.ok,
        JSON.stringify(failing(report, "example-reference").slice(0, 3)),
      );
      assert.strictEqual(report.summary.fail, 0);
      const checks = new Set(report.results.map((r) => r.check));
      // Every check kind but pairwise (one backend here), fusedVjp (the
      // native engine's) and broadcast, which this step does not assert.
      const elsewhere = ["pairwise", "fusedVjp", "broadcast"];
      for (const check of checkKinds.filter((k) => !elsewhere.includes(k))) {
        assert.ok(checks.has(check), `no ${check} result`);
      }
      for (
        const r of report.results.filter((r) =>
          ["values", "vjp", "derivative", "secondDerivative"].includes(r.check)
        )
      ) {
        assert.strictEqual(
          r.maxUlp,
          0,
          `${r.case} ${r.check}: ${r.maxUlp} ULP`,
        );
      }
      assert.ok(
        report.results.every((r) => r.count > 0 || r.message !== undefined),
      );
    },
  );

  const ops = [
    "relu",
    "tanh",
    "sigmoid",
    "softplus",
    "gelu",
    "swish",
    "hardSwish",
    "leakyRelu",
    "elu",
  ] as const;
  const report = await runConformance({
    backends: [broken, reference],
    quick: true,
    ops,
  });

  await t.step("each check kind catches its own departure", () => {
    const expect: [string, string][] = [
      ["relu", "kink"],
      ["tanh", "signOfZero"],
      ["sigmoid", "flushToZero"],
      ["softplus", "values"],
      ["gelu", "special"],
      ["swish", "resident"],
      ["hardSwish", "shapes"],
      ["leakyRelu", "dparams"],
      ["elu", "derivative"],
      ["elu", "finiteDifference"],
      ["relu", "identity"],
    ];
    for (const [op, check] of expect) {
      assert.ok(
        checksFailing(report, "broken-example", op).has(check),
        `${op} ${check} did not fail`,
      );
    }
  });

  await t.step("a departure fails only where it is", () => {
    assert.deepStrictEqual(
      [...checksFailing(report, "broken-example", "tanh")],
      ["signOfZero"],
    );
    assert.deepStrictEqual(
      [...checksFailing(report, "broken-example", "gelu")],
      ["special"],
    );
    assert.deepStrictEqual([
      ...checksFailing(report, "broken-example", "swish"),
    ], ["resident"]);
    assert.deepStrictEqual(failing(report, "example-reference"), []);
  });

  await t.step("the worst input of a failure names x, got and want", () => {
    const kink = failing(report, "broken-example").find((r) =>
      r.op === "relu" && r.check === "kink"
    )!;
    assert.strictEqual(kink.worst?.x, 0);
    assert.strictEqual(kink.worst?.got, 1);
    assert.strictEqual(kink.worst?.want, 0);
    assert.match(kink.worst?.note ?? "", /right-hand/);
  });

  await t.step(
    "pairwise: every two backends, blamed on the failing one",
    () => {
      const pair = report.results.find((r) =>
        r.check === "pairwise" && r.op === "relu"
      )!;
      assert.strictEqual(pair.backend, "broken-example");
      assert.strictEqual(pair.against, "example-reference");
      assert.strictEqual(pair.status, "fail");
      assert.match(pair.message ?? "", /broken-example kink/);
      const agree = report.results.find((r) =>
        r.check === "pairwise" && r.op === "hardSwish"
      )!;
      assert.strictEqual(agree.status, "pass");
    },
  );

  await t.step("the run fails on an unexpected failure", () => {
    assert.strictEqual(report.summary.ok, false);
    assert.ok(report.summary.fail > 0);
  });
});

Deno.test("runConformance() waivers", async (t) => {
  const kink: Waiver = {
    backend: "broken-example",
    op: "relu",
    check: "kink",
    reason: "right-hand on purpose",
  };
  const identity: Waiver = {
    backend: "broken-example",
    op: "relu",
    check: "identity",
    reason: "follows from the kink",
  };

  await t.step(
    "a waiver turns its failure into waived, and the pairwise result with it",
    async () => {
      const report = await runConformance({
        backends: [broken, reference],
        quick: true,
        ops: ["relu"],
        waivers: [kink, identity],
      });
      assert.ok(
        report.summary.ok,
        JSON.stringify(report.results.filter((r) => r.status === "fail")),
      );
      const r = report.results.find((r) =>
        r.check === "kink" && r.backend === "broken-example"
      )!;
      assert.strictEqual(r.status, "waived");
      assert.strictEqual(r.waiver?.reason, "right-hand on purpose");
      const pair = report.results.find((r) => r.check === "pairwise")!;
      assert.strictEqual(pair.status, "waived");
      assert.deepStrictEqual(report.waivers.map((w) => w.status), [
        "used",
        "used",
      ]);
    },
  );

  await t.step(
    "a waiver that no longer fails is stale and fails the run",
    async () => {
      const stale: Waiver = {
        backend: "example-reference",
        op: "relu",
        check: "values",
        reason: "not true",
      };
      const report = await runConformance({
        backends: [reference],
        quick: true,
        ops: ["relu"],
        waivers: [stale],
      });
      assert.strictEqual(report.summary.fail, 0);
      assert.strictEqual(report.summary.staleWaivers, 1);
      assert.strictEqual(report.summary.ok, false);
      assert.match(report.waivers[0]!.why ?? "", /no longer fails/);
    },
  );

  await t.step("a waiver for parameters no case has is stale", async () => {
    const w: Waiver = { ...kink, params: [{ alpha: 3 }] };
    const report = await runConformance({
      backends: [broken],
      quick: true,
      ops: ["relu"],
      waivers: [w, identity],
    });
    assert.strictEqual(report.waivers[0]!.status, "stale");
  });

  await t.step(
    "a waiver for a backend or op that did not run is not evaluated",
    async () => {
      const elsewhere: Waiver = {
        backend: "tfjs-nowhere",
        op: "relu",
        check: "kink",
        reason: "-",
      };
      const otherOp: Waiver = {
        backend: "example-reference",
        op: "gelu",
        check: "values",
        reason: "-",
      };
      const report = await runConformance({
        backends: [reference],
        quick: true,
        ops: ["relu"],
        waivers: [elsewhere, otherOp],
      });
      assert.deepStrictEqual(report.waivers.map((w) => w.status), [
        "not evaluated",
        "not evaluated",
      ]);
      assert.ok(report.summary.ok);
    },
  );

  await t.step("a waiver's inputs join the cases of its op", async () => {
    const witness: Waiver = { ...kink, inputs: [123.25] };
    const report = await runConformance({
      backends: [broken],
      quick: true,
      ops: ["relu"],
      waivers: [witness, identity],
    });
    assert.ok(report.results.some((r) => r.check === "values" && r.count > 0));
    const plain = await runConformance({
      backends: [broken],
      quick: true,
      ops: ["relu"],
      waivers: [kink, identity],
    });
    const count = (rep: Report) =>
      rep.results.find((r) => r.check === "values")!.count;
    assert.strictEqual(count(report), count(plain) + 1);
  });
});

Deno.test("runConformance() isolation", async (t) => {
  await t.step(
    "a module that throws on import is an error; the others run",
    async () => {
      const report = await runConformance({
        backends: ["./conformance/testdata/throwing_backend.ts", reference],
        quick: true,
        ops: ["relu"],
      });
      const [bad, good] = report.backends;
      assert.strictEqual(bad!.status, "error");
      assert.match(bad!.reason ?? "", /fails to load on purpose/);
      assert.strictEqual(good!.status, "ran");
      assert.ok(report.results.some((r) => r.backend === "example-reference"));
      assert.strictEqual(report.summary.ok, false);
    },
  );

  await t.step(
    "a module missing part of the contract is an error naming what it lacks",
    async () => {
      const report = await runConformance({
        backends: ["./conformance/testdata/incomplete_backend.ts"],
        quick: true,
        ops: ["relu"],
      });
      assert.strictEqual(report.backends[0]!.status, "error");
      assert.match(report.backends[0]!.reason ?? "", /missing tensor, vjp/);
    },
  );

  await t.step(
    "an unavailable backend is skipped with its reason; --require makes that a failure",
    async () => {
      const spec = "./conformance/testdata/unavailable_backend.ts";
      const report = await runConformance({
        backends: [spec, reference],
        quick: true,
        ops: ["relu"],
      });
      assert.strictEqual(report.backends[0]!.status, "skipped");
      assert.strictEqual(
        report.backends[0]!.reason,
        "needs hardware this machine lacks",
      );
      assert.ok(report.summary.ok);
      const required = await runConformance({
        backends: [spec],
        quick: true,
        ops: ["relu"],
        require: ["unavailable-example"],
      });
      assert.deepStrictEqual(required.summary.missingRequired, [
        "unavailable-example",
      ]);
      assert.strictEqual(required.summary.ok, false);
    },
  );

  await t.step(
    "each backend's release() finishes before its worker is stopped",
    async () => {
      const mark = await Deno.makeTempFile({ prefix: "nonlin-release-" });
      await Deno.remove(mark);
      Deno.env.set("NONLIN_RELEASE_MARK", mark);
      try {
        const report = await runConformance({
          backends: ["./conformance/testdata/releasing_backend.ts"],
          quick: true,
          ops: ["relu"],
        });
        assert.ok(report.summary.ok);
        // Written 200 ms into release(): there only if the run waited.
        assert.strictEqual(await Deno.readTextFile(mark), "released");
      } finally {
        Deno.env.delete("NONLIN_RELEASE_MARK");
        await Deno.remove(mark).catch(() => {});
      }
    },
  );

  await t.step(
    "a backend that hangs is stopped after the timeout; the others finish",
    async () => {
      const report = await runConformance({
        backends: ["./conformance/testdata/hanging_backend.ts", reference],
        quick: true,
        ops: ["relu"],
        timeoutMs: 3000,
      });
      const [hung, good] = report.backends;
      assert.strictEqual(hung!.status, "error");
      assert.match(hung!.reason ?? "", /timed out after 3 s running relu/);
      assert.strictEqual(good!.status, "ran");
      assert.ok(
        report.results.filter((r) => r.backend === "example-reference").every((
          r,
        ) => r.status === "pass"),
      );
    },
  );

  await t.step(
    "an unknown backend name is an error listing the built-in ones",
    async () => {
      const report = await runConformance({
        backends: ["tfjs-nowhere"],
        quick: true,
        ops: ["relu"],
      });
      assert.strictEqual(report.backends[0]!.status, "error");
      assert.match(report.backends[0]!.reason ?? "", /expected one of native/);
    },
  );
});
