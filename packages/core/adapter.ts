/**
 * Parts of the contract every adapter builds the same way, defined once: its
 * `backend` description, the lookup of what it declared it cannot compute,
 * and the check that a resident tensor is one of its own.
 *
 * @module
 */

import { type OpName, opNames } from "./catalog.ts";
import type {
  ArrayInput,
  BackendInfo,
  BackendModule,
  Feature,
  OpFunctions,
  Tensor,
  Unsupported,
} from "./contract.ts";
import { describe } from "./data.ts";
import { isTensor, type ResolvedOptions } from "./resolve.ts";

/** A declared limitation with a predicate on the resolved parameters. */
export interface ConditionalUnsupported extends Unsupported {
  /** Whether it holds for these parameters; always when absent. */
  readonly applies?: (p: ResolvedOptions) => boolean;
}

/** How an adapter describes itself to {@linkcode backendInfo}. */
export interface BackendDescription {
  /** The backend's name. */
  readonly name: string;
  /**
   * Why it cannot run now, or `undefined` when it can. Asked each time
   * `available` or `reason` is read, so a backend can stop being available
   * (a lost WebGPU device).
   */
  readonly unavailable: () => string | undefined;
  /** What it cannot compute (only the {@linkcode Unsupported} fields are kept). */
  readonly unsupported: readonly Unsupported[];
  /** Facts about its engine. */
  readonly properties: Readonly<Record<string, string | number | boolean>>;
}

/**
 * A frozen `backend` export of float32 precision whose `available` and
 * `reason` follow `unavailable()`.
 *
 * @param d The adapter's name, availability, limitations and properties.
 * @returns The backend description.
 *
 * @example
 * ```ts
 * import { backendInfo } from "@nonlin/core";
 * import assert from "node:assert";
 *
 * let reason: string | undefined;
 * const info = backendInfo({ name: "mine", unavailable: () => reason, unsupported: [], properties: {} });
 * assert.strictEqual(info.available, true);
 * reason = "device lost";
 * assert.strictEqual(info.available, false);
 * assert.strictEqual(info.reason, "device lost");
 * ```
 */
export function backendInfo(d: BackendDescription): BackendInfo {
  const capabilities = Object.freeze({
    unsupported: Object.freeze(
      d.unsupported.map(({ op, feature, reason, when }): Unsupported => ({
        op,
        feature,
        reason,
        ...(when === undefined ? {} : { when }),
      })),
    ),
    properties: Object.freeze({ ...d.properties }),
  });
  return Object.freeze({
    name: d.name,
    get available() {
      return d.unavailable() === undefined;
    },
    get reason() {
      return d.unavailable();
    },
    precision: "float32" as const,
    capabilities,
  }) as BackendInfo;
}

/**
 * The declared limitation that covers an op's feature under resolved
 * parameters, if any.
 *
 * @param entries The adapter's limitations.
 * @param call The op, the feature and the resolved parameters.
 * @returns The first entry that applies, or `undefined`.
 *
 * @example
 * ```ts
 * import { unsupportedFor } from "@nonlin/core";
 * import assert from "node:assert";
 *
 * const entries = [{ op: "gelu", feature: "secondDerivative", reason: "no", applies: (p: { approximate?: unknown }) => p.approximate === "tanh" }] as const;
 * assert.strictEqual(unsupportedFor(entries, { op: "gelu", feature: "secondDerivative", params: { approximate: "none" } }), undefined);
 * assert.strictEqual(unsupportedFor(entries, { op: "gelu", feature: "secondDerivative", params: { approximate: "tanh" } }), entries[0]);
 * ```
 */
export function unsupportedFor<T extends ConditionalUnsupported>(
  entries: readonly T[],
  call: {
    readonly op: string;
    readonly feature: Feature;
    readonly params: ResolvedOptions;
  },
): T | undefined {
  return entries.find((e) =>
    e.op === call.op && e.feature === call.feature &&
    (e.applies === undefined || e.applies(call.params))
  );
}

