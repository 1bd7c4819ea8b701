/**
 * The backend contract: what every adapter module exports, typed once so that
 * changing the import statement is all it takes to change backend.
 *
 * @module
 */

import type { OpName, ops } from "./catalog.ts";
import type { ParamSpec } from "./params.ts";

/**
 * A float32 tensor resident on one backend: uploaded once, chained through
 * ops without round trips, read back asynchronously and disposed explicitly.
 * A tensor belongs to the backend that made it; passing it to another
 * backend is a `TypeError`, and using it after {@linkcode Tensor.dispose} is a
 * `TypeError` too.
 */
export interface Tensor {
  /** The name of the backend holding the data. */
  readonly backend: string;
  /** The shape; `[]` for a 0-d tensor (one element). */
  readonly shape: readonly number[];
  /** The number of elements, the product of the shape. */
  readonly size: number;
  /** Whether {@linkcode Tensor.dispose} has been called. */
  readonly disposed: boolean;
  /** Copies the data back into a new Float32Array. */
  read(): Promise<Float32Array>;
  /** Frees the backend's memory. Idempotent. */
  dispose(): void;
}

/**
 * Host data accepted by the convenience form: a Float32Array, or a plain array
 * of numbers, which is rounded to float32 element by element exactly as
 * `Float32Array.from` would. Other typed arrays (Float64Array, Int32Array, …)
 * are refused with a `TypeError`, so that no float64 data is narrowed without
 * the caller saying so.
 */
export type ArrayInput = Float32Array | readonly number[];

/**
 * The value a parameter of kind `"tensor"` (prelu's α) takes: a number
 * (broadcast everywhere), host data (shape `[n]`) or a resident tensor of the
 * same backend. Its shape must broadcast to x's shape by NumPy's rules.
 */
export type TensorParam = number | ArrayInput | Tensor;

/** The TypeScript type of a parameter's value, from its spec. */
export type ParamValue<S> = S extends { readonly kind: "real" } ? number
  : S extends { readonly kind: "tensor" } ? TensorParam
  : S extends
    { readonly kind: "choice"; readonly choices: readonly (infer C)[] } ? C
  : never;

/** The catalog's parameter specs of op `N`. */
export type ParamSpecsOf<N extends OpName> = (typeof ops)[N]["params"];

/** The names of the parameters in specs `P` that have no default. */
export type RequiredParamName<P> = {
  [K in keyof P]: P[K] extends { readonly required: true } ? K : never;
}[keyof P];

/** The names of the parameters in specs `P` that have a default. */
export type OptionalParamName<P> = Exclude<keyof P, RequiredParamName<P>>;

/**
 * The options object of op `N`: one field per catalog parameter, optional
 * where the catalog gives a default.
 */
export type ParamsOf<N extends OpName> =
  & {
    readonly [K in RequiredParamName<ParamSpecsOf<N>>]: ParamValue<
      ParamSpecsOf<N>[K]
    >;
  }
  & {
    readonly [K in OptionalParamName<ParamSpecsOf<N>>]?: ParamValue<
      ParamSpecsOf<N>[K]
    >;
  };

/** The names of op `N`'s parameters that gradients are taken for. */
export type LearnedParamName<N extends OpName> =
  & {
    [K in keyof ParamSpecsOf<N>]: ParamSpecsOf<N>[K] extends
      { readonly learned: true } ? K
      : never;
  }[keyof ParamSpecsOf<N>]
  & string;

/** The options argument of op `N`: required when a parameter has no default. */
export type OptionsArg<N extends OpName> =
  RequiredParamName<ParamSpecsOf<N>> extends never ? [options?: ParamsOf<N>]
    : [options: ParamsOf<N>];

