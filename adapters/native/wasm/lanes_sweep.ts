/**
 * Every float32 input through the SIMD loops that run on float32 lanes
 * (`lanesOf` in `_ops.ts`: "f32", "mixed", "either"), against the
 * JavaScript kernels, bit for bit: a check too long for the test suite
 * (`simd_kernels_test.ts` holds the same loops to the same bits on the
 * special values, the parameters' neighbours and every tail length). Each
 * loop runs on every float32 bit pattern (or every `--step`-th), with each
 * of the catalog's parameter sets of the op; the VJP three times: x the
 * pattern with dy = −2.5, then dy the pattern with x = −1 and with x = 2
 * (each side of every op's kink at 0 and in and out of hardSigmoid's
 * (−3, 3]). Prints one line per loop, set and sweep with the count that
 * differ (and the first few inputs), and exits non-zero if any does.
 *
 * ```sh
 * deno run -A --config deno.json adapters/native/wasm/lanes_sweep.ts \
 *   --ops threshold,hardshrink --step 1
 * ```
 *
 * Options: `--ops` (every op with such a loop), `--lanes` (`f32,mixed,either`:
 * which loops), `--step` (1).
 *
 * @module
 */

import { parseArgs } from "node:util";
import { type OpName, opNames, paramSetsOf } from "@nonlin/core";
import { prepare } from "../_engine.ts";
import { jsKernels } from "../_js_kernels.ts";
import { kernelDefs, lanesOf, type Loop } from "./_ops.ts";
import { loadSimdKernels } from "./_simd_kernels.ts";

const LOOPS: readonly Loop[] = [
  "forward",
  "derivative",
  "secondDerivative",
  "vjp",
];

/** A loop, the input swept (x or dy), and the other input's value. */
type Sweep = readonly [Loop, "x" | "dy", number];

/** Elements per call. */
const CHUNK = 1 << 22;

function write(text: string): void {
  Deno.stdout.writeSync(new TextEncoder().encode(text + "\n"));
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      ops: { type: "string" },
      step: { type: "string", default: "1" },
      lanes: { type: "string", default: "f32,mixed,either" },
    },
  });
  const step = Number(values.step);
  const lanes = values.lanes.split(",");
  const swept = (op: OpName, l: Loop) =>
    lanes.includes(lanesOf(kernelDefs[op], l));
  const ops = values.ops === undefined
    ? opNames.filter((op) => op !== "prelu" && LOOPS.some((l) => swept(op, l)))
    : (values.ops.split(",") as OpName[]);
  const { kernels } = await loadSimdKernels({ threads: 1 });
  const bits = new Int32Array(CHUNK);
  const x = new Float32Array(bits.buffer);
  const other = new Float32Array(CHUNK);
  const got = new Float32Array(CHUNK);
  const want = new Float32Array(CHUNK);
  let failed = 0;
  for (const op of ops) {
    const loops = LOOPS.filter((l) => swept(op, l));
    for (const params of paramSetsOf(op, { scalarOnly: true })) {
      const args = prepare(op, params, [CHUNK], kernels).args;
      const jsArgs = prepare(op, params, [CHUNK], jsKernels).args;
      // Each loop; the VJP with dy fixed, then with x fixed.
      const sweeps: Sweep[] = loops.flatMap((loop): Sweep[] =>
        loop === "vjp"
          ? [["vjp", "x", -2.5], ["vjp", "dy", -1], ["vjp", "dy", 2]]
          : [[loop, "x", 0]]
      );
      for (const [loop, varied, fixed] of sweeps) {
        let differ = 0;
        let total = 0;
        const first: number[] = [];
        // Every bit pattern from 0 to 2³² − 1, `step` apart.
        for (let start = 0; start < 2 ** 32; start += CHUNK * step) {
          const n = Math.min(CHUNK, Math.ceil((2 ** 32 - start) / step));
          for (let i = 0; i < n; i++) bits[i] = (start + i * step) | 0;
          const pattern = x.subarray(0, n);
          const g = got.subarray(0, n);
          const w = want.subarray(0, n);
          if (loop === "vjp") {
            const o = other.subarray(0, n).fill(fixed);
            const [xs, d] = varied === "x" ? [pattern, o] : [o, pattern];
            kernels.ops[op].vjp(xs, d, g, sums(op), args);
            jsKernels.ops[op].vjp(xs, d, w, sums(op), jsArgs);
          } else {
            kernels.ops[op][loop](pattern, g, args);
            jsKernels.ops[op][loop](pattern, w, jsArgs);
          }
          for (let i = 0; i < n; i++) {
            if (Object.is(g[i], w[i])) continue;
            differ++;
            if (first.length < 4) first.push(pattern[i]!);
          }
          total += n;
        }
        if (differ > 0) failed++;
        const what = loop !== "vjp"
          ? loop
          : varied === "x"
          ? `vjp (dy = ${fixed})`
          : `vjp (x = ${fixed}, dy swept)`;
        write(
          `${op} ${JSON.stringify(params)} ${what} [${
            lanesOf(kernelDefs[op], loop)
          }]: ${differ} of ${total} differ${
            first.length ? ` (at ${first.join(", ")})` : ""
          }`,
        );
      }
    }
  }
  Deno.exit(failed === 0 ? 0 : 1);
}

/** Zeroed sums for the op's learned parameters. */
function sums(op: OpName): Record<string, Float64Array> {
  const s: Record<string, Float64Array> = {};
  for (const g of kernelDefs[op].grads) s[g] = new Float64Array(1);
  return s;
}
