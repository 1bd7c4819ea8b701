import assert from "node:assert";
import { opNames } from "@nonlin/core";
import {
  backendNames,
  backendVariantNames,
  builtinBackends,
  loadBackend,
  peerBackendNames,
} from "./mod.ts";

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

Deno.test("builtinBackends", async (t) => {
  await t.step("each name loads the backend that calls itself so", async () => {
    for (
      const name of [
        ...backendNames,
        ...peerBackendNames,
        ...backendVariantNames,
      ]
    ) {
      const m = await loadBackend(name);
      assert.strictEqual(m.backend.name, name);
    }
  });

  await t.step("a name loads the very module a program imports", async () => {
    assert.strictEqual(
      await loadBackend("native"),
      await import("@nonlin/native"),
    );
    assert.strictEqual(
      await loadBackend("native-js"),
      await import("@nonlin/native/js"),
    );
    assert.strictEqual(
      await loadBackend("tfjs-cpu"),
      await import("@nonlin/tfjs-cpu"),
    );
  });

  await t.step("variants name a backend in the list", () => {
    for (const [name, b] of Object.entries(builtinBackends)) {
      const base = b.peer === undefined ? backendNames : peerBackendNames;
      if (b.variantOf !== undefined) {
        assert.ok(base.includes(b.variantOf), name);
        assert.ok(backendVariantNames.includes(name), name);
      } else {
        assert.ok(base.includes(name), name);
      }
    }
    assert.ok(Object.isFrozen(builtinBackends));
  });

  await t.step(
    "names that are also Object.prototype keys are unknown",
    async () => {
      for (const name of ["toString", "constructor", "__proto__"]) {
        await assert.rejects(loadBackend(name), RangeError);
      }
    },
  );
});

Deno.test("loadBackend() resolves a relative path against the working directory", async (t) => {
  // A directory whose name holds a fragment, a query and an escape: a URL
  // built by string concatenation reads "#" as a fragment, "?" as a query
  // and "%41" as "A", and so names another file.
  const parent = await Deno.makeTempDir({ prefix: "nonlin_load_" });
  const dir = `${parent}/a #b ?c %41`;
  try {
    await Deno.mkdir(dir);
    const reference = import.meta.resolve(
      "../../examples/reference_backend.ts",
    );
    await Deno.writeTextFile(
      `${dir}/backend.ts`,
      `export * from ${JSON.stringify(reference)};\n`,
    );
    // The trap, so the test proves something: the naive URL misses the file.
    const naive = new URL("./backend.ts", `file://${dir}/`);
    assert.notStrictEqual(
      decodeURIComponent(naive.pathname),
      `${dir}/backend.ts`,
    );

    for (const path of ["./backend.ts", "backend.ts", `${dir}/backend.ts`]) {
      await t.step(
        path.startsWith("/") ? "an absolute path" : path,
        async () => {
          const { code, stdout, stderr } = await new Deno.Command(
            Deno.execPath(),
            {
              args: [
                "run",
                "--allow-all",
                "--config",
                new URL("../../deno.json", import.meta.url).pathname,
                import.meta.resolve("./testdata/load_relative.ts"),
                path,
              ],
              cwd: dir,
              stdout: "piped",
              stderr: "piped",
            },
          ).output();
          const err = new TextDecoder().decode(stderr);
          assert.strictEqual(code, 0, err);
          assert.strictEqual(
            new TextDecoder().decode(stdout).trim(),
            "example-reference",
          );
        },
      );
    }
  } finally {
    await Deno.remove(parent, { recursive: true });
  }
});
