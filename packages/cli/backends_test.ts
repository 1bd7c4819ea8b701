import assert from "node:assert";
import {
  backendNames,
  backendVariantNames,
  peerBackendNames,
} from "@nonlin/backends";
import {
  backendsHelp,
  formatBackendsText,
  listBackends,
  main,
} from "./backends.ts";
import { BufferedOutput } from "./output.ts";
import { fixture } from "./testdata/run.ts";

Deno.test("listBackends()", async (t) => {
  await t.step("every built-in backend, in order, never throwing", async () => {
    const reports = await listBackends();
    assert.deepStrictEqual(reports.map((r) => r.name), [
      ...backendNames,
      ...peerBackendNames,
      ...backendVariantNames,
    ]);
    for (const r of reports) {
      assert.strictEqual(typeof r.available, "boolean");
      if (!r.available) assert.ok(r.reason, `${r.name} has a reason`);
    }
  });

  await t.step("native runs everywhere and computes everything", async () => {
    const native = (await listBackends()).find((r) => r.name === "native");
    assert.strictEqual(native?.available, true, native?.reason);
    assert.strictEqual(native?.precision, "float32");
    assert.deepStrictEqual(native?.unsupported, []);
  });

  await t.step("a module that loads and runs", async () => {
    const [report] = (await listBackends([fixture("reference_backend.ts")]))
      .slice(-1);
    assert.deepStrictEqual(report, {
      name: "example-reference",
      module: fixture("reference_backend.ts"),
      available: true,
      precision: "float32",
      properties: {
        engine: "float64 catalog reference, rounded once to float32",
      },
      unsupported: [],
    });
  });

  await t.step("a module that loads but cannot run here", async () => {
    const [report] = (await listBackends([fixture("unavailable_backend.ts")]))
      .slice(-1);
    assert.strictEqual(report?.name, "unavailable");
    assert.strictEqual(report?.available, false);
    assert.strictEqual(report?.reason, "navigator.gpu is undefined");
  });

  await t.step(
    "modules that fail to load are reported, not thrown",
    async () => {
      const modules = [
        "throwing_backend.ts",
        "incomplete_backend.ts",
        "no_such_backend.ts",
      ]
        .map(fixture);
      const reports = (await listBackends(modules)).slice(-3);
      assert.deepStrictEqual(
        reports.map((r) => [r.name, r.module, r.available]),
        [
          [modules[0], modules[0], false],
          [modules[1], modules[1], false],
          [modules[2], modules[2], false],
        ],
      );
      assert.match(
        reports[0]!.reason!,
        /^failed to load: engine failed to initialise: no such device$/,
      );
      assert.match(
        reports[1]!.reason!,
        /^failed to load: .*missing tensor, vjp/,
      );
      assert.match(
        reports[2]!.reason!,
        /^failed to load: .*no_such_backend\.ts/,
      );
    },
  );

  await t.step("what a backend cannot compute", async () => {
    const [report] =
      (await listBackends([fixture("no_second_derivative_backend.ts")]))
        .slice(-1);
    assert.ok(report!.unsupported.length > 0);
    for (const u of report!.unsupported) {
      assert.strictEqual(u.feature, "secondDerivative");
    }
  });
});

