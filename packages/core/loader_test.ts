import assert from "node:assert";
import { opNames } from "./catalog.ts";
import { backendNames, checkBackendModule, loadBackend } from "./loader.ts";

/** The source of a module with every export the contract requires, and more. */
function fakeModuleSource(leaveOut: readonly string[] = []): string {
  const names = ["tensor", "vjp", "derivative", "secondDerivative", ...opNames]
    .filter((n) => !leaveOut.includes(n));
  return [
    ...names.map((n) =>
      `export function ${n}() { return ${JSON.stringify(n)}; }`
    ),
    leaveOut.includes("backend")
      ? ""
      : 'export const backend = { name: "fake", available: true };',
    "export const extra = 1;",
  ].join("\n");
}

function dataUrl(source: string): string {
  return `data:application/javascript;base64,${btoa(source)}`;
}

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

  await t.step("null and non-objects are a TypeError", () => {
    for (const m of [null, undefined, 1, "native"]) {
      assert.throws(() => checkBackendModule(m, "m"), TypeError);
    }
  });
});

Deno.test("loadBackend()", async (t) => {
  await t.step("the built-in names include native", () => {
    assert.ok(backendNames.includes("native"));
    assert.ok(Object.isFrozen(backendNames));
  });

  await t.step(
    "an unknown name is a RangeError listing the built-in ones",
    async () => {
      await assert.rejects(loadBackend("nativ"), (e: unknown) => {
        assert.ok(e instanceof RangeError);
        assert.ok(
          e.message.startsWith('Unknown backend "nativ": expected one of '),
          e.message,
        );
        for (const n of backendNames) assert.ok(e.message.includes(n));
        return true;
      });
    },
  );

  await t.step("a name that is not a string is a TypeError", async () => {
    await assert.rejects(loadBackend(3 as unknown as string), TypeError);
  });

  await t.step(
    "loads any module implementing the contract by URL",
    async () => {
      const m = await loadBackend(dataUrl(fakeModuleSource()));
      assert.strictEqual(m.backend.name, "fake");
      assert.strictEqual((m.relu as unknown as () => string)(), "relu");
    },
  );

  await t.step(
    "a module lacking part of the contract is a TypeError naming it",
    async () => {
      await assert.rejects(
        loadBackend(dataUrl(fakeModuleSource(["mish"]))),
        /missing mish$/,
      );
    },
  );
});
