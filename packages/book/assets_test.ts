import assert from "node:assert";
import { collectAssets } from "./assets.ts";
import { fixture, SECRET } from "./_test_fixture.ts";

Deno.test("collectAssets()", async (t) => {
  const { root, site } = await fixture();
  try {
    await t.step(
      "takes regular files, recursively, with content types",
      async () => {
        const assets = await collectAssets(site, "/");
        assert.deepStrictEqual([...assets.keys()], [
          "/index.html",
          "/wasm/a.wasm",
        ]);
        assert.strictEqual(
          assets.get("/wasm/a.wasm")?.type,
          "application/wasm",
        );
        assert.strictEqual(
          new TextDecoder().decode(assets.get("/index.html")?.body),
          "<p>index</p>",
        );
      },
    );
    await t.step(
      "leaves out symbolic links to files and folders, and dot files",
      async () => {
        const assets = await collectAssets(site, "/static/");
        for (const [key, asset] of assets) {
          assert.ok(
            !new TextDecoder().decode(asset.body).includes(SECRET),
            key,
          );
        }
        assert.ok(!assets.has("/static/link.txt"));
        assert.ok(!assets.has("/static/relative.txt"));
        assert.ok(!assets.has("/static/linked-dir/secret.txt"));
        assert.ok(!assets.has("/static/.hidden.txt"));
      },
    );
    await t.step("refuses a prefix that is not a folder path", async () => {
      await assert.rejects(collectAssets(site, "static"), TypeError);
      await assert.rejects(collectAssets(site, "/static"), TypeError);
    });
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
