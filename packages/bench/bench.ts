/**
 * The cross-backend benchmark: every backend × op × mode × size, checked
 * against the float64 reference before it is timed, timed resident and round
 * trip, and held against the physical floor measured in the same run.
 *
 * @module
 */

import {
  type BackendModule,
  getOp,
  normalSamples,
  NotSupportedError,
  type OpName,
  opNames,
  ops,
  resolveParams,
  type Tensor,
} from "@nonlin/core";
import {
  backendNames,
  backendVariantNames,
  loadBackend,
  peerBackendNames,
} from "@nonlin/backends";
import {
  type CheckSummary,
  compareArrays,
  compareSum,
  missingGradient,
  type Tolerance,
} from "./_check.ts";
import { type Completer, completionFor } from "./_completion.ts";
import {
  disposeOutput,
  isTensorLike,
  type Output,
  tensorsOf,
} from "./_output.ts";
import {
  cpuFloor,
  cpuFreshOutput,
  type FloorDevice,
  gpuFloors,
  settleAllocator,
} from "./_floor.ts";
import { Reference } from "./_reference.ts";
import {
  measure,
  measureSlope,
  type TimingPlan,
  waitLatency,
} from "./_timing.ts";
import { formatSize } from "./_format.ts";
import { machineFacts } from "./machine.ts";
import {
  type BackendEntry,
  type BenchConfig,
  type BenchReport,
  bytesPerElement,
  type CellResult,
  type Device,
  type FloorEntry,
  type Measurement,
  type Mode,
  modes as allModes,
  type TimingKind,
  timingKinds,
} from "./types.ts";

/** The input distribution: x = 4·N(0, 1), dy = N(0, 1), float32. */
export const INPUT_SCALE = 4;

/** The sizes of a full run. */
export const defaultSizes: readonly number[] = Object.freeze([
  1e3,
  1e4,
  1e5,
  1e6,
  1e7,
]);

/**
 * Each backend's check tolerance, |got − want| ≤ atol + rtol·|want|, against
 * the reference rounded to float32. Native promises 1–2 ULP, so it is held
 * tight. tfjs's kernels use approximations (erf by Abramowitz–Stegun 7.1.26,
 * exp(x) − 1 for expm1, GPU exp and tanh, autodiff compositions for
 * gradients) that stay within 1e-4 relative for outputs of order one, with
 * the absolute part covering the tiny outputs where they lose relative
 * digits. A wrong kernel (tfjs's leakyRelu default α = 0.2 instead of 0.01,
 * the tanh GELU for the exact one, a missing clamp) is off by more than that.
 */
export const tolerances: Readonly<Record<string, Tolerance>> = Object.freeze({
  native: { rtol: 1e-5, atol: 1e-6 },
  default: { rtol: 1e-4, atol: 1e-5 },
});

/**
 * The tolerance the check uses for a backend.
 *
 * @param backend The backend's name.
 * @returns Its tolerance, or the default one.
 *
 * @example
 * ```ts
 * import { toleranceFor } from "@nonlin/bench";
 * import assert from "node:assert";
 *
 * assert.ok(toleranceFor("native").rtol < toleranceFor("tfjs-wasm").rtol);
 * ```
 */
export function toleranceFor(backend: string): Tolerance {
  return tolerances[backend] ?? tolerances.default!;
}

/** What happens during a run, for a progress display. */
export type BenchEvent =
  | { readonly kind: "backend"; readonly entry: BackendEntry }
  | { readonly kind: "floor"; readonly entry: FloorEntry }
  | {
    readonly kind: "cell";
    readonly index: number;
    readonly total: number;
    readonly backend: string;
    readonly op: string;
    readonly mode: Mode;
    readonly size: number;
  }
  | { readonly kind: "group"; readonly results: readonly CellResult[] };

