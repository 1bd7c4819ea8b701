/**
 * The real-GPU check of the tfjs-webgpu adapter: prints the WebGPU adapter
 * (vendor, architecture, device, description, every limit), runs every op
 * and parameter variant of the contract grid (values, VJP, derivative,
 * second derivative, parameter gradients) against the float64 reference,
 * prints the largest ULP distance per op and check, and compares what it
 * finds with the ledger (conformance/ledger.ts) for this device. Then it computes
 * relu on a tensor of the largest size the device binds and checks that one
 * element more is refused. Everything goes to the JSON file named by the
 * first argument.
 *
 * ```sh
 * deno run -A adapters/tfjs_webgpu/gpu_check.ts gpu_check.json [--limit-elements N]
 * ```
 *
 * On a machine without Deno, the network or the repository's node_modules
 * (the GPU machine), carry a bundle and a compressed Deno (about 34 MB
 * together; `.gpu/` listed in `.git/info/exclude`):
 *
 * ```sh
 * deno bundle --platform deno -o .gpu/gpu_check.js adapters/tfjs_webgpu/gpu_check.ts
 * xz -9 -c "$(readlink -f "$(command -v deno)")" > .gpu/deno.xz
 * # there, with the Vulkan loader unpacked as the device README says:
 * xz -dc .gpu/deno.xz > /tmp/deno && chmod +x /tmp/deno &&
 *   /tmp/deno run --no-config -A .gpu/gpu_check.js "$OUT/gpu_check.json"
 * ```
 *
 * @module
 */

import { opNames, ops, ulpDistance } from "@nonlin/core";
import * as webgpu from "@nonlin/tfjs-webgpu";
import { variantsOf } from "../_contract/grid.ts";
import { knownDeviationOf } from "../_contract/known.ts";
import { classify, surveyOp } from "../_contract/survey.ts";

const encoder = new TextEncoder();

/** Writes lines to stdout (or stderr), all of them. */
function print(text: string, stream: "stdout" | "stderr" = "stdout"): void {
  const bytes = encoder.encode(`${text}\n`);
  const out = stream === "stdout" ? Deno.stdout : Deno.stderr;
  for (let done = 0; done < bytes.length;) {
    done += out.writeSync(bytes.subarray(done));
  }
}

const [outPath, ...rest] = Deno.args;
if (outPath === undefined || outPath.startsWith("--")) {
  print("usage: gpu_check.ts OUT.json [--limit-elements N]", "stderr");
  Deno.exit(2);
}
const limitFlag = rest.indexOf("--limit-elements");
const limitElements = limitFlag >= 0 ? Number(rest[limitFlag + 1]) : undefined;

const show = (v: number) => (Object.is(v, -0) ? "-0" : String(v));
const started = performance.now();

async function adapterReport(): Promise<Record<string, unknown>> {
  const gpu = (navigator as Navigator & { gpu?: GPU }).gpu;
  const adapter = await gpu?.requestAdapter({
    powerPreference: "high-performance",
  });
  if (!adapter) return { adapter: null };
  const info = adapter.info as GPUAdapterInfo & Record<string, unknown>;
  const limits: Record<string, number> = {};
  for (const key in adapter.limits) {
    limits[key] = (adapter.limits as unknown as Record<string, number>)[key]!;
  }
  const described: Record<string, unknown> = {};
  for (const key in info) described[key] = info[key];
  return { info: described, limits, features: [...adapter.features].sort() };
}

const report: Record<string, unknown> = {
  deno: Deno.version,
  backend: {
    name: webgpu.backend.name,
    available: webgpu.backend.available,
    reason: webgpu.backend.reason ?? null,
    properties: webgpu.backend.capabilities.properties,
  },
  adapter: await adapterReport(),
};

print(`WebGPU adapter: ${JSON.stringify(report.adapter, null, 2)}`);
print(`tfjs-webgpu: ${JSON.stringify(report.backend, null, 2)}`);

