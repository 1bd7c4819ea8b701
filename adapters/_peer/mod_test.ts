import assert from "node:assert";
import {
  BackendUnavailableError,
  NotSupportedError,
  type Tensor,
} from "@nonlin/core";
import { createPeerBackend, type PeerEngine } from "@nonlin/peer-glue";

/** A toy engine on plain Float32Arrays (relu only), counting its handles. */
function toy(
  options: { unavailable?: string; leak?: boolean } = {},
): { engine: PeerEngine<Float32Array>; live: Set<Float32Array> } {
  const live = new Set<Float32Array>();
  const own = (a: Float32Array) => (live.add(a), a);
  const engine: PeerEngine<Float32Array> = {
    name: "toy",
    unavailable: () => options.unavailable,
    properties: { kind: "toy" },
    unsupported: [{
      op: "gelu",
      feature: "secondDerivative",
      reason: "the toy has no gelu″",
      applies: (p) => p.approximate === "tanh",
    }],
    upload: (data) => own(data.slice()),
    read: (h, into) => Promise.resolve(into ? (into.set(h), into) : h.slice()),
    free: (h) => {
      if (!options.leak) live.delete(h);
    },
    forward: (_op, x) => own(x.handle.map((v) => (v > 0 ? v : 0))),
    vjp: (_op, x, dy, p) => {
      const dparams: Record<string, Float32Array> = {};
      if (typeof p.alpha === "object") {
        dparams.alpha = own(new Float32Array(p.alpha.shape[0] ?? 1));
      }
      return {
        dx: own(dy.map((d, i) => (x.handle[i]! > 0 ? d : 0))),
        dparams,
      };
    },
    derivative: (_op, x) => own(x.handle.map((v) => (v > 0 ? 1 : 0))),
    secondDerivative: (_op, x) => own(x.handle.map(() => 0)),
  };
  return { engine, live };
}

Deno.test("createPeerBackend()", async (t) => {
  await t.step("host form: computes, and frees every handle", async () => {
    const { engine, live } = toy();
    const m = createPeerBackend(engine);
    assert.deepStrictEqual(await m.relu([-1, 2]), new Float32Array([0, 2]));
    await m.vjp("relu", [-1, 2], { dy: [3, 4] });
    await m.prelu([-1, 2], { alpha: [0.5, 0.5] });
    assert.strictEqual(live.size, 0);
  });

  await t.step("the handle count catches a leak", async () => {
    const { engine, live } = toy({ leak: true });
    const m = createPeerBackend(engine);
    await m.relu([-1, 2]);
    assert.ok(live.size > 0, "a leaking engine is caught by the count");
  });

  await t.step("resident form: outputs outlive inputs", async () => {
    const { engine, live } = toy();
    const m = createPeerBackend(engine);
    const x = m.tensor([-1, 2], [2, 1]);
    const y = m.relu(x);
    x.dispose();
    assert.deepStrictEqual([...y.shape], [2, 1]);
    assert.deepStrictEqual(await y.read(), new Float32Array([0, 2]));
    y.dispose();
    assert.strictEqual(live.size, 0);
  });

  await t.step("a caller's array is never kept", async () => {
    const m = createPeerBackend(toy().engine);
    const data = new Float32Array([1, 2]);
    const x = m.tensor(data);
    data[0] = 99;
    assert.deepStrictEqual(await x.read(), new Float32Array([1, 2]));
  });

  await t.step("refuses what the engine declares, for its parameters", () => {
    const m = createPeerBackend(toy().engine);
    assert.throws(
      () => m.secondDerivative("gelu", m.tensor([1]), { approximate: "tanh" }),
      (e: unknown) =>
        e instanceof NotSupportedError && e.reason === "the toy has no gelu″",
    );
    (m.secondDerivative("gelu", m.tensor([1])) as Tensor).dispose();
    assert.deepStrictEqual(m.backend.capabilities.unsupported, [{
      op: "gelu",
      feature: "secondDerivative",
      reason: "the toy has no gelu″",
    }]);
  });

  await t.step("an unavailable engine throws its reason everywhere", () => {
    const m = createPeerBackend(toy({ unavailable: "no toys today" }).engine);
    assert.strictEqual(m.backend.available, false);
    assert.strictEqual(m.backend.reason, "no toys today");
    assert.throws(() => m.tensor([1]), BackendUnavailableError);
    assert.throws(() => m.relu([1]), BackendUnavailableError);
  });

  await t.step("tensors of another backend are refused", () => {
    const a = createPeerBackend(toy().engine);
    const b = createPeerBackend({ ...toy().engine, name: "other" });
    assert.throws(() => a.relu(b.tensor([1])), TypeError);
  });
});