/** Options of {@linkcode runBench}. */
export interface BenchOptions {
  /**
   * Backend names or module paths.
   * @default every built-in backend (`backendNames`)
   */
  readonly backends?: readonly string[];
  /**
   * The ops.
   * @default every catalog op
   */
  readonly ops?: readonly string[];
  /**
   * The modes.
   * @default ["forward", "vjp", "derivative"]
   */
  readonly modes?: readonly Mode[];
  /**
   * Element counts.
   * @default [1e3, 1e4, 1e5, 1e6, 1e7]
   */
  readonly sizes?: readonly number[];
  /**
   * The timings.
   * @default ["resident", "roundTrip", "roundTripOut"]
   */
  readonly timings?: readonly TimingKind[];
  /**
   * The inputs' seed.
   * @default 5
   */
  readonly seed?: number;
  /**
   * Time measured per timing of a cell, ms.
   * @default 50
   */
  readonly targetMs?: number;
  /**
   * Fewest samples per timing.
   * @default 5
   */
  readonly minReps?: number;
  /**
   * Most samples per timing.
   * @default 30
   */
  readonly maxReps?: number;
  /**
   * Calls are batched until a sample lasts this long, ms.
   * @default 1
   */
  readonly minSampleMs?: number;
  /**
   * A timing whose one call is estimated (along the line through the two
   * previous sizes) or measured above this is skipped and reported with
   * the reason, ms.
   * @default 300
   */
  readonly callBudgetMs?: number;
  /**
   * For a GPU queue, a sample lasts at least this many times the completion
   * wait's own latency (see the README's method).
   * @default 2
   */
  readonly latencyFactor?: number;
  /**
   * Overrides every backend's check tolerance.
   * @default toleranceFor(backend)
   */
  readonly tolerance?: Tolerance;
  /**
   * A parameter gradient (a sum) may be off by this times Σ|terms|.
   * @default 1e-3
   */
  readonly sumRtol?: number;
  /**
   * Whether to gather the machine's GPU adapter facts.
   * @default true
   */
  readonly gpuFacts?: boolean;
  /** The command line, recorded in the report. */
  readonly command?: string;
  /** Called as the run progresses. */
  readonly onEvent?: (event: BenchEvent) => void;
}

interface Loaded {
  readonly entry: BackendEntry;
  readonly module: BackendModule;
  readonly completion: Completer;
}

type HostOutput = Float32Array | {
  readonly dx: Float32Array;
  readonly dparams: Readonly<Record<string, Float32Array>>;
};

interface Loose {
  tensor(data: Float32Array): Tensor;
  vjp(op: string, x: unknown, options: unknown): unknown;
  derivative(op: string, x: unknown, params: unknown): unknown;
}

const NO_TENSORS: readonly Tensor[] = Object.freeze([]);

/**
 * Runs the benchmark.
 *
 * @param options What to run; every field has a default.
 * @returns The report.
 * @throws {TypeError} For options of the wrong type.
 * @throws {RangeError} For an unknown op or mode, a size that is not a
 * positive integer, a non-positive time.
 *
 * @example
 * ```ts
 * import { runBench } from "@nonlin/bench";
 * import assert from "node:assert";
 *
 * const report = await runBench({
 *   backends: ["native"],
 *   ops: ["relu"],
 *   modes: ["forward"],
 *   sizes: [1000],
 *   targetMs: 5,
 *   minReps: 3,
 *   gpuFacts: false,
 * });
 * const cell = report.results[0]!;
 * assert.strictEqual(cell.status, "ok");
 * assert.ok(cell.resident?.status === "ok" && cell.resident.medianMs > 0);
 * ```
 */
