import assert from "node:assert";
import { peersTable, peerTargets, peerTargetsTable } from "./peer_targets.ts";
import type { BenchReport, CellResult, FloorEntry } from "./types.ts";

const N = 1000;

function t(medianMs: number, minMs = medianMs) {
  return {
    status: "ok" as const,
    medianMs,
    minMs,
    maxMs: medianMs,
    reps: 3,
    batch: 1,
    samplesMs: [medianMs],
    melemPerS: 1,
    gbPerS: 1,
  };
}

function cell(
  backend: string,
  op: string,
  mode: "forward" | "vjp",
  ms: { resident?: number; roundTrip?: number; roundTripOut?: number },
): CellResult {
  return {
    backend,
    op,
    mode,
    size: N,
    params: {},
    status: "ok",
    ...(ms.resident === undefined ? {} : { resident: t(ms.resident) }),
    ...(ms.roundTrip === undefined ? {} : { roundTrip: t(ms.roundTrip) }),
    ...(ms.roundTripOut === undefined
      ? {}
      : { roundTripOut: t(ms.roundTripOut, ms.roundTripOut / 2) }),
  } as CellResult;
}

const floor = (bytesPerElement: 8 | 12, ms: number): FloorEntry => ({
  device: "cpu",
  method: "copy",
  bytesPerElement,
  size: N,
  status: "ok",
  medianMs: ms,
  minMs: ms,
});

function report(results: CellResult[]): BenchReport {
  return {
    format: "nonlin-bench/1",
    startedAt: "",
    durationS: 0,
    config: { ops: ["relu", "sigmoid"] },
    machine: {},
    backends: ["native", "jax-js", "ort-wasm", "tfjs-wasm"].map((name) => ({
      name,
      status: "ran",
    })),
    floors: [
      floor(8, 0.1),
      floor(12, 0.2),
      { ...floor(8, 50), reference: true }, // the fresh array: never a floor
    ],
    results,
  } as unknown as BenchReport;
}

Deno.test("peerTargets()", async (t) => {
  const r = report([
    // relu: out within resident + 2 copies forward (1 + 0.2), not VJP.
    cell("native", "relu", "forward", {
      resident: 1,
      roundTrip: 2,
      roundTripOut: 1.2,
    }),
    cell("native", "relu", "vjp", {
      resident: 1,
      roundTrip: 2,
      roundTripOut: 2,
    }),
    cell("native", "sigmoid", "forward", {
      resident: 3,
      roundTrip: 4,
      roundTripOut: 3.1,
    }),
    cell("native", "sigmoid", "vjp", {
      resident: 2,
      roundTrip: 5,
      roundTripOut: 2.3,
    }),
    cell("jax-js", "relu", "forward", { resident: 0.5, roundTrip: 4 }),
    cell("ort-wasm", "relu", "forward", { resident: 2, roundTrip: 3.9 }),
    cell("jax-js", "sigmoid", "forward", { resident: 9, roundTrip: 9 }),
    cell("jax-js", "relu", "vjp", { resident: 9, roundTrip: 4 }),
    cell("jax-js", "sigmoid", "vjp", { resident: 9, roundTrip: 9 }),
    cell("tfjs-wasm", "sigmoid", "vjp", { resident: 3 }),
  ]);
  const counts = peerTargets(r);
  const by = (s: string) => counts.find((c) => c.target.startsWith(s))!;

  await t.step("host into out, against resident + two copies", () => {
    const c = by("host into out");
    assert.strictEqual(c.cells, 4);
    assert.strictEqual(c.metByMedian, 3);
    assert.deepStrictEqual(c.missesByMedian, ["relu vjp"]);
    // By fastest samples (out's are half its median here) all four meet it.
    assert.strictEqual(c.metByFastest, 4);
  });
  await t.step("forward against the fastest peer, VJP against jax-js", () => {
    // relu: fastest peer 3.9 < 2 × 2; sigmoid: 9 ≥ 2 × 4.
    assert.deepStrictEqual(by("forward").missesByMedian, ["relu"]);
    assert.strictEqual(by("forward").metByMedian, 1);
    // relu: 4 ≥ 2 × 2; sigmoid: 9 < 2 × 5.
    assert.deepStrictEqual(by("VJP").missesByMedian, ["sigmoid"]);
  });
  await t.step("resident, and sigmoid's VJP against tfjs-wasm", () => {
    // relu forward: jax-js 0.5 is faster than native's 1.
    assert.deepStrictEqual(by("resident").missesByMedian, ["relu forward"]);
    assert.strictEqual(by("resident").cells, 4);
    // 2 > 0.5 × 3.
    assert.strictEqual(by("sigmoid").metByMedian, 0);
    assert.strictEqual(by("sigmoid").cells, 1);
  });
  await t.step("the README's peers table", () => {
    const table = peersTable(r).split("\n");
    assert.strictEqual(table.length, 4);
    // relu: native 2, into out 1.2, ort-wasm 3.9, no ort-wasm-mt, jax-js 4;
    // VJP native 2, jax-js 4.
    assert.strictEqual(
      table[2],
      "| relu | 2.00 | 1.20 | 3.90 | – | 4.00 | 1.95× | 2.00 | 4.00 | 2.00× |",
    );
  });
  await t.step("the table", () => {
    assert.match(
      peerTargetsTable(counts),
      /\| host into out ≤ resident \+ 2 copies \| 3\/4 \| 4\/4 \| relu vjp \|/,
    );
  });
});
