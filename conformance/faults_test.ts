// Every fault class a third-party backend may have fails the run when the
// module is fed to the suite by path, each with its own fixture
// (testdata/faults/); the example reference backend, renamed or not, passes.

import assert from "node:assert";
import type { OpName } from "@nonlin/core";
import type { Result } from "./checks.ts";
import { main } from "./main.ts";
import { type Report, runConformance } from "./run.ts";

const dir = "./conformance/testdata/faults";

async function run(fixture: string, ops: OpName[]): Promise<Report> {
  return await runConformance({
    backends: [`${dir}/${fixture}.ts`],
    require: [`${dir}/${fixture}.ts`],
    ops,
    quick: true,
    timeoutMs: 60_000,
  });
}

function failed(report: Report): Result[] {
  return report.results.filter((r) => r.status === "fail");
}

function describe(report: Report): string {
  return JSON.stringify({
    backends: report.backends.map((b) => [b.name, b.status, b.reason]),
    fail: failed(report).map((r) => [r.op, r.check, r.message ?? r.worst]),
  }).slice(0, 2000);
}

/** Asserts the run fails, with a failing result of `check` on `op` matching `message` when given. */
function assertCaught(
  report: Report,
  op: OpName,
  check: string,
  message?: RegExp,
): void {
  assert.strictEqual(report.summary.ok, false, describe(report));
  const hit = failed(report).find((r) =>
    r.op === op && r.check === check &&
    (message === undefined || message.test(r.message ?? ""))
  );
  assert.ok(hit, `no failing ${op} ${check}: ${describe(report)}`);
}

Deno.test("fault fixtures fail the run", async (t) => {
  await t.step("a derivative wrong only past 2¹⁶ elements", async () => {
    const report = await run("large_derivative", ["gelu"]);
    assertCaught(report, "gelu", "shapes");
  });
  await t.step("the array form wrong only past 2¹⁶ elements", async () => {
    const report = await run("large_array_form", ["sigmoid"]);
    assertCaught(report, "sigmoid", "shapes");
  });
  await t.step("a backend that writes into its input", async () => {
    const report = await run("clobbers_input", ["tanh"]);
    assertCaught(report, "tanh", "values", /modified its input x/);
  });
  await t.step("a backend whose dispose() does nothing", async () => {
    const report = await run("ignores_dispose", ["relu"]);
    assertCaught(report, "relu", "values", /dispose\(\) left/);
  });
  await t.step("a backend that mishandles number[] input", async () => {
    const report = await run("number_array", ["relu"]);
    assertCaught(report, "relu", "resident");
  });
  await t.step("relu 4 ULP off: arithmetic-only ops are exact", async () => {
    const report = await run("relu_4ulp", ["relu"]);
    assertCaught(report, "relu", "values");
  });
  await t.step(
    "a backend declaring another backend's precision is still held to float32",
    async () => {
      const report = await run("claims_precision", ["sigmoid"]);
      assert.strictEqual(report.backends[0]!.profile, "float32");
      assertCaught(report, "sigmoid", "values");
    },
  );
  await t.step("prelu's dα 5·10⁻⁵ too large", async () => {
    const report = await run("dalpha", ["prelu"]);
    assertCaught(report, "prelu", "dparams");
  });
  await t.step("prelu's α broadcast only along the last axis", async () => {
    const report = await run("prelu_broadcast", ["prelu"]);
    assertCaught(report, "prelu", "broadcast");
    const patterns = failed(report).filter((r) => r.check === "broadcast")
      .map((r) => String(r.worst?.note));
    assert.ok(patterns.some((n) => /leading|middle/.test(n)), patterns.join());
  });
  await t.step(
    "stray messages from the backend neither shift replies nor hide a wrong op",
    async () => {
      const report = await run("stray_messages", ["relu", "sigmoid"]);
      assert.strictEqual(report.backends[0]!.status, "ran", describe(report));
      assertCaught(report, "relu", "values");
      assert.ok(
        !failed(report).some((r) => r.op === "sigmoid"),
        describe(report),
      );
    },
  );
  await t.step(
    "a backend that ends its thread is reported as such",
    async () => {
      const report = await run("exits_thread", ["relu"]);
      assert.strictEqual(report.summary.ok, false);
      assert.strictEqual(report.backends[0]!.status, "error");
      assert.match(report.backends[0]!.reason ?? "", /Deno\.exit\(0\)/);
    },
  );
  await t.step("a backend whose release() fails", async () => {
    const report = await run("release_fails", ["relu"]);
    assert.strictEqual(report.summary.ok, false);
    assert.strictEqual(report.backends[0]!.status, "error");
    assert.match(
      report.backends[0]!.reason ?? "",
      /release\(\) failed: Error: the device is busy/,
    );
  });
  await t.step(
    "an unavailable backend named with --backend exits 1",
    async () => {
      const status = await main([
        "--backend",
        "./conformance/testdata/unavailable_backend.ts",
        "--op",
        "relu",
        "--quick",
        "--json",
        "out/faults_unavailable.json",
      ], { out: () => {}, err: () => {} });
      assert.strictEqual(status, 1);
    },
  );
});

Deno.test("correct backends named like built-ins pass", async (t) => {
  for (const fixture of ["named_native", "named_tfjs_cpu"]) {
    await t.step(fixture, async () => {
      const report = await run(fixture, ["relu", "gelu", "prelu"]);
      assert.ok(report.summary.ok, describe(report));
      const b = report.backends[0]!;
      assert.strictEqual(b.profile, "float32");
      assert.match(b.name, /\(\.\/conformance\/testdata\/faults\//);
      assert.ok(!report.results.some((r) => r.check === "fusedVjp"));
    });
  }
});
