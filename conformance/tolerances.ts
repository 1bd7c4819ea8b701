/**
 * The tolerance policy: how far each backend's results may be from the
 * float64 reference, per precision profile, each number with its reason. ULPs
 * are float32 ULPs from the reference rounded to float32. This is the only
 * file that holds tolerances; what falls outside them is a failure or a
 * ledger entry (ledger.ts), never a wider tolerance here.
 *
 * @module
 */

import { type OpName, opNames, ops } from "@nonlin/core";
import type { Tolerance } from "./compare.ts";

/** The quantities a tolerance applies to, elementwise. */
export type Quantity =
  | "values"
  | "vjp"
  | "derivative"
  | "secondDerivative"
  | "dparams";

/** A precision profile: default tolerances, and per-op ones where an op needs its own. */
export interface Profile {
  /** What kind of arithmetic the profile describes. */
  readonly description: string;
  /** Tolerances for every op. */
  readonly defaults: { readonly [Q in Quantity]: Tolerance };
  /** Per-op tolerances that replace the defaults. */
  readonly ops?: {
    readonly [N in OpName]?: { readonly [Q in Quantity]?: Tolerance };
  };
}

/** A tolerance for every quantity at once, with one reason. */
function all(
  ulp: number,
  reason: string,
): { readonly [Q in Quantity]: Tolerance } {
  return {
    values: { ulp, reason },
    vjp: { ulp, reason },
    derivative: { ulp, reason },
    secondDerivative: { ulp, reason },
    dparams: { ulp, reason },
  };
}

/**
 * The ops computed with arithmetic and comparisons only, no exp, log, tanh or
 * erf: those the catalog marks `arithmeticOnly`. Every backend must give them
 * and their gradients exactly (the reference rounded once) unless the ledger
 * says why.
 */
export const arithmeticOps: readonly OpName[] = opNames.filter((op) =>
  ops[op].arithmeticOnly
);

const exactReason =
  "arithmetic and comparisons only: exact (the reference rounded once) on every backend, " +
  "unless the ledger says why";

/** Exact tolerances for every arithmetic-only op, for every profile. */
const exactOps = Object.fromEntries(
  arithmeticOps.map((op) => [op, all(0, exactReason)]),
) as { readonly [N in OpName]?: { readonly [Q in Quantity]?: Tolerance } };

const tfjsChain =
  "tfjs composes each op of float32 kernels, each rounding its result (tfjs-cpu evaluates " +
  "JS Math in float64 per kernel, tfjs-wasm runs XNNPACK); a chain of up to about 8 such steps, " +
  "log1p(exp(x)) in softplus and logSigmoid the worst, stays within 8 ULP wherever tfjs's formula " +
  "is well conditioned";

/** tfjs-cpu's and tfjs-wasm's tolerances: one chain of float32 kernels. */
const tfjsDefaults: { readonly [Q in Quantity]: Tolerance } = {
  ...all(8, tfjsChain),
  secondDerivative: {
    ulp: 16,
    reason: `${tfjsChain}; nested tf.grad doubles the chain`,
  },
};

/** Every profile, by name. */
export const profiles: Readonly<Record<string, Profile>> = {
  native: {
    description:
      "native computes every kernel in float64 with the catalog's stable formulas and rounds once; " +
      "its own tests promise 1 ULP for values and 2 for gradients",
    defaults: {
      values: {
        ulp: 1,
        reason:
          "float64 arithmetic rounded once: within 1 ULP of the reference rounded once",
      },
      vjp: { ulp: 2, reason: "f'(x) rounded once, times dy, rounded again" },
      derivative: { ulp: 2, reason: "native's promise for gradients: 2 ULP" },
      secondDerivative: {
        ulp: 2,
        reason: "native's promise for gradients: 2 ULP",
      },
      dparams: {
        ulp: 2,
        reason: "per term, as the VJP; the sum is bounded separately",
      },
    },
    ops: exactOps,
  },
  "native-webgpu": {
    description:
      "native-webgpu computes the catalog's stable formulas in WGSL, in plain f32 with error-free steps where a " +
      "per-op error analysis shows the promise holds (adapters/native/webgpu/_wgsl_f32.ts) and in double-f32 " +
      "(about 2⁻⁴⁴) elsewhere, and rounds once; its promise is 2 ULP for values and 4 for gradients on every device",
    defaults: {
      values: {
        ulp: 2,
        reason:
          "rounded once from an f32 pair (by its error analysis) or a double-f32: the issue's promise for values, 2 ULP",
      },
      vjp: {
        ulp: 4,
        reason:
          "f'(x) as an f32 pair or a double-f32 times dy, rounded once: the promise for gradients, 4 ULP",
      },
      derivative: { ulp: 4, reason: "the promise for gradients: 4 ULP" },
      secondDerivative: { ulp: 4, reason: "the promise for gradients: 4 ULP" },
      dparams: {
        ulp: 4,
        reason: "per term, as the VJP; the sum is bounded separately",
      },
    },
    ops: exactOps,
  },
  "tfjs-cpu": {
    description:
      "TensorFlow.js 4.22 on its cpu backend: float32 tensors, one JS kernel per tfjs op",
    defaults: tfjsDefaults,
    ops: exactOps,
  },
  "tfjs-wasm": {
    description:
      "TensorFlow.js 4.22 on its wasm backend (XNNPACK kernels, SIMD where available)",
    defaults: tfjsDefaults,
    ops: exactOps,
  },
  "tfjs-webgpu": {
    description:
      "TensorFlow.js 4.22 on its webgpu backend: WGSL shaders, here on Mesa's llvmpipe",
    defaults: all(
      64,
      "WGSL only requires exp and exp2 to be within 3 + 2·|x| ULP, and derives log, tanh and the rest from them " +
        "(the WGSL specification, Floating Point Accuracy); over the range where the activations are not saturated " +
        "(|x| up to about 30) that allows up to about 64 ULP",
    ),
    ops: exactOps,
  },
  float32: {
    description:
      "any other backend whose kernels compute in float32 (the default for third-party modules)",
    defaults: {
      values: {
        ulp: 4,
        reason:
          "a float32 result of a short chain of correctly rounded steps lands within a few ULPs",
      },
      vjp: {
        ulp: 8,
        reason:
          "f'(x) within its tolerance, then one more rounding for the product with dy",
      },
      derivative: {
        ulp: 8,
        reason:
          "a derivative chains a few more float32 steps than its function",
      },
      secondDerivative: {
        ulp: 16,
        reason: "a second derivative chains more steps again",
      },
      dparams: {
        ulp: 8,
        reason: "as the derivative, per term; the sum is bounded separately",
      },
    },
    ops: exactOps,
  },
};

