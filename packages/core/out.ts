/**
 * The host form's `out` option, checked the same way on every backend: where
 * a call that returns host data writes it instead of a new Float32Array.
 * The rules are those of {@linkcode HostOut} in the contract.
 *
 * @module
 */

import type { Tensor } from "./contract.ts";
import { describe } from "./data.ts";
import { getOp, isTensor } from "./resolve.ts";

/**
 * The `out` of a host-form call's options object, or `undefined`. Reads the
 * property once (a getter is not asked twice).
 *
 * @param options The caller's options (anything).
 * @returns `options.out`, or `undefined` when options is not an object.
 *
 * @example
 * ```ts
 * import { outOption } from "@nonlin/core";
 * import assert from "node:assert";
 *
 * const y = new Float32Array(2);
 * assert.strictEqual(outOption({ beta: 2, out: y }), y);
 * assert.strictEqual(outOption(undefined), undefined);
 * ```
 */
export function outOption(options: unknown): unknown {
  if (typeof options !== "object" || options === null) return undefined;
  return (options as { out?: unknown }).out;
}

/**
 * An op's parameters without the host form's `out`: `options` itself when it
 * has no `out` key, `undefined` when `out` was its only key (so a call with
 * only `out` counts as a call with default parameters), else a copy without
 * `out`.
 *
 * @param options The caller's options (anything; non-objects pass through
 * for the parameter check to refuse).
 * @returns The parameters.
 *
 * @example
 * ```ts
 * import { withoutOut } from "@nonlin/core";
 * import assert from "node:assert";
 *
 * const out = new Float32Array(1);
 * assert.deepStrictEqual(withoutOut({ beta: 2, out }), { beta: 2 });
 * assert.strictEqual(withoutOut({ out }), undefined);
 * const params = { beta: 2 };
 * assert.strictEqual(withoutOut(params), params);
 * ```
 */
export function withoutOut(options: unknown): unknown {
  if (
    typeof options !== "object" || options === null || !("out" in options)
  ) {
    return options;
  }
  let rest: Record<string, unknown> | undefined;
  for (const key of Object.keys(options)) {
    if (key === "out") continue;
    (rest ??= {})[key] = (options as Record<string, unknown>)[key];
  }
  return rest;
}

/**
 * Checks an `out` array: a Float32Array of exactly `length` elements.
 *
 * @param out The caller's value.
 * @param length The result's number of elements.
 * @param what Names it in the message, e.g. `"out"` or `"out.dx"`.
 * @returns `out`, typed.
 * @throws {TypeError} When it is not a Float32Array.
 * @throws {RangeError} When its length is not `length`.
 *
 * @example
 * ```ts
 * import { checkOut } from "@nonlin/core";
 * import assert from "node:assert";
 *
 * const y = new Float32Array(3);
 * assert.strictEqual(checkOut(y, 3, "out"), y);
 * assert.throws(() => checkOut(y, 4, "out"), RangeError);
 * assert.throws(() => checkOut(new Float64Array(3), 3, "out"), TypeError);
 * ```
 */
export function checkOut(
  out: unknown,
  length: number,
  what: string,
): Float32Array {
  if (!(out instanceof Float32Array)) {
    throw new TypeError(
      `${what} must be a Float32Array: got ${
        isTensor(out) ? "a tensor (out is for host data)" : describe(out)
      }`,
    );
  }
  if (out.length !== length) {
    throw new RangeError(
      `${what} must hold ${length} element${
        length === 1 ? "" : "s"
      }, the result's length: got ${out.length}`,
    );
  }
  return out;
}

/** Whether two views share any byte. */
function overlaps(a: Float32Array, b: Float32Array): boolean {
  return a.buffer === b.buffer && a.byteLength > 0 && b.byteLength > 0 &&
    a.byteOffset < b.byteOffset + b.byteLength &&
    b.byteOffset < a.byteOffset + a.byteLength;
}

