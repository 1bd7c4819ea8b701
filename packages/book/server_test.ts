import assert from "node:assert";
import { collectAssets } from "./assets.ts";
import { serveBook } from "./server.ts";
import { main } from "./cli.ts";

const SECRET = "top-secret-4f1d";

/** A served folder beside a secret file, with links to the secret planted inside. */
async function fixture(): Promise<{ root: string; site: string }> {
  const root = await Deno.makeTempDir({ prefix: "nonlin-book-test-" });
  const site = `${root}/site`;
  await Deno.mkdir(`${site}/wasm`, { recursive: true });
  await Deno.mkdir(`${root}/private`);
  await Deno.writeTextFile(`${root}/secret.txt`, SECRET);
  await Deno.writeTextFile(`${root}/private/secret.txt`, SECRET);
  await Deno.writeTextFile(`${site}/index.html`, "<p>index</p>");
  await Deno.writeTextFile(`${site}/wasm/a.wasm`, "\0asm");
  await Deno.writeTextFile(`${site}/.hidden.txt`, SECRET);
  await Deno.symlink(`${root}/secret.txt`, `${site}/link.txt`);
  await Deno.symlink("../secret.txt", `${site}/relative.txt`);
  await Deno.symlink(`${root}/private`, `${site}/linked-dir`);
  return { root, site };
}

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

Deno.test("main()", async (t) => {
  const output = () => {
    const o = {
      stdout: "",
      stderr: "",
      out: (s: string) => void (o.stdout += s),
      err: (s: string) => void (o.stderr += s),
    };
    return o;
  };
  await t.step("--help prints the usage", async () => {
    const o = output();
    assert.strictEqual(await main(["--help"], o), 0);
    assert.match(
      o.stdout,
      /^Usage: nonlin book \[--host HOST\] \[--port PORT\]/,
    );
  });
  await t.step("bad usage exits 2 with the problem named", async () => {
    for (
      const [args, pattern] of [
        [
          ["--port", "http"],
          /Port must be an integer in \[0, 65535\]: got "http"/,
        ],
        [
          ["--port", "70000"],
          /Port must be an integer in \[0, 65535\]: got "70000"/,
        ],
        [["--port=-1"], /Port must be an integer/],
        [["--colour"], /Unknown option '--colour'/],
        [["--host"], /--host/],
        [["--host="], /Host must not be empty/],
        [["extra"], /extra/],
      ] as const
    ) {
      const o = output();
      assert.strictEqual(await main([...args], o), 2, args.join(" "));
      assert.match(o.stderr, pattern, args.join(" "));
    }
  });
});
