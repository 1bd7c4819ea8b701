// Prints the worst ULP error per op that the accuracy sweep measures (the
// same sweep mod_test.ts asserts), as a Markdown table:
//   deno run --allow-all adapters/native/accuracy_table.ts

import { opNames } from "@nonlin/core";
import { type CaseResult, paramCases, sweepCase } from "./_accuracy.ts";

const byOp = new Map<string, CaseResult[]>();
for (const c of paramCases()) {
  const r = await sweepCase(c);
  byOp.set(c.op, [...(byOp.get(c.op) ?? []), r]);
}

const worst = (rs: CaseResult[], check: (k: string) => boolean) => {
  let w = -1;
  for (const r of rs) {
    for (const [k, v] of Object.entries(r.worst)) {
      if (check(k)) w = Math.max(w, v.ulp);
    }
  }
  return w < 0 ? "–" : String(w);
};

const lines = [
  "| op | parameter sets | inputs each | values | dx (VJP) | f' | f'' | dparams (per element) | dparam sums (error / tolerance) | pinned misses |",
  "|---|---|---|---|---|---|---|---|---|---|",
];
for (const op of opNames) {
  const rs = byOp.get(op)!;
  const sums = rs.some((r) =>
      Object.keys(r.worst).some((k) => k.startsWith("dparam:"))
    )
    ? Math.max(...rs.map((r) => r.sumRatio)).toFixed(2)
    : "–";
  const misses = rs.reduce(
    (n, r) => n + r.pinnedMisses.length + r.sumMisses.length,
    0,
  );
  lines.push(
    `| ${op} | ${rs.length} | ${rs[0]!.count} | ${
      worst(rs, (k) => k === "values")
    } | ${worst(rs, (k) => k === "dx")} | ${
      worst(rs, (k) => k === "derivative")
    } | ${worst(rs, (k) => k === "d2x")} | ${
      worst(rs, (k) => k.startsWith("dparam:"))
    } | ${sums} | ${misses} |`,
  );
}
// deno-lint-ignore no-console
console.log(lines.join("\n"));