export async function runBench(
  options: BenchOptions = {},
): Promise<BenchReport> {
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const config = resolveConfig(options);
  const emit = options.onEvent ?? (() => {});
  const specs = options.backends ??
    [...backendNames, ...peerBackendNames, ...backendVariantNames];
  const backends: BackendEntry[] = [];
  const loaded: Loaded[] = [];
  for (const spec of [...new Set(specs)]) {
    const result = await load(spec, options.tolerance);
    backends.push(result.entry);
    if ("module" in result) loaded.push(result);
    emit({ kind: "backend", entry: result.entry });
  }
  const machine = await machineFacts({
    tfjs: loaded.some((b) => b.entry.name.startsWith("tfjs")),
    gpu: options.gpuFacts ?? true,
  });

  const maxSize = Math.max(...config.sizes);
  const x = normalSamples(maxSize, config.seed, INPUT_SCALE);
  const dy = normalSamples(maxSize, config.seed + 1, 1);
  const plan: TimingPlan = config;

  const floors = await measureFloors(config, loaded, plan, emit);
  const floorOf = (device: Device, bpe: number, size: number) =>
    floors.find((f) =>
      f.device === device && f.bytesPerElement === bpe && f.size === size &&
      f.status === "ok" && !f.reference
    );

  const results: CellResult[] = [];
  const previous = new Map<string, History>();
  const latency = new Map<string, number>();
  const total = loaded.length * config.ops.length * config.modes.length *
    config.sizes.length;
  let index = 0;
  const sizes = [...config.sizes].sort((a, b) => a - b);
  for (const op of config.ops as OpName[]) {
    const params = benchParams(op);
    latency.clear(); // re-measured per op, in case it drifts
    const resolved = resolveParams(op, params) as Record<
      string,
      number | string
    >;
    for (const mode of config.modes) {
      const reference = new Reference(op, mode, resolved, x, dy);
      for (const size of sizes) {
        const group: CellResult[] = [];
        // Every backend's host form at this size starts from the same,
        // settled allocator (see settleAllocator), not only the later ones.
        if (config.timings.includes("roundTrip")) settleAllocator(size);
        for (const backend of loaded) {
          emit({
            kind: "cell",
            index: ++index,
            total,
            backend: backend.entry.name,
            op,
            mode,
            size,
          });
          const t0 = performance.now();
          const cell = await runCell({
            backend,
            op,
            mode,
            size,
            params,
            resolved,
            reference,
            x,
            dy,
            config,
            plan,
            previous,
            latency,
          });
          group.push({ ...cell, wallMs: Math.round(performance.now() - t0) });
        }
        const withRatios = addRatios(
          group,
          (device, bpe) => floorOf(device, bpe, size),
          loaded,
        );
        results.push(...withRatios);
        emit({ kind: "group", results: withRatios });
      }
    }
  }

  return {
    format: "nonlin-bench/1",
    startedAt,
    durationS: Math.round((performance.now() - started) / 100) / 10,
    ...(options.command === undefined ? {} : { command: options.command }),
    config,
    machine,
    backends,
    floors,
    results,
  };
}

/**
 * The parameters every op is benchmarked with: the catalog's defaults, and
 * its example value for a parameter without one (prelu's α = 0.25).
 *
 * @param op The op.
 * @returns The options object to pass.
 *
 * @example
 * ```ts
 * import { benchParams } from "@nonlin/bench";
 * import assert from "node:assert";
 *
 * assert.deepStrictEqual(benchParams("prelu"), { alpha: 0.25 });
 * assert.deepStrictEqual(benchParams("gelu"), {});
 * ```
 */
export function benchParams(op: string): Record<string, number> {
  return { ...getOp(op).example } as Record<string, number>;
}

