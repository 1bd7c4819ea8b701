import assert from "node:assert";
import { collectAssets } from "./assets.ts";
import { serveBook } from "./server.ts";
import { fixture, SECRET } from "./_test_fixture.ts";

/** Sends a raw HTTP/1.1 request line, bypassing fetch's URL normalisation. */
async function raw(
  port: number,
  target: string,
): Promise<{ status: number; text: string }> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    const request =
      `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`;
    await conn.write(new TextEncoder().encode(request));
    const chunks: Uint8Array[] = [];
    const buffer = new Uint8Array(4096);
    for (;;) {
      const n = await conn.read(buffer);
      if (n === null) break;
      chunks.push(buffer.slice(0, n));
    }
    const text = new TextDecoder().decode(
      new Uint8Array(chunks.flatMap((c) => [...c])),
    );
    const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? NaN);
    return { status, text };
  } finally {
    try {
      conn.close();
    } catch {
      // Already closed by the server.
    }
  }
}

Deno.test("serveBook()", async (t) => {
  const { root, site } = await fixture();
  try {
    const assets = await collectAssets(site, "/");
    await using server = await serveBook({ port: 0, assets });

    await t.step(
      "binds 127.0.0.1 by default and reports the port it got",
      async () => {
        assert.strictEqual(server.hostname, "127.0.0.1");
        assert.ok(server.port > 0);
        assert.strictEqual(server.url, `http://127.0.0.1:${server.port}/`);
        const response = await fetch(server.url);
        assert.strictEqual(
          response.headers.get("content-type"),
          "text/html; charset=utf-8",
        );
        assert.strictEqual(await response.text(), "<p>index</p>");
        const wasm = await fetch(`${server.url}wasm/a.wasm`);
        assert.strictEqual(
          wasm.headers.get("content-type"),
          "application/wasm",
        );
        await wasm.body?.cancel();
      },
    );

    await t.step(
      "raw request targets never reach a file outside its own",
      async () => {
        const targets = [
          "/../secret.txt",
          "/../../../../etc/passwd",
          "/%2e%2e/secret.txt",
          "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
          "/..%2fsecret.txt",
          "/..%2f..%2f..%2fetc%2fpasswd",
          "/wasm/..%2f..%2fsecret.txt",
          "/..%5csecret.txt",
          "/%252e%252e/secret.txt",
          "//etc/passwd",
          `/${root}/secret.txt`,
          `${root}/secret.txt`,
          "/etc/passwd",
          "/link.txt",
          "/relative.txt",
          "/linked-dir/secret.txt",
          "/.hidden.txt",
          `http://127.0.0.1:${server.port}/../secret.txt`,
          "*",
        ];
        for (const target of targets) {
          const { status, text } = await raw(server.port, target);
          assert.ok(!text.includes(SECRET), `${target} leaked the secret`);
          assert.ok(
            !text.includes("root:x:0:0"),
            `${target} leaked /etc/passwd`,
          );
          assert.ok(
            status === 404 || status === 400,
            `${target}: status ${status}`,
          );
        }
      },
    );

    await t.step("refuses a bad host or port", async () => {
      await assert.rejects(serveBook({ hostname: "", assets }), TypeError);
      await assert.rejects(serveBook({ port: -1, assets }), RangeError);
      await assert.rejects(serveBook({ port: 65536, assets }), RangeError);
      await assert.rejects(serveBook({ port: 1.5, assets }), RangeError);
    });
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