if (!webgpu.backend.available) {
  await Deno.writeTextFile(outPath, JSON.stringify(report, null, 2));
  print(`tfjs-webgpu is not available: ${webgpu.backend.reason}`, "stderr");
  Deno.exit(1);
}

const rows: Record<string, unknown>[] = [];
const deviations: Record<string, unknown>[] = [];

for (const op of opNames) {
  for (const variant of variantsOf(op)) {
    const results = await surveyOp(webgpu, op, variant);
    const row: Record<string, unknown> = { op, params: variant };
    for (const r of results) {
      if (r.unsupported !== undefined) {
        row[r.check] = "unsupported";
        continue;
      }
      const finite = r.points.filter((p) => Number.isFinite(p.ulp));
      const worst = finite.reduce(
        (a, b) => (b.ulp > a.ulp ? b : a),
        finite[0]!,
      );
      row[r.check] = {
        maxUlp: worst.ulp,
        at: show(worst.x),
        got: show(worst.got),
        want: show(worst.want),
      };
      for (const p of r.points) {
        const kind = classify(ops[op].odd, r.check, p.x, p.got, p.want);
        if (!kind) continue;
        const known = knownDeviationOf(
          webgpu.backend,
          op,
          variant,
          r.check,
          p.x,
          kind,
        );
        deviations.push({
          op,
          params: variant,
          check: r.check,
          kind,
          x: show(p.x),
          got: show(p.got),
          want: show(Math.fround(p.want)),
          ulp: ulpDistance(p.got, Math.fround(p.want)),
          known: known?.reason ?? null,
        });
      }
    }
    rows.push(row);
  }
}

print(
  "\nlargest ULP distance from the reference, per op and check (finite results):",
);
const checks = ["values", "vjp", "derivative", "secondDerivative"];
print(["op", "params", ...checks, "dparams"].join("\t"));
for (const row of rows) {
  const cell = (v: unknown) =>
    v === undefined
      ? ""
      : v === "unsupported"
      ? "n/s"
      : String((v as { maxUlp: number }).maxUlp);
  const dparams = Object.keys(row).filter((k) => k.startsWith("dparam:")).map((
    k,
  ) => `${k.slice(7)}=${cell(row[k])}`);
  print(
    [
      row.op,
      JSON.stringify(row.params),
      ...checks.map((c) => cell(row[c])),
      dparams.join(" "),
    ].join("\t"),
  );
}
const unknown = deviations.filter((d) => d.known === null);
print(
  `\n${deviations.length} deviations from the conventions or beyond the loose tolerance;`,
);
print(
  `${unknown.length} of them not in the ledger for this device:`,
);
for (const d of unknown) {
  print(
    `  ${d.op} ${
      JSON.stringify(d.params)
    } ${d.check} at x = ${d.x}: ${d.kind}, got ${d.got}, want ${d.want}`,
  );
}
// The largest tensor the device binds, and one element more.
const max = webgpu.backend.capabilities.properties.maxElements as number;
const size = Math.min(max, limitElements ?? max);
const limit: Record<string, unknown> = { maxElements: max, tested: size };
try {
  const x = new Float32Array(size);
  for (let i = 0; i < size; i += 1021) x[i] = (i % 5) - 2.5;
  const t0 = performance.now();
  const y = await webgpu.relu(x);
  limit.reluMs = Math.round(performance.now() - t0);
  let wrong = 0;
  for (let i = 0; i < size; i += 1021) if (y[i] !== Math.max(x[i]!, 0)) wrong++;
  limit.wrongSampled = wrong;
} catch (error) {
  limit.error = String(error);
}
try {
  webgpu.tensor(new Float32Array(max + 1));
  limit.refusedOneMore = false;
} catch (error) {
  limit.refusedOneMore = error instanceof RangeError
    ? error.message
    : String(error);
}
print(`\nat the binding limit: ${JSON.stringify(limit)}`);

report.grid = rows;
report.deviations = deviations;
report.limit = limit;
report.seconds = Math.round((performance.now() - started) / 1000);
await Deno.writeTextFile(outPath, JSON.stringify(report, null, 2));
print(`\nwrote ${outPath} (${report.seconds} s)`);