function resolveConfig(o: BenchOptions): BenchConfig {
  const list = <T>(
    value: readonly T[] | undefined,
    fallback: readonly T[],
    what: string,
  ) => {
    if (value === undefined) return [...fallback];
    if (!Array.isArray(value)) throw new TypeError(`${what} must be an array`);
    if (value.length === 0) throw new RangeError(`${what} must not be empty`);
    return [...new Set(value)];
  };
  const ops = list(o.ops, opNames, "ops");
  for (const op of ops) getOp(op);
  const modes = list(o.modes, allModes, "modes");
  for (const m of modes) {
    if (!allModes.includes(m)) {
      throw new RangeError(
        `Unknown mode "${m}": expected one of ${allModes.join(", ")}`,
      );
    }
  }
  const timings = list(o.timings, timingKinds, "timings");
  for (const t of timings) {
    if (!timingKinds.includes(t)) {
      throw new RangeError(
        `Unknown timing "${t}": expected one of ${timingKinds.join(", ")}`,
      );
    }
  }
  const sizes = list(o.sizes, defaultSizes, "sizes");
  for (const n of sizes) {
    if (typeof n !== "number" || !Number.isSafeInteger(n) || n < 1) {
      throw new RangeError(`Sizes must be positive integers: got ${n}`);
    }
  }
  const positive = (
    value: number | undefined,
    fallback: number,
    what: string,
  ) => {
    const v = value ?? fallback;
    if (typeof v !== "number" || !(v > 0) || !Number.isFinite(v)) {
      throw new RangeError(`${what} must be a positive number: got ${v}`);
    }
    return v;
  };
  const minReps = Math.ceil(positive(o.minReps, 5, "minReps"));
  const maxReps = Math.max(
    minReps,
    Math.ceil(positive(o.maxReps, 30, "maxReps")),
  );
  const seed = o.seed ?? 5;
  if (!Number.isSafeInteger(seed)) {
    throw new RangeError(`Seed must be an integer: got ${seed}`);
  }
  return {
    ops,
    modes,
    sizes,
    timings,
    seed,
    input:
      `x = ${INPUT_SCALE}·N(0, 1), dy = N(0, 1), float32, seeded (mulberry32, Box–Muller)`,
    targetMs: positive(o.targetMs, 50, "targetMs"),
    minReps,
    maxReps,
    minSampleMs: positive(o.minSampleMs, 1, "minSampleMs"),
    callBudgetMs: positive(o.callBudgetMs, 300, "callBudgetMs"),
    latencyFactor: positive(o.latencyFactor, 2, "latencyFactor"),
    sumRtol: positive(o.sumRtol, 1e-3, "sumRtol"),
  };
}

async function load(
  spec: string,
  tolerance: Tolerance | undefined,
): Promise<Loaded | { readonly entry: BackendEntry }> {
  const base = {
    name: spec,
    spec,
    device: deviceOf(spec),
    tolerance: tolerance ?? toleranceFor(spec),
    properties: {},
  };
  let module: BackendModule;
  try {
    module = await loadBackend(spec);
  } catch (error) {
    return { entry: { ...base, status: "error", reason: messageOf(error) } };
  }
  const info = module.backend;
  const named = {
    ...base,
    name: info.name,
    device: deviceOf(info.name),
    tolerance: tolerance ?? toleranceFor(info.name),
    properties: { ...(info.capabilities?.properties ?? {}) },
  };
  if (!info.available) {
    return {
      entry: {
        ...named,
        status: "skipped",
        reason: info.reason ?? "not available here",
      },
    };
  }
  try {
    const completion = await completionFor(module);
    const entry: BackendEntry = {
      ...named,
      status: "ran",
      completion: {
        method: completion.method,
        description: completion.description,
      },
    };
    return { entry, module, completion };
  } catch (error) {
    return { entry: { ...named, status: "error", reason: messageOf(error) } };
  }
}

function deviceOf(name: string): Device {
  return /gpu/i.test(name) ? "gpu" : "cpu";
}