/** Whether two views are the same bytes (the same array, or an equal view). */
function sameBytes(a: Float32Array, b: Float32Array): boolean {
  return a.buffer === b.buffer && a.byteOffset === b.byteOffset &&
    a.length === b.length;
}

/**
 * Checks the aliasing rule of `out`: it may be exactly an input's bytes
 * (`inPlace`: the call works in place), or share none of them; a partial
 * overlap is refused because the result would depend on the order in which
 * a backend reads and writes.
 *
 * @param out The output.
 * @param input An input (x or dy), or another output of the same call.
 * @param what Names both in the message, e.g. `"out and x"`.
 * @param inPlace Whether `out` may be exactly `input`.
 * @throws {RangeError} For an overlap the rule forbids.
 *
 * @example
 * ```ts
 * import { checkAliasing } from "@nonlin/core";
 * import assert from "node:assert";
 *
 * const x = new Float32Array(4);
 * checkAliasing(x, x, "out and x", true); // in place: allowed
 * assert.throws(() => checkAliasing(x.subarray(1), x.subarray(0, 3), "out and x", true), RangeError);
 * ```
 */
export function checkAliasing(
  out: Float32Array,
  input: Float32Array,
  what: string,
  inPlace: boolean,
): void {
  if (!overlaps(out, input)) return;
  if (inPlace && sameBytes(out, input)) return;
  throw new RangeError(
    `${what} overlap: ${
      inPlace
        ? "out may be exactly the input (in place) or share none of its bytes"
        : "they must share no bytes"
    }`,
  );
}

/**
 * Checks the shape of a VJP's `out` option: an object with optional `dx`
 * and `dparams`, whose keys are the op's learned parameters. The arrays
 * themselves are checked by {@linkcode checkOut} once their lengths are
 * known.
 *
 * @param op The op's name.
 * @param out The caller's `out` (undefined when absent).
 * @returns `{ dx, dparams }` (either undefined when not given).
 * @throws {TypeError} For a non-object, an unknown key or a parameter that
 * has no gradient.
 *
 * @example
 * ```ts
 * import { checkVjpOut } from "@nonlin/core";
 * import assert from "node:assert";
 *
 * const dx = new Float32Array(2);
 * assert.strictEqual(checkVjpOut("gelu", { dx }).dx, dx);
 * assert.throws(() => checkVjpOut("gelu", { dparams: { beta: dx } }), TypeError);
 * assert.throws(() => checkVjpOut("gelu", dx), TypeError);
 * ```
 */
export function checkVjpOut(
  op: string,
  out: unknown,
): {
  readonly dx: unknown;
  readonly dparams: Readonly<Record<string, unknown>> | undefined;
} {
  if (out === undefined) return { dx: undefined, dparams: undefined };
  if (
    typeof out !== "object" || out === null || ArrayBuffer.isView(out) ||
    isTensor(out)
  ) {
    throw new TypeError(
      `vjp out must be an object { dx?, dparams? }: got ${describe(out)}`,
    );
  }
  for (const key of Object.keys(out)) {
    if (key !== "dx" && key !== "dparams") {
      throw new TypeError(
        `Unknown key "${key}" in vjp out: expected dx, dparams`,
      );
    }
  }
  const { dx, dparams } = out as { dx?: unknown; dparams?: unknown };
  if (dparams === undefined) return { dx, dparams: undefined };
  if (typeof dparams !== "object" || dparams === null) {
    throw new TypeError(
      `vjp out.dparams must be an object: got ${describe(dparams)}`,
    );
  }
  const spec = getOp(op);
  const learned = Object.keys(spec.params).filter((name) =>
    spec.params[name]!.learned
  );
  for (const key of Object.keys(dparams)) {
    if (!learned.includes(key)) {
      throw new TypeError(
        `vjp out.dparams.${key}: ${spec.name} has no gradient for "${key}" (${
          learned.length === 0
            ? "it has no learned parameter"
            : `expected ${learned.join(", ")}`
        })`,
      );
    }
  }
  return { dx, dparams: dparams as Record<string, unknown> };
}

