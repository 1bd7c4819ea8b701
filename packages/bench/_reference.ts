// The float64 reference of one op and mode over the run's inputs, computed
// once, lazily and only as far as the sizes that are actually run, and shared
// by every backend.

import { type OpName, ops, type ResolvedParams } from "@nonlin/core";
import type { Mode } from "./types.ts";

/** A parameter gradient's reference: the sum and the sum of |terms|. */
export interface ReferenceSum {
  readonly sum: number;
  readonly absSum: number;
}

/** The reference outputs of one op in one mode, prefix by prefix. */
export class Reference {
  readonly #op: OpName;
  readonly #mode: Mode;
  readonly #params: ResolvedParams;
  readonly #x: Float32Array;
  readonly #dy: Float32Array;
  #values: Float32Array | undefined;
  #filled = 0;
  readonly #sums = new Map<number, Record<string, ReferenceSum>>();

  constructor(
    op: OpName,
    mode: Mode,
    params: ResolvedParams,
    x: Float32Array,
    dy: Float32Array,
  ) {
    this.#op = op;
    this.#mode = mode;
    this.#params = params;
    this.#x = x;
    this.#dy = dy;
  }

  /** The learned parameters whose gradients a VJP returns. */
  get learned(): readonly string[] {
    if (this.#mode !== "vjp") return [];
    return Object.keys(ops[this.#op].dfdp);
  }

  /**
   * The reference rounded to float32 for the first n inputs: f(x) forward,
   * f'(x) for the derivative, dy·f'(x) (in float64, rounded once) for a VJP.
   */
  values(n: number): Float32Array {
    this.#values ??= new Float32Array(this.#x.length);
    const out = this.#values;
    const spec = ops[this.#op] as unknown as {
      f(x: number, p: ResolvedParams): number;
      dfdx(x: number, p: ResolvedParams): number;
    };
    const p = this.#params;
    const x = this.#x;
    const dy = this.#dy;
    const start = this.#filled;
    if (this.#mode === "forward") {
      for (let i = start; i < n; i++) out[i] = spec.f(x[i]!, p);
    } else if (this.#mode === "derivative") {
      for (let i = start; i < n; i++) out[i] = spec.dfdx(x[i]!, p);
    } else {
      for (let i = start; i < n; i++) out[i] = dy[i]! * spec.dfdx(x[i]!, p);
    }
    if (n > this.#filled) this.#filled = n;
    return out.subarray(0, n);
  }

  /** Σ dy·∂f/∂θ over the first n inputs, for each learned parameter θ. */
  sums(n: number): Record<string, ReferenceSum> {
    const cached = this.#sums.get(n);
    if (cached) return cached;
    const dfdp = ops[this.#op].dfdp as Readonly<
      Record<string, (x: number, p: ResolvedParams) => number>
    >;
    const out: Record<string, ReferenceSum> = {};
    for (const name of this.learned) {
      const d = dfdp[name]!;
      let sum = 0;
      let absSum = 0;
      for (let i = 0; i < n; i++) {
        const t = this.#dy[i]! * d(this.#x[i]!, this.#params);
        sum += t;
        absSum += Math.abs(t);
      }
      out[name] = { sum, absSum };
    }
    this.#sums.set(n, out);
    return out;
  }
}
