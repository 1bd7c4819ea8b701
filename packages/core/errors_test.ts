import assert from "node:assert";
import { BackendUnavailableError, NotSupportedError } from "./errors.ts";

Deno.test("NotSupportedError", async (t) => {
  await t.step("carries backend, op, feature and reason, and says them", () => {
    const e = new NotSupportedError(
      "tfjs-cpu",
      "relu",
      "secondDerivative",
      "no gradient of Step",
    );
    assert.ok(e instanceof Error);
    assert.strictEqual(e.name, "NotSupportedError");
    assert.strictEqual(e.backend, "tfjs-cpu");
    assert.strictEqual(e.op, "relu");
    assert.strictEqual(e.feature, "secondDerivative");
    assert.strictEqual(e.reason, "no gradient of Step");
    assert.strictEqual(
      e.message,
      "secondDerivative of relu is not supported by this backend (tfjs-cpu): no gradient of Step",
    );
    assert.ok(String(e).startsWith("NotSupportedError: "));
  });
});

Deno.test("BackendUnavailableError", async (t) => {
  await t.step("carries backend and reason, and says them", () => {
    const e = new BackendUnavailableError(
      "tfjs-webgpu",
      "navigator.gpu is undefined",
    );
    assert.ok(e instanceof Error);
    assert.strictEqual(e.name, "BackendUnavailableError");
    assert.strictEqual(e.backend, "tfjs-webgpu");
    assert.strictEqual(e.reason, "navigator.gpu is undefined");
    assert.strictEqual(
      e.message,
      "Backend tfjs-webgpu is not available here: navigator.gpu is undefined",
    );
  });
});
