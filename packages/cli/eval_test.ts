import assert from "node:assert";
import { relative } from "node:path";
import { fileURLToPath } from "node:url";
import {
  type BackendModule,
  BackendUnavailableError,
  opNames,
  ops,
  type ResolvedParams,
  ulpDistance,
} from "@nonlin/core";
import { loadBackend } from "@nonlin/backends";
import {
  checkEvalRequest,
  evalHelp,
  evaluate,
  formatEvalJson,
  formatEvalText,
  main,
} from "./eval.ts";
import { fixture, runOf } from "./testdata/run.ts";

/** The keys of `--json`, in DESIGN.md's order. */
const JSON_KEYS = ["op", "backend", "params", "x", "y", "dx", "dparams", "d2x"];

const REFERENCE = fixture("reference_backend.ts");
const NO_SECOND = fixture("no_second_derivative_backend.ts");
const reference = await loadBackend(REFERENCE);

const f32 = (...values: number[]): Float32Array => new Float32Array(values);

/** Runs `nonlin eval` in process. */
const run = runOf(main);

Deno.test("checkEvalRequest()", async (t) => {
  const x = f32(-1, 0, 1);

  await t.step("fills in the catalog's defaults", () => {
    assert.deepStrictEqual(checkEvalRequest({ op: "gelu", params: {}, x }), {
      approximate: "none",
    });
    assert.deepStrictEqual(
      checkEvalRequest({ op: "softplus", params: { beta: 2 }, x }),
      {
        beta: 2,
        threshold: 20,
      },
    );
    assert.deepStrictEqual(checkEvalRequest({ op: "relu", params: {}, x }), {});
  });

  await t.step("unknown op lists the ops", () => {
    assert.throws(
      () => checkEvalRequest({ op: "gelux", params: {}, x }),
      (e: Error) => {
        assert.ok(e instanceof RangeError);
        assert.ok(e.message.startsWith('Unknown op "gelux": expected one of'));
        for (const name of opNames) assert.ok(e.message.includes(name), name);
        return true;
      },
    );
  });

  await t.step("parameters out of range, NaN or unknown", () => {
    assert.throws(
      () => checkEvalRequest({ op: "softplus", params: { beta: 0 }, x }),
      RangeError,
    );
    assert.throws(
      () => checkEvalRequest({ op: "celu", params: { alpha: 0 }, x }),
      RangeError,
    );
    assert.throws(
      () => checkEvalRequest({ op: "elu", params: { alpha: NaN }, x }),
      RangeError,
    );
    assert.throws(
      () => checkEvalRequest({ op: "gelu", params: { approximate: "erf" }, x }),
      RangeError,
    );
    assert.throws(
      () => checkEvalRequest({ op: "relu", params: { alpha: 1 }, x }),
      TypeError,
    );
    assert.throws(
      () => checkEvalRequest({ op: "prelu", params: {}, x }),
      TypeError,
    );
  });

  await t.step("dy of another length", () => {
    assert.throws(
      () => checkEvalRequest({ op: "relu", params: {}, x, dy: f32(1, 1) }),
      {
        name: "RangeError",
        message: "dy must have as many values as x: got 2 and 3",
      },
    );
  });

  await t.step("a tensor parameter that does not broadcast to x", () => {
    assert.throws(
      () =>
        checkEvalRequest({ op: "prelu", params: { alpha: f32(0.1, 0.2) }, x }),
      /prelu alpha of shape \[2\] is not broadcastable to x of shape \[3\]/,
    );
    checkEvalRequest({ op: "prelu", params: { alpha: f32(0.1, 0.2, 0.3) }, x });
    checkEvalRequest({ op: "prelu", params: { alpha: f32(0.1) }, x });
  });
});