Deno.test("formatBackendsText()", async (t) => {
  await t.step("a table of the backends, then each one's properties", () => {
    assert.strictEqual(
      formatBackendsText([
        {
          name: "native",
          available: true,
          precision: "float32",
          properties: { simd: false, threads: 1 },
          unsupported: [],
        },
        {
          name: "tfjs-webgpu",
          available: false,
          reason: "navigator.gpu is undefined",
          precision: "float32",
          properties: {},
          unsupported: [],
        },
        {
          name: "./mine.ts",
          module: "./mine.ts",
          available: false,
          reason: "failed to load: Module not found",
          properties: {},
          unsupported: [],
        },
      ]),
      `backend      here  why not
native       yes
tfjs-webgpu  no    navigator.gpu is undefined
./mine.ts    no    failed to load: Module not found

native
  precision  float32
  simd       false
  threads    1
  computes everything

tfjs-webgpu
  precision  float32
  computes everything
`,
    );
  });

  await t.step("unsupported features grouped by feature and reason", () => {
    const text = formatBackendsText([{
      name: "tfjs-cpu",
      module: "./tfjs_cpu.ts",
      available: true,
      precision: "float32",
      properties: {},
      unsupported: [
        {
          op: "relu",
          feature: "secondDerivative",
          reason: "no gradient of Step",
        },
        { op: "prelu", feature: "dparam:alpha", reason: "no gradient" },
        {
          op: "relu6",
          feature: "secondDerivative",
          reason: "no gradient of Step",
        },
      ],
    }]);
    assert.strictEqual(
      text,
      `backend   here
tfjs-cpu  yes

tfjs-cpu (./tfjs_cpu.ts)
  precision  float32
  cannot compute:
    secondDerivative of relu, relu6: no gradient of Step
    dparam:alpha of prelu: no gradient
`,
    );
  });
});

Deno.test("main()", async (t) => {
  await t.step("--json: one object listing every backend", async () => {
    const output = new BufferedOutput();
    const modules = [
      fixture("reference_backend.ts"),
      fixture("throwing_backend.ts"),
    ];
    // The throwing module was named, so its failure is the command's.
    assert.strictEqual(await main(["--json", ...modules], output), 1);
    assert.strictEqual(
      output.stderr,
      `nonlin backends: ${
        modules[1]
      } failed to load: engine failed to initialise: no such device\n`,
    );
    const { backends } = JSON.parse(output.stdout);
    assert.deepStrictEqual(
      backends.map((b: { name: string }) => b.name),
      [
        ...backendNames,
        ...peerBackendNames,
        ...backendVariantNames,
        "example-reference",
        modules[1],
      ],
    );
    assert.strictEqual(backends.at(-1).available, false);
    assert.match(backends.at(-1).reason, /engine failed to initialise/);
  });

  await t.step("the table", async () => {
    const output = new BufferedOutput();
    assert.strictEqual(
      await main([fixture("unavailable_backend.ts")], output),
      0,
    );
    assert.ok(output.stdout.startsWith("backend"));
    assert.match(
      output.stdout,
      /\nunavailable +no +navigator\.gpu is undefined\n/,
    );
  });

  await t.step("modules that load exit 0, also when unavailable", async () => {
    const output = new BufferedOutput();
    assert.strictEqual(
      await main([
        fixture("reference_backend.ts"),
        fixture("unavailable_backend.ts"),
        "native",
      ], output),
      0,
    );
    assert.strictEqual(output.stderr, "");
    // A built-in name given on the command line is listed once.
    assert.strictEqual(output.stdout.match(/^native /gm)?.length, 1);
  });

  await t.step("a named module that is missing: exit 1", async () => {
    const output = new BufferedOutput();
    const missing = fixture("no_such_backend.ts");
    assert.strictEqual(await main([missing], output), 1);
    assert.match(
      output.stderr,
      new RegExp(
        `^nonlin backends: ${
          missing.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")
        } failed to load: [^\n]*\n$`,
      ),
    );
  });

  await t.step("an unknown name: exit 2 before loading anything", async () => {
    const output = new BufferedOutput();
    assert.strictEqual(await main(["nativ"], output), 2);
    assert.strictEqual(output.stdout, "");
    assert.strictEqual(
      output.stderr,
      `nonlin backends: unknown backend "nativ": expected one of ${
        [...backendNames, ...peerBackendNames, ...backendVariantNames].join(
          ", ",
        )
      }, or a module path such as ./my_backend.ts\n`,
    );
  });

  await t.step("--help", async () => {
    const output = new BufferedOutput();
    assert.strictEqual(await main(["--help"], output), 0);
    assert.strictEqual(output.stdout, backendsHelp());
  });

  await t.step("bad usage: exit 2", async () => {
    const output = new BufferedOutput();
    assert.strictEqual(await main(["--bogus"], output), 2);
    assert.strictEqual(output.stdout, "");
    assert.match(output.stderr, /^nonlin backends: Unknown option '--bogus'/);
  });
});
