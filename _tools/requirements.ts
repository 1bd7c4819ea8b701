/**
 * System components some tests need — a Chromium binary, a WebGPU adapter
 * (Mesa's llvmpipe through Vulkan or GL) — and what a test does without
 * them. On a machine that lacks one (the README's `npx -y deno@2.9.6 task
 * test` on a fresh machine with only Node and npm), the tests that need it
 * report themselves ignored, with the reason and the apt line that installs
 * it. CI installs every component and sets `NONLIN_REQUIRE_<NAME>=1`: a
 * required component that is missing then fails those tests instead.
 *
 * To try a machine without them: `NONLIN_CHROMIUM=/nonexistent` hides
 * Chromium; `DENO_WEBGPU_BACKEND=vulkan VK_ICD_FILENAMES=/nonexistent`
 * hides every WebGPU adapter from Deno (Vulkan has no driver, GL is not
 * tried).
 *
 * @example
 * ```ts ignore
 * import { chromium, needs } from "../../../_tools/requirements.ts";
 *
 * const browser = await needs(chromium);
 * Deno.test({
 *   name: browser.name("the page in a browser"),
 *   ignore: browser.ignore,
 *   fn: () => {},
 * });
 * ```
 *
 * @module
 */

/** A system component that some tests need. */
export interface Component {
  /** What it is, for messages: `Chromium`. */
  readonly name: string;
  /** The environment variable that makes it required: `NONLIN_REQUIRE_CHROMIUM`. */
  readonly env: string;
  /** The Debian command that installs it. */
  readonly install: string;
  /** Why it is missing here, or `undefined` when it is present. */
  readonly probe: () => Promise<string | undefined>;
}

/** What a test that needs a component does on this machine. */
export interface Need {
  /** Whether the test is to be ignored: missing, and not required. */
  readonly ignore: boolean;
  /** Why the component is missing, or `undefined` when present. */
  readonly missing: string | undefined;
  /** Whether `NONLIN_REQUIRE_<NAME>` asks for it. */
  readonly required: boolean;
  /**
   * The test's name, followed, when ignored, by the reason and how to
   * install the component, so Deno's list of ignored tests says why.
   */
  name(test: string): string;
  /**
   * Throws, saying what is missing and how to install it, when the
   * component is required but missing; a test calls it first.
   */
  assertPresent(): void;
}

/** Debian's Chromium, or the binary `NONLIN_CHROMIUM` names. */
export const chromium: Component = {
  name: "Chromium",
  env: "NONLIN_REQUIRE_CHROMIUM",
  install: "apt-get install -y chromium",
  probe: async () => {
    const path = Deno.env.get("NONLIN_CHROMIUM") ?? "/usr/bin/chromium";
    try {
      if ((await Deno.stat(path)).isFile) return undefined;
      return `${path} is not a file`;
    } catch {
      return `Chromium not found at ${path} (NONLIN_CHROMIUM may name another binary)`;
    }
  },
};

/** A WebGPU adapter for Deno: Mesa's llvmpipe through Vulkan or GL will do. */
export const webgpuAdapter: Component = {
  name: "a WebGPU adapter",
  env: "NONLIN_REQUIRE_WEBGPU",
  install: "apt-get install -y mesa-vulkan-drivers libgl1-mesa-dri libegl1",
  probe: async () => {
    const gpu = (navigator as { gpu?: GPU }).gpu;
    if (gpu === undefined) return "navigator.gpu is undefined";
    try {
      const adapter = await gpu.requestAdapter();
      return adapter === null
        ? "navigator.gpu.requestAdapter() found no adapter"
        : undefined;
    } catch (error) {
      return `navigator.gpu.requestAdapter() failed: ${
        error instanceof Error ? error.message : String(error)
      }`;
    }
  },
};

/**
 * Probes a component once and says what a test that needs it does here.
 *
 * @param component The component.
 * @returns Whether to ignore the test, and how to name it.
 */
export async function needs(component: Component): Promise<Need> {
  const missing = await component.probe();
  const required = /^(1|true|yes)$/i.test(Deno.env.get(component.env) ?? "");
  const ignore = missing !== undefined && !required;
  const how = `${component.install} (CI sets ${component.env}=1)`;
  if (ignore) {
    // deno-lint-ignore no-console
    console.warn(
      `ignoring the tests that need ${component.name}: ${missing}; to run them: ${how}`,
    );
  }
  return {
    ignore,
    missing,
    required,
    name: (test) =>
      ignore ? `${test} [ignored: ${missing}; to run it: ${how}]` : test,
    assertPresent: () => {
      if (missing !== undefined) {
        throw new Error(
          `${component.name} is required (${component.env}) but missing: ${missing}; install it with ${component.install}`,
        );
      }
    },
  };
}
