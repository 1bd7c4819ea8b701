import assert from "node:assert";
import { ops } from "@nonlin/core";
import { Reference } from "./_reference.ts";

const x = new Float32Array([-2, -0.5, 0, 0.5, 2]);
const dy = new Float32Array([1, 2, 3, 4, 5]);

Deno.test("Reference", async (t) => {
  await t.step("forward and derivative: f and f' rounded to float32", () => {
    const fwd = new Reference("sigmoid", "forward", {}, x, dy);
    assert.deepStrictEqual(
      fwd.values(5),
      Float32Array.from(x, (v) => ops.sigmoid.f(v, {})),
    );
    const der = new Reference("sigmoid", "derivative", {}, x, dy);
    assert.strictEqual(der.values(5)[2], 0.25);
    assert.deepStrictEqual(fwd.learned, []);
  });
  await t.step("prefixes are filled lazily and agree with a full fill", () => {
    const r = new Reference("gelu", "forward", { approximate: "none" }, x, dy);
    const two = r.values(2).slice();
    const all = r.values(5);
    assert.deepStrictEqual(two, all.subarray(0, 2));
    assert.strictEqual(r.values(3).length, 3);
  });
  await t.step("VJP: dy·f'(x), and Σ dy·∂f/∂θ per learned parameter", () => {
    const p = { alpha: 0.25 };
    const r = new Reference("prelu", "vjp", p, x, dy);
    assert.deepStrictEqual(
      r.values(5),
      new Float32Array([0.25, 0.5, 0.75, 4, 5]),
    );
    assert.deepStrictEqual(r.learned, ["alpha"]);
    // ∂/∂α = x for x ≤ 0: 1·(−2) + 2·(−0.5) + 3·0.
    assert.deepStrictEqual(r.sums(5), { alpha: { sum: -3, absSum: 3 } });
    assert.deepStrictEqual(r.sums(1), { alpha: { sum: -2, absSum: 2 } });
  });
});
