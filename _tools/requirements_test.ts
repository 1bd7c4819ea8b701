// deno-lint-ignore-file no-console -- the test captures what needs() warns
import assert from "node:assert";
import {
  chromium,
  type Component,
  needs,
  webgpuAdapter,
} from "./requirements.ts";

/** A component whose presence the test decides. */
function fake(missing: string | undefined): Component {
  return {
    name: "a fake part",
    env: "NONLIN_REQUIRE_FAKE_PART",
    install: "apt-get install -y fake-part",
    probe: () => Promise.resolve(missing),
  };
}

Deno.test("needs()", async (t) => {
  const before = Deno.env.get("NONLIN_REQUIRE_FAKE_PART");
  const warn = console.warn;
  const warned: string[] = [];
  console.warn = (line: string) => void warned.push(line);
  try {
    Deno.env.delete("NONLIN_REQUIRE_FAKE_PART");

    await t.step("present: the test runs under its own name", async () => {
      const need = await needs(fake(undefined));
      assert.strictEqual(need.ignore, false);
      assert.strictEqual(need.name("t()"), "t()");
      need.assertPresent();
    });

    await t.step(
      "missing: ignored, saying why and how to install it",
      async () => {
        const need = await needs(fake("not on this machine"));
        assert.strictEqual(need.ignore, true);
        assert.strictEqual(
          need.name("t()"),
          "t() [ignored: not on this machine; to run it: apt-get install -y fake-part (CI sets NONLIN_REQUIRE_FAKE_PART=1)]",
        );
        assert.match(
          warned.at(-1)!,
          /^ignoring the tests that need a fake part: not on this machine; to run them: apt-get install -y fake-part/,
        );
      },
    );

    await t.step("required and missing: the test runs, and fails", async () => {
      Deno.env.set("NONLIN_REQUIRE_FAKE_PART", "1");
      const need = await needs(fake("not on this machine"));
      assert.strictEqual(need.ignore, false);
      assert.strictEqual(need.name("t()"), "t()");
      assert.throws(() => need.assertPresent(), {
        message:
          "a fake part is required (NONLIN_REQUIRE_FAKE_PART) but missing: not on this machine; install it with apt-get install -y fake-part",
      });
    });
  } finally {
    console.warn = warn;
    if (before === undefined) Deno.env.delete("NONLIN_REQUIRE_FAKE_PART");
    else Deno.env.set("NONLIN_REQUIRE_FAKE_PART", before);
  }
});

Deno.test("chromium.probe()", async () => {
  const before = Deno.env.get("NONLIN_CHROMIUM");
  try {
    Deno.env.set("NONLIN_CHROMIUM", "/nonexistent/chromium");
    assert.match(
      (await chromium.probe())!,
      /^Chromium not found at \/nonexistent\/chromium/,
    );
  } finally {
    if (before === undefined) Deno.env.delete("NONLIN_CHROMIUM");
    else Deno.env.set("NONLIN_CHROMIUM", before);
  }
});

// In CI every component is installed and required: this is where a missing
// one fails even if no other test happened to need it.
for (const component of [chromium, webgpuAdapter]) {
  const need = await needs(component);
  Deno.test({
    name: need.name(`${component.name} is here when ${component.env} is set`),
    ignore: !need.required,
    fn: () => need.assertPresent(),
  });
}