/**
 * Where a host-form call writes its result instead of a new Float32Array:
 * the `out` option of every call that returns host data.
 *
 * Rules, the same on every backend:
 * - `out` is a Float32Array (anything else is a `TypeError` naming it) of
 *   exactly the result's length (else a `RangeError` naming it);
 * - the call resolves to `out` itself, filled;
 * - `out` may BE the input (`out === x`, and for a VJP `dx === x` or
 *   `dx === dy`): the call then works in place. Any other overlap with an
 *   input (a different view of the same bytes) is a `RangeError`, as is
 *   overlap between two outputs of one VJP;
 * - the resident form takes no `out` (`TypeError`): it returns new tensors.
 */
export interface HostOut {
  /**
   * The array the result is written to; a new Float32Array when absent.
   * @default undefined
   */
  readonly out?: Float32Array;
}

/** The options of op `N`'s host form: its parameters and {@linkcode HostOut}. */
export type HostParamsOf<N extends OpName> = ParamsOf<N> & HostOut;

/** The options argument of op `N`'s host form: required where a parameter has no default. */
export type HostOptionsArg<N extends OpName> =
  RequiredParamName<ParamSpecsOf<N>> extends never ? [options?: HostParamsOf<N>]
    : [options: HostParamsOf<N>];

/**
 * One activation function on a backend. Given a resident tensor it returns a
 * resident tensor of the same shape, synchronously; given host data it
 * resolves to a Float32Array: a new one, or the caller's `out`.
 */
export interface OpFunction<N extends OpName> {
  /** Resident form: stays on the backend. */
  (x: Tensor, ...options: OptionsArg<N>): Tensor;
  /**
   * Convenience form: Float32Array (or number[]) in, Float32Array out;
   * with `out`, written there (see {@linkcode HostOut}).
   */
  (x: ArrayInput, ...options: HostOptionsArg<N>): Promise<Float32Array>;
}

/** One function per catalog op, named as in the catalog. */
export type OpFunctions = { readonly [N in OpName]: OpFunction<N> };

/**
 * The gradients a VJP returns: with respect to x (x's shape) and to each
 * learned parameter (the parameter's shape: a 0-d tensor, or one element, for
 * a number; prelu's α shape, summed over the broadcast dimensions).
 */
export interface Gradients<N extends OpName, T> {
  /** dL/dx = dy · ∂f/∂x, x's shape. */
  readonly dx: T;
  /** dL/dθ = Σ dy · ∂f/∂θ for each learned parameter θ. */
  readonly dparams: { readonly [K in LearnedParamName<N>]: T };
}

/** The options of {@linkcode Vjp}: the upstream gradient and the op's parameters. */
export type VjpOptions<N extends OpName, D> =
  & { readonly dy: D }
  & (RequiredParamName<ParamSpecsOf<N>> extends never
    ? { readonly params?: ParamsOf<N> }
    : { readonly params: ParamsOf<N> });

/**
 * Where a host-form VJP writes its gradients: any of them, each under the
 * rules of {@linkcode HostOut} (`dx` may be x or dy; no other overlap).
 * Those not given are new Float32Arrays.
 */
export interface VjpOut<N extends OpName> {
  /**
   * Receives dL/dx (x's length).
   * @default undefined
   */
  readonly dx?: Float32Array;
  /**
   * Receives dL/dθ per learned parameter (its length: 1 for a number,
   * prelu's α size for a tensor).
   * @default undefined
   */
  readonly dparams?: { readonly [K in LearnedParamName<N>]?: Float32Array };
}

/** The options of {@linkcode Vjp}'s host form: dy, the parameters and `out`. */
export type HostVjpOptions<N extends OpName> =
  & VjpOptions<N, ArrayInput>
  & {
    /**
     * Where the gradients go.
     * @default undefined
     */
    readonly out?: VjpOut<N>;
  };

/**
 * The vector–Jacobian product of any op: given x, the upstream gradient dy
 * (x's shape) and the parameters, the gradients with respect to x and to every
 * learned parameter, in one fused pass where the backend can.
 */