Deno.test("evaluate()", async (t) => {
  await t.step(
    "every op: y, dx and d2x are what the backend computes",
    async () => {
      const x = f32(-2, -0.5, 0, 0.5, 3, NaN, -Infinity, Infinity);
      for (const op of opNames) {
        const params = ops[op].example as Readonly<Record<string, number>>;
        const p = { ...checkEvalRequest({ op, params, x }) } as ResolvedParams;
        const spec = ops[op];
        const result = await evaluate(reference, { op, params, x });
        assert.strictEqual(result.op, op);
        assert.strictEqual(result.backend, "example-reference");
        assert.deepStrictEqual(result.y, x.map((v) => spec.f(v, p)), op);
        assert.deepStrictEqual(result.dx, x.map((v) => spec.dfdx(v, p)), op);
        assert.deepStrictEqual(result.d2x, x.map((v) => spec.d2fdx2(v, p)), op);
        assert.deepStrictEqual(result.dy, new Float32Array(x.length).fill(1));
      }
    },
  );

  await t.step("dy scales dx and the parameter gradients", async () => {
    const x = f32(-2, -1, 3);
    const dy = f32(0.5, -1, 2);
    const result = await evaluate(reference, {
      op: "leakyRelu",
      params: { alpha: 0.2 },
      x,
      dy,
    });
    assert.deepStrictEqual(result.dx, f32(0.5 * 0.2, -0.2, 2));
    // ∂/∂α = min(x, 0), summed with dy: 0.5·(−2) + (−1)·(−1) + 2·0.
    assert.deepStrictEqual(result.dparams, { alpha: f32(0) });
    assert.deepStrictEqual(result.dy, dy);
  });

  await t.step("prelu: a list alpha gets a gradient per element", async () => {
    const result = await evaluate(reference, {
      op: "prelu",
      params: { alpha: f32(0.25, 0.5, 0.125) },
      x: f32(-1, 2, -3),
    });
    assert.deepStrictEqual(result.y, f32(-0.25, 2, -0.375));
    assert.deepStrictEqual(result.dparams, { alpha: f32(-1, 0, -3) });
    assert.deepStrictEqual(result.params, { alpha: f32(0.25, 0.5, 0.125) });
  });

  await t.step("prelu: a number alpha gets one summed gradient", async () => {
    const result = await evaluate(reference, {
      op: "prelu",
      params: { alpha: 0.5 },
      x: f32(-1, 2, -3),
    });
    assert.deepStrictEqual(result.dparams, { alpha: f32(-4) });
  });

  await t.step("empty input", async () => {
    const result = await evaluate(reference, {
      op: "swish",
      params: {},
      x: f32(),
    });
    assert.deepStrictEqual(result.y, f32());
    assert.deepStrictEqual(result.dparams, { beta: f32(0) });
  });

  await t.step(
    "NotSupportedError becomes a message, not a failure",
    async () => {
      const backend = await loadBackend(NO_SECOND);
      const result = await evaluate(backend, {
        op: "relu",
        params: {},
        x: f32(1),
      });
      assert.deepStrictEqual(result.y, f32(1));
      assert.strictEqual(
        result.d2x,
        "not supported by this backend: this fixture has no second derivatives",
      );
    },
  );

  await t.step("a backend that cannot run here is refused", async () => {
    const backend = await loadBackend(fixture("unavailable_backend.ts"));
    await assert.rejects(
      evaluate(backend, { op: "relu", params: {}, x: f32(1) }),
      (e: Error) => {
        assert.ok(e instanceof BackendUnavailableError);
        assert.match(e.message, /navigator\.gpu is undefined/);
        return true;
      },
    );
  });

  await t.step("a backend returning the wrong thing is caught", async () => {
    const wrongType = {
      ...reference,
      relu: () => Promise.resolve([1]),
    } as unknown as BackendModule;
    await assert.rejects(
      evaluate(wrongType, { op: "relu", params: {}, x: f32(1) }),
      {
        name: "TypeError",
        message:
          "Backend example-reference returned a wrong y for relu: expected a Float32Array of 1 elements, got Array",
      },
    );
    const wrongLength = {
      ...reference,
      vjp: () => Promise.resolve({ dx: f32(1, 2), dparams: {} }),
    } as unknown as BackendModule;
    await assert.rejects(
      evaluate(wrongLength, { op: "relu", params: {}, x: f32(1) }),
      /wrong dx for relu: expected a Float32Array of 1 elements, got a Float32Array of 2 elements/,
    );
    const noDparam = {
      ...reference,
      vjp: () => Promise.resolve({ dx: f32(1), dparams: {} }),
    } as unknown as BackendModule;
    await assert.rejects(
      evaluate(noDparam, { op: "swish", params: {}, x: f32(1) }),
      /wrong gradient of beta for swish: expected a Float32Array of 1 elements, got undefined/,
    );
  });

  await t.step("errors other than NotSupportedError are thrown", async () => {
    const failing = {
      ...reference,
      secondDerivative: () => Promise.reject(new Error("device lost")),
    } as unknown as BackendModule;
    await assert.rejects(
      evaluate(failing, { op: "relu", params: {}, x: f32(1) }),
      /device lost/,
    );
  });
});

