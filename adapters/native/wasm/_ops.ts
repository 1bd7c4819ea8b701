/**
 * The SIMD kernel table: every op's definition (`../_definitions.ts`) on
 * float64 lanes, and the overrides that pay on WebAssembly. `_module.ts`
 * wraps each entry in the loops. Two lane kinds:
 * - `f32`: overrides for ops that are exact in float32 (clamps and selects:
 *   relu, relu6, hardTanh), four lanes at a time;
 * - `f64`: every definition, on float64 lanes (an f32x4 vector is widened
 *   into two f64x2 vectors, and `_module.ts` computes the vectors of a loop
 *   step side by side), so each result is rounded to float32 once.
 *
 * The loops a kernel lists in `delegates` (its definition's `finiteOnly`)
 * compute only finite inputs: the loop records any vector holding NaN or ±∞
 * and the JavaScript kernels finish those elements, so the special values
 * are exactly the JavaScript path's. The other loops give NaN and the
 * limits at ±∞ by construction (`simd_kernels_test.ts` holds both to the
 * JavaScript kernels' results).
 *
 * @module
 */

import {
  type Definition,
  definitions,
  geluSlopeNearRoot,
  type KernelName,
  type Loop,
} from "../_definitions.ts";
import { F32x4, type Local, V128 } from "./_asm.ts";
import type { K, V, VectorMath } from "./_vmath.ts";

type L = Local<"v128">;

/** The kernel's scalar parameters, splatted to every lane. */
export type Params = Readonly<Record<string, L>>;

/** One elementwise loop body: `x` in, the result out. */
export type Unary = (k: K, x: L, p: Params) => V;

/** The VJP body: dx and one term per learned parameter (summed by the loop). */
export type VjpBody = (
  k: K,
  x: L,
  dy: L,
  p: Params,
) => { readonly dx: V; readonly grads: readonly V[] };

export type { KernelName, Loop };

/** What every kernel family has, whatever its lanes. */
interface KernelCommon {
  /** The scalar parameters every loop takes (float64 arguments), in order. */
  readonly params: readonly string[];
  /** The learned parameters whose sums the VJP returns, in order. */
  readonly grads: readonly string[];
  /** The loops whose non-finite inputs go to the JavaScript kernels. */
  readonly delegates: readonly Loop[];
}

/** A hand-written family on four float32 lanes. */
export interface Float32Kernel extends KernelCommon {
  readonly lanes: "f32";
  readonly forward: Unary;
  readonly derivative: Unary;
  readonly secondDerivative: Unary;
  readonly vjp: VjpBody;
}

/**
 * A definition on float64 lanes: `_module.ts` runs it over groups of f64x2
 * vectors (`KGroup`), the two halves of each f32x4 vector and two vectors a
 * loop step where it can.
 */
export interface Float64Kernel extends KernelCommon {
  readonly lanes: "f64";
  readonly definition: Definition;
  /** The loops this set computes its own way instead (see `tuned`). */
  readonly tuned: Tuned;
}

/**
 * An elementwise loop written for this set's math (`VectorMath`, which has
 * more than the lane algebra: Φ with its scalings folded in, say).
 */
export type TunedLoop = <T>(
  k: VectorMath<T>,
  x: T,
  p: Readonly<Record<string, T>>,
) => T;

/** Loops of a definition that this set computes its own way. */
export type Tuned = {
  readonly [L in Exclude<Loop, "vjp">]?: TunedLoop;
};

/** The loops of one kernel family. */
export type KernelDef = Float32Kernel | Float64Kernel;

// ------------------------------------------------------------ float32 lanes

/** f32x4: 0, or NaN for NaN. */
function zeroOrNaN32(x: L): V {
  return V128.and(F32x4.ne(x, x), x);
}

/** f32x4 lanes `mask ? 1 : (NaN ? NaN : 0)`. */
function slope32(k: K, x: L, mask: V): V {
  const one = k.ci(0x3f800000);
  return V128.or(V128.and(mask, one), zeroOrNaN32(x));
}

