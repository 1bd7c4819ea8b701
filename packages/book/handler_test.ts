import assert from "node:assert";
import { type Asset, contentType, createHandler } from "./handler.ts";

const encoder = new TextEncoder();

function asset(text: string, name: string): Asset {
  return { body: encoder.encode(text), type: contentType(name) };
}

const assets = new Map<string, Asset>([
  ["/index.html", asset("<p>index</p>", "index.html")],
  ["/app.js", asset("export {};", "app.js")],
  ["/wasm/tfjs-backend-wasm.wasm", asset("\0asm", "x.wasm")],
]);

Deno.test("contentType()", async (t) => {
  await t.step("the types the page needs", () => {
    assert.strictEqual(
      contentType("/wasm/tfjs-backend-wasm-simd.wasm"),
      "application/wasm",
    );
    assert.strictEqual(
      contentType("/app.js"),
      "text/javascript; charset=utf-8",
    );
    assert.strictEqual(contentType("/index.html"), "text/html; charset=utf-8");
    assert.strictEqual(contentType("/style.css"), "text/css; charset=utf-8");
    assert.strictEqual(contentType("/INDEX.HTML"), "text/html; charset=utf-8");
  });
  await t.step("unknown or missing extensions are octet streams", () => {
    assert.strictEqual(contentType("/data.bin"), "application/octet-stream");
    assert.strictEqual(contentType("/Makefile"), "application/octet-stream");
    assert.strictEqual(contentType("/dir.d/file"), "application/octet-stream");
  });
});

Deno.test("createHandler()", async (t) => {
  const handler = createHandler(assets);
  const get = (path: string, init?: RequestInit) =>
    handler(new Request(`http://127.0.0.1${path}`, init));

  await t.step("serves its files with their content types", async () => {
    for (
      const [path, type] of [
        ["/", "text/html; charset=utf-8"],
        ["/index.html", "text/html; charset=utf-8"],
        ["/app.js", "text/javascript; charset=utf-8"],
        ["/wasm/tfjs-backend-wasm.wasm", "application/wasm"],
      ] as const
    ) {
      const response = get(path);
      assert.strictEqual(response.status, 200, path);
      assert.strictEqual(response.headers.get("content-type"), type, path);
      assert.strictEqual(
        response.headers.get("x-content-type-options"),
        "nosniff",
      );
      await response.body?.cancel();
    }
    assert.strictEqual(await get("/").text(), "<p>index</p>");
  });

  await t.step("HEAD sends the headers without a body", async () => {
    const response = get("/app.js", { method: "HEAD" });
    assert.strictEqual(response.status, 200);
    assert.strictEqual(response.headers.get("content-length"), "10");
    assert.strictEqual(await response.text(), "");
  });

  await t.step("other methods get 405", async () => {
    for (const method of ["POST", "PUT", "DELETE", "OPTIONS"]) {
      const response = get("/index.html", {
        method,
        ...(method === "POST" || method === "PUT" ? { body: "x" } : {}),
      });
      assert.strictEqual(response.status, 405, method);
      assert.strictEqual(response.headers.get("allow"), "GET, HEAD");
      await response.body?.cancel();
    }
  });

  await t.step("no spelling of a path reaches outside the table", async () => {
    const attempts = [
      "/../../../../etc/passwd",
      "/%2e%2e/%2e%2e/etc/passwd",
      "/%2E%2E/%2E%2E/etc/passwd",
      "/..%2f..%2f..%2fetc%2fpasswd",
      "/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
      "/wasm/..%2f..%2fdeno.json",
      "/wasm/%2e%2e/%2e%2e/deno.json",
      "/..%5c..%5cetc%5cpasswd",
      "/wasm\\..\\..\\deno.json",
      "/%252e%252e/etc/passwd",
      "//etc/passwd",
      "/etc/passwd",
      "/%2fetc%2fpasswd",
      "/C:/Windows/win.ini",
      "/index.html%00.js",
      "/index.html/",
      "/app.js%20",
      "/wasm/",
      "/wasm",
      "/.%2e/index.html",
    ];
    for (const path of attempts) {
      const response = get(path);
      const body = await response.text();
      if (response.status === 200) {
        // The URL parser may normalise a spelling onto one of the page's own files.
        const resolved = new URL(`http://127.0.0.1${path}`).pathname;
        assert.ok(
          assets.has(resolved === "/" ? "/index.html" : resolved),
          `${path} served ${resolved}`,
        );
      } else {
        assert.strictEqual(response.status, 404, path);
        assert.strictEqual(body, "Not found\n", path);
      }
    }
  });

  await t.step("refuses keys that no request could name", () => {
    for (
      const key of [
        "index.html",
        "/a/../b",
        "/a//b",
        "/a\\b",
        "/%2e",
        "/./a",
        "/dir/",
      ]
    ) {
      assert.throws(
        () => createHandler(new Map([[key, asset("", "x.txt")]])),
        (e: unknown) =>
          e instanceof TypeError &&
          /Asset path must be a plain absolute URL path/.test(e.message),
        key,
      );
    }
  });
});