/**
 * Checks that `t` is a resident tensor of this backend, as a tensor class
 * sees it: an instance of `kind` carrying the backend's name.
 *
 * @param t The value passed where a tensor of the backend is wanted.
 * @param own The tensor class, the backend's name, and what `t` is (`"x"`).
 * @returns `t`, typed as the class.
 * @throws {TypeError} For something else, naming what it is.
 *
 * @example
 * ```ts
 * import { ownTensor, type Tensor } from "@nonlin/core";
 * import assert from "node:assert";
 *
 * class MyTensor implements Tensor {
 *   readonly backend = "mine";
 *   readonly shape = [1];
 *   readonly size = 1;
 *   readonly disposed = false;
 *   read() { return Promise.resolve(new Float32Array(1)); }
 *   dispose() {}
 * }
 * const t = new MyTensor();
 * assert.strictEqual(ownTensor(t, { kind: MyTensor, backend: "mine", what: "x" }), t);
 * assert.throws(() => ownTensor([1] as never, { kind: MyTensor, backend: "mine", what: "x" }), TypeError);
 * ```
 */
export function ownTensor<T extends Tensor>(
  t: Tensor,
  own: {
    // deno-lint-ignore no-explicit-any
    readonly kind: abstract new (...args: any[]) => T;
    readonly backend: string;
    readonly what: string;
  },
): T {
  const { backend, what } = own;
  if (!(t instanceof own.kind)) {
    throw new TypeError(
      `${what} is not a tensor of backend ${backend}: got ${
        isTensor(t) ? `a tensor of backend ${t.backend}` : describe(t)
      }`,
    );
  }
  if (t.backend !== backend) {
    throw new TypeError(
      `${what} belongs to backend ${t.backend}, not ${backend}: read it and upload it with ${backend}'s tensor()`,
    );
  }
  return t;
}

/** The elementwise computations of a backend module. */
export type ElementwiseFeature = "forward" | "derivative" | "secondDerivative";

/** What {@linkcode backendModule} assembles a backend module from. */
export interface BackendParts {
  /** The `backend` export. */
  readonly backend: BackendInfo;
  /** The `tensor` export. */
  readonly tensor: (data: ArrayInput, shape?: readonly number[]) => Tensor;
  /** The `vjp` export, loosely typed. */
  readonly vjp: (op: OpName, x: unknown, options: unknown) => unknown;
  /**
   * f, f′ or f″ of an op, resident or on host data, as the contract's
   * functions take it (the op as the caller gave it: the call checks it).
   */
  readonly elementwise: (
    feature: ElementwiseFeature,
    op: OpName,
    x: unknown,
    options: unknown,
  ) => unknown;
  /** The `release` export, for a backend that holds a device. */
  readonly release?: () => Promise<void>;
}

/**
 * A whole backend module from its parts: one function per catalog op (named
 * after it) and `derivative` and `secondDerivative`, all through
 * `parts.elementwise`.
 *
 * @param parts The backend, tensor upload, VJP and elementwise computation.
 * @returns Every export of the {@linkcode BackendModule} contract.
 *
 * @example
 * ```ts
 * import { backendInfo, backendModule, checkBackendModule } from "@nonlin/core";
 * import assert from "node:assert";
 *
 * const m = backendModule({
 *   backend: backendInfo({ name: "none", unavailable: () => "never runs", unsupported: [], properties: {} }),
 *   tensor: () => { throw new Error("unavailable"); },
 *   vjp: () => Promise.reject(new Error("unavailable")),
 *   elementwise: () => Promise.reject(new Error("unavailable")),
 * });
 * assert.strictEqual(m.gelu.name, "gelu");
 * checkBackendModule(m, "the assembled module");
 * ```
 */
export function backendModule(parts: BackendParts): BackendModule {
  const { elementwise } = parts;
  const functions = Object.fromEntries(
    opNames.map((op) => {
      const fn = (x: unknown, options?: unknown) =>
        elementwise("forward", op, x, options);
      Object.defineProperty(fn, "name", { value: op });
      return [op, fn];
    }),
  ) as unknown as OpFunctions;
  return {
    backend: parts.backend,
    ...functions,
    tensor: parts.tensor,
    vjp: parts.vjp as BackendModule["vjp"],
    derivative: ((op: OpName, x: unknown, options?: unknown) =>
      elementwise(
        "derivative",
        op,
        x,
        options,
      )) as BackendModule["derivative"],
    secondDerivative:
      ((op: OpName, x: unknown, options?: unknown) =>
        elementwise(
          "secondDerivative",
          op,
          x,
          options,
        )) as BackendModule["secondDerivative"],
    ...(parts.release === undefined ? {} : { release: parts.release }),
  };
}