async function measureFloors(
  config: BenchConfig,
  loaded: readonly Loaded[],
  plan: TimingPlan,
  emit: (event: BenchEvent) => void,
): Promise<FloorEntry[]> {
  const bpes = [...new Set(config.modes.map(bytesPerElement))].sort((a, b) =>
    a - b
  );
  const maxBytes = Math.max(...bpes) * Math.max(...config.sizes);
  const devices: (FloorDevice | { device: Device; reason: string })[] = [
    cpuFloor(maxBytes),
  ];
  if (config.timings.includes("roundTrip")) devices.push(cpuFreshOutput());
  if (loaded.some((b) => b.entry.device === "gpu")) {
    const gpu = await gpuFloors(maxBytes);
    if ("reason" in gpu) devices.push({ device: "gpu", reason: gpu.reason });
    else devices.push(...gpu);
  }
  const floors: FloorEntry[] = [];
  for (const device of devices) {
    for (const bpe of bpes) {
      const only = "reason" in device ? undefined : device.bytesPerElement;
      if (only !== undefined && only !== bpe) continue;
      for (const size of [...config.sizes].sort((a, b) => a - b)) {
        const base = { device: device.device, bytesPerElement: bpe, size };
        let entry: FloorEntry;
        if ("reason" in device) {
          entry = {
            ...base,
            method: "GPU buffer copy",
            status: "skipped",
            reason: device.reason,
          };
        } else {
          try {
            const sampler = device.sampler(bpe * size);
            const unbounded = { ...plan, callBudgetMs: Infinity };
            const m = device.device === "gpu"
              ? await measureSlope(sampler, unbounded)
              : await measure(sampler, unbounded);
            if (!m.ok) throw new Error("unreachable: no budget");
            const t = m.timing;
            entry = {
              ...base,
              method: device.method,
              ...(device.reference && { reference: true }),
              status: "ok",
              ...t,
              gbPerS: (bpe * size) / (t.medianMs * 1e6),
              melemPerS: size / (t.medianMs * 1e3),
            };
          } catch (error) {
            entry = {
              ...base,
              method: device.method,
              status: "skipped",
              reason: messageOf(error),
            };
          }
        }
        floors.push(entry);
        emit({ kind: "floor", entry });
      }
    }
    if (!("reason" in device)) device.close();
  }
  return floors;
}

interface CellContext {
  readonly backend: Loaded;
  readonly op: OpName;
  readonly mode: Mode;
  readonly size: number;
  readonly params: Record<string, number>;
  readonly resolved: Record<string, number | string>;
  readonly reference: Reference;
  readonly x: Float32Array;
  readonly dy: Float32Array;
  readonly config: BenchConfig;
  readonly plan: TimingPlan;
  readonly previous: Map<string, History>;
  /** Each GPU backend's completion latency, measured once per op. */
  readonly latency: Map<string, number>;
}

/** The sizes a timing ran at so far, and whether it went over the budget. */
interface History {
  readonly points: { readonly size: number; readonly ms: number }[];
  over?: { readonly size: number; readonly ms: number };
}

/**
 * The time of one call at `size`, extrapolated along the line through the
 * last two sizes (a fixed overhead plus a cost per element); undefined with
 * fewer than two, when the first call's own guard decides.
 */
function estimate(h: History | undefined, size: number): number | undefined {
  if (h === undefined || h.points.length < 2) return undefined;
  const a = h.points[h.points.length - 2]!;
  const b = h.points[h.points.length - 1]!;
  const slope = Math.max(0, (b.ms - a.ms) / (b.size - a.size));
  return b.ms + slope * (size - b.size);
}

