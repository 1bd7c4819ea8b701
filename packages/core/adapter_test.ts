import assert from "node:assert";
import { backendInfo, ownTensor, unsupportedFor } from "./adapter.ts";
import type { Tensor } from "./contract.ts";
import { fakeTensor } from "./testdata/tensor.ts";

Deno.test("backendInfo()", async (t) => {
  let reason: string | undefined;
  const info = backendInfo({
    name: "mine",
    unavailable: () => reason,
    unsupported: [{
      op: "gelu",
      feature: "secondDerivative",
      reason: "not written",
      when: { approximate: "tanh" },
      applies: () => true,
    } as never],
    properties: { engine: "test" },
  });
  await t.step("follows unavailable() on every read", () => {
    assert.strictEqual(info.available, true);
    assert.strictEqual(info.reason, undefined);
    reason = "device lost";
    assert.strictEqual(info.available, false);
    assert.strictEqual(info.reason, "device lost");
    reason = undefined;
  });
  await t.step("keeps only the contract's fields, frozen", () => {
    assert.deepStrictEqual(info.capabilities.unsupported, [{
      op: "gelu",
      feature: "secondDerivative",
      reason: "not written",
      when: { approximate: "tanh" },
    }]);
    assert.strictEqual(info.precision, "float32");
    assert.ok(Object.isFrozen(info) && Object.isFrozen(info.capabilities));
    assert.ok(Object.isFrozen(info.capabilities.properties));
  });
});

Deno.test("unsupportedFor()", () => {
  const entries = [
    { op: "relu", feature: "derivative", reason: "a" },
    {
      op: "gelu",
      feature: "secondDerivative",
      reason: "b",
      applies: (p: { approximate?: unknown }) => p.approximate === "tanh",
    },
  ] as const;
  const find = (
    op: string,
    feature: "derivative" | "secondDerivative",
    params = {},
  ) => unsupportedFor(entries, { op, feature, params });
  assert.strictEqual(find("relu", "derivative"), entries[0]);
  assert.strictEqual(find("relu", "secondDerivative"), undefined);
  assert.strictEqual(
    find("gelu", "secondDerivative", { approximate: "tanh" }),
    entries[1],
  );
  assert.strictEqual(
    find("gelu", "secondDerivative", { approximate: "none" }),
    undefined,
  );
});

class MyTensor implements Tensor {
  readonly shape = [1];
  readonly size = 1;
  readonly disposed = false;
  constructor(readonly backend: string) {}
  read(): Promise<Float32Array> {
    return Promise.resolve(new Float32Array(1));
  }
  dispose(): void {}
}

Deno.test("ownTensor()", async (t) => {
  const own = { kind: MyTensor, backend: "mine", what: "x" };
  await t.step("returns a tensor of the class and backend", () => {
    const x = new MyTensor("mine");
    assert.strictEqual(ownTensor(x, own), x);
  });
  await t.step("names another backend's tensor", () => {
    const other = fakeTensor("theirs");
    assert.throws(
      () => ownTensor(other, own),
      /^TypeError: x is not a tensor of backend mine: got a tensor of backend theirs$/,
    );
  });
  await t.step("names a tensor of the class under another name", () => {
    assert.throws(
      () => ownTensor(new MyTensor("mine-2"), own),
      /x belongs to backend mine-2, not mine: read it and upload it with mine's tensor\(\)/,
    );
  });
  await t.step("names what is not a tensor", () => {
    assert.throws(() => ownTensor([1] as never, own), TypeError);
  });
});
