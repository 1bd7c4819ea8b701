import assert from "node:assert";
import { DEFAULT_OUT, main, parsePlotArgs } from "./cli.ts";

const SKEWED = new URL("./testdata/skewed_backend.ts", import.meta.url).href;
const UNAVAILABLE =
  new URL("./testdata/unavailable_backend.ts", import.meta.url).href;

function capture(): {
  out: (s: string) => void;
  err: (s: string) => void;
  stdout: string;
  stderr: string;
} {
  const output = {
    stdout: "",
    stderr: "",
    out: (s: string) => void (output.stdout += s),
    err: (s: string) => void (output.stderr += s),
  };
  return output;
}

Deno.test("parsePlotArgs()", async (t) => {
  await t.step("reads every flag", () => {
    assert.deepStrictEqual(
      parsePlotArgs([
        "--out",
        "d",
        "--backend",
        "native,./b.ts",
        "--backend=c.ts",
        "--ops=relu, gelu",
        "--format",
        "png",
      ]),
      {
        out: "d",
        backends: ["native", "./b.ts", "c.ts"],
        ops: ["relu", "gelu"],
        formats: ["png"],
      },
    );
  });

  await t.step("defaults to every backend, op and format", () => {
    assert.deepStrictEqual(parsePlotArgs([]), { out: DEFAULT_OUT });
  });

  await t.step("reads --help", () => {
    assert.strictEqual(parsePlotArgs(["--help"]), "help");
    assert.strictEqual(parsePlotArgs(["-h"]), "help");
  });

  await t.step("refuses unknown flags, positionals and missing values", () => {
    assert.throws(
      () => parsePlotArgs(["--colour", "red"]),
      /Bad arguments: Unknown option '--colour'/,
    );
    assert.throws(() => parsePlotArgs(["relu"]), TypeError);
    assert.throws(() => parsePlotArgs(["--out"]), TypeError);
    assert.throws(() => parsePlotArgs(["--help=yes"]), TypeError);
  });

  await t.step("refuses bad values", () => {
    assert.throws(
      () => parsePlotArgs(["--format", "svg,gif"]),
      /Unknown format "gif": expected svg, png/,
    );
    assert.throws(() => parsePlotArgs(["--format", ","]), RangeError);
    assert.throws(() => parsePlotArgs(["--ops", ""]), RangeError);
    assert.throws(() => parsePlotArgs(["--out", " "]), RangeError);
  });
});

Deno.test("main()", async (t) => {
  await t.step("writes the figures and says what it did", async () => {
    const out = await Deno.makeTempDir({ prefix: "nonlin_plot_" });
    try {
      const output = capture();
      const status = await main(
        [
          "--out",
          out,
          "--backend",
          `${SKEWED},${UNAVAILABLE}`,
          "--ops",
          "gelu",
          "--format",
          "svg",
        ],
        output,
      );
      assert.strictEqual(status, 0, output.stderr);
      assert.match(
        output.stdout,
        /^unavailable: skipped \(needs hardware this machine lacks\)$/m,
      );
      assert.match(
        output.stdout,
        /^gelu-approximate-tanh: skewed f exact, grad exact$/m,
      );
      assert.match(
        output.stdout,
        /wrote 4 SVG for 2 variants × 1 backend in [\d.]+ s to /,
      );
      assert.strictEqual(output.stderr, "");
      await Deno.stat(`${out}/gelu-approximate-tanh.skewed.svg`);
    } finally {
      await Deno.remove(out, { recursive: true });
    }
  });

  await t.step("exits 1 when a backend fails", async () => {
    const out = await Deno.makeTempDir({ prefix: "nonlin_plot_" });
    try {
      const output = capture();
      assert.strictEqual(
        await main([
          "--out",
          out,
          "--backend",
          "./no_such_backend.ts",
          "--ops",
          "relu",
        ], output),
        1,
      );
      assert.match(output.stderr, /\.\/no_such_backend\.ts failed: /);
    } finally {
      await Deno.remove(out, { recursive: true });
    }
  });

  await t.step("prints its help", async () => {
    const output = capture();
    assert.strictEqual(await main(["--help"], output), 0);
    assert.match(output.stdout, /^Usage: nonlin plot /);
    assert.match(output.stdout, /--format F/);
  });

  await t.step("exits 2 on bad usage, writing nothing", async () => {
    for (
      const args of [
        ["--bogus"],
        ["--ops", "relu,nope"],
        ["--backend", "cuda"],
        ["--format", "gif"],
        ["x"],
      ]
    ) {
      const output = capture();
      assert.strictEqual(
        await main(["--out", "/nonexistent/never", ...args], output),
        2,
        args.join(" "),
      );
      assert.match(
        output.stderr,
        /^nonlin plot: .+\nRun "nonlin plot --help" for usage\.\n$/,
      );
      assert.strictEqual(output.stdout, "");
    }
  });
});