async function runCell(c: CellContext): Promise<CellResult> {
  const { backend, op, mode, size, config } = c;
  const name = backend.entry.name;
  const base = { backend: name, op, mode, size, params: c.resolved };
  const unsupported = unsupportedReason(backend.module, op, mode);
  if (unsupported !== undefined) {
    return { ...base, status: "unsupported", reason: unsupported };
  }

  // Budget: skip a timing whose one call would exceed it, judging from the
  // previous size of the same cell.
  const skipped: Partial<Record<TimingKind, Measurement>> = {};
  for (const kind of config.timings) {
    const history = c.previous.get(key(name, op, mode, kind));
    if (history?.over !== undefined && history.over.size < size) {
      skipped[kind] = {
        status: "skipped",
        reason: `one call already took ${fmt(history.over.ms)} ms at ${
          formatSize(history.over.size)
        } elements, over the per-call budget of ${fmt(config.callBudgetMs)} ms`,
      };
      continue;
    }
    const ms = estimate(history, size);
    if (ms !== undefined && ms > config.callBudgetMs) {
      const [a, b] = history!.points.slice(-2);
      skipped[kind] = {
        status: "skipped",
        reason: `one call estimated at ${
          fmt(ms)
        } ms (extrapolated from the fastest calls, ${fmt(a!.ms)} ms at ${
          formatSize(a!.size)
        } and ${fmt(b!.ms)} ms at ${
          formatSize(b!.size)
        } elements), over the per-call budget of ${
          fmt(config.callBudgetMs)
        } ms`,
      };
    }
  }
  const toRun = config.timings.filter((k) => skipped[k] === undefined);
  if (toRun.length === 0) {
    return {
      ...base,
      status: "skipped",
      reason: firstReason(skipped)!,
      ...skipped,
    };
  }

  const m = backend.module as unknown as Loose & Record<string, unknown>;
  const fn = m[op] as (x: unknown, params: unknown) => unknown;
  const xHost = c.x.slice(0, size);
  const dyHost = mode === "vjp" ? c.dy.slice(0, size) : undefined;
  let xT: Tensor | undefined;
  let dyT: Tensor | undefined;
  try {
    const resident = (): Output => {
      if (mode === "forward") return fn.call(m, xT, c.params) as Tensor;
      if (mode === "derivative") {
        return m.derivative(op, xT, c.params) as Tensor;
      }
      return m.vjp(op, xT, { dy: dyT, params: c.params }) as Output;
    };
    const roundTrip = (): Promise<HostOutput> => {
      if (mode === "forward") {
        return fn.call(m, xHost, c.params) as Promise<Float32Array>;
      }
      if (mode === "derivative") {
        return m.derivative(op, xHost, c.params) as Promise<Float32Array>;
      }
      return m.vjp(op, xHost, { dy: dyHost, params: c.params }) as Promise<
        HostOutput
      >;
    };
    // The same call into arrays made once (the output's shape is learnt
    // from one call without out, made before any timing).
    let outs:
      | { y: Float32Array; dparams: Record<string, Float32Array> }
      | undefined;
    const roundTripOut = (): Promise<HostOutput> => {
      const { y, dparams } = outs!;
      const params = { ...c.params, out: y };
      if (mode === "forward") {
        return fn.call(m, xHost, params) as Promise<Float32Array>;
      }
      if (mode === "derivative") {
        return m.derivative(op, xHost, params) as Promise<Float32Array>;
      }
      return m.vjp(op, xHost, {
        dy: dyHost,
        params: c.params,
        out: { dx: y, dparams },
      }) as Promise<HostOutput>;
    };

    // The check, before any timing.
    // Each timing is preceded by its check. The check's call is timed too:
    // on the CPU it stands as the timing's first call (warm-up and budget
    // guard); a GPU's first call also uploads x and compiles shaders, so it
    // is not used there.
    const checks: Record<string, CheckSummary> = {};
    const completion = backend.completion;
    const checkFirst = async (
      kind: TimingKind,
    ): Promise<number | undefined> => {
      if (kind === "resident") {
        xT = m.tensor(xHost);
        if (dyHost !== undefined) dyT = m.tensor(dyHost);
        const t0 = performance.now();
        const out = resident();
        await completion.wait(
          completion.method === "read" ? tensorsOf(out) : NO_TENSORS,
        );
        const ms = performance.now() - t0;
        const host = await readOutput(out);
        disposeOutput(out);
        Object.assign(checks, check(c, host, "resident"));
        return completion.method === "synchronous" ? ms : undefined;
      }
      if (kind === "roundTripOut" && outs === undefined) {
        const shape = await roundTrip();
        const dparams: Record<string, Float32Array> = {};
        if (!(shape instanceof Float32Array)) {
          for (const [k, v] of Object.entries(shape.dparams)) {
            dparams[k] = new Float32Array(v.length);
          }
        }
        outs = { y: new Float32Array(size), dparams };
      }
      const call = kind === "roundTripOut" ? roundTripOut : roundTrip;
      const t0 = performance.now();
      const host = await call();
      const ms = performance.now() - t0;
      Object.assign(checks, check(c, host, kind));
      return ms;
    };

    const timings: Partial<Record<TimingKind, Measurement>> = { ...skipped };
    const pipelined = completion.method === "gpu-queue";
    for (const kind of toRun) {
      if (timings[kind] !== undefined) continue; // skipped after the resident timing
      let firstMs: number | undefined;
      try {
        firstMs = await checkFirst(kind);
      } catch (error) {
        // A backend written before the contract had `out` still gets its
        // other timings.
        if (kind !== "roundTripOut" || error instanceof NotSupportedError) {
          throw error;
        }
        timings[kind] = {
          status: "skipped",
          reason: `the host form with out failed: ${messageOf(error)}`,
        };
        continue;
      }
      const failed = Object.entries(checks).find(([, s]) => !s.ok);
      if (failed !== undefined) {
        return {
          ...base,
          status: "fail",
          reason: `wrong output (${failed[0]}), not timed: ${
            failed[1].message
          }`,
          checks,
        };
      }
      const sampler = kind === "resident" && pipelined
        ? async (batch: number) => {
          // Outputs are freed as they are made: tfjs releases the buffers
          // once the commands using them are submitted, so a long pipeline
          // of calls stays within the GPU's memory.
          const t0 = performance.now();
          for (let i = 0; i < batch; i++) disposeOutput(resident());
          await completion.wait(NO_TENSORS);
          return performance.now() - t0;
        }
        : kind === "resident"
        ? async (batch: number) => {
          const outs: Output[] = new Array(batch);
          const t0 = performance.now();
          for (let i = 0; i < batch; i++) outs[i] = resident();
          await completion.wait(
            completion.method === "read" ? outs.flatMap(tensorsOf) : NO_TENSORS,
          );
          const ms = performance.now() - t0;
          for (const o of outs) disposeOutput(o);
          return ms;
        }
        : kind === "roundTripOut"
        ? async (batch: number) => {
          const t0 = performance.now();
          for (let i = 0; i < batch; i++) await roundTripOut();
          return performance.now() - t0;
        }
        : async (batch: number) => {
          const t0 = performance.now();
          for (let i = 0; i < batch; i++) await roundTrip();
          return performance.now() - t0;
        };
      if (kind === "resident" && pipelined && !c.latency.has(name)) {
        c.latency.set(name, await waitLatency(sampler));
      }
      const measured = kind === "resident" && pipelined
        ? await measureSlope(sampler, c.plan, c.latency.get(name))
        : await measure(sampler, c.plan, firstMs);
      const k = key(name, op, mode, kind);
      const history = c.previous.get(k) ?? { points: [] };
      c.previous.set(k, history);
      if (measured.ok) {
        const t = measured.timing;
        // The fastest call: a load spike should not skip the next size.
        history.points.push({ size, ms: t.minMs });
        timings[kind] = {
          status: "ok",
          ...t,
          melemPerS: size / (t.medianMs * 1e3),
          gbPerS: (bytesPerElement(mode) * size) / (t.medianMs * 1e6),
        };
      } else {
        history.over = { size, ms: measured.oneCallMs };
        timings[kind] = {
          status: "skipped",
          reason: `one call took ${
            fmt(measured.oneCallMs)
          } ms, over the per-call budget of ${fmt(config.callBudgetMs)} ms`,
          oneCallMs: measured.oneCallMs,
        };
        for (const host of ["roundTrip", "roundTripOut"] as const) {
          if (kind !== "resident" || !toRun.includes(host)) continue;
          // The round trip does the same work and more.
          timings[host] = {
            status: "skipped",
            reason: `the resident call already took ${
              fmt(measured.oneCallMs)
            } ms, over the per-call budget of ${fmt(config.callBudgetMs)} ms`,
          };
          const rtKey = key(name, op, mode, host);
          const rt = c.previous.get(rtKey) ?? { points: [] };
          rt.over = { size, ms: measured.oneCallMs };
          c.previous.set(rtKey, rt);
        }
      }
    }
    const anyTimed = Object.values(timings).some((t) => t?.status === "ok");
    return {
      ...base,
      status: anyTimed ? "ok" : "skipped",
      ...(anyTimed ? {} : { reason: firstReason(timings)! }),
      checks,
      ...timings,
    };
  } catch (error) {
    if (error instanceof NotSupportedError) {
      return { ...base, status: "unsupported", reason: error.message };
    }
    return { ...base, status: "error", reason: messageOf(error) };
  } finally {
    xT?.dispose();
    dyT?.dispose();
  }
}