/**
 * Refuses `out` in a resident call: resident calls return new tensors.
 *
 * @param out The caller's `out` (undefined when absent).
 * @param what Names the call, e.g. `"gelu"`.
 * @throws {TypeError} When `out` is given.
 *
 * @example
 * ```ts
 * import { refuseResidentOut } from "@nonlin/core";
 * import assert from "node:assert";
 *
 * refuseResidentOut(undefined, "gelu");
 * assert.throws(() => refuseResidentOut(new Float32Array(1), "gelu"), TypeError);
 * ```
 */
export function refuseResidentOut(out: unknown, what: string): void {
  if (out !== undefined) {
    throw new TypeError(
      `${what}: out is for host data; a call on a resident tensor returns new tensors`,
    );
  }
}

/** The host data of a VJP call, as {@linkcode checkDxOut} and {@linkcode checkDparamsOut} check outs against it. */
export interface VjpHostData {
  /** x. */
  readonly x: Float32Array;
  /** dy, of x's length. */
  readonly dy: Float32Array;
  /** Where dx goes (the caller's `out.dx`, or the backend's own array), when known. */
  readonly dx?: Float32Array | undefined;
}

/**
 * Checks a host VJP's `out.dx`: x's length, and exactly x or dy (in place)
 * or none of their bytes.
 *
 * @param dx `out.dx` as {@linkcode checkVjpOut} returns it.
 * @param data x and dy.
 * @returns The array to write dx into, or `undefined` when not given.
 * @throws {TypeError} When dx is not a Float32Array.
 * @throws {RangeError} When it is not x's length, or overlaps x or dy
 * other than exactly.
 *
 * @example
 * ```ts
 * import { checkDxOut } from "@nonlin/core";
 * import assert from "node:assert";
 *
 * const x = new Float32Array(4);
 * const dy = new Float32Array(4);
 * assert.strictEqual(checkDxOut(x, { x, dy }), x); // in place
 * assert.strictEqual(checkDxOut(undefined, { x, dy }), undefined);
 * assert.throws(() => checkDxOut(new Float32Array(3), { x, dy }), RangeError);
 * ```
 */
export function checkDxOut(
  dx: unknown,
  data: VjpHostData,
): Float32Array | undefined {
  if (dx === undefined) return undefined;
  const out = checkOut(dx, data.x.length, "out.dx");
  checkAliasing(out, data.x, "out.dx and x", true);
  checkAliasing(out, data.dy, "out.dx and dy", true);
  return out;
}

/**
 * Checks a host VJP's `out.dparams` before anything is computed: each given
 * array has its gradient's size and shares no bytes with x, dy, dx or
 * another gradient.
 *
 * @param dparams `out.dparams` as {@linkcode checkVjpOut} returns it.
 * @param sizes Each learned parameter's gradient size, in the order to check.
 * @param data x, dy and where dx goes.
 * @returns The arrays to write each gradient into, by parameter; a
 * parameter the caller gave none for is absent.
 * @throws {TypeError} When an array is not a Float32Array.
 * @throws {RangeError} When an array is not its gradient's size, or
 * overlaps another.
 *
 * @example
 * ```ts
 * import { checkDparamsOut } from "@nonlin/core";
 * import assert from "node:assert";
 *
 * const x = new Float32Array(4);
 * const dy = new Float32Array(4);
 * const alpha = new Float32Array(1);
 * assert.strictEqual(checkDparamsOut({ alpha }, { alpha: 1 }, { x, dy }).alpha, alpha);
 * assert.throws(() => checkDparamsOut({ alpha: x }, { alpha: 4 }, { x, dy }), RangeError);
 * ```
 */
