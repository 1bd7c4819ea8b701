/**
 * Per-op micro-benchmarks for `deno bench`: one group per op and mode, one
 * bench per backend, native the baseline. Each kernel's output is checked
 * against the reference first; a wrong one is registered as a bench that
 * throws, so it shows as failed instead of fast.
 *
 * ```sh
 * deno bench --allow-all packages/bench/ops_bench.ts
 * NONLIN_BENCH_SIZE=1000000 NONLIN_BENCH_BACKENDS=native,tfjs-wasm \
 *   deno bench --allow-all packages/bench/ops_bench.ts --filter gelu
 * ```
 *
 * Resident tensors, one call per iteration, timed until complete. On
 * tfjs-webgpu each iteration includes one wait for the GPU queue, whose own
 * latency under Deno is ~11 ms; `deno task bench` removes it with its slope
 * method.
 *
 * @module
 */

import {
  normalSamples,
  type OpName,
  opNames,
  resolveParams,
  type Tensor,
} from "@nonlin/core";
import { backendNames, loadBackend } from "@nonlin/backends";
import { compareArrays, compareSum } from "./_check.ts";
import { completionFor } from "./_completion.ts";
import { Reference } from "./_reference.ts";
import { benchParams, INPUT_SCALE, toleranceFor } from "./bench.ts";
import type { Mode } from "./types.ts";

const size = Number(Deno.env.get("NONLIN_BENCH_SIZE") ?? 1e5);
if (!Number.isSafeInteger(size) || size < 1) {
  throw new RangeError(
    `NONLIN_BENCH_SIZE must be a positive integer: got ${size}`,
  );
}
const wanted =
  Deno.env.get("NONLIN_BENCH_BACKENDS")?.split(",").map((s) => s.trim()) ??
    backendNames;
const modes: readonly Mode[] = ["forward", "vjp", "derivative"];

const x = normalSamples(size, 5, INPUT_SCALE);
const dy = normalSamples(size, 6, 1);

type Output = Tensor | { dx: Tensor; dparams: Record<string, Tensor> };
const tensors = (o: Output): Tensor[] =>
  "read" in o ? [o as Tensor] : [o.dx, ...Object.values(o.dparams)];

for (const name of wanted) {
  const module = await loadBackend(name);
  if (!module.backend.available) {
    Deno.bench({
      name: `${name} (not available: ${module.backend.reason})`,
      ignore: true,
      fn() {},
    });
    continue;
  }
  const completion = await completionFor(module);
  const tolerance = toleranceFor(module.backend.name);
  const m = module as unknown as Record<
    string,
    (...args: unknown[]) => unknown
  >;
  const xT = module.tensor(x);
  const dyT = module.tensor(dy);
  for (const op of opNames) {
    const params = benchParams(op);
    const resolved = resolveParams(op, params) as Record<
      string,
      number | string
    >;
    for (const mode of modes) {
      const call = (): Output =>
        (mode === "forward"
          ? m[op]!(xT, params)
          : mode === "derivative"
          ? m.derivative!(op, xT, params)
          : m.vjp!(op, xT, { dy: dyT, params })) as Output;
      const problem = await check(
        op as OpName,
        mode,
        resolved,
        call,
        tolerance,
      );
      Deno.bench({
        name: module.backend.name,
        group: `${op} ${mode} ${size}`,
        baseline: module.backend.name === "native",
        async fn(b) {
          if (problem !== undefined) throw new Error(problem);
          b.start();
          const out = call();
          await completion.wait(
            completion.method === "read" ? tensors(out) : [],
          );
          b.end();
          for (const t of tensors(out)) t.dispose();
        },
      });
    }
  }
}

/** The reason the kernel is wrong, or undefined when it is right. */
async function check(
  op: OpName,
  mode: Mode,
  params: Record<string, number | string>,
  call: () => Output,
  tolerance: { rtol: number; atol: number },
): Promise<string | undefined> {
  try {
    const reference = new Reference(op, mode, params, x, dy);
    const out = call();
    const ts = tensors(out);
    const got = await ts[0]!.read();
    const summary = compareArrays(
      got,
      reference.values(size),
      tolerance,
      x,
      mode === "vjp" ? dy : undefined,
    );
    if (!summary.ok) return `wrong output: ${summary.message}`;
    if (!("read" in out)) {
      const sums = reference.sums(size);
      for (const [name, t] of Object.entries(out.dparams)) {
        const s = compareSum(
          await t.read(),
          sums[name]!.sum,
          sums[name]!.absSum,
          1e-3,
        );
        if (!s.ok) return `wrong gradient of ${name}: ${s.message}`;
      }
    }
    for (const t of ts) t.dispose();
    return undefined;
  } catch (error) {
    return error instanceof Error
      ? `${error.name}: ${error.message}`
      : String(error);
  }
}
