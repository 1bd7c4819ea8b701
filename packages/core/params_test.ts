import assert from "node:assert";
import { formatInterval, inInterval } from "./params.ts";

Deno.test("formatInterval()", async (t) => {
  await t.step("brackets say which ends are included", () => {
    assert.strictEqual(
      formatInterval({ min: 0, max: Infinity, minOpen: true }),
      "(0, ∞)",
    );
    assert.strictEqual(formatInterval({ min: 0, max: Infinity }), "[0, ∞)");
    assert.strictEqual(
      formatInterval({ min: -Infinity, max: Infinity }),
      "(-∞, ∞)",
    );
    assert.strictEqual(formatInterval({ min: -1, max: 1 }), "[-1, 1]");
    assert.strictEqual(
      formatInterval({ min: -1, max: 1, maxOpen: true }),
      "[-1, 1)",
    );
    assert.strictEqual(
      formatInterval({ min: 0.5, max: 2, minOpen: true, maxOpen: true }),
      "(0.5, 2)",
    );
  });
});

Deno.test("inInterval()", async (t) => {
  const positive = { min: 0, max: Infinity, minOpen: true };
  const unit = { min: -1, max: 1 };
  const all = { min: -Infinity, max: Infinity };

  await t.step("open and closed ends", () => {
    assert.ok(!inInterval(0, positive));
    assert.ok(!inInterval(-0, positive));
    assert.ok(inInterval(5e-324, positive));
    assert.ok(
      inInterval(-1, unit) && inInterval(1, unit) && inInterval(0, unit),
    );
    assert.ok(!inInterval(1 + 2 ** -52, unit));
    assert.ok(!inInterval(1, { min: -1, max: 1, maxOpen: true }));
    assert.ok(inInterval(0, { min: 0, max: 1 }));
  });

  await t.step("NaN and ±∞ are never inside, whatever the bounds", () => {
    for (const range of [positive, unit, all]) {
      assert.ok(!inInterval(NaN, range));
      assert.ok(!inInterval(Infinity, range));
      assert.ok(!inInterval(-Infinity, range));
    }
    assert.ok(inInterval(-1.7976931348623157e308, all));
  });
});