/**
 * The profile of each built-in backend; any other backend gets the profile
 * named by its `precision` (`"float32"`).
 */
export const backendProfiles: Readonly<Record<string, string>> = {
  native: "native",
  "native-js": "native",
  "native-webgpu": "native-webgpu",
  "tfjs-cpu": "tfjs-cpu",
  "tfjs-wasm": "tfjs-wasm",
  "tfjs-webgpu": "tfjs-webgpu",
};

/**
 * How far native's fused VJP may be from the VJP of the op's expanded
 * composition (the `fusedVjp` check), beyond both roundings to float32: the
 * composition runs in float64, and where it cancels (1 + erf(x/√2) far left,
 * (1 − e)/(1 + e) for tanh) it keeps an absolute error of a few float64 ULPs
 * of its terms, which are at most max(1, |x|)·|dy|. `abs` is that bound, per
 * unit of max(1, |x|)·|dy|.
 */
export const compositionSlack: {
  readonly abs: number;
  readonly reason: string;
} = {
  abs: 2 ** -40,
  reason:
    "float64 cancellation in the composition: a few float64 ULPs of terms of size max(1, |x|)·|dy|",
};

/**
 * The profile a backend is held to, chosen by the runner, never by the
 * backend: a built-in backend's own, and `float32` for every other (a
 * backend's declared `precision` does not choose a looser profile).
 *
 * @param backend The built-in backend's name.
 * @returns The profile's name.
 *
 * @example
 * ```ts
 * import { profileOf } from "@nonlin/conformance";
 * import assert from "node:assert";
 *
 * assert.strictEqual(profileOf("tfjs-webgpu"), "tfjs-webgpu");
 * assert.strictEqual(profileOf("my-onnx-backend"), "float32");
 * ```
 */
export function profileOf(backend: string): string {
  if (Object.hasOwn(backendProfiles, backend)) return backendProfiles[backend]!;
  return "float32";
}

const added = new Map<string, Profile>();

/**
 * Adds a third-party backend's profile (from `--tolerances FILE`): its
 * tolerances over float32's, per quantity and per op; arithmetic-only ops
 * stay exact unless the file names them.
 *
 * @param backend The backend's name; the profile is called `<name> (--tolerances)`.
 * @param profile Partial tolerances.
 * @returns The profile's name.
 */
export function addProfile(
  backend: string,
  profile: {
    readonly description?: string;
    readonly defaults?: { readonly [Q in Quantity]?: Tolerance };
    readonly ops?: Profile["ops"];
  },
): string {
  const base = profiles.float32!;
  const name = `${backend} (--tolerances)`;
  added.set(name, {
    description: profile.description ??
      `tolerances given for ${backend} with --tolerances`,
    defaults: { ...base.defaults, ...profile.defaults },
    ops: { ...base.ops, ...profile.ops },
  });
  return name;
}

/** A profile by name, added ones included. */
export function profileNamed(name: string): Profile | undefined {
  return Object.hasOwn(profiles, name) ? profiles[name] : added.get(name);
}

/**
 * The tolerance of one quantity of one op under a profile.
 *
 * @param profile The profile's name.
 * @param op The op.
 * @param quantity The quantity.
 * @returns The tolerance.
 *
 * @example
 * ```ts
 * import { toleranceOf } from "@nonlin/conformance";
 * import assert from "node:assert";
 *
 * assert.strictEqual(toleranceOf("float32", "gelu", "values").ulp, 4);
 * ```
 */
export function toleranceOf(
  profile: string,
  op: OpName,
  quantity: Quantity,
): Tolerance {
  const p = profileNamed(profile);
  if (p === undefined) {
    throw new RangeError(`Unknown tolerance profile: ${profile}`);
  }
  return p.ops?.[op]?.[quantity] ?? p.defaults[quantity];
}