Deno.test("formatEvalJson()", async (t) => {
  await t.step("the object of the CLI contract, exactly", async () => {
    const result = await evaluate(reference, {
      op: "gelu",
      params: {},
      x: f32(-1, 0, 1),
    });
    // Values checked against numpy.float32 of the float64 formulas.
    assert.strictEqual(
      formatEvalJson(result),
      `{
  "op": "gelu",
  "backend": "example-reference",
  "params": { "approximate": "none" },
  "x": [-1, 0, 1],
  "y": [-0.15865526, 0, 0.8413448],
  "dx": [-0.08331547, 0.5, 1.0833155],
  "dparams": {},
  "d2x": [0.24197072, 0.7978846, 0.24197072]
}
`,
    );
    assert.deepStrictEqual(
      Object.keys(JSON.parse(formatEvalJson(result))),
      JSON_KEYS,
    );
  });

  await t.step(
    "special values are strings, finite values numbers",
    async () => {
      const x = f32(
        NaN,
        Infinity,
        -Infinity,
        -0,
        0,
        2 ** -149,
        3.4028234663852886e38,
      );
      const json = JSON.parse(
        formatEvalJson(
          await evaluate(reference, { op: "tanh", params: {}, x }),
        ),
      );
      assert.deepStrictEqual(json.x, [
        "NaN",
        "Infinity",
        "-Infinity",
        "-0",
        0,
        1e-45,
        3.4028235e38,
      ]);
      assert.deepStrictEqual(json.y, ["NaN", 1, -1, "-0", 0, 1e-45, 1]);
      assert.deepStrictEqual(json.dx, ["NaN", 0, 0, 1, 1, 1, 0]);
    },
  );

  await t.step("parameters and their gradients", async () => {
    const result = await evaluate(reference, {
      op: "prelu",
      params: { alpha: f32(0.1, 0.2) },
      x: f32(-1, -2),
    });
    const json = JSON.parse(formatEvalJson(result));
    assert.deepStrictEqual(json.params, { alpha: [0.1, 0.2] });
    assert.deepStrictEqual(json.dparams, { alpha: [-1, -2] });
    const swish = JSON.parse(
      formatEvalJson(
        await evaluate(reference, {
          op: "swish",
          params: { beta: 1.5 },
          x: f32(1),
        }),
      ),
    );
    assert.deepStrictEqual(swish.params, { beta: 1.5 });
    assert.deepStrictEqual(Object.keys(swish.dparams), ["beta"]);
    assert.strictEqual(swish.dparams.beta.length, 1);
  });

  await t.step("not supported: the message in place of the array", async () => {
    const backend = await loadBackend(NO_SECOND);
    const json = JSON.parse(
      formatEvalJson(
        await evaluate(backend, { op: "sigmoid", params: {}, x: f32(0) }),
      ),
    );
    assert.strictEqual(
      json.d2x,
      "not supported by this backend: this fixture has no second derivatives",
    );
    assert.deepStrictEqual(json.dx, [0.25]);
  });
});

Deno.test("formatEvalText()", async (t) => {
  await t.step("an aligned table, then the parameter gradients", async () => {
    const result = await evaluate(reference, {
      op: "leakyRelu",
      params: { alpha: 0.1 },
      x: f32(-10, 0.5, NaN),
    });
    assert.strictEqual(
      formatEvalText(result),
      `op       leakyRelu
backend  example-reference
params   alpha = 0.1

    x    y   dx  d2x
  -10   -1  0.1    0
  0.5  0.5    1    0
  NaN  NaN  NaN  NaN

dparams  alpha = [NaN]
`,
    );
  });

  await t.step("the dy column when asked", async () => {
    const result = await evaluate(reference, {
      op: "relu",
      params: {},
      x: f32(1, -1),
      dy: f32(2, 3),
    });
    assert.ok(
      formatEvalText(result, { showDy: true }).includes(
        "   x  dy  y  dx  d2x\n   1   2  1   2    0\n  -1   3  0   0    0\n",
      ),
    );
  });

  await t.step("not supported: a line instead of a column", async () => {
    const backend = await loadBackend(NO_SECOND);
    const text = formatEvalText(
      await evaluate(backend, { op: "relu", params: {}, x: f32(1) }),
    );
    assert.ok(text.includes("  x  y  dx\n  1  1   1\n"), text);
    assert.ok(
      text.includes(
        "\nd2x      not supported by this backend: this fixture has no second derivatives\n",
      ),
    );
    assert.ok(text.endsWith("dparams  (relu has no learned parameters)\n"));
  });

  await t.step("empty input", async () => {
    const text = formatEvalText(
      await evaluate(reference, { op: "relu", params: {}, x: f32() }),
    );
    assert.ok(text.includes("  x  y  dx  d2x\n  (x is empty)\n"), text);
  });
});

