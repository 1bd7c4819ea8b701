import assert from "node:assert";
import * as tf from "@tensorflow/tfjs";
import { BackendUnavailableError, opNames } from "@nonlin/core";
import {
  activate,
  createTfjsBackend,
  initialise,
  tfjsOps,
} from "@nonlin/tfjs-glue";
import * as cpu from "@nonlin/tfjs-cpu";
import * as wasm from "@nonlin/tfjs-wasm";
import * as webgpu from "@nonlin/tfjs-webgpu";

const running = [cpu, wasm, webgpu].filter((m) => m.backend.available);

Deno.test("createTfjsBackend()", async (t) => {
  await t.step(
    "an unavailable backend refuses every call with its reason",
    () => {
      const m = createTfjsBackend({
        name: "nowhere",
        tfjsBackend: "cpu",
        unavailable: () => "no such device",
        properties: {},
      });
      assert.strictEqual(m.backend.available, false);
      assert.strictEqual(m.backend.reason, "no such device");
      for (
        const call of [
          () => m.tensor([1]),
          () => m.relu([1]),
          () => m.vjp("relu", [1], { dy: [1] }),
        ]
      ) {
        assert.throws(
          call,
          (e: unknown) =>
            e instanceof BackendUnavailableError &&
            e.reason === "no such device",
        );
      }
    },
  );

  await t.step("availability is asked on every call", () => {
    let reason: string | undefined;
    const m = createTfjsBackend({
      name: "flaky",
      tfjsBackend: "cpu",
      unavailable: () => reason,
      properties: {},
    });
    const x = m.tensor([1]);
    assert.strictEqual(m.backend.available, true);
    reason = "the device was lost";
    assert.strictEqual(m.backend.available, false);
    assert.throws(() => m.relu(x), BackendUnavailableError);
    reason = undefined;
    m.relu(x).dispose();
    x.dispose();
  });

  await t.step("a size limit is a RangeError naming it", async () => {
    const m = createTfjsBackend({
      name: "small",
      tfjsBackend: "cpu",
      unavailable: () => undefined,
      properties: {},
      maxElements: { count: 4, limit: "four elements at most" },
    });
    assert.throws(
      () => m.tensor([1, 2, 3, 4, 5]),
      /5 float32 elements \(20 bytes\).*four elements at most/,
    );
    await assert.rejects(m.relu([1, 2, 3, 4, 5]), RangeError);
    await assert.rejects(
      m.vjp("relu", [1, 2, 3, 4, 5], { dy: [1, 1, 1, 1, 1] }),
      RangeError,
    );
    assert.deepStrictEqual(
      await m.relu([1, -2, 3, -4]),
      new Float32Array([1, 0, 3, 0]),
    );
  });

  await t.step("tensors own their data", async () => {
    const data = new Float32Array([1, 2]);
    const x = cpu.tensor(data);
    data[0] = 99;
    const read = await x.read();
    assert.deepStrictEqual(read, new Float32Array([1, 2]));
    read[1] = 99;
    assert.deepStrictEqual(await x.read(), new Float32Array([1, 2]));
    x.dispose();
  });
});

Deno.test("activate()", async (t) => {
  await t.step("switches tfjs's global backend and back", () => {
    for (const m of running) {
      const name = m.backend.capabilities.properties.tfjsBackend as string;
      activate(name);
      assert.strictEqual(tf.getBackend(), name);
    }
  });

  await t.step("each adapter computes on its own tfjs backend", () => {
    for (const m of running) {
      const x = m.tensor([1, -1]);
      for (const other of running) other.relu(other.tensor([1])).dispose();
      const y = m.relu(x);
      assert.strictEqual(
        tf.getBackend(),
        m.backend.capabilities.properties.tfjsBackend,
      );
      x.dispose();
      y.dispose();
    }
  });

  await t.step("refuses a backend tfjs has not initialised", () => {
    assert.throws(() => activate("no-such-backend"));
  });
});

Deno.test("initialise()", async (t) => {
  await t.step("says why a backend is missing", async () => {
    assert.match(
      (await initialise("no-such-backend"))!,
      /no no-such-backend backend registered/,
    );
  });
});

Deno.test("tfjsOps", async (t) => {
  // tfjs's own op where one exists: the kernel that runs says so.
  const own: Record<string, [Record<string, unknown>, string]> = {
    relu: [{}, "Relu"],
    leakyRelu: [{ alpha: 0.01 }, "LeakyRelu"],
    prelu: [{ alpha: 0.25 }, "Prelu"],
    relu6: [{}, "Relu6"],
    elu: [{ alpha: 1 }, "Elu"],
    selu: [{}, "Selu"],
    sigmoid: [{}, "Sigmoid"],
    logSigmoid: [{}, "Softplus"],
    tanh: [{}, "Tanh"],
    hardTanh: [{ min: -1, max: 1 }, "ClipByValue"],
    softplus: [{ beta: 1, threshold: 20 }, "Softplus"],
    gelu: [{ approximate: "none" }, "Erf"],
  };
  await t.step("uses tfjs's own kernels where they exist", async () => {
    activate("cpu");
    for (const [op, [p, kernel]] of Object.entries(own)) {
      const { f, branch } = tfjsOps[op as keyof typeof tfjsOps];
      const x = tf.tensor1d([-1, 0, 1]);
      const info = await tf.profile(() => {
        const y = f(x, p as never, branch?.(x, p as never));
        y.dispose();
      });
      assert.ok(
        info.kernelNames.includes(kernel),
        `${op} ran ${info.kernelNames.join(", ")}`,
      );
      x.dispose();
    }
  });

  await t.step(
    "a learned slope goes through tf.prelu, which takes it as a tensor",
    async () => {
      activate("cpu");
      const x = tf.tensor1d([-1, 1]);
      const alpha = tf.scalar(0.5);
      const info = await tf.profile(() =>
        tfjsOps.leakyRelu.f(x, { alpha }).dispose()
      );
      assert.ok(info.kernelNames.includes("Prelu"));
      tf.dispose([x, alpha]);
    },
  );

  await t.step("covers the catalog", () => {
    assert.deepStrictEqual(Object.keys(tfjsOps).sort(), [...opNames].sort());
  });
});