const relu: Float32Kernel = {
  lanes: "f32",
  params: [],
  grads: [],
  delegates: [],
  // max(x, 0) with NaN kept (pmax keeps its first operand's NaN); + 0 turns −0 into +0.
  forward: (k, x) => F32x4.add(F32x4.pmax(x, k.ci(0)), k.ci(0)),
  derivative: (k, x) => slope32(k, x, F32x4.gt(x, k.ci(0))),
  secondDerivative: (_k, x) => zeroOrNaN32(x),
  vjp: (k, x, dy) => ({
    dx: F32x4.mul(dy, slope32(k, x, F32x4.gt(x, k.ci(0)))),
    grads: [],
  }),
};

const SIX_F32 = 0x40c00000;

const relu6: Float32Kernel = {
  lanes: "f32",
  params: [],
  grads: [],
  delegates: [],
  forward: (k, x) =>
    F32x4.add(
      F32x4.pmin(F32x4.pmax(x, k.ci(0)), k.ci(SIX_F32)),
      k.ci(0),
    ),
  derivative: (k, x) => slope32(k, x, relu6Inside(k, x)),
  secondDerivative: (_k, x) => zeroOrNaN32(x),
  vjp: (k, x, dy) => ({
    dx: F32x4.mul(dy, slope32(k, x, relu6Inside(k, x))),
    grads: [],
  }),
};

function relu6Inside(k: K, x: L): V {
  return V128.and(F32x4.gt(x, k.ci(0)), F32x4.le(x, k.ci(SIX_F32)));
}

/**
 * hardTanh in float32. Parameters: `lo`, `hi` (the bounds rounded to
 * float32: clamping against them gives the float64 clamp rounded), and
 * `above`, `atMost` (the least float32 above min and the greatest float32
 * not above max, so `x > min && x <= max` is `above <= x && x <= atMost`
 * exactly, as the JavaScript kernel compares in float64).
 */
const hardTanh: Float32Kernel = {
  lanes: "f32",
  params: ["lo", "hi", "above", "atMost"],
  grads: [],
  delegates: [],
  forward: (_k, x, p) => F32x4.pmin(F32x4.pmax(x, p.lo!), p.hi!),
  derivative: (k, x, p) => slope32(k, x, hardTanhInside(x, p)),
  secondDerivative: (_k, x) => zeroOrNaN32(x),
  vjp: (k, x, dy, p) => ({
    dx: F32x4.mul(dy, slope32(k, x, hardTanhInside(x, p))),
    grads: [],
  }),
};

function hardTanhInside(x: L, p: Params): V {
  return V128.and(F32x4.ge(x, p.above!), F32x4.le(x, p.atMost!));
}

/** A definition on float64 lanes, with the loops `tuned` gives for it. */
function float64(def: Definition, tuned: Tuned = {}): Float64Kernel {
  return {
    lanes: "f64",
    params: def.params,
    grads: def.grads,
    delegates: def.finiteOnly,
    definition: def,
    tuned,
  };
}

/**
 * Loops the SIMD set computes from the same formula in fewer operations
 * than the definition's lane algebra allows (`simd_kernels_test.ts` and the
 * accuracy sweep hold them to the same bounds):
 * - gelu forward, x·Φ(x) with Φ from `VectorMath.normalParts`: erfcFast's
 *   method with −x/√2, the factor ½ and the cap at 11 folded away (about
 *   15% fewer operations), and gelu′ = Φ + xφ with φ from Φ's own
 *   exponential (one exponential instead of two).
 *
 * - sigmoid′, σ(x)σ(−x) as E/(1 + E)² from E = e^−|x| (`logisticSlope`).
 *
 * - squareplus forward, (x + s)/2 for every x, and the definition's
 *   b/(2(s − x)) (a division, which costs as much as the square root) only
 *   for vectors with a lane where x + s cancels: with s = √(x² + b) within
 *   1.5·2⁻⁵³, (x + s)/2 is within 6·2⁻⁵³·(x² + b)/b relatively, under 2⁻³⁸
 *   while x² ≤ 2¹²·b (|x| ≤ 128 at b = 4: a float32 rounding off by it
 *   needs a tie within 2⁻¹⁴ of an ulp); beyond, and at −∞ (where x + s is
 *   NaN), the division. At b = 0, s = |x| and every x < 0 takes the
 *   division (b/… = 0).
 *
 * A tuned derivative also gives the VJP of an op without learned
 * parameters (dx = dy·f′, as the definitions' `chain`).
 */