function check(
  c: CellContext,
  out: HostOutput,
  kind: TimingKind,
): Record<string, CheckSummary> {
  const tolerance = c.backend.entry.tolerance;
  const x = c.x.subarray(0, c.size);
  const want = c.reference.values(c.size);
  if (c.mode !== "vjp") {
    return { [kind]: compareArrays(out as Float32Array, want, tolerance, x) };
  }
  const grads = out as Exclude<HostOutput, Float32Array>;
  const dy = c.dy.subarray(0, c.size);
  const result: Record<string, CheckSummary> = {
    [`${kind} dx`]: compareArrays(grads?.dx, want, tolerance, x, dy),
  };
  const sums = c.reference.sums(c.size);
  for (const name of c.reference.learned) {
    const got = grads?.dparams?.[name];
    result[`${kind} d${name}`] = got === undefined
      ? missingGradient(name)
      : compareSum(got, sums[name]!.sum, sums[name]!.absSum, c.config.sumRtol);
  }
  return result;
}

function unsupportedReason(
  module: BackendModule,
  op: string,
  mode: Mode,
): string | undefined {
  const features = new Set<string>([mode]);
  if (mode === "vjp") {
    for (const name of Object.keys(ops[op as OpName].dfdp)) {
      features.add(`dparam:${name}`);
    }
  }
  const hit = module.backend.capabilities?.unsupported?.find((u) =>
    u.op === op && features.has(u.feature)
  );
  return hit === undefined
    ? undefined
    : `${hit.feature} not supported: ${hit.reason}`;
}

