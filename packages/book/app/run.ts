/**
 * Running a section's curves on a backend, exactly as the page's code block
 * shows: `await op(x, params)` and `await derivative(op, x, params)`, then
 * comparing with the reference.
 *
 * @module
 */

import type { BackendModule } from "@nonlin/core";
import { builtinBackends } from "@nonlin/backends";
import {
  compareCurve,
  type Comparison,
  type CurveValues,
  referenceValues,
} from "./compare.ts";
import type { Curve, CurveParams } from "./sections.ts";

/** One curve computed on one backend. */
export interface CurveRun {
  /** The backend's name. */
  readonly backend: string;
  /** The curve. */
  readonly curve: Curve;
  /** The inputs. */
  readonly x: Float32Array;
  /** The float64 reference on x. */
  readonly reference: CurveValues<Float64Array>;
  /** The backend's numbers; absent when it threw. */
  readonly values?: CurveValues;
  /** How its values compare with the reference. */
  readonly value?: Comparison;
  /** How its gradient compares with the reference. */
  readonly gradient?: Comparison;
  /** Why it could not compute, when it threw: the error's name and message. */
  readonly error?: string;
}

type Call = (x: Float32Array, params?: CurveParams) => Promise<Float32Array>;
type DerivativeCall = (
  op: string,
  x: Float32Array,
  params?: CurveParams,
) => Promise<Float32Array>;

/**
 * Computes a curve on a backend and compares it with the reference. An error
 * thrown by the backend (an op it does not support, say) is caught and
 * returned as `error`, so one op cannot blank the page.
 *
 * @param backend The backend module.
 * @param curve The op and its parameters.
 * @param x The inputs.
 * @returns The numbers, the reference and the comparisons.
 *
 * @example
 * ```ts
 * import { runCurve } from "@nonlin/book";
 * import { bookGrid } from "@nonlin/core";
 * import * as native from "@nonlin/native";
 * import assert from "node:assert";
 *
 * const run = await runCurve(native, { op: "relu", params: {}, label: "default" }, bookGrid());
 * assert.strictEqual(run.value?.maxUlp, 0);
 * assert.deepStrictEqual(run.gradient?.deviations, []);
 * ```
 */
export async function runCurve(
  backend: BackendModule,
  curve: Curve,
  x: Float32Array,
): Promise<CurveRun> {
  const name = backend.backend.name;
  const reference = referenceValues(curve, x);
  const hasParams = Object.keys(curve.params).length > 0;
  const params = hasParams ? [curve.params] as const : [] as const;
  try {
    const f = backend[curve.op] as unknown as Call;
    const derivative = backend.derivative as unknown as DerivativeCall;
    const value = await f(x, ...params);
    const gradient = await derivative(curve.op, x, ...params);
    const values = { value, gradient };
    const compared = compareCurve(name, curve, x, values);
    return { backend: name, curve, x, reference, values, ...compared };
  } catch (error) {
    const e = error as Error;
    return {
      backend: name,
      curve,
      x,
      reference,
      error: `${e?.name ?? "Error"}: ${e?.message ?? e}`,
    };
  }
}

/**
 * The statement that imports a built-in backend: its package is
 * `@nonlin/NAME`.
 *
 * @param backend The backend's name.
 * @param names What to import.
 * @returns The import line.
 *
 * @example
 * ```ts
 * import { importLine } from "@nonlin/book";
 * import assert from "node:assert";
 *
 * assert.strictEqual(
 *   importLine("tfjs-wasm", ["relu", "derivative"]),
 *   'import { relu, derivative } from "@nonlin/tfjs-wasm";',
 * );
 * assert.strictEqual(
 *   importLine("native-webgpu", ["gelu"]),
 *   'import { gelu } from "@nonlin/native/webgpu";',
 * );
 * ```
 */
export function importLine(backend: string, names: readonly string[]): string {
  const specifier = builtinBackends[backend]?.specifier ??
    `@nonlin/${backend}`;
  return `import { ${names.join(", ")} } from "${specifier}";`;
}

function literal(params: CurveParams): string {
  const entries = Object.entries(params).map(([k, v]) =>
    `${k}: ${JSON.stringify(v)}`
  );
  return `{ ${entries.join(", ")} }`;
}

/**
 * The code block of a section on a backend: the backend's import line, the
 * book's grid, and for each curve the two calls the page makes.
 *
 * @param backend The backend's name.
 * @param curves The section's curves (all of one op).
 * @returns TypeScript source, lines joined with `\n`.
 * @throws {RangeError} When `curves` is empty.
 *
 * @example
 * ```ts
 * import { codeBlock } from "@nonlin/book";
 * import assert from "node:assert";
 *
 * const code = codeBlock("native", [{ op: "relu", params: {}, label: "default" }]);
 * assert.match(code, /^import \{ relu, derivative \} from "@nonlin\/native";/);
 * assert.match(code, /const y = await relu\(x\);/);
 * assert.match(code, /const grad = await derivative\("relu", x\);/);
 * ```
 */
export function codeBlock(backend: string, curves: readonly Curve[]): string {
  const first = curves[0];
  if (first === undefined) {
    throw new RangeError("A code block needs at least one curve: got none");
  }
  const op = first.op;
  const lines = [
    importLine(backend, [op, "derivative"]),
    "",
    "// arange(-8.0, 8.0, 0.1)",
    "const x = Float32Array.from({ length: 160 }, (_, i) => (i - 80) / 10);",
  ];
  curves.forEach((curve, i) => {
    const hasParams = Object.keys(curve.params).length > 0;
    const args = hasParams ? `, ${literal(curve.params)}` : "";
    const suffix = curves.length > 1 ? String(i + 1) : "";
    if (curves.length > 1) lines.push("", `// ${curve.label}`);
    lines.push(
      `const y${suffix} = await ${op}(x${args});`,
      `const grad${suffix} = await derivative(${
        JSON.stringify(op)
      }, x${args});`,
    );
  });
  return lines.join("\n");
}
