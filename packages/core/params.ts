/**
 * Parameter specs of the op catalog and their validation.
 *
 * @module
 */

/** A closed, open or half-open interval of the real line. */
export interface Interval {
  /** Lower bound; `-Infinity` for none. */
  readonly min: number;
  /** Upper bound; `Infinity` for none. */
  readonly max: number;
  /** Whether `min` itself is excluded. @default false */
  readonly minOpen?: boolean;
  /** Whether `max` itself is excluded. @default false */
  readonly maxOpen?: boolean;
}

/** A real-valued parameter with a default. */
export interface RealParamSpec {
  /** Discriminant. */
  readonly kind: "real";
  /** The value used when the caller gives none. */
  readonly default: number;
  /** The valid values; NaN is never valid. */
  readonly range: Interval;
  /** Whether gradients are taken with respect to it. */
  readonly learned: boolean;
  /** One line on what it does. */
  readonly doc: string;
}

/**
 * A real-valued parameter the caller must always give (threshold's
 * `threshold` and `value`, as PyTorch requires them): no default.
 */
export interface RequiredRealParamSpec {
  /** Discriminant. */
  readonly kind: "real";
  /** Always given by the caller. */
  readonly required: true;
  /** The valid values; NaN is never valid. */
  readonly range: Interval;
  /** Whether gradients are taken with respect to it. */
  readonly learned: boolean;
  /** One line on what it does. */
  readonly doc: string;
}

/** A tensor parameter broadcast against x (prelu's α): no default. */
export interface TensorParamSpec {
  /** Discriminant. */
  readonly kind: "tensor";
  /** Always given by the caller. */
  readonly required: true;
  /** The valid element values; NaN is never valid. */
  readonly range: Interval;
  /** Gradients are taken with respect to it, summed over broadcast dimensions. */
  readonly learned: true;
  /** One line on what it does. */
  readonly doc: string;
}

/** A parameter taking one of a few strings. */
export interface ChoiceParamSpec {
  /** Discriminant. */
  readonly kind: "choice";
  /** The value used when the caller gives none. */
  readonly default: string;
  /** The valid values. */
  readonly choices: readonly string[];
  /** Never learned. */
  readonly learned: false;
  /** One line on what it does. */
  readonly doc: string;
}

/** Any parameter spec. */
export type ParamSpec =
  | RealParamSpec
  | RequiredRealParamSpec
  | TensorParamSpec
  | ChoiceParamSpec;

/**
 * Formats an interval the way the error messages and docs show it.
 *
 * @param range The interval.
 * @returns e.g. `"(0, ∞)"` or `"[-1, 1]"`.
 *
 * @example
 * ```ts
 * import { formatInterval } from "@nonlin/core";
 * import assert from "node:assert";
 *
 * assert.strictEqual(formatInterval({ min: 0, max: Infinity, minOpen: true }), "(0, ∞)");
 * ```
 */
export function formatInterval(range: Interval): string {
  const lo = range.min === -Infinity ? "-∞" : String(range.min);
  const hi = range.max === Infinity ? "∞" : String(range.max);
  const open = range.minOpen || range.min === -Infinity ? "(" : "[";
  const close = range.maxOpen || range.max === Infinity ? ")" : "]";
  return `${open}${lo}, ${hi}${close}`;
}

/**
 * Whether `value` lies in `range`. Parameters are finite: NaN and ±∞ never lie
 * in a range, whatever its bounds.
 *
 * @param value A number.
 * @param range The interval.
 * @returns `true` when inside.
 *
 * @example
 * ```ts
 * import { inInterval } from "@nonlin/core";
 * import assert from "node:assert";
 *
 * assert.ok(!inInterval(0, { min: 0, max: Infinity, minOpen: true }));
 * assert.ok(!inInterval(NaN, { min: -Infinity, max: Infinity }));
 * ```
 */
export function inInterval(value: number, range: Interval): boolean {
  if (value !== value || value === Infinity || value === -Infinity) {
    return false;
  }
  if (range.minOpen ? value <= range.min : value < range.min) return false;
  if (range.maxOpen ? value >= range.max : value > range.max) return false;
  return true;
}