Deno.test("main()", async (t) => {
  await t.step("--json prints the one object", async () => {
    const { status, stdout, stderr } = await run(
      "gelu",
      "--backend",
      REFERENCE,
      "--x=-1,0,1",
      "--json",
    );
    assert.strictEqual(status, 0, stderr);
    assert.strictEqual(stderr, "");
    const json = JSON.parse(stdout);
    assert.strictEqual(json.op, "gelu");
    assert.deepStrictEqual(json.x, [-1, 0, 1]);
    assert.deepStrictEqual(json.y, [-0.15865526, 0, 0.8413448]);
  });

  await t.step("the README's command on the native backend", async () => {
    const { status, stdout, stderr } = await run(
      "gelu",
      "--backend",
      "native",
      "--x=-1,0,1",
      "--json",
    );
    assert.strictEqual(status, 0, stderr);
    const got = JSON.parse(stdout);
    const want = JSON.parse(
      (await run("gelu", "--backend", REFERENCE, "--x=-1,0,1", "--json"))
        .stdout,
    );
    assert.deepStrictEqual(Object.keys(got), JSON_KEYS);
    assert.deepStrictEqual(
      [got.op, got.backend, got.params, got.x, got.dparams],
      ["gelu", "native", { approximate: "none" }, [-1, 0, 1], {}],
    );
    // Native promises 1 ULP for values and 2 for gradients against the reference.
    for (const [key, ulps] of [["y", 1], ["dx", 2], ["d2x", 2]] as const) {
      got[key].forEach((v: number, i: number) => {
        assert.ok(
          ulpDistance(v, want[key][i]) <= ulps,
          `${key}[${i}]: ${v} vs ${want[key][i]}`,
        );
      });
    }
  });

  await t.step("--x -1,0,1 works as --x=-1,0,1", async () => {
    const a = await run(
      "relu",
      "--backend",
      REFERENCE,
      "--x",
      "-1,0,1",
      "--json",
    );
    const b = await run("relu", "--backend", REFERENCE, "--x=-1,0,1", "--json");
    assert.strictEqual(a.status, 0, a.stderr);
    assert.strictEqual(a.stdout, b.stdout);
    const c = await run(
      "relu",
      "--backend",
      REFERENCE,
      "--x",
      "-inf,nan",
      "--dy",
      "-2,-3",
      "--json",
    );
    assert.strictEqual(c.status, 0, c.stderr);
    assert.deepStrictEqual(JSON.parse(c.stdout).x, ["-Infinity", "NaN"]);
  });

  await t.step("special spellings in --x", async () => {
    const { status, stdout } = await run(
      "tanh",
      "--backend",
      REFERENCE,
      "--x=nan,NaN,inf,+inf,-inf,Infinity,-Infinity,INF,-0,1e-45",
      "--json",
    );
    assert.strictEqual(status, 0);
    assert.deepStrictEqual(JSON.parse(stdout).x, [
      "NaN",
      "NaN",
      "Infinity",
      "Infinity",
      "-Infinity",
      "Infinity",
      "-Infinity",
      "Infinity",
      "-0",
      1e-45,
    ]);
  });

  await t.step("--dy defaults to ones", async () => {
    const ones = await run(
      "sigmoid",
      "--backend",
      REFERENCE,
      "--x=0,0",
      "--json",
    );
    assert.deepStrictEqual(JSON.parse(ones.stdout).dx, [0.25, 0.25]);
    const given = await run(
      "sigmoid",
      "--backend",
      REFERENCE,
      "--x=0,0",
      "--dy=2,-0.5",
      "--json",
    );
    assert.deepStrictEqual(JSON.parse(given.stdout).dx, [0.5, -0.125]);
  });

  await t.step("--param: numbers, prelu lists, gelu's choice", async () => {
    const leaky = JSON.parse(
      (await run(
        "leakyRelu",
        "--backend",
        REFERENCE,
        "--param",
        "alpha=0.2",
        "--x=-1",
        "--json",
      ))
        .stdout,
    );
    assert.deepStrictEqual(leaky.params, { alpha: 0.2 });
    assert.deepStrictEqual(leaky.y, [-0.2]);
    assert.deepStrictEqual(leaky.dparams, { alpha: [-1] });
    const prelu = JSON.parse(
      (await run(
        "prelu",
        "--backend",
        REFERENCE,
        "--param",
        "alpha=0.1,0.2",
        "--x=-1,-2",
        "--json",
      ))
        .stdout,
    );
    assert.deepStrictEqual(prelu.params, { alpha: [0.1, 0.2] });
    assert.deepStrictEqual(prelu.y, [-0.1, -0.4]);
    assert.deepStrictEqual(prelu.dparams, { alpha: [-1, -2] });
    const exact = JSON.parse(
      (await run("gelu", "--backend", REFERENCE, "--x=1", "--json")).stdout,
    );
    const tanh = JSON.parse(
      (await run(
        "gelu",
        "--backend",
        REFERENCE,
        "--param",
        "approximate=tanh",
        "--x=1",
        "--json",
      ))
        .stdout,
    );
    assert.deepStrictEqual(tanh.params, { approximate: "tanh" });
    assert.deepStrictEqual(tanh.y, [0.841192]); // 0.5·(1 + tanh(√(2/π)·1.044715))
    assert.notDeepStrictEqual(tanh.y, exact.y);
    const two = JSON.parse(
      (await run(
        "softplus",
        "--backend",
        REFERENCE,
        "--param",
        "beta=2",
        "--param",
        "threshold=10",
        "--x=0",
        "--json",
      )).stdout,
    );
    assert.deepStrictEqual(two.params, { beta: 2, threshold: 10 });
  });

  await t.step("the table without --json", async () => {
    const { status, stdout } = await run(
      "relu",
      "--backend",
      REFERENCE,
      "--x=-1,2",
    );
    assert.strictEqual(status, 0);
    assert.ok(
      stdout.startsWith(
        "op       relu\nbackend  example-reference\nparams   (none)\n\n",
      ),
    );
    assert.ok(
      stdout.includes("   x  y  dx  d2x\n  -1  0   0    0\n   2  2   1    0\n"),
    );
  });

  await t.step("a module path relative to the working directory", async () => {
    const path = relative(Deno.cwd(), fileURLToPath(REFERENCE));
    const { status, stdout, stderr } = await run(
      "relu",
      "--backend",
      path.startsWith(".") ? path : `./${path}`,
      "--x=1",
      "--json",
    );
    assert.strictEqual(status, 0, stderr);
    assert.strictEqual(JSON.parse(stdout).backend, "example-reference");
  });

  await t.step("d2x not supported: reported, exit 0", async () => {
    const { status, stdout } = await run(
      "relu",
      "--backend",
      NO_SECOND,
      "--x=1",
      "--json",
    );
    assert.strictEqual(status, 0);
    assert.strictEqual(
      JSON.parse(stdout).d2x,
      "not supported by this backend: this fixture has no second derivatives",
    );
  });

  await t.step("bad usage: exit 2 with a clear message", async () => {
    const cases: [string[], RegExp][] = [
      [
        ["gelux", "--backend", REFERENCE, "--x=1"],
        /Unknown op "gelux": expected one of relu, leakyRelu, prelu/,
      ],
      [["--backend", REFERENCE, "--x=1"], /Missing op: expected one of relu, /],
      [
        ["relu", "gelu", "--backend", REFERENCE, "--x=1"],
        /Expected one op, got 2: relu gelu/,
      ],
      [
        ["relu", "--backend", "nativ", "--x=1"],
        /Unknown backend "nativ": expected one of native/,
      ],
      [["relu", "--x=1"], /Missing --backend/],
      [["relu", "--backend", REFERENCE], /Missing --x/],
      [
        ["relu", "--backend", REFERENCE, "--x=1,x"],
        /--x item 2 must be a number, NaN, Infinity or -Infinity: got "x"/,
      ],
      [["relu", "--backend", REFERENCE, "--x=1,,2"], /--x item 2 is empty/],
      [
        ["relu", "--backend", REFERENCE, "--x=1,2", "--dy=1"],
        /dy must have as many values as x: got 1 and 2/,
      ],
      [
        ["relu", "--backend", REFERENCE, "--x=1", "--dy=one"],
        /--dy item 1 must be a number/,
      ],
      [
        ["softplus", "--backend", REFERENCE, "--x=1", "--param", "beta=0"],
        /softplus beta must be a finite number in \(0, ∞\): got 0/,
      ],
      [
        ["celu", "--backend", REFERENCE, "--x=1", "--param", "alpha=0"],
        /celu alpha must be a finite number/,
      ],
      [
        ["elu", "--backend", REFERENCE, "--x=1", "--param", "alpha=nan"],
        /elu alpha must be a finite number .*: got NaN/,
      ],
      [
        ["elu", "--backend", REFERENCE, "--x=1", "--param", "alpha=big"],
        /elu alpha must be a number/,
      ],
      [
        ["gelu", "--backend", REFERENCE, "--x=1", "--param", "approximate=erf"],
        /gelu approximate must be one of "none", "tanh": got "erf"/,
      ],
      [
        ["relu", "--backend", REFERENCE, "--x=1", "--param", "alpha=1"],
        /Unknown parameter "alpha" of relu: it takes none/,
      ],
      [
        ["elu", "--backend", REFERENCE, "--x=1", "--param", "beta=1"],
        /Unknown parameter "beta" of elu: expected alpha/,
      ],
      [
        ["elu", "--backend", REFERENCE, "--x=1", "--param", "alpha"],
        /--param must be name=value: got "alpha"/,
      ],
      [[
        "elu",
        "--backend",
        REFERENCE,
        "--x=1",
        "--param",
        "alpha=1",
        "--param",
        "alpha=2",
      ], /Parameter "alpha" of elu is given twice/],
      [["prelu", "--backend", REFERENCE, "--x=1"], /prelu alpha is required/],
      [
        ["prelu", "--backend", REFERENCE, "--x=1,2,3", "--param", "alpha=1,2"],
        /prelu alpha of shape \[2\] is not broadcastable to x of shape \[3\]/,
      ],
      [
        ["relu", "--backend", REFERENCE, "--x=1", "--bogus"],
        /Unknown option '--bogus'/,
      ],
      [
        ["relu", "--backend", REFERENCE, "--x"],
        /Option '--x <value>' argument missing/,
      ],
    ];
    for (const [args, message] of cases) {
      const { status, stdout, stderr } = await run(...args);
      assert.strictEqual(status, 2, `${args.join(" ")}: ${stderr}`);
      assert.strictEqual(stdout, "", args.join(" "));
      assert.match(stderr, /^nonlin eval: /, args.join(" "));
      assert.match(stderr, message, args.join(" "));
      assert.ok(
        stderr.endsWith('Run "nonlin eval --help" for usage.\n'),
        stderr,
      );
    }
  });

  await t.step("a backend that fails: exit 1 with the reason", async () => {
    const cases: [string, RegExp][] = [
      [
        fixture("throwing_backend.ts"),
        /Could not load backend .*: engine failed to initialise: no such device/,
      ],
      [
        fixture("incomplete_backend.ts"),
        /does not implement the nonlin backend contract: missing tensor, vjp/,
      ],
      [
        fixture("no_such_backend.ts"),
        /Could not load backend .*no_such_backend\.ts/,
      ],
      [
        fixture("unavailable_backend.ts"),
        /Backend unavailable is not available here: navigator\.gpu is undefined/,
      ],
    ];
    for (const [backend, message] of cases) {
      const { status, stdout, stderr } = await run(
        "relu",
        "--backend",
        backend,
        "--x=1",
      );
      assert.strictEqual(status, 1, `${backend}: ${stderr}`);
      assert.strictEqual(stdout, "");
      assert.match(stderr, /^nonlin eval: /);
      assert.match(stderr, message);
    }
  });

  await t.step("--help lists every op with its parameters", async () => {
    const { status, stdout, stderr } = await run("--help");
    assert.strictEqual(status, 0);
    assert.strictEqual(stderr, "");
    assert.strictEqual(stdout, evalHelp());
    assert.ok(
      stdout.startsWith(
        "Usage: nonlin eval <op> --backend <name|path> [--param k=v …] --x <v,v,…> [--dy <v,v,…>] [--json] [--timeout <seconds>]\n",
      ),
    );
    for (const op of opNames) {
      assert.match(stdout, new RegExp(`\\n  ${op}( |\\n)`), op);
    }
    assert.match(
      stdout,
      /softplus +beta = 1 in \(0, ∞\), learned; threshold = 20/,
    );
    assert.match(stdout, /gelu +approximate = none \| tanh \(default none\)/);
    assert.strictEqual((await run("-h")).stdout, stdout);
  });
});
