import assert from "node:assert";
import { type BackendModule, bookGrid, NotSupportedError } from "@nonlin/core";
import * as native from "@nonlin/native";
import { codeBlock, importLine, runCurve } from "./run.ts";
import { bookSections } from "./sections.ts";

Deno.test("runCurve()", async (t) => {
  const x = bookGrid();
  await t.step(
    "runs every curve of the page on the native backend, within its tolerance",
    async () => {
      for (const section of bookSections()) {
        for (const curve of section.curves) {
          const run = await runCurve(native, curve, x);
          const what = `${curve.op} ${curve.label}`;
          assert.strictEqual(run.error, undefined, what);
          assert.strictEqual(run.backend, "native");
          assert.strictEqual(run.values?.value.length, x.length, what);
          assert.deepStrictEqual(run.value?.deviations, [], what);
          assert.deepStrictEqual(run.gradient?.deviations, [], what);
        }
      }
    },
  );
  await t.step(
    "calls the op and derivative with the curve's parameters, as the code block shows",
    async () => {
      const calls: unknown[][] = [];
      const spy = {
        ...native,
        swish: (
          ...args: unknown[]
        ) => (calls.push(["swish", ...args]),
          (native.swish as (...a: unknown[]) => unknown)(...args)),
        derivative: (
          ...args: unknown[]
        ) => (calls.push(["derivative", ...args]),
          (native.derivative as (...a: unknown[]) => unknown)(...args)),
      } as unknown as BackendModule;
      await runCurve(spy, {
        op: "swish",
        params: { beta: 0.5 },
        label: "beta = 0.5",
      }, x);
      assert.deepStrictEqual(calls, [["swish", x, { beta: 0.5 }], [
        "derivative",
        "swish",
        x,
        { beta: 0.5 },
      ]]);
      calls.length = 0;
      await runCurve(spy, { op: "swish", params: {}, label: "default" }, x);
      assert.deepStrictEqual(
        calls,
        [["swish", x], ["derivative", "swish", x]],
        "no options object for defaults",
      );
    },
  );
  await t.step(
    "an error thrown by the backend is returned, not thrown",
    async () => {
      const failing = {
        ...native,
        derivative: () =>
          Promise.reject(
            new NotSupportedError(
              "mine",
              "relu",
              "derivative",
              "no autodiff here",
            ),
          ),
      } as unknown as BackendModule;
      const run = await runCurve(failing, {
        op: "relu",
        params: {},
        label: "default",
      }, x);
      assert.match(run.error ?? "", /^NotSupportedError: .*no autodiff here/);
      assert.strictEqual(run.values, undefined);
      assert.strictEqual(run.reference.value.length, x.length);
    },
  );
});

Deno.test("importLine()", async (t) => {
  await t.step("imports from the backend's package", () => {
    assert.strictEqual(
      importLine("native", ["gelu", "derivative"]),
      'import { gelu, derivative } from "@nonlin/native";',
    );
    assert.strictEqual(
      importLine("tfjs-webgpu", ["tanh"]),
      'import { tanh } from "@nonlin/tfjs-webgpu";',
    );
  });
});

Deno.test("codeBlock()", async (t) => {
  await t.step("one curve: the import, the grid and the two calls", () => {
    const relu = bookSections().find((s) => s.op === "relu")!;
    assert.strictEqual(
      codeBlock("tfjs-cpu", relu.curves),
      [
        'import { relu, derivative } from "@nonlin/tfjs-cpu";',
        "",
        "// arange(-8.0, 8.0, 0.1)",
        "const x = Float32Array.from({ length: 160 }, (_, i) => (i - 80) / 10);",
        "const y = await relu(x);",
        'const grad = await derivative("relu", x);',
      ].join("\n"),
    );
  });
  await t.step("several curves: numbered, with their parameters", () => {
    const gelu = bookSections().find((s) => s.op === "gelu")!;
    const code = codeBlock("native", gelu.curves);
    assert.match(
      code,
      /\/\/ default\nconst y1 = await gelu\(x\);\nconst grad1 = await derivative\("gelu", x\);/,
    );
    assert.match(
      code,
      /const y2 = await gelu\(x, \{ approximate: "tanh" \}\);/,
    );
    assert.match(
      code,
      /const grad2 = await derivative\("gelu", x, \{ approximate: "tanh" \}\);/,
    );
  });
  await t.step("the grid line computes bookGrid()", () => {
    const line = codeBlock("native", bookSections()[0]!.curves).split("\n")[3]!;
    const expression = line.replace(/^const x = /, "").replace(/;$/, "");
    const x = new Function(`return ${expression}`)() as Float32Array;
    assert.deepStrictEqual(x, bookGrid());
  });
  await t.step("needs at least one curve", () => {
    assert.throws(() => codeBlock("native", []), RangeError);
  });
});
