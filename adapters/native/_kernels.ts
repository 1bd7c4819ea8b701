/**
 * The kernel interface of the native engine: what one implementation of the
 * per-op loops (the JavaScript one in `_js_kernels.ts`, a WebAssembly SIMD
 * one later) must provide. `mod.ts` validates every input, resolves the
 * parameters, allocates the outputs and then calls these loops; a kernel
 * never validates, never allocates per element and never throws.
 *
 * Data layout: every array is a flat, row-major view of `n` elements
 * (`n = x.length`); shapes are the caller's business. Kernels read float32
 * inputs, compute in float64 (or wider) with the stable formulas of the op
 * catalog's doc comments, and round each result to float32 once when storing.
 * The conventions of `@nonlin/core` hold exactly: NaN in gives NaN out, ±∞
 * give the mathematical limits, the odd ops keep the sign of zero, subnormals
 * are ordinary numbers, and at a kink the derivative is the left-hand one.
 *
 * Aliasing: an output may be the same array as an input (`y === x`,
 * `dx === dy`, `dx === x`), since each element is read before it is written;
 * outputs never partially overlap inputs.
 *
 * Learned-parameter gradients are sums: the kernel ADDS Σᵢ dyᵢ·∂f/∂θ(xᵢ) into
 * a float64 accumulator that the caller zeroed, so that a caller may split a
 * long array into chunks (or threads) and add the partial sums. The
 * accumulation must be in float64: a float32 running sum over 10⁶ elements
 * would lose about 10 bits.
 *
 * @module
 */

import type { OpName } from "@nonlin/core";

/**
 * Resolved scalar parameters of an op, by catalog name: numbers for `"real"`
 * parameters (float64, exactly as the caller gave them or the catalog's
 * default), strings for `"choice"` ones (gelu's `approximate`). prelu's α is
 * not here: it travels in {@linkcode KernelArgs.alpha}.
 */
export type KernelParams = Readonly<Record<string, number | string>>;

/**
 * prelu's α broadcast to x. Element `i` of x uses
 * `values[index === null ? (values.length === 1 ? 0 : i) : index[i]]`:
 * - `index === null` and `values.length === 1`: one α for every element;
 * - `index === null` and `values.length === n`: one α per element, same order;
 * - otherwise `index` (length n) maps each element of x to its α element,
 *   NumPy broadcasting of α's shape to x's shape resolved by the caller
 *   (e.g. per channel). The gradient dα accumulates in the same slot:
 *   `dalpha[index[i]] += dy[i]·min(x[i], 0)`, which sums over the broadcast
 *   dimensions.
 */
export interface AlphaBroadcast {
  /** α's elements in α's own row-major order, widened to float64. */
  readonly values: Float64Array;
  /** The element-to-α mapping, or `null` for the two direct cases above. */
  readonly index: Int32Array | null;
}

/** Everything a kernel needs besides its arrays. */
export interface KernelArgs {
  /** The op's resolved scalar and choice parameters. */
  readonly params: KernelParams;
  /** prelu only: α broadcast to x; absent for every other op. */
  readonly alpha?: AlphaBroadcast;
}

/**
 * Float64 accumulators for the learned-parameter gradients of one VJP, one
 * per learned parameter of the op, by catalog name: length 1 for a scalar
 * parameter (leakyRelu/elu/celu α, softplus/swish β), `alpha.values.length`
 * for prelu's α. Zeroed by the caller; the kernel adds into them. Empty for
 * ops without learned parameters.
 */
export type ParamGradients = Readonly<Record<string, Float64Array>>;

/** The four loops of one op. All of them are O(n), one pass, no allocation. */
export interface OpKernel {
  /** `y[i] = f(x[i])`. */
  forward(x: Float32Array, y: Float32Array, args: KernelArgs): void;
  /**
   * The fused vector–Jacobian product, in ONE pass over x and dy:
   * `dx[i] = dy[i]·∂f/∂x(x[i])` (the product taken in float64, rounded once)
   * and, for each learned parameter θ, `dparams[θ] += Σ dy[i]·∂f/∂θ(x[i])`.
   * The products follow IEEE arithmetic: dy = ±∞ or NaN against a zero
   * derivative gives NaN, as dy·f' does.
   */
  vjp(
    x: Float32Array,
    dy: Float32Array,
    dx: Float32Array,
    dparams: ParamGradients,
    args: KernelArgs,
  ): void;
  /** `d[i] = ∂f/∂x(x[i])`, the left-hand value at a kink. */
  derivative(x: Float32Array, d: Float32Array, args: KernelArgs): void;
  /** `d2[i] = ∂²f/∂x²(x[i])`, the left-hand value at a kink. */
  secondDerivative(x: Float32Array, d2: Float32Array, args: KernelArgs): void;
}

/**
 * Storage for one resident tensor in a kernel set's own memory. Its view is
 * made on demand: the memory may grow, which detaches older views.
 */
export interface Storage {
  /** The number of float32 elements. */
  readonly length: number;
  /** A Float32Array over the elements, valid until the next allocation. */
  view(): Float32Array;
  /** Frees the memory; calling it again does nothing. */
  free(): void;
}

/**
 * One complete implementation of the kernels: a loop set for every catalog
 * op. The engine runs one active set at a time (`useKernels` in `_engine.ts`;
 * `_default_kernels.ts` picks the WebAssembly SIMD set where it runs).
 */
export interface KernelSet {
  /** Short name, e.g. `"js"` or `"wasm-simd"`; reported in the capabilities. */
  readonly name: string;
  /** Whether it uses SIMD instructions; reported in the capabilities. */
  readonly simd: boolean;
  /** The loops, one entry per catalog op. */
  readonly ops: { readonly [N in OpName]: OpKernel };
  /**
   * Allocates resident storage of `length` elements in the memory the loops
   * run on (contents unspecified); absent: ordinary Float32Arrays.
   */
  readonly allocate?: (length: number) => Storage;
  /** Properties reported in the capabilities (e.g. whether FMA is used). */
  readonly properties?: Readonly<Record<string, string | number | boolean>>;
}
