/**
 * Every op, forward and VJP, timed on GPU backends at large sizes within a
 * device call's few minutes: the inputs are uploaded once per backend and
 * size and shared by every op (`deno task bench` uploads, reads back and
 * checks 256–768 MB per cell at 2^26, seconds each on the H200 machine's
 * host), and timed as the bench times resident GPU work (`measureSlope`: the
 * slope over batches of k and 2k calls, so the queue wait's latency
 * cancels), against the same compute-copy floor. Every op is checked
 * against the float64 reference by the bench's own pass at 2^20 in the
 * same device run; here, only the ops in `--check` are read back and
 * checked at each size (by default relu's forward and leakyRelu's VJP, with
 * its dα sum), to catch a dispatch that goes wrong only at large sizes.
 *
 * ```sh
 * deno run -A docs/gpu/device_sweep.ts --jsonl out/bench.jsonl --sizes 2^24,2^26
 * ```
 *
 * Options: `--jsonl FILE` (appended to; required), `--pass NAME`,
 * `--backend LIST` (default native-webgpu,tfjs-webgpu), `--ops LIST`
 * (default every op, most used first), `--modes LIST` (forward,vjp),
 * `--sizes LIST` (required; ascending), `--check LIST` (op:mode pairs;
 * "none" for none). Lines as `device_bench.ts` writes them, so that
 * `device_report.ts` reads both; a cell not read back has no `checks`.
 *
 * @module
 */

import { parseArgs } from "node:util";
import {
  normalSamples,
  type OpName,
  ops as catalog,
  resolveParams,
  type Tensor,
} from "@nonlin/core";
import { loadBackend } from "@nonlin/backends";
import {
  benchParams,
  bytesPerElement,
  type CellResult,
  type CheckSummary,
  type FloorEntry,
  INPUT_SCALE,
  type Mode,
  parseSize,
  toleranceFor,
} from "@nonlin/bench";
import { type Output, tensorsOf } from "../../packages/bench/_output.ts";
import { completionFor } from "../../packages/bench/_completion.ts";
import { gpuFloors } from "../../packages/bench/_floor.ts";
import {
  compareArrays,
  compareSum,
  missingGradient,
} from "../../packages/bench/_check.ts";
import { Reference } from "../../packages/bench/_reference.ts";
import {
  measureSlope,
  type TimingPlan,
  waitLatency,
} from "../../packages/bench/_timing.ts";
import { jsonlLog, opOrder } from "./device_bench.ts";

/** The bench's defaults (`runBench`), so that both time alike. */
const PLAN: TimingPlan = {
  targetMs: 50,
  minReps: 5,
  maxReps: 30,
  minSampleMs: 1,
  callBudgetMs: 300,
  latencyFactor: 2,
};
const SEED = 5;
const SUM_RTOL = 1e-3;

interface Loose {
  tensor(data: Float32Array): Tensor;
  vjp(op: string, x: Tensor, options: unknown): Output;
  [op: string]: unknown;
}

function messageOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split(
    "\n",
  )[0]!;
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      jsonl: { type: "string" },
      pass: { type: "string", default: "sweep" },
      backend: { type: "string", default: "native-webgpu,tfjs-webgpu" },
      ops: { type: "string" },
      modes: { type: "string", default: "forward,vjp" },
      sizes: { type: "string" },
      check: { type: "string", default: "relu:forward,leakyRelu:vjp" },
    },
  });
  const { sizes: sizeList, append } = jsonlLog("device_sweep", values);
  const pass = values.pass;
  const say = (text: string) =>
    Deno.stdout.writeSync(new TextEncoder().encode(text + "\n"));
  const list = (s: string) =>
    s.split(",").map((v) => v.trim()).filter((v) => v !== "");
  const opNames = values.ops === undefined ? opOrder() : list(values.ops);
  const modes = list(values.modes) as Mode[];
  const sizes = list(sizeList).map(parseSize).sort((a, b) => a - b);
  const checked = new Set(values.check === "none" ? [] : list(values.check));
  const t0 = performance.now();
  const clock = () => ((performance.now() - t0) / 1000).toFixed(0);
  append({
    kind: "start",
    at: new Date().toISOString(),
    sizes,
    ops: opNames,
    modes,
    backends: list(values.backend),
    method:
      "inputs uploaded once per backend and size; resident calls timed by the slope over batches of k and 2k (as the bench); read back and checked only for --check",
    checked: [...checked],
  });

  const maxSize = sizes[sizes.length - 1]!;
  const x = normalSamples(maxSize, SEED, INPUT_SCALE);
  const dy = normalSamples(maxSize, SEED + 1, 1);

  const backends: {
    name: string;
    m: Loose;
    wait: () => Promise<void>;
    unsupported: readonly { op: string; feature: string; reason: string }[];
  }[] = [];
  for (const spec of list(values.backend)) {
    try {
      const module = await loadBackend(spec);
      const info = module.backend;
      const completion = await completionFor(module);
      const entry = {
        name: info.name,
        spec,
        status: info.available && completion.method === "gpu-queue"
          ? "ran"
          : "skipped",
        ...(info.available
          ? completion.method === "gpu-queue" ? {} : {
            reason: `completion is "${completion.method}", not a GPU queue`,
          }
          : { reason: info.reason ?? "not available" }),
        device: "gpu",
        completion: {
          method: completion.method,
          description: completion.description,
        },
        tolerance: toleranceFor(info.name),
        properties: { ...(info.capabilities?.properties ?? {}) },
      };
      append({ kind: "backend", entry });
      say(`backend ${info.name}: ${entry.status}`);
      if (entry.status === "ran") {
        backends.push({
          name: info.name,
          m: module as unknown as Loose,
          wait: () => completion.wait([]),
          unsupported: info.capabilities?.unsupported ?? [],
        });
      }
    } catch (error) {
      append({
        kind: "backend",
        entry: { name: spec, spec, status: "error", reason: messageOf(error) },
      });
      say(`backend ${spec}: error: ${messageOf(error)}`);
    }
  }

  // The floors: the compute-shader copy (ratios are taken against it) and
  // copyBufferToBuffer as a second reference, as the bench measures them.
  const floors: FloorEntry[] = [];
  const bpes = [...new Set(modes.map(bytesPerElement))];
  const gpu = await gpuFloors(Math.max(...bpes) * maxSize);
  if (!("reason" in gpu)) {
    for (const f of gpu) {
      for (const bpe of bpes) {
        if (f.bytesPerElement !== undefined && f.bytesPerElement !== bpe) {
          continue;
        }
        for (const size of sizes) {
          const m = await measureSlope(f.sampler(bpe * size), {
            ...PLAN,
            callBudgetMs: Infinity,
          });
          if (!m.ok) continue;
          const entry: FloorEntry = {
            device: "gpu",
            method: f.method,
            ...(f.reference ? { reference: true } : {}),
            bytesPerElement: bpe,
            size,
            status: "ok",
            ...m.timing,
            gbPerS: (bpe * size) / (m.timing.medianMs * 1e6),
            melemPerS: size / (m.timing.medianMs * 1e3),
          };
          floors.push(entry);
          append({ kind: "floor", entry });
        }
      }
      f.close();
    }
  } else {
    say(`no GPU floor: ${gpu.reason}`);
  }
  const floorOf = (bpe: number, size: number) =>
    floors.find((f) =>
      f.bytesPerElement === bpe && f.size === size && !f.reference
    );

  let failed = 0;
  for (const size of sizes) {
    const xs = x.subarray(0, size);
    const dys = dy.subarray(0, size);
    const resident = backends.map((b) => ({
      ...b,
      xT: b.m.tensor(xs),
      dyT: b.m.tensor(dys),
      latency: undefined as number | undefined,
    }));
    say(`[${clock()} s] ${size} elements uploaded`);
    for (const op of opNames as OpName[]) {
      const params = benchParams(op);
      const resolved = resolveParams(op, params) as Record<
        string,
        number | string
      >;
      for (const mode of modes) {
        const reference = checked.has(`${op}:${mode}`)
          ? new Reference(op, mode, resolved as never, x, dy)
          : undefined;
        const group: CellResult[] = [];
        for (const b of resident) {
          const base = { backend: b.name, op, mode, size, params: resolved };
          const started = performance.now();
          // As the bench: a mode, or a parameter gradient, the backend
          // declares unsupported is reported, not run.
          const features = new Set<string>([
            mode,
            ...(mode === "vjp"
              ? Object.keys(catalog[op].dfdp).map((k) => `dparam:${k}`)
              : []),
          ]);
          const unsupported = b.unsupported.find((u) =>
            u.op === op && features.has(u.feature)
          );
          if (unsupported !== undefined) {
            group.push({
              ...base,
              status: "unsupported",
              reason:
                `${unsupported.feature} not supported: ${unsupported.reason}`,
            });
            continue;
          }
          const call = (): Output =>
            mode === "forward"
              ? (b.m[op] as (x: Tensor, p: unknown) => Tensor)(b.xT, params)
              : b.m.vjp(op, b.xT, { dy: b.dyT, params });
          try {
            const checks: Record<string, CheckSummary> = {};
            // The first call compiles; when checked, it is read back.
            const first = call();
            if (reference !== undefined) {
              const want = reference.values(size);
              if ("dx" in first) {
                checks["resident dx"] = compareArrays(
                  await first.dx.read(),
                  want,
                  toleranceFor(b.name),
                  xs,
                  dys,
                );
                const sums = reference.sums(size);
                for (const name of reference.learned) {
                  const t = first.dparams[name];
                  checks[`resident d${name}`] = t === undefined
                    ? missingGradient(name)
                    : compareSum(
                      await t.read(),
                      sums[name]!.sum,
                      sums[name]!.absSum,
                      SUM_RTOL,
                    );
                }
              } else {
                checks.resident = compareArrays(
                  await first.read(),
                  want,
                  toleranceFor(b.name),
                  xs,
                );
              }
            } else {
              await b.wait();
            }
            for (const t of tensorsOf(first)) t.dispose();
            const bad = Object.entries(checks).find(([, s]) => !s.ok);
            if (bad !== undefined) {
              failed++;
              group.push({
                ...base,
                status: "fail",
                reason: `wrong output (${bad[0]}), not timed: ${
                  bad[1].message
                }`,
                checks,
                wallMs: Math.round(performance.now() - started),
              });
              continue;
            }
            const sampler = async (batch: number) => {
              const s = performance.now();
              for (let i = 0; i < batch; i++) {
                for (const t of tensorsOf(call())) t.dispose();
              }
              await b.wait();
              return performance.now() - s;
            };
            b.latency ??= await waitLatency(sampler);
            const m = await measureSlope(sampler, PLAN, b.latency);
            const floor = floorOf(bytesPerElement(mode), size);
            group.push(
              m.ok
                ? {
                  ...base,
                  status: "ok",
                  ...(reference === undefined ? {} : { checks }),
                  resident: {
                    status: "ok",
                    ...m.timing,
                    melemPerS: size / (m.timing.medianMs * 1e3),
                    gbPerS: (bytesPerElement(mode) * size) /
                      (m.timing.medianMs * 1e6),
                    ...(floor?.medianMs === undefined
                      ? {}
                      : { ratioToFloor: m.timing.medianMs / floor.medianMs }),
                  },
                  wallMs: Math.round(performance.now() - started),
                }
                : {
                  ...base,
                  status: "skipped",
                  reason: `one call took ${
                    m.oneCallMs.toFixed(1)
                  } ms, over the per-call budget of ${PLAN.callBudgetMs} ms`,
                  wallMs: Math.round(performance.now() - started),
                },
            );
          } catch (error) {
            failed++;
            group.push({
              ...base,
              status: "error",
              reason: messageOf(error),
              wallMs: Math.round(performance.now() - started),
            });
          }
        }
        append({ kind: "group", results: group });
        say(
          `[${clock()} s] ${
            group.map((r) =>
              `${r.backend} ${op} ${mode} ${size}: ${
                r.resident?.status === "ok"
                  ? `${r.resident.medianMs.toPrecision(3)} ms${
                    r.resident.ratioToFloor === undefined
                      ? ""
                      : ` (${r.resident.ratioToFloor.toFixed(2)}× floor)`
                  }${r.checks ? ", checked" : ""}`
                  : `${r.status}: ${r.reason}`
              }`
            ).join("; ")
          }`,
        );
      }
    }
    for (const b of resident) {
      b.xT.dispose();
      b.dyT.dispose();
    }
  }
  const durationS = Math.round((performance.now() - t0) / 100) / 10;
  append({ kind: "end", durationS });
  say(`${pass}: done in ${durationS} s, ${failed} failed or errored`);
  Deno.exitCode = failed > 0 ? 1 : 0;
}