const tunedLoops: { readonly [N in KernelName]?: Tuned } = {
  // σ′ = σ(x)σ(−x) in one division, from e^−|x|.
  sigmoid: { derivative: (k, x) => k.logisticSlope(x, "fast") },
  squareplus: {
    forward: (k, x, p) => {
      // √(x² + b) with no case for b = 0: x² of a float32 is exact in
      // float64 (neither underflows nor overflows), so √(x²) is |x|.
      const x2 = k.let(k.mul(x, x));
      const s = k.let(k.sqrt(k.add(x2, p.b!)));
      const y = k.let(k.mul(k.add(x, s), k.c(0.5)));
      const far = k.let(
        k.and(k.lt(x, k.c(0)), k.gt(x2, k.mul(p.b!, k.c(2 ** 12)))),
      );
      k.when(far, () => {
        k.set(
          y,
          k.select(far, k.div(p.b!, k.mul(k.c(2), k.sub(s, x))), y),
        );
      });
      return y;
    },
  },
  // x − tanh x: near 0 a degree-5 fit of the series (x − tanh x)/x³ in x²
  // on |x| < 0.35 (2⁻³⁵·²) instead of the definition's ten terms on
  // |x| < 1/2; above, tanh from a degree-7 exponential (2⁻³⁷·⁵) instead of
  // the accurate one: x − tanh x magnifies tanh's error at most 2·49-fold
  // there (at 0.35), so within 2⁻³⁰.
  tanhshrink: {
    forward: (k, x) => {
      const x2 = k.let(k.mul(x, x));
      const series = k.mul(k.mul(x, x2), k.poly(x2, TANHSHRINK_NEAR_0));
      return k.select(
        k.lt(k.abs(x), k.c(0.35)),
        series,
        k.sub(x, k.tanhMid(x)),
      );
    },
  },
  gelu: {
    forward: (k, x) => k.mul(x, k.normalCdf(x)),
    // Φ + xφ with φ = g/√(2π) from Φ's own exponential, then the
    // definition's accurate window around the root.
    derivative: (k, x) => {
      const { cdf, g } = k.normalParts(x);
      const d = k.let(k.madd(k.mul(x, g), k.c(INV_SQRT_2PI), cdf));
      return geluSlopeNearRoot(k, x, d);
    },
  },
};

const INV_SQRT_2PI = 0.3989422804014327;

/**
 * (x − tanh x)/x³ as a polynomial in x² on |x| < 0.35: 1/3, then the
 * rest, ((x − tanh x)/x³ − 1/3)/x², interpolated at the Chebyshev nodes of
 * [0, 0.35²] (relative error 2⁻³⁵·², and near 0 within float64 rounding).
 */
const TANHSHRINK_NEAR_0 = [
  1 / 3,
  -0.13333333326389565,
  0.053968225598197896,
  -0.021867626137696373,
  0.008820174430918397,
  -0.0031799817117260203,
];

/** The kernels that run on float32 lanes instead of their definitions. */
const overrides: { readonly [N in KernelName]?: Float32Kernel } = {
  relu,
  relu6,
  hardTanh,
};

/**
 * Every kernel, by kernel name: the override where there is one, else the
 * definition on float64 lanes. Names whose definition is another's (prelu:
 * leakyRelu's) get that kernel itself, so the module builds it once.
 */
export const kernelDefs: { readonly [N in KernelName]: KernelDef } = (() => {
  const built = new Map<Definition, KernelDef>();
  const table = {} as Record<KernelName, KernelDef>;
  for (const name of Object.keys(definitions) as KernelName[]) {
    const def = definitions[name];
    let kernel = overrides[name] ?? built.get(def);
    if (kernel === undefined) {
      kernel = float64(def, tunedLoops[name]);
      built.set(def, kernel);
    }
    table[name] = kernel;
  }
  return Object.freeze(table);
})();

/**
 * The kernels the module builds, each once, under the first name that has
 * it (leakyRelu's serves prelu).
 */
export const kernelFamilies: readonly (readonly [KernelName, KernelDef])[] =
  (() => {
    const seen = new Set<KernelDef>();
    const out: (readonly [KernelName, KernelDef])[] = [];
    for (const name of Object.keys(kernelDefs) as KernelName[]) {
      const def = kernelDefs[name];
      if (!seen.has(def)) out.push([name, def]);
      seen.add(def);
    }
    return Object.freeze(out);
  })();
