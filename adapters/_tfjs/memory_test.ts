// Every intermediate is disposed: 10⁴ forward passes and 10⁴ VJPs per tfjs
// backend (every op in turn, on small tensors) leave tf.memory() where it
// was. NONLIN_MEMORY_ITERATIONS sets the count (per backend, shared by the
// ops in turn); NONLIN_MEMORY_ITERATIONS=190000 gives every op 10⁴ of each.

import assert from "node:assert";
import * as tf from "@tensorflow/tfjs";
import {
  type BackendModule,
  NotSupportedError,
  type OpName,
  opNames,
  ops,
  type Tensor,
} from "@nonlin/core";
import * as cpu from "@nonlin/tfjs-cpu";
import * as wasm from "@nonlin/tfjs-wasm";
import * as webgpu from "@nonlin/tfjs-webgpu";

const ITERATIONS = Number(Deno.env.get("NONLIN_MEMORY_ITERATIONS") ?? 10_000);

type Loose = (...args: unknown[]) => unknown;

/** prelu's α resident; the catalog's example for the parameters an op requires. */
function params(op: OpName, alpha: Tensor): Record<string, unknown> {
  return op === "prelu" ? { alpha } : { ...ops[op].example };
}

/** tf.memory()'s counts: the engine's, and the active backend's own (bytes on the GPU). */
function snapshot(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const [key, value] of Object.entries(tf.memory())) {
    if (typeof value === "number") counts[key] = value;
  }
  return counts;
}

async function exercise(m: BackendModule, iterations: number): Promise<void> {
  const call = m as unknown as Record<string, Loose>;
  const x = m.tensor([-2, -0.5, 0, 1.5], [2, 2]);
  const dy = m.tensor([1, -1, 0.5, 2], [2, 2]);
  const alpha = m.tensor([0.1, 0.2], [2]);
  for (let i = 0; i < iterations; i++) {
    const op = opNames[i % opNames.length]!;
    (call[op]!(x, params(op, alpha)) as Tensor).dispose();
    const g = m.vjp(op, x, { dy, params: params(op, alpha) } as never);
    g.dx.dispose();
    for (const t of Object.values(g.dparams) as Tensor[]) t.dispose();
  }
  // The other paths once per op: array forms, derivatives, refusals.
  for (const op of opNames) {
    const p = op === "prelu"
      ? { alpha: [0.1, 0.2, 0.3, 0.4] }
      : { ...ops[op].example };
    await call[op]!([1, -1, 0, 2], p);
    await m.vjp(op, [1, -1, 0, 2], { dy: [1, 1, 1, 1], params: p } as never);
    (m.derivative(op, x, params(op, alpha) as never)).dispose();
    try {
      (m.secondDerivative(op, x, params(op, alpha) as never)).dispose();
    } catch (error) {
      if (!(error instanceof NotSupportedError)) throw error;
    }
  }
  // Bad input part way through a computation leaves nothing behind either.
  const wrong = m.tensor([1, 2, 3]);
  assert.throws(() => m.prelu(x, { alpha: wrong }), RangeError);
  wrong.dispose();
  await assert.rejects(m.prelu([1, 2], { alpha: [1, 2, 3] }), RangeError);
  await x.read(); // waits for queued work
  for (const t of [x, dy, alpha]) t.dispose();
}

Deno.test("tfjs adapters free every tensor", async (t) => {
  for (const m of [cpu, wasm, webgpu]) {
    await t.step({
      name: `${m.backend.name}: ${ITERATIONS} forward passes and VJPs`,
      ignore: !m.backend.available,
      async fn() {
        // A first round makes this tfjs backend the active one.
        await exercise(m, 2 * opNames.length);
        const { numBytesAllocatedInGPU: poolBefore, ...before } = snapshot();
        await exercise(m, ITERATIONS);
        const { numBytesAllocatedInGPU: pool, ...after } = snapshot();
        assert.ok(Object.keys(before).length >= 3);
        assert.deepStrictEqual(after, before);
        // webgpu keeps freed GPU buffers in a pool for reuse: it may settle a
        // little above the first round's, but stays the size of one round's
        // working set, where a leak of the 16-byte tensors here would reach
        // megabytes.
        assert.strictEqual(pool === undefined, poolBefore === undefined);
        if (pool !== undefined) {
          assert.ok(pool < 64 * 1024, `GPU buffer pool grew to ${pool} bytes`);
        }
      },
    });
  }
});
