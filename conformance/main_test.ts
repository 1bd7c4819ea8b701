import assert from "node:assert";
import { main } from "./main.ts";

function capture(): {
  out: string;
  err: string;
  output: { out(t: string): void; err(t: string): void };
} {
  const c = {
    out: "",
    err: "",
    output: {
      out: (t: string) => void (c.out += t),
      err: (t: string) => void (c.err += t),
    },
  };
  return c;
}

/** Runs `deno task conformance` as a user does, in a child process. */
async function runTask(
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", "conformance/main.ts", ...args],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decode = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code, stdout: decode(stdout), stderr: decode(stderr) };
}

Deno.test("main()", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "nonlin-conformance-" });

  await t.step(
    "the quick suite passes over every available backend",
    async () => {
      const json = `${dir}/quick.json`;
      const { code, stdout, stderr } = await runTask([
        "--quick",
        "--json",
        json,
      ]);
      assert.strictEqual(code, 0, `${stdout}\n${stderr}`);
      assert.match(stdout, /: OK$/m);
      const report = JSON.parse(await Deno.readTextFile(json));
      assert.strictEqual(report.summary.ok, true);
      assert.ok(
        report.backends.some((b: { name: string; status: string }) =>
          b.name === "native" && b.status === "ran"
        ),
      );
      // Quiet and stable when not on a terminal: no progress, no timings.
      assert.doesNotMatch(stdout, /\r| in \d+\.\d s/);
    },
  );

  await t.step(
    "--backend runs a module given by path; --md writes the report",
    async () => {
      const md = `${dir}/report.md`;
      const c = capture();
      const code = await main(
        [
          "--backend",
          "./examples/reference_backend.ts",
          "--op",
          "tanh",
          "--quick",
          "--json",
          `${dir}/a.json`,
          "--md",
          md,
        ],
        c.output,
      );
      assert.strictEqual(code, 0, c.out + c.err);
      assert.match(c.out, /example-reference/);
      const text = await Deno.readTextFile(md);
      assert.match(text, /## 1\. Tanh function/);
    },
  );

  await t.step(
    "a failing run exits 1 and still writes the JSON report",
    async () => {
      const json = `${dir}/fail.json`;
      const c = capture();
      const code = await main(
        [
          "--backend",
          "./conformance/testdata/broken_backend.ts",
          "--op",
          "relu",
          "--quick",
          "--json",
          json,
        ],
        c.output,
      );
      assert.strictEqual(code, 1);
      assert.match(c.out, /unexpected failures/);
      const report = JSON.parse(await Deno.readTextFile(json));
      assert.strictEqual(report.summary.ok, false);
    },
  );

  await t.step(
    "--require fails the run when that backend is skipped",
    async () => {
      const c = capture();
      const code = await main(
        [
          "--backend",
          "./conformance/testdata/unavailable_backend.ts",
          "--require",
          "unavailable-example",
          "--op",
          "relu",
          "--quick",
          "--json",
          `${dir}/req.json`,
        ],
        c.output,
      );
      assert.strictEqual(code, 1);
      assert.match(c.out, /required but not run: unavailable-example/);
    },
  );

  await t.step("bad usage exits 2 with a message", async () => {
    for (
      const args of [["--op", "gelux"], ["--nope"], ["--timeout", "-1"], [
        "stray",
      ], ["--backend", "nativ"]]
    ) {
      const c = capture();
      assert.strictEqual(await main(args, c.output), 2, args.join(" "));
      assert.match(c.err, /^nonlin conformance: /);
    }
    const c = capture();
    await main(["--backend", "native", "--backend", "nativ"], c.output);
    assert.match(
      c.err,
      /unknown backend nativ: expected one of native, .*, or a module path/,
    );
  });

  await t.step("--help prints the usage", async () => {
    const c = capture();
    assert.strictEqual(await main(["--help"], c.output), 0);
    assert.match(c.out, /--backend NAME\|PATH/);
  });

  await Deno.remove(dir, { recursive: true });
});