function addRatios(
  group: readonly CellResult[],
  floorOf: (device: Device, bpe: number) => FloorEntry | undefined,
  loaded: readonly Loaded[],
): CellResult[] {
  const native = group.find((r) => r.backend === "native");
  return group.map((cell) => {
    const device = loaded.find((b) =>
      b.entry.name === cell.backend
    )?.entry.device ?? "cpu";
    const floor = floorOf(device, bytesPerElement(cell.mode));
    const out: Record<string, unknown> = { ...cell };
    for (const kind of timingKinds) {
      const t = cell[kind];
      if (t?.status !== "ok") continue;
      const n = native?.[kind];
      out[kind] = {
        ...t,
        ...(floor?.medianMs === undefined
          ? {}
          : { ratioToFloor: t.medianMs / floor.medianMs }),
        ...(n?.status === "ok"
          ? { ratioToNative: t.medianMs / n.medianMs }
          : {}),
      };
    }
    return out as unknown as CellResult;
  });
}

async function readOutput(out: Output): Promise<HostOutput> {
  if (isTensorLike(out)) return await out.read();
  const dparams: Record<string, Float32Array> = {};
  for (const [name, t] of Object.entries(out.dparams ?? {})) {
    dparams[name] = await t.read();
  }
  return { dx: await out.dx.read(), dparams };
}

function key(
  backend: string,
  op: string,
  mode: Mode,
  kind: TimingKind,
): string {
  return `${backend}\u0000${op}\u0000${mode}\u0000${kind}`;
}

function firstReason(
  t: Partial<Record<TimingKind, Measurement>>,
): string | undefined {
  for (const kind of timingKinds) {
    const m = t[kind];
    if (m?.status === "skipped") return m.reason;
  }
  return undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error
    ? `${error.name}: ${error.message}`
    : String(error);
}

function fmt(ms: number): string {
  return ms >= 100
    ? ms.toFixed(0)
    : ms >= 1
    ? ms.toFixed(1)
    : ms.toPrecision(2);
}
