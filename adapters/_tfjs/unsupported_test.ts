// The table of what tfjs cannot differentiate stays true: for every entry,
// on every tfjs backend that runs here, the raw tfjs computation (no
// adapter checks) still fails the way the entry says.

import assert from "node:assert";
import * as tf from "@tensorflow/tfjs";
import { type OpName, ops, resolveParams, ulpDistance } from "@nonlin/core";
import { activate, compute, unsupported } from "@nonlin/tfjs-glue";
import * as cpu from "@nonlin/tfjs-cpu";
import * as wasm from "@nonlin/tfjs-wasm";
import * as webgpu from "@nonlin/tfjs-webgpu";
import { variantsOf } from "../_contract/grid.ts";

const running = [cpu, wasm, webgpu]
  .filter((m) => m.backend.available)
  .map((m) => m.backend.capabilities.properties.tfjsBackend as string);

const XS = [-2.5, -1, -0.25, 0.25, 1, 2.5];

/** tf.grad of tf.grad on one backend, straight from tfjs. */
async function nested(
  tfjsBackend: string,
  op: OpName,
  options: Record<string, unknown>,
): Promise<Float32Array> {
  activate(tfjsBackend);
  const p = resolveParams(op, options) as Record<string, number | string>;
  const y = tf.tidy(() => compute.secondDerivative(op, tf.tensor1d(XS), p));
  try {
    return await y.data() as Float32Array;
  } finally {
    y.dispose();
  }
}

Deno.test("unsupported", async (t) => {
  await t.step("lists only second derivatives, each with a reason", () => {
    for (const entry of unsupported) {
      assert.strictEqual(entry.feature, "secondDerivative");
      assert.ok(entry.reason.length > 40, entry.op);
    }
  });

  for (const backend of running) {
    await t.step(
      `every entry still fails on tfjs's ${backend} backend`,
      async () => {
        for (const entry of unsupported) {
          for (const variant of variantsOf(entry.op)) {
            const p = resolveParams(entry.op, variant);
            if (entry.applies && !entry.applies(p)) continue;
            const label = `${entry.op} ${
              JSON.stringify(variant)
            } on ${backend}`;
            if (entry.failure === "throws") {
              await assert.rejects(
                nested(backend, entry.op, variant),
                Error,
                label,
              );
              continue;
            }
            const got = await nested(backend, entry.op, variant);
            const spec = ops[entry.op];
            const worst = Math.max(
              ...XS.map((x, i) =>
                Math.abs(
                  got[i]! -
                    spec.d2fdx2(x, p as Record<string, number | string>),
                )
              ),
            );
            assert.ok(
              worst > 0.01,
              `${label}: tfjs now gets it right (error ${worst})`,
            );
          }
        }
      },
    );

    await t.step(
      `ops not listed nest correctly on tfjs's ${backend} backend`,
      async () => {
        const listed = (op: OpName, p: Record<string, unknown>) =>
          unsupported.some((e) =>
            e.op === op && (!e.applies || e.applies(p as never))
          );
        for (const op of Object.keys(ops) as OpName[]) {
          for (const variant of variantsOf(op)) {
            const p = resolveParams(op, variant) as Record<
              string,
              number | string
            >;
            if (listed(op, p)) continue;
            const got = await nested(backend, op, variant);
            XS.forEach((x, i) => {
              const want = ops[op].d2fdx2(x, p);
              assert.ok(
                ulpDistance(got[i]!, want) <= 64 ||
                  Math.abs(got[i]! - want) < 1e-6,
                `${op} ${JSON.stringify(variant)} at ${x}: ${
                  got[i]
                } vs ${want}`,
              );
            });
          }
        }
      },
    );
  }
});
