/**
 * The benchmark report: what `deno task bench --json FILE` writes and what
 * the markdown report and the charts are made from.
 *
 * @module
 */

import type { CheckSummary, Tolerance } from "./_check.ts";
import type { MachineFacts } from "./machine.ts";

export type { CheckSummary, Tolerance, Worst } from "./_check.ts";

/**
 * What is timed: the op itself, its vector–Jacobian product (dx and every
 * learned parameter's gradient from x and dy), or its elementwise derivative.
 */
export type Mode = "forward" | "vjp" | "derivative";

/** Every mode, in report order. */
export const modes: readonly Mode[] = Object.freeze([
  "forward",
  "vjp",
  "derivative",
]);

/**
 * How a call is timed: `resident` (tensors already on the backend, until the
 * work is complete), `roundTrip` (Float32Array in, a new Float32Array out)
 * or `roundTripOut` (Float32Array in, written into the caller's arrays
 * through the host form's `out` option, allocated once before timing).
 */
export type TimingKind = "resident" | "roundTrip" | "roundTripOut";

/** Every timing, in report order. */
export const timingKinds: readonly TimingKind[] = Object.freeze([
  "resident",
  "roundTrip",
  "roundTripOut",
]);

/** Where a backend computes, and so which floor it is held against. */
export type Device = "cpu" | "gpu";

/**
 * The bytes one element moves through memory: 8 for forward and derivative
 * (read x, write y), 12 for a VJP (read x and dy, write dx).
 *
 * @param mode The mode.
 * @returns 8 or 12.
 *
 * @example
 * ```ts
 * import { bytesPerElement } from "@nonlin/bench";
 * import assert from "node:assert";
 *
 * assert.strictEqual(bytesPerElement("vjp"), 12);
 * ```
 */
export function bytesPerElement(mode: Mode): 8 | 12 {
  return mode === "vjp" ? 12 : 8;
}

/** How a backend's resident timing waits for the work to be complete. */
export interface Completion {
  /**
   * `synchronous`: the kernel runs inside the call; `gpu-queue`: the pending
   * commands are submitted and the device queue's `onSubmittedWorkDone`
   * awaited; `read`: every output is read back (the contract's only
   * guarantee, used for backends the bench knows nothing about).
   */
  readonly method: "synchronous" | "gpu-queue" | "read";
  /** The method in one sentence. */
  readonly description: string;
}

/** One backend of the run. */
export interface BackendEntry {
  /** The name it reports (or the name or path it was asked for, on error). */
  readonly name: string;
  /** The name or module path it was asked for. */
  readonly spec: string;
  /** Whether it ran; `skipped` when it cannot run here. */
  readonly status: "ran" | "skipped" | "error";
  /** Why it was skipped or failed. */
  readonly reason?: string;
  /** Where it computes. */
  readonly device: Device;
  /** How its resident timing waits for completion. */
  readonly completion?: Completion;
  /** The tolerance of its output check. */
  readonly tolerance: Tolerance;
  /** Its capabilities' properties (SIMD, threads, GPU adapter, versions…). */
  readonly properties: Readonly<Record<string, string | number | boolean>>;
}

/** Timing statistics of one measurement, per call. */
export interface Timing {
  /** The median time of one call, ms. */
  readonly medianMs: number;
  /** The fastest sample, ms per call. */
  readonly minMs: number;
  /** The slowest sample, ms per call. */
  readonly maxMs: number;
  /** The number of timed samples. */
  readonly reps: number;
  /** Calls per sample (more than 1 only when one call is below the timer's useful resolution). */
  readonly batch: number;
  /** Every sample, ms per call. */
  readonly samplesMs: readonly number[];
  /**
   * For a GPU queue: the completion wait's own latency on an empty queue,
   * ms, which the per-call slope excludes.
   */
  readonly latencyMs?: number;
}

