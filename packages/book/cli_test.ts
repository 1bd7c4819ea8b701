import assert from "node:assert";
import { bookBackendNames } from "@nonlin/backends";
import { main } from "./cli.ts";

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
    // It names the page's tabs as the page has them: native-webgpu too.
    for (const name of bookBackendNames) {
      assert.ok(o.stdout.includes(name), name);
    }
    assert.ok(o.stdout.includes("native-webgpu"));
  });
  await t.step("serves, prints the URL and stops when aborted", async () => {
    const o = output();
    const controller = new AbortController();
    const assets = new Map([["/index.html", {
      body: new TextEncoder().encode("<p>hi</p>"),
      type: "text/html; charset=utf-8",
    }]]);
    const running = main(["--port", "0"], o, {
      signal: controller.signal,
      assets,
    });
    let url: string | undefined;
    for (let i = 0; i < 100 && url === undefined; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      url = /^serving (http:\/\/127\.0\.0\.1:\d+\/)\n$/.exec(o.stdout)?.[1];
    }
    assert.ok(url, o.stdout);
    assert.strictEqual(await (await fetch(url)).text(), "<p>hi</p>");
    assert.strictEqual(o.stderr, "", "no warning on loopback");
    controller.abort();
    assert.strictEqual(await running, 0);
    await assert.rejects(fetch(url));
  });
  await t.step("warns when it serves beyond this machine", async () => {
    const o = output();
    const controller = new AbortController();
    controller.abort();
    const assets = new Map();
    assert.strictEqual(
      await main(["--host", "0.0.0.0", "--port", "0"], o, {
        signal: controller.signal,
        assets,
      }),
      0,
    );
    assert.match(
      o.stderr,
      /warning: 0\.0\.0\.0 is reachable from other machines/,
    );
  });
  await t.step("a port in use exits 1 with the reason", async () => {
    using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const o = output();
    const port = String((listener.addr as Deno.NetAddr).port);
    assert.strictEqual(
      await main(["--port", port], o, { assets: new Map() }),
      1,
    );
    assert.match(o.stderr, /^nonlin book: .*(in use|AddrInUse)/i);
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
