// Commands that fail early and clearly: a backend that never settles or
// throws a non-Error under `nonlin eval`, and output paths that cannot be
// written, found before `conformance`, `bench` and `plot` do any work.
import assert from "node:assert";
import { EvalTimeoutError, evaluate } from "./eval.ts";
import { loadBackend } from "@nonlin/backends";
import { fixture, run } from "./testdata/run.ts";

Deno.test("nonlin eval --timeout", async (t) => {
  const hanging = fixture("hanging_backend.ts");

  await t.step(
    "a backend that never settles fails, naming the call",
    async () => {
      const { status, stdout, stderr } = await run(
        "eval",
        "relu",
        "--backend",
        hanging,
        "--x=1",
        "--timeout",
        "0.2",
      );
      assert.strictEqual(status, 1);
      assert.strictEqual(stdout, "");
      assert.strictEqual(
        stderr,
        "nonlin eval: Backend hanging-example did not settle computing relu (y): no answer within --timeout 0.2 s\n",
      );
    },
  );

  await t.step("the same backend answers for the ops that settle", async () => {
    const { status, stdout } = await run(
      "eval",
      "sigmoid",
      "--backend",
      hanging,
      "--x=0",
      "--timeout",
      "30",
      "--json",
    );
    assert.strictEqual(status, 0);
    assert.deepStrictEqual(JSON.parse(stdout).y, [0.5]);
  });

  await t.step("evaluate() rejects with an EvalTimeoutError", async () => {
    const backend = await loadBackend(hanging);
    await assert.rejects(
      evaluate(backend, { op: "relu", params: {}, x: new Float32Array([1]) }, {
        signal: AbortSignal.timeout(50),
      }),
      (e: unknown) => {
        assert.ok(e instanceof EvalTimeoutError);
        assert.match(
          e.message,
          /^Backend hanging-example did not settle computing relu \(y\): /,
        );
        return true;
      },
    );
  });

  await t.step("a bad --timeout is bad usage", async () => {
    for (const value of ["0", "-1", "soon", "", "1e9"]) {
      const { status, stderr } = await run(
        "eval",
        "relu",
        "--backend",
        "native",
        "--x=1",
        `--timeout=${value}`,
      );
      assert.strictEqual(status, 2, value);
      assert.match(
        stderr,
        /^nonlin eval: --timeout must be a number of seconds/,
      );
    }
  });
});

Deno.test("nonlin eval: a backend that throws a non-Error", async (t) => {
  const backend = fixture("non_error_backend.ts");

  await t.step(
    "a thrown string is named with the backend, op and call",
    async () => {
      const { status, stderr } = await run(
        "eval",
        "relu",
        "--backend",
        backend,
        "--x=1",
      );
      assert.strictEqual(status, 1);
      assert.strictEqual(
        stderr,
        'nonlin eval: Backend non-error-example threw the string "kernel exploded", not an Error, computing relu (y)\n',
      );
    },
  );

  await t.step("so is a rejected plain object, in the VJP", async () => {
    const { status, stderr } = await run(
      "eval",
      "gelu",
      "--backend",
      backend,
      "--x=1",
    );
    assert.strictEqual(status, 1);
    assert.match(
      stderr,
      /^nonlin eval: Backend non-error-example threw .*, not an Error, computing gelu \(vjp\)\n$/,
    );
  });
});

Deno.test("output paths are checked before any work", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "nonlin_outputs_" });
  // A regular file: no path under it can be written.
  const file = `${dir}/a_file`;
  await Deno.writeTextFile(file, "");
  // A backend whose import throws: had the command started its run, the
  // error would be this one, not the output path, and the status 1.
  const throwing = fixture("throwing_backend.ts");

  try {
    const cases: [string, string[], string][] = [
      [
        "conformance --json",
        ["conformance", "--backend", throwing, "--json", `${file}/r.json`],
        `nonlin conformance: cannot write --json ${file}/r.json: ${file} is not a folder\n`,
      ],
      [
        "conformance --md",
        [
          "conformance",
          "--backend",
          throwing,
          "--json",
          `${dir}/ok.json`,
          "--md",
          dir,
        ],
        `nonlin conformance: cannot write --md ${dir}: ${dir} is a folder\n`,
      ],
      [
        "bench --json",
        ["bench", "--backend", throwing, "--json", `${file}/b.json`],
        `nonlin bench: cannot write --json ${file}/b.json: ${file} is not a folder\n`,
      ],
      [
        "bench --charts",
        ["bench", "--backend", throwing, "--charts", file],
        `nonlin bench: cannot write --charts ${file}: ${file} is not a folder\n`,
      ],
      [
        "plot --out",
        ["plot", "--backend", throwing, "--out", `${file}/figures`],
        `nonlin plot: cannot write --out ${file}/figures: ${file} is not a folder\n`,
      ],
    ];
    for (const [name, args, message] of cases) {
      await t.step(`${name}: one line on stderr, exit 2`, async () => {
        const { status, stdout, stderr } = await run(...args);
        assert.strictEqual(stderr, message);
        assert.strictEqual(status, 2);
        assert.strictEqual(stdout, "");
      });
    }
    await t.step("nothing was written", () => {
      assert.deepStrictEqual(
        [...Deno.readDirSync(dir)].map((e) => e.name),
        ["a_file"],
      );
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
