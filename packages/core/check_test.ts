import assert from "node:assert";
import { opNames } from "./catalog.ts";
import { checkBackendModule } from "./check.ts";

function fakeModule(leaveOut: readonly string[] = []): Record<string, unknown> {
  const m: Record<string, unknown> = {
    backend: { name: "fake", available: false, reason: "test" },
  };
  for (
    const n of ["tensor", "vjp", "derivative", "secondDerivative", ...opNames]
  ) {
    if (!leaveOut.includes(n)) m[n] = () => n;
  }
  if (leaveOut.includes("backend")) delete m.backend;
  return m;
}

Deno.test("checkBackendModule()", async (t) => {
  await t.step("returns a module that has every export", () => {
    const m = fakeModule();
    assert.strictEqual(checkBackendModule(m, "fake"), m);
  });

  await t.step("names every missing export", () => {
    assert.throws(
      () => checkBackendModule(fakeModule(["gelu", "vjp"]), "./mine.ts"),
      {
        name: "TypeError",
        message:
          "Module ./mine.ts does not implement the nonlin backend contract: missing vjp, gelu",
      },
    );
    assert.throws(() => checkBackendModule({}, "empty"), (e: unknown) => {
      assert.ok(e instanceof TypeError);
      for (const n of ["backend", "tensor", "secondDerivative", ...opNames]) {
        assert.ok(e.message.includes(n), `${n} not named`);
      }
      return true;
    });
  });

  await t.step("an export of the wrong kind counts as missing", () => {
    assert.throws(
      () => checkBackendModule({ ...fakeModule(), relu: 1 }, "m"),
      /missing relu$/,
    );
    assert.throws(
      () => checkBackendModule({ ...fakeModule(), backend: "native" }, "m"),
      /missing backend$/,
    );
    assert.throws(
      () =>
        checkBackendModule({ ...fakeModule(), backend: { name: "x" } }, "m"),
      /missing backend$/,
    );
    assert.throws(
      () =>
        checkBackendModule({
          ...fakeModule(),
          backend: { name: 1, available: true },
        }, "m"),
      /missing backend$/,
    );
    assert.throws(
      () => checkBackendModule(fakeModule(["backend"]), "m"),
      /missing backend$/,
    );
  });

  await t.step("release is optional, and a function when present", () => {
    const release = () => Promise.resolve();
    const m = { ...fakeModule(), release };
    assert.strictEqual(checkBackendModule(m, "m"), m);
    assert.throws(
      () => checkBackendModule({ ...fakeModule(), release: true }, "m"),
      /missing release \(not a function\)$/,
    );
  });

  await t.step("null and non-objects are a TypeError", () => {
    for (const m of [null, undefined, 1, "native"]) {
      assert.throws(() => checkBackendModule(m, "m"), TypeError);
    }
  });
});
