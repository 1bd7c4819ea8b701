import assert from "node:assert";
import { runScript } from "./_exit.ts";

Deno.test("runScript()", async (t) => {
  await t.step(
    "catches a process that a live Worker keeps running",
    async () => {
      const run = await runScript(
        new URL("./testdata/hangs.ts", import.meta.url),
        3000,
      );
      assert.strictEqual(run.exited, false, run.stderr);
      assert.match(run.stdout, /"started":true/);
    },
  );
});