export function checkDparamsOut(
  dparams: Readonly<Record<string, unknown>> | undefined,
  sizes: Readonly<Record<string, number>>,
  data: VjpHostData,
): Record<string, Float32Array> {
  const targets: Record<string, Float32Array> = {};
  for (const [key, size] of Object.entries(sizes)) {
    const target = dparams?.[key];
    if (target === undefined) continue;
    const what = `out.dparams.${key}`;
    const d = checkOut(target, size, what);
    checkAliasing(d, data.x, `${what} and x`, false);
    checkAliasing(d, data.dy, `${what} and dy`, false);
    if (data.dx !== undefined) {
      checkAliasing(d, data.dx, `${what} and out.dx`, false);
    }
    for (const other of Object.values(targets)) {
      checkAliasing(d, other, `${what} and another gradient`, false);
    }
    targets[key] = d;
  }
  return targets;
}

/**
 * The parts of a VJP's options object, read once each.
 *
 * @param options The caller's third argument to `vjp`.
 * @returns `{ dy, params, out }` as given (params and out may be undefined).
 * @throws {TypeError} When options is not an object with a `dy`.
 *
 * @example
 * ```ts
 * import { vjpOptions } from "@nonlin/core";
 * import assert from "node:assert";
 *
 * assert.deepStrictEqual(vjpOptions({ dy: [1] }), { dy: [1], params: undefined, out: undefined });
 * assert.throws(() => vjpOptions([1]), TypeError);
 * ```
 */
export function vjpOptions(
  options: unknown,
): { dy: unknown; params: unknown; out: unknown } {
  if (typeof options !== "object" || options === null) {
    throw new TypeError(
      `vjp options must be an object { dy, params?, out? }: got ${
        describe(options)
      }`,
    );
  }
  if (!("dy" in options)) {
    // An object that lacks dy is the common slip; "must be an object" would
    // mislead there.
    throw new TypeError(
      `vjp options must give dy, the upstream gradient: got ${
        Array.isArray(options)
          ? describe(options)
          : `an object without dy (keys: ${
            Object.keys(options).join(", ") || "none"
          })`
      }`,
    );
  }
  const o = options as { dy: unknown; params?: unknown; out?: unknown };
  return { dy: o.dy, params: o.params, out: o.out };
}

/**
 * Checks that a VJP's dy has x's form: a tensor when x is resident, host
 * data when x is. (Whose tensor it is, the backend checks as it unwraps it.)
 *
 * @param dy The caller's dy.
 * @param form The backend's name, and whether x is a resident tensor.
 * @throws {TypeError} When the forms differ.
 *
 * @example
 * ```ts
 * import { checkDyForm } from "@nonlin/core";
 * import assert from "node:assert";
 *
 * checkDyForm([1, 2], { backend: "native", resident: false });
 * assert.throws(() => checkDyForm([1, 2], { backend: "native", resident: true }), TypeError);
 * ```
 */
export function checkDyForm(
  dy: unknown,
  form: { readonly backend: string; readonly resident: true },
): asserts dy is Tensor;
/**
 * Checks that a VJP's dy has x's form (see the overload above).
 *
 * @param dy The caller's dy.
 * @param form The backend's name, and whether x is a resident tensor.
 * @throws {TypeError} When the forms differ.
 *
 * @example
 * ```ts
 * import { checkDyForm } from "@nonlin/core";
 *
 * checkDyForm([1, 2], { backend: "native", resident: false });
 * ```
 */
export function checkDyForm(
  dy: unknown,
  form: { readonly backend: string; readonly resident: boolean },
): void;
export function checkDyForm(
  dy: unknown,
  form: { readonly backend: string; readonly resident: boolean },
): void {
  if (isTensor(dy) === form.resident) return;
  const both =
    `x and dy must both be ${form.backend} tensors or both be host arrays`;
  throw new TypeError(
    form.resident
      ? `${both}: x is a tensor, dy is ${describe(dy)}`
      : `${both}: dy is a tensor of backend ${
        (dy as { backend: string }).backend
      }, x is host data`,
  );
}