/** The physical floor at one size: a memory copy of the same bytes. */
export interface FloorEntry extends Partial<Timing> {
  /** The memory the copy runs in. */
  readonly device: Device;
  /** How the copy is made. */
  readonly method: string;
  /**
   * A second reference (the GPU's copyBufferToBuffer beside its compute
   * copy): reported, but ratios are taken against the other floor.
   */
  readonly reference?: boolean;
  /** Bytes moved per element of the kernel it stands for (8 or 12). */
  readonly bytesPerElement: 8 | 12;
  /** The kernel's element count; the copy moves bytesPerElement × size bytes. */
  readonly size: number;
  /** Whether it was measured. */
  readonly status: "ok" | "skipped";
  /** Why not. */
  readonly reason?: string;
  /** Effective bandwidth: bytes moved / median time, GB/s. */
  readonly gbPerS?: number;
  /** Elements per second of the kernel at this floor, millions. */
  readonly melemPerS?: number;
}

/** One timing of one cell. */
export type Measurement =
  | (Timing & {
    readonly status: "ok";
    /** Elements per second, millions. */
    readonly melemPerS: number;
    /** Effective bandwidth: bytesPerElement × size / median, GB/s. */
    readonly gbPerS: number;
    /** Median / the floor's median on the backend's device. */
    readonly ratioToFloor?: number;
    /** Median / native's median for the same cell and timing. */
    readonly ratioToNative?: number;
  })
  | {
    readonly status: "skipped";
    /** Why, with the estimate or the measured time that exceeded the budget. */
    readonly reason: string;
    /** The time of the one call that was made, when one was. */
    readonly oneCallMs?: number;
  };

/** One backend × op × mode × size. */
export interface CellResult {
  /** The backend's name. */
  readonly backend: string;
  /** The op. */
  readonly op: string;
  /** The mode. */
  readonly mode: Mode;
  /** The number of elements. */
  readonly size: number;
  /** The op's parameters as resolved (defaults filled in). */
  readonly params: Readonly<Record<string, number | string>>;
  /**
   * `ok`: checked and timed (a timing may still be skipped for the budget);
   * `fail`: the output was wrong, so it was not timed; `error`: the call
   * threw; `unsupported`: the backend says it cannot; `skipped`: over the
   * time budget.
   */
  readonly status: "ok" | "fail" | "error" | "unsupported" | "skipped";
  /** Why, for every status but ok. */
  readonly reason?: string;
  /** The checks made before timing, per timing kind and output. */
  readonly checks?: Readonly<Record<string, CheckSummary>>;
  /** The resident timing. */
  readonly resident?: Measurement;
  /** The round-trip timing, a new array per call. */
  readonly roundTrip?: Measurement;
  /** The round-trip timing into `out`. */
  readonly roundTripOut?: Measurement;
  /** How long the cell took, check and timings together, ms. */
  readonly wallMs?: number;
}

/** The settings a run used. */
export interface BenchConfig {
  /** The ops, in catalog order unless given otherwise. */
  readonly ops: readonly string[];
  /** The modes. */
  readonly modes: readonly Mode[];
  /** The element counts. */
  readonly sizes: readonly number[];
  /** The timings. */
  readonly timings: readonly TimingKind[];
  /** The inputs' seed. */
  readonly seed: number;
  /** The input distribution, in words. */
  readonly input: string;
  /** Time measured per timing of a cell, ms. */
  readonly targetMs: number;
  /** Fewest samples per timing. */
  readonly minReps: number;
  /** Most samples per timing. */
  readonly maxReps: number;
  /** Calls are batched until a sample lasts this long, ms. */
  readonly minSampleMs: number;
  /** A timing whose one call would take longer is skipped, ms. */
  readonly callBudgetMs: number;
  /** A GPU sample lasts at least this many completion latencies. */
  readonly latencyFactor: number;
  /** Parameter gradients may be off by this times Σ|terms|. */
  readonly sumRtol: number;
}

/** A whole run. */
export interface BenchReport {
  /** Identifies the format. */
  readonly format: "nonlin-bench/1";
  /** When the run started, ISO 8601. */
  readonly startedAt: string;
  /** How long it took, s. */
  readonly durationS: number;
  /** The command line, when run from the command line. */
  readonly command?: string;
  /** The settings. */
  readonly config: BenchConfig;
  /** The machine. */
  readonly machine: MachineFacts;
  /** Every backend asked for. */
  readonly backends: readonly BackendEntry[];
  /** The physical floor at every size, per device. */
  readonly floors: readonly FloorEntry[];
  /** Every cell. */
  readonly results: readonly CellResult[];
}