export interface Vjp {
  /** Resident form. */
  <N extends OpName>(
    op: N,
    x: Tensor,
    options: VjpOptions<N, Tensor>,
  ): Gradients<N, Tensor>;
  /**
   * Convenience form; the gradients that `out` names are written there and
   * returned as those same arrays.
   */
  <N extends OpName>(
    op: N,
    x: ArrayInput,
    options: HostVjpOptions<N>,
  ): Promise<Gradients<N, Float32Array>>;
}

/**
 * An elementwise derivative of any op with respect to x: the first (the VJP
 * with dy = 1, like `vmap(grad(f))`) or the second.
 */
export interface ElementwiseDerivative {
  /** Resident form. */
  <N extends OpName>(op: N, x: Tensor, ...options: OptionsArg<N>): Tensor;
  /** Convenience form; with `out`, written there (see {@linkcode HostOut}). */
  <N extends OpName>(
    op: N,
    x: ArrayInput,
    ...options: HostOptionsArg<N>
  ): Promise<Float32Array>;
}

/** A feature of an op that a backend may lack. */
export type Feature =
  | "forward"
  | "vjp"
  | "derivative"
  | "secondDerivative"
  | `dparam:${string}`;

/** One thing a backend cannot do, and why. */
export interface Unsupported {
  /** The op. */
  readonly op: OpName;
  /** The feature. */
  readonly feature: Feature;
  /** Why: the engine's limitation, named. */
  readonly reason: string;
  /**
   * The parameter values it is limited to (e.g. `{ approximate: "tanh" }`);
   * absent when it holds for every parameter value.
   */
  readonly when?: Readonly<Record<string, string | number>>;
}

/** What a backend can do and what it runs on. */
export interface Capabilities {
  /** Everything the backend cannot compute; empty for a complete backend. */
  readonly unsupported: readonly Unsupported[];
  /**
   * Facts about the engine as they really are here: `simd`, `threads`, the
   * GPU adapter, `maxElements`, versions.
   */
  readonly properties: Readonly<Record<string, string | number | boolean>>;
}

/** A backend's identity and whether it can run here. */
export interface BackendInfo {
  /** The name used with `--backend` and {@linkcode loadBackend}. */
  readonly name: string;
  /** Whether it can run in this process. */
  readonly available: boolean;
  /** Why not, when it cannot. */
  readonly reason?: string;
  /** The arithmetic its kernels use, for the conformance tolerance profile. */
  readonly precision: "float32";
  /** What it can do. */
  readonly capabilities: Capabilities;
}

/**
 * What every adapter module exports. An adapter checks itself against this
 * type (`const _: BackendModule = await import("./mod.ts")`), so the type
 * system proves every backend exports the same names.
 */
export interface BackendModule extends OpFunctions {
  /** The backend's identity, availability and capabilities. */
  readonly backend: BackendInfo;
  /**
   * Uploads host data as a resident tensor.
   *
   * @param data The elements, row-major.
   * @param shape Defaults to `[data.length]`; `[]` makes a 0-d tensor.
   */
  readonly tensor: (data: ArrayInput, shape?: readonly number[]) => Tensor;
  /** The vector–Jacobian product of any op. */
  readonly vjp: Vjp;
  /** The elementwise first derivative with respect to x. */
  readonly derivative: ElementwiseDerivative;
  /** The elementwise second derivative with respect to x. */
  readonly secondDerivative: ElementwiseDerivative;
  /**
   * Releases what the backend holds outside the JavaScript heap — a GPU
   * device and its buffers — and resolves once it is gone. A program or a
   * worker calls it before it ends: a thread stopped while its device is
   * alive leaves the device to be torn down as the thread dies, which can
   * race the process's exit (the conformance suite's workers call it before
   * they stop). Afterwards `backend.available` is `false`, `backend.reason`
   * says it was released, and every call throws (or rejects with) a
   * `BackendUnavailableError`; calling it again does nothing. Optional: a
   * backend that holds nothing beyond its memory leaves it out.
   */
  readonly release?: () => Promise<void>;
}

/** Any parameter spec, re-exported for adapters. */
export type { ParamSpec };
