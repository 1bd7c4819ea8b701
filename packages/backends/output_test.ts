import assert from "node:assert";
import {
  outputDirProblem,
  outputFileProblem,
  outputPathsProblem,
} from "./output.ts";

Deno.test("outputFileProblem()", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "nonlin_output_" });
  try {
    const file = `${dir}/existing.json`;
    await Deno.writeTextFile(file, "kept");

    await t.step("a new file in a new folder can be written", async () => {
      assert.strictEqual(
        await outputFileProblem(`${dir}/a/b/c.json`),
        undefined,
      );
      // Nothing was created by the check.
      await assert.rejects(Deno.stat(`${dir}/a`), Deno.errors.NotFound);
    });

    await t.step(
      "an existing file can be written, and is left as it was",
      async () => {
        assert.strictEqual(await outputFileProblem(file), undefined);
        assert.strictEqual(await Deno.readTextFile(file), "kept");
      },
    );

    await t.step("a folder is not a file", async () => {
      assert.strictEqual(await outputFileProblem(dir), `${dir} is a folder`);
    });

    await t.step("a path under a file cannot be written", async () => {
      assert.strictEqual(
        await outputFileProblem(`${file}/report.json`),
        `${file} is not a folder`,
      );
    });

    await t.step("a folder that refuses new files", async () => {
      // procfs takes no new files, even from root.
      assert.match(
        (await outputFileProblem("/proc/nonlin_report.json"))!,
        /^\/proc is not writable: /,
      );
    });

    await t.step("an empty path", async () => {
      assert.strictEqual(await outputFileProblem(""), "the path is empty");
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("outputDirProblem()", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "nonlin_output_" });
  try {
    await t.step("an existing folder and a new one under it", async () => {
      assert.strictEqual(await outputDirProblem(dir), undefined);
      assert.strictEqual(await outputDirProblem(`${dir}/x/y`), undefined);
      const left = [...Deno.readDirSync(dir)];
      assert.deepStrictEqual(left, [], "the check leaves nothing behind");
    });
    await t.step("a file is not a folder", async () => {
      await Deno.writeTextFile(`${dir}/f`, "");
      assert.strictEqual(
        await outputDirProblem(`${dir}/f`),
        `${dir}/f is not a folder`,
      );
      assert.strictEqual(
        await outputDirProblem(`${dir}/f/figures`),
        `${dir}/f is not a folder`,
      );
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("outputPathsProblem()", async () => {
  const dir = await Deno.makeTempDir({ prefix: "nonlin_output_" });
  try {
    await Deno.writeTextFile(`${dir}/f`, "");
    assert.strictEqual(
      await outputPathsProblem([
        { flag: "--json", path: `${dir}/ok.json` },
        { flag: "--md", path: `${dir}/f/x.md` },
        { flag: "--charts", path: dir },
      ]),
      `cannot write --md ${dir}/f/x.md: ${dir}/f is not a folder`,
    );
    assert.strictEqual(
      await outputPathsProblem([{ flag: "--charts", path: dir, folder: true }]),
      undefined,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
