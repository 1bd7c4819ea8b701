import assert from "node:assert";
import { main, parseSize, README_END, README_START, usage } from "./main.ts";

const fixture =
  new URL("./testdata/reference_backend.ts", import.meta.url).href;
const wrong = new URL("./testdata/wrong_backend.ts", import.meta.url).href;

function buffered() {
  const o = { stdout: "", stderr: "" };
  return {
    o,
    output: {
      out: (text: string) => void (o.stdout += text),
      err: (text: string) => void (o.stderr += text),
    },
  };
}

const fast = ["--target", "2", "--min-reps", "3", "--max-reps", "5"];

Deno.test("main()", async (t) => {
  await t.step("--help prints the usage", async () => {
    const { o, output } = buffered();
    assert.strictEqual(await main(["--help"], output), 0);
    assert.strictEqual(o.stdout, `${usage}\n`);
  });
  await t.step("bad usage exits 2 with the reason", async () => {
    for (
      const [args, message] of [
        [
          ["--sizes", "0"],
          /Sizes must be positive integers such as 1000, 1e6 or 2\^20: got "0"/,
        ],
        [["--sizes", "1e3,x"], /got "x"/],
        [["--nope"], /Unknown option '--nope'/],
        [["--budget", "fast"], /--budget must be a number: got "fast"/],
        [["--resident-only", "--round-trip-only"], /exclude each other/],
        [["--rtol", "1e-3"], /--rtol and --atol go together/],
        [["--ops", "gelux", "-b", fixture], /Unknown op "gelux"/],
        [["--modes", "backward", "-b", fixture], /Unknown mode "backward"/],
      ] as const
    ) {
      const { o, output } = buffered();
      assert.strictEqual(await main([...args], output), 2, args.join(" "));
      assert.match(o.stderr, message);
    }
  });
  await t.step(
    "a run writes the table, the JSON, the markdown and the charts",
    async () => {
      const dir = await Deno.makeTempDir();
      try {
        const { o, output } = buffered();
        const status = await main([
          "-b",
          fixture,
          "--ops",
          "relu,gelu",
          "--modes",
          "forward",
          "--sizes",
          "100,2^10",
          ...fast,
          "--json",
          `${dir}/out/report.json`,
          "--md",
          `${dir}/out/report.md`,
          "--charts",
          `${dir}/out/charts/`,
        ], output);
        assert.strictEqual(status, 0, o.stderr);
        assert.match(
          o.stdout,
          /progress +op +mode +size +backend +resident ms \[min–max\]/,
        );
        assert.match(
          o.stdout,
          /\[\d+\/4\] +gelu +forward +2\^10 +example-reference +[\d.]+ \[/,
        );
        assert.match(o.stdout, /4 cells: 4 ok/);
        assert.match(
          o.stdout,
          /Resident forward, median ms per call at 2\^10 elements \(×native\):\nop +example-reference\nrelu +[\d.]+\ngelu +[\d.]+\n/,
        );
        const report = JSON.parse(
          await Deno.readTextFile(`${dir}/out/report.json`),
        );
        assert.strictEqual(report.format, "nonlin-bench/1");
        assert.deepStrictEqual(report.config.sizes, [100, 1024]);
        assert.match(report.command, /^deno task bench -b /);
        const md = await Deno.readTextFile(`${dir}/out/report.md`);
        assert.match(md, /!\[gelu\]\(charts\/gelu\.svg\)/);
        assert.match(
          await Deno.readTextFile(`${dir}/out/charts/relu.svg`),
          /^<svg/,
        );
        const again = buffered();
        assert.strictEqual(
          await main([
            "--from",
            `${dir}/out/report.json`,
            "--md",
            `${dir}/again.md`,
          ], again.output),
          0,
        );
        assert.match(again.o.stdout, /rendered from .*report\.json/);
        const md2 = await Deno.readTextFile(`${dir}/again.md`);
        assert.strictEqual(
          md2.split("## Charts")[0]!.trimEnd(),
          md.split("## Charts")[0]!.trimEnd(),
        );
        const notReport = buffered();
        await Deno.writeTextFile(`${dir}/x.json`, "{}");
        assert.strictEqual(
          await main(["--from", `${dir}/x.json`], notReport.output),
          2,
        );
        assert.match(notReport.o.stderr, /is not a nonlin bench report/);
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    },
  );
  await t.step(
    "--readme writes the summary between the markers only",
    async () => {
      const dir = await Deno.makeTempDir();
      try {
        const readme = `${dir}/README.md`;
        await Deno.writeTextFile(
          readme,
          `before \`${README_START}\` quoted\n\n${README_START}\n\nold\n\n${README_END}\n\nafter\n`,
        );
        const { o, output } = buffered();
        const args = [
          "-b",
          fixture,
          "--ops",
          "relu",
          "--modes",
          "forward,vjp",
          "--sizes",
          "100",
        ];
        assert.strictEqual(
          await main([...args, ...fast, "--readme", readme], output),
          0,
          o.stderr,
        );
        const text = await Deno.readTextFile(readme);
        assert.match(
          text,
          /^before `<!-- bench:summary -->` quoted\n\n<!-- bench:summary -->\n\n.+ cores; Deno /,
        );
        assert.match(
          text,
          /\*\*forward\*\*\n\n\| op +\| example-reference \|\n\| -+ \| -+: \|\n\| relu +\| +[\d.]+ \|/,
        );
        assert.match(text, /\*\*VJP \(dx and parameter gradients\)\*\*/);
        assert.match(text, /\|\n\n<!-- \/bench:summary -->\n\nafter\n$/);
        assert.doesNotMatch(text, /old/);
        const fmt = await new Deno.Command(Deno.execPath(), {
          args: ["fmt", "--check", readme],
          stdout: "null",
          stderr: "null",
        }).output();
        assert.ok(fmt.success, "the README stays deno-fmt clean");
        const none = buffered();
        await Deno.writeTextFile(readme, "no markers");
        assert.strictEqual(
          await main([...args, "--readme", readme], none.output),
          2,
        );
        assert.match(
          none.o.stderr,
          /has no <!-- bench:summary --> … <!-- \/bench:summary --> markers, each on a line of its own/,
        );
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    },
  );
  await t.step("--resident-only times resident tensors only", async () => {
    const dir = await Deno.makeTempDir();
    try {
      const { output } = buffered();
      const args = [
        "-b",
        fixture,
        "--ops",
        "relu",
        "--modes",
        "vjp",
        "--sizes",
        "100",
      ];
      assert.strictEqual(
        await main([
          ...args,
          ...fast,
          "--resident-only",
          "--json",
          `${dir}/r.json`,
        ], output),
        0,
      );
      const [cell] =
        JSON.parse(await Deno.readTextFile(`${dir}/r.json`)).results;
      assert.strictEqual(cell.resident.status, "ok");
      assert.strictEqual(cell.roundTrip, undefined);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
  await t.step(
    "a wrong kernel or a backend that cannot run exits 1",
    async () => {
      const { o, output } = buffered();
      const args = [
        "-b",
        `${fixture},${wrong}`,
        "--ops",
        "relu",
        "--modes",
        "forward",
      ];
      assert.strictEqual(
        await main([...args, "--sizes", "100", "--quiet", ...fast], output),
        1,
      );
      assert.match(o.stderr, /1 cells failed or threw/);
      const missing = buffered();
      assert.strictEqual(
        await main([
          "-b",
          "./nowhere.ts",
          "--ops",
          "relu",
          "--sizes",
          "100",
          "--quiet",
        ], missing.output),
        1,
      );
      assert.match(missing.o.stderr, /backend \.\/nowhere\.ts did not run/);
    },
  );
});

Deno.test("parseSize()", async (t) => {
  await t.step("integers, exponents and powers of two", () => {
    assert.strictEqual(parseSize("1000"), 1000);
    assert.strictEqual(parseSize("1e6"), 1e6);
    assert.strictEqual(parseSize("2^20"), 2 ** 20);
    assert.strictEqual(parseSize("2**26"), 2 ** 26);
  });
  await t.step("anything else is a RangeError", () => {
    for (const bad of ["", "0", "-5", "1.5", "1e400", "NaN", "2^60"]) {
      assert.throws(() => parseSize(bad), RangeError, bad);
    }
  });
});
