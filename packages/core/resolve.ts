/**
 * Looking ops up by name and resolving their parameters, with the errors the
 * contract promises for bad input.
 *
 * @module
 */

import { type OpName, opNames, ops, type OpSpec } from "./catalog.ts";
import type { Tensor, TensorParam } from "./contract.ts";
import { describe, toFloat32 } from "./data.ts";
import { formatInterval, inInterval } from "./params.ts";

/**
 * Looks an op up in the catalog.
 *
 * @param name The op's name.
 * @returns Its catalog entry.
 * @throws {TypeError} When `name` is not a string.
 * @throws {RangeError} When no op has that name; the message lists them all.
 *
 * @example
 * ```ts
 * import { getOp } from "@nonlin/core";
 * import assert from "node:assert";
 *
 * assert.strictEqual(getOp("gelu").title, "GELU");
 * assert.throws(() => getOp("gelux"), RangeError);
 * ```
 */
export function getOp(name: unknown): OpSpec {
  if (typeof name !== "string") {
    throw new TypeError(`Op name must be a string: got ${describe(name)}`);
  }
  if (!Object.hasOwn(ops, name)) {
    throw new RangeError(
      `Unknown op "${name}": expected one of ${opNames.join(", ")}`,
    );
  }
  return ops[name as OpName] as unknown as OpSpec;
}

/** Whether a value looks like a resident tensor of some backend. */
export function isTensor(value: unknown): value is Tensor {
  return typeof value === "object" && value !== null &&
    "backend" in value && "shape" in value && "read" in value &&
    "dispose" in value;
}

/** Parameters with defaults filled in; tensor parameters left for the adapter. */
export type ResolvedOptions = Readonly<
  Record<string, number | string | Float32Array | Tensor>
>;

/**
 * Checks an options object against the op's catalog entry and fills in the
 * defaults. A tensor parameter given as a number stays a number, as host data
 * becomes a Float32Array (each element checked), as a resident tensor is
 * passed through for the adapter to check against its backend.
 *
 * @param op The op's name.
 * @param options The caller's options; `undefined` means all defaults.
 * @returns Every parameter's value.
 * @throws {TypeError} For an unknown parameter name (valid ones listed), a
 * value of the wrong type, a missing required parameter.
 * @throws {RangeError} For a value out of its range, NaN or ±∞.
 *
 * @example
 * ```ts
 * import { resolveParams } from "@nonlin/core";
 * import assert from "node:assert";
 *
 * assert.deepStrictEqual(resolveParams("softplus", { beta: 2 }), { beta: 2, threshold: 20 });
 * assert.throws(() => resolveParams("softplus", { beta: 0 }), RangeError);
 * assert.throws(() => resolveParams("celu", { alpha: 0 }), RangeError);
 * assert.throws(() => resolveParams("relu", { alpha: 1 } as never), TypeError);
 * ```
 */
export function resolveParams(op: string, options?: unknown): ResolvedOptions {
  const spec = getOp(op);
  if (
    options !== undefined && (typeof options !== "object" || options === null)
  ) {
    throw new TypeError(
      `Options of ${spec.name} must be an object: got ${describe(options)}`,
    );
  }
  const given = (options ?? {}) as Record<string, unknown>;
  const names = Object.keys(spec.params);
  for (const key of Object.keys(given)) {
    if (!names.includes(key) && given[key] !== undefined) {
      throw new TypeError(
        `Unknown parameter "${key}" of ${spec.name}: ${
          names.length === 0 ? "it takes none" : `expected ${names.join(", ")}`
        }`,
      );
    }
  }
  const out: Record<string, number | string | Float32Array | Tensor> = {};
  for (const [name, param] of Object.entries(spec.params)) {
    const value = given[name];
    // "threshold threshold" would read as a typo: a parameter named like its
    // op is called the op's.
    const label = name === spec.name
      ? `${spec.name} op's ${name}`
      : `${spec.name} ${name}`;
    if (param.kind === "choice") {
      if (value === undefined) {
        out[name] = param.default;
      } else if (typeof value !== "string") {
        throw new TypeError(
          `${label} must be a string: got ${describe(value)}`,
        );
      } else if (!param.choices.includes(value)) {
        throw new RangeError(
          `${label} must be one of ${
            param.choices.map((c) => `"${c}"`).join(", ")
          }: got "${value}"`,
        );
      } else {
        out[name] = value;
      }
      continue;
    }
    if (value === undefined) {
      if (!("default" in param)) {
        throw new TypeError(`${label} is required: ${param.doc}`);
      }
      out[name] = param.default;
      continue;
    }
    if (typeof value === "number") {
      if (!inInterval(value, param.range)) {
        throw new RangeError(
          `${label} must be a finite number in ${
            formatInterval(param.range)
          }: got ${value}`,
        );
      }
      out[name] = value;
      continue;
    }
    if (param.kind === "tensor") {
      if (isTensor(value)) {
        out[name] = value;
        continue;
      }
      const data = toFloat32(value as TensorParam, label);
      for (let i = 0; i < data.length; i++) {
        if (!inInterval(data[i]!, param.range)) {
          throw new RangeError(
            `${label} must hold finite numbers in ${
              formatInterval(param.range)
            }: element ${i} is ${data[i]}`,
          );
        }
      }
      out[name] = data;
      continue;
    }
    throw new TypeError(`${label} must be a number: got ${describe(value)}`);
  }
  const violation = spec.check?.(out as Record<string, number | string>);
  if (violation !== undefined) throw new RangeError(violation);
  return out;
}
