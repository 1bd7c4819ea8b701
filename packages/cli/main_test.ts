import assert from "node:assert";
import { fileURLToPath } from "node:url";
import { commands } from "./main.ts";
import { run } from "./testdata/run.ts";

const REFERENCE =
  new URL("./testdata/reference_backend.ts", import.meta.url).href;
const MAIN = fileURLToPath(new URL("./main.ts", import.meta.url));

/** Runs the real command in a child process, as `deno task nonlin` does. */
async function spawn(
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  return await spawnWith({}, ...args);
}

/** {@link spawn} with more environment variables. */
async function spawnWith(
  env: Record<string, string>,
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", MAIN, ...args],
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1", ...env },
  }).output();
  const decoder = new TextDecoder();
  return {
    code,
    stdout: decoder.decode(stdout),
    stderr: decoder.decode(stderr),
  };
}

Deno.test("commands", async (t) => {
  await t.step("every subcommand's module loads and exports main", async () => {
    assert.ok(Object.keys(commands).length >= 2);
    for (const [name, command] of Object.entries(commands)) {
      assert.ok(command.summary.length > 0, name);
      const module = await command.load();
      assert.strictEqual(typeof module.main, "function", name);
    }
  });

  await t.step("every subcommand answers --help with exit 0", async () => {
    for (const name of Object.keys(commands)) {
      const { status, stdout } = await run(name, "--help");
      assert.strictEqual(status, 0, name);
      assert.ok(stdout.length > 0, name);
    }
  });
});

Deno.test("main()", async (t) => {
  await t.step("--help lists the commands with their summaries", async () => {
    const { status, stdout, stderr } = await run("--help");
    assert.strictEqual(status, 0);
    assert.strictEqual(stderr, "");
    assert.ok(stdout.startsWith("Usage: nonlin <command> [options]\n"));
    for (const [name, command] of Object.entries(commands)) {
      const line = stdout.split("\n").find((l) => l.startsWith(`  ${name} `));
      assert.ok(line?.endsWith(`  ${command.summary}`), name);
    }
    assert.strictEqual((await run("-h")).stdout, stdout);
    assert.strictEqual((await run("help")).stdout, stdout);
  });

  await t.step("no command: usage on stderr, exit 2", async () => {
    const { status, stdout, stderr } = await run();
    assert.strictEqual(status, 2);
    assert.strictEqual(stdout, "");
    assert.ok(stderr.startsWith("Usage: nonlin <command>"));
  });

  await t.step("unknown command: the commands listed, exit 2", async () => {
    const { status, stdout, stderr } = await run("evl", "relu");
    assert.strictEqual(status, 2);
    assert.strictEqual(stdout, "");
    assert.strictEqual(
      stderr,
      `nonlin: unknown command "evl": expected one of ${
        Object.keys(commands).join(", ")
      }\nRun "nonlin --help" for usage.\n`,
    );
    assert.strictEqual((await run("--json")).status, 2);
    assert.strictEqual((await run("toString")).status, 2);
  });

  await t.step("help <command> is <command> --help", async () => {
    assert.deepStrictEqual(
      await run("help", "eval"),
      await run("eval", "--help"),
    );
    assert.strictEqual((await run("help", "nope")).status, 2);
  });

  await t.step("arguments reach the subcommand", async () => {
    const { status, stdout } = await run(
      "eval",
      "relu",
      "--backend",
      REFERENCE,
      "--x=-1,2",
      "--json",
    );
    assert.strictEqual(status, 0);
    assert.deepStrictEqual(JSON.parse(stdout).y, [0, 2]);
  });

  await t.step("deno task nonlin, as the README runs it", async () => {
    const root = fileURLToPath(new URL("../..", import.meta.url));
    const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
      args: [
        "task",
        "nonlin",
        "eval",
        "gelu",
        "--backend",
        "native",
        "--x=-1,0,1",
        "--json",
      ],
      cwd: root,
      stdout: "piped",
      stderr: "piped",
      env: { NO_COLOR: "1" },
    }).output();
    const text = new TextDecoder().decode(stdout);
    assert.strictEqual(code, 0, new TextDecoder().decode(stderr));
    const json = JSON.parse(text);
    assert.strictEqual(json.backend, "native");
    assert.deepStrictEqual(json.x, [-1, 0, 1]);
    assert.strictEqual(json.y.length, 3);
  });

  await t.step(
    "conformance as a process ends on its own, after release(), with its status",
    async () => {
      assert.strictEqual(commands.conformance!.exitsOnItsOwn, true);
      const releasing = fileURLToPath(
        new URL(
          "../../conformance/testdata/releasing_backend.ts",
          import.meta.url,
        ),
      );
      const mark = await Deno.makeTempFile({ prefix: "nonlin-cli-release-" });
      await Deno.remove(mark);
      try {
        const ok = await spawnWith(
          { NONLIN_RELEASE_MARK: mark },
          "conformance",
          "--backend",
          releasing,
          "--op",
          "relu",
          "--quick",
        );
        assert.strictEqual(ok.code, 0, ok.stderr);
        assert.strictEqual(await Deno.readTextFile(mark), "released");
      } finally {
        await Deno.remove(mark).catch(() => {});
      }
      const broken = fileURLToPath(
        new URL(
          "../../conformance/testdata/broken_backend.ts",
          import.meta.url,
        ),
      );
      const failed = await spawn(
        "conformance",
        "--backend",
        broken,
        "--op",
        "relu",
        "--quick",
      );
      assert.strictEqual(failed.code, 1, failed.stderr);
    },
  );

  await t.step("as a process: stdout, stderr and exit status", async () => {
    const ok = await spawn(
      "eval",
      "gelu",
      "--backend",
      REFERENCE,
      "--x=-1,0,1",
      "--json",
    );
    assert.strictEqual(ok.code, 0, ok.stderr);
    assert.strictEqual(ok.stderr, "");
    assert.deepStrictEqual(JSON.parse(ok.stdout).dx, [
      -0.08331547,
      0.5,
      1.0833155,
    ]);
    const usage = await spawn(
      "eval",
      "gelu",
      "--backend",
      REFERENCE,
      "--x=1,x",
    );
    assert.strictEqual(usage.code, 2);
    assert.strictEqual(usage.stdout, "");
    assert.match(usage.stderr, /^nonlin eval: --x item 2 must be a number/);
    const unknown = await spawn("frobnicate");
    assert.strictEqual(unknown.code, 2);
    assert.match(unknown.stderr, /^nonlin: unknown command "frobnicate"/);
  });
});
