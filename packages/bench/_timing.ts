// The timing loop: warm-up, a batch size that lifts tiny calls above the
// timer's resolution, then samples until the median is stable enough.

import type { Timing } from "./types.ts";

/**
 * Runs `batch` calls and waits for their completion once, returning the
 * elapsed milliseconds for all of it. `batch` 0 times the wait alone.
 */
export type Sampler = (batch: number) => Promise<number>;

/** How long to measure. */
export interface TimingPlan {
  /** Keep sampling until this much time was measured (and minReps reached). */
  readonly targetMs: number;
  /** At least this many samples. */
  readonly minReps: number;
  /** At most this many samples. */
  readonly maxReps: number;
  /** A sample lasts at least this long: tiny calls are batched. */
  readonly minSampleMs: number;
  /** A call estimated or measured above this is not timed. */
  readonly callBudgetMs: number;
  /**
   * For samplers whose completion wait has a latency of its own (a GPU
   * queue): a sample lasts at least this many times that latency.
   */
  readonly latencyFactor: number;
}

/** The outcome: a timing, or the one call that was over the budget. */
export type Measured =
  | { readonly ok: true; readonly timing: Timing }
  | { readonly ok: false; readonly oneCallMs: number };

/**
 * Warms up (until 10% of the target), picks the batch, then samples until
 * `targetMs` was measured over at least `minReps` samples — or, for slow
 * calls, over 3 samples once four times the target has passed. The first
 * call (`firstMs`, the check's own call when given) above the budget stops
 * it.
 */
export async function measure(
  sample: Sampler,
  plan: TimingPlan,
  firstMs?: number,
): Promise<Measured> {
  const first = await guard(sample, plan, firstMs);
  if (first.over) return { ok: false, oneCallMs: first.ms };
  let last = first.ms;
  // Warm up until a tenth of the target has passed (JIT tiers, allocator
  // pools); the check's call ran the same code first.
  let warm = last;
  for (let i = 1; warm < plan.targetMs / 10 && i < 20; i++) {
    last = await sample(1);
    warm += last;
  }
  const batch = Math.max(
    1,
    Math.min(100_000, Math.ceil(plan.minSampleMs / Math.max(last, 1e-4))),
  );
  const samples: number[] = [];
  let total = 0;
  while (samples.length < plan.maxReps) {
    const ms = await sample(batch);
    samples.push(ms / batch);
    total += ms;
    if (enough(samples.length, total, plan)) break;
  }
  return { ok: true, timing: summarize(samples, batch) };
}

/**
 * The budget guard: the first call (the check's, when given) and, when that
 * is over the budget, one more, so that a first call's one-off costs (memory
 * growth, a load spike) do not skip a timing that fits.
 */
async function guard(
  sample: Sampler,
  plan: TimingPlan,
  firstMs: number | undefined,
): Promise<{ over: boolean; ms: number }> {
  const first = firstMs ?? await sample(1);
  if (first <= plan.callBudgetMs) return { over: false, ms: first };
  const again = await sample(1);
  return { over: again > plan.callBudgetMs, ms: Math.min(first, again) };
}

/** The stopping rule shared by both loops. */
function enough(reps: number, totalMs: number, plan: TimingPlan): boolean {
  return (reps >= plan.minReps && totalMs >= plan.targetMs) ||
    (reps >= Math.min(3, plan.minReps) && totalMs >= 4 * plan.targetMs);
}

/**
 * Times work whose completion wait has a fixed cost of its own, L (Deno's
 * WebGPU answers `onSubmittedWorkDone` after ~11 ms even for an empty queue):
 * a sample of k calls takes T(k) ≈ L + k·c once the GPU is the bottleneck.
 * Samples alternate between k and 2k calls, and each adjacent pair gives one
 * estimate of c, the slope |T(2k) − T(k)| / k, with k grown until T(k) is
 * at least `latencyFactor`·L, so L and any other per-wait cost cancel and
 * the per-call cost of a pipeline of calls remains. The wait's latency on an
 * empty queue is reported beside it.
 */
export async function measureSlope(
  sample: Sampler,
  plan: TimingPlan,
  latency?: number,
  firstMs?: number,
): Promise<Measured> {
  const first = await guard(sample, plan, firstMs);
  if (first.over) return { ok: false, oneCallMs: first.ms };
  latency ??= await waitLatency(sample);
  const floorMs = Math.max(plan.minSampleMs, plan.latencyFactor * latency);
  let k = 1;
  let t = await sample(k);
  while (t < floorMs && k < 100_000) {
    k = Math.min(
      100_000,
      k *
        Math.max(
          2,
          Math.min(16, Math.ceil(floorMs / Math.max(t - latency, t / 16))),
        ),
    );
    t = await sample(k);
  }
  // Samples alternate k, 2k, k, 2k…; each adjacent pair gives one slope.
  const slopes: number[] = [];
  let previous = t;
  let previousK = k;
  let total = 0;
  for (let i = 1; slopes.length < plan.maxReps && i < 4 * plan.maxReps; i++) {
    const batch = i % 2 === 1 ? 2 * k : k;
    const ms = await sample(batch);
    total += ms;
    const slope = (Math.max(ms, previous) - Math.min(ms, previous)) / k;
    // A later sample of fewer calls that took longer is noise, not a slope.
    if ((batch > previousK) === (ms > previous)) slopes.push(slope);
    previous = ms;
    previousK = batch;
    if (enough(slopes.length, total, plan)) break;
  }
  if (slopes.length === 0) slopes.push(t / k); // all noise: the batch average, an upper bound
  return { ok: true, timing: { ...summarize(slopes, k), latencyMs: latency } };
}

/** The completion wait alone, on an empty queue: the median of three. */
export async function waitLatency(sample: Sampler): Promise<number> {
  const waits = [await sample(0), await sample(0), await sample(0)];
  return waits.sort((a, b) => a - b)[1]!;
}

/** Median, min and max of per-call samples. */
export function summarize(samples: readonly number[], batch: number): Timing {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 === 1
    ? sorted[mid]!
    : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return {
    medianMs: median,
    minMs: sorted[0]!,
    maxMs: sorted[sorted.length - 1]!,
    reps: samples.length,
    batch,
    samplesMs: samples.map((s) => Math.round(s * 1e6) / 1e6),
  };
}
