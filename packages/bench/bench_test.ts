import assert from "node:assert";
import { benchParams, runBench, toleranceFor } from "./bench.ts";
import type { BenchOptions } from "./bench.ts";

const fixture =
  new URL("./testdata/reference_backend.ts", import.meta.url).href;
const wrong = new URL("./testdata/wrong_backend.ts", import.meta.url).href;
const small: BenchOptions = {
  backends: [fixture],
  sizes: [100, 1000],
  targetMs: 2,
  minReps: 3,
  maxReps: 5,
  minSampleMs: 0.2,
  gpuFacts: false,
};

/**
 * Runs `body` with variants of the reference fixture written to a
 * temporary folder (file name → the module's own lines, after it re-exports
 * the fixture and imports it as `f`), given their paths and the folder.
 */
async function withVariants(
  variants: Record<string, string>,
  body: (paths: Record<string, string>, dir: string) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir();
  try {
    const paths: Record<string, string> = {};
    for (const [name, lines] of Object.entries(variants)) {
      paths[name] = `${dir}/${name}`;
      await Deno.writeTextFile(
        paths[name],
        `export * from ${JSON.stringify(fixture)};
import * as f from ${JSON.stringify(fixture)};
${lines}`,
      );
    }
    await body(paths, dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("runBench()", async (t) => {
  await t.step(
    "a third-party backend by path: checked, timed, held to the floor",
    async () => {
      const report = await runBench({
        ...small,
        ops: ["relu", "prelu", "swish"],
      });
      assert.strictEqual(report.format, "nonlin-bench/1");
      assert.deepStrictEqual(report.backends.map((b) => [b.name, b.status]), [
        ["example-reference", "ran"],
      ]);
      assert.strictEqual(report.backends[0]!.completion?.method, "read");
      assert.strictEqual(report.results.length, 3 * 3 * 2);
      for (const r of report.results) {
        assert.strictEqual(
          r.status,
          "ok",
          `${r.op} ${r.mode} ${r.size}: ${r.reason}`,
        );
        for (const kind of ["resident", "roundTrip", "roundTripOut"] as const) {
          const m = r[kind];
          assert.ok(m?.status === "ok");
          assert.ok(m.minMs <= m.medianMs && m.medianMs <= m.maxMs);
          assert.ok(m.reps >= 3);
          assert.ok(m.ratioToFloor! > 0);
          assert.strictEqual(
            m.ratioToNative,
            undefined,
            "no native in this run",
          );
          const bytes = r.mode === "vjp" ? 12 : 8;
          assert.ok(
            Math.abs(m.gbPerS - (bytes * r.size) / (m.medianMs * 1e6)) < 1e-9,
          );
        }
        assert.ok(Object.values(r.checks!).every((c) => c.ok));
      }
      const prelu = report.results.find((r) =>
        r.op === "prelu" && r.mode === "vjp"
      )!;
      assert.deepStrictEqual(prelu.params, { alpha: 0.25 });
      assert.deepStrictEqual(Object.keys(prelu.checks!).sort(), [
        "resident dalpha",
        "resident dx",
        "roundTrip dalpha",
        "roundTrip dx",
        "roundTripOut dalpha",
        "roundTripOut dx",
      ]);
      const floors = report.floors.filter((f) =>
        f.device === "cpu" && !f.reference
      );
      assert.deepStrictEqual(
        floors.map((f) => [f.bytesPerElement, f.size, f.status]),
        [[8, 100, "ok"], [8, 1000, "ok"], [12, 100, "ok"], [12, 1000, "ok"]],
      );
      // Beside it, what a fresh output array costs (the host form without
      // out), once per size: a VJP's dx is the same array.
      const fresh = report.floors.filter((f) => f.reference);
      assert.deepStrictEqual(
        fresh.map((f) => [f.device, f.bytesPerElement, f.size, f.status]),
        [["cpu", 8, 100, "ok"], ["cpu", 8, 1000, "ok"]],
      );
      assert.match(fresh[0]!.method, /fresh output array/);
    },
  );

  await t.step("a fast wrong kernel fails and is not timed", async () => {
    const report = await runBench({
      ...small,
      backends: [fixture, wrong],
      ops: ["relu"],
      modes: ["forward"],
    });
    const bad = report.results.filter((r) => r.backend === "wrong-fixture");
    assert.strictEqual(bad.length, 2);
    for (const r of bad) {
      assert.strictEqual(r.status, "fail");
      assert.match(
        r.reason!,
        /wrong output \(resident\), not timed: \d+ of \d+ elements out of tolerance/,
      );
      assert.strictEqual(r.resident, undefined);
      assert.strictEqual(r.roundTrip, undefined);
    }
  });

  await t.step("ratios to native when native runs", async () => {
    const report = await runBench({
      ...small,
      backends: ["native", fixture],
      ops: ["relu"],
      modes: ["forward"],
      sizes: [1000],
    });
    const [native, other] = report.results;
    assert.ok(
      native?.resident?.status === "ok" && other?.resident?.status === "ok",
    );
    assert.strictEqual(native.resident.ratioToNative, 1);
    assert.ok(
      Math.abs(
        other.resident.ratioToNative! -
          other.resident.medianMs / native.resident.medianMs,
      ) <
        1e-12,
    );
  });

  await t.step(
    "a VJP that returns no parameter gradient fails and is not timed",
    async () => {
      // prelu's VJP with dx right and dparams left out.
      const noGrad =
        `export const backend = { ...f.backend, name: "no-dalpha-fixture" };
export function vjp(op, x, options) {
  const r = f.vjp(op, x, options);
  const strip = (g) => ({ dx: g.dx });
  return r instanceof Promise ? r.then(strip) : strip(r);
}`;
      await withVariants({ "no_dalpha.ts": noGrad }, async (paths) => {
        const report = await runBench({
          ...small,
          backends: [paths["no_dalpha.ts"]!],
          ops: ["prelu"],
          modes: ["vjp"],
          sizes: [100],
        });
        const [r] = report.results;
        assert.strictEqual(r!.status, "fail", r!.reason);
        assert.strictEqual(
          r!.reason,
          "wrong output (resident dalpha), not timed: the VJP returned no gradient for alpha",
        );
        assert.ok(r!.checks!["resident dx"]!.ok, "dx itself is right");
        assert.strictEqual(r!.resident, undefined);
      });
    },
  );

  await t.step(
    "over the per-call budget: skipped with the reason, larger sizes too",
    async () => {
      const report = await runBench({
        ...small,
        ops: ["relu"],
        modes: ["forward"],
        sizes: [100, 1000, 10000],
        callBudgetMs: 1e-9,
      });
      const [a, b, c] = report.results;
      assert.strictEqual(a!.status, "skipped");
      assert.match(a!.reason!, /one call took .* ms, over the per-call budget/);
      assert.ok(a!.checks!.resident!.ok, "checked before the timing was tried");
      for (const r of [b!, c!]) {
        assert.strictEqual(r.status, "skipped");
        assert.match(
          r.reason!,
          /one call already took .* ms at 1e2 elements, over the per-call budget/,
        );
      }
    },
  );

  await t.step(
    "unavailable, unloadable and unsupporting backends are reported",
    async () => {
      const variants = {
        "unavailable.ts":
          `export const backend = { ...f.backend, name: "unavailable-fixture", available: false, reason: "no device" };`,
        "partial.ts":
          `export const backend = { ...f.backend, name: "partial-fixture", capabilities: { ...f.backend.capabilities,
  unsupported: [{ op: "prelu", feature: "dparam:alpha", reason: "alpha taken as a number only" }] } };`,
      };
      await withVariants(variants, async (paths, dir) => {
        const report = await runBench({
          ...small,
          backends: [
            paths["unavailable.ts"]!,
            `${dir}/missing.ts`,
            paths["partial.ts"]!,
          ],
          ops: ["prelu"],
          sizes: [100],
        });
        const [u, m, p] = report.backends;
        assert.deepStrictEqual([u!.status, u!.reason], [
          "skipped",
          "no device",
        ]);
        assert.strictEqual(m!.status, "error");
        assert.match(m!.reason!, /missing\.ts/);
        assert.strictEqual(p!.status, "ran");
        const vjp = report.results.find((r) => r.mode === "vjp")!;
        assert.strictEqual(vjp.status, "unsupported");
        assert.match(
          vjp.reason!,
          /dparam:alpha not supported: alpha taken as a number only/,
        );
        assert.strictEqual(
          report.results.find((r) => r.mode === "forward")!.status,
          "ok",
        );
      });
    },
  );

  await t.step("bad options", async () => {
    await assert.rejects(runBench({ ...small, ops: ["gelux"] }), RangeError);
    await assert.rejects(
      runBench({ ...small, modes: ["backward" as never] }),
      /Unknown mode "backward"/,
    );
    await assert.rejects(
      runBench({ ...small, sizes: [0] }),
      /Sizes must be positive integers: got 0/,
    );
    await assert.rejects(runBench({ ...small, sizes: [1.5] }), RangeError);
    await assert.rejects(
      runBench({ ...small, sizes: [] }),
      /sizes must not be empty/,
    );
    await assert.rejects(
      runBench({ ...small, targetMs: NaN }),
      /targetMs must be a positive number/,
    );
    await assert.rejects(
      runBench({ ...small, ops: "relu" as never }),
      TypeError,
    );
  });
});

Deno.test("benchParams()", async (t) => {
  await t.step("defaults, and 0.25 where the catalog has none", () => {
    assert.deepStrictEqual(benchParams("prelu"), { alpha: 0.25 });
    assert.deepStrictEqual(benchParams("softplus"), {});
    assert.throws(() => benchParams("nope"), RangeError);
  });
});

Deno.test("toleranceFor()", async (t) => {
  await t.step("native is held tighter than tfjs and unknown backends", () => {
    assert.deepStrictEqual(
      toleranceFor("tfjs-cpu"),
      toleranceFor("someone-else"),
    );
    assert.ok(toleranceFor("native").atol < toleranceFor("tfjs-webgpu").atol);
  });
});
