// For the peers' tests: does a script exit by itself?

/** What a script did when run in its own process. */
export interface ScriptRun {
  /** Whether it exited by itself before the limit. */
  readonly exited: boolean;
  /** Its exit code, when it exited. */
  readonly code?: number;
  /** Its standard output. */
  readonly stdout: string;
  /** Its standard error. */
  readonly stderr: string;
}

/**
 * Runs `script` with `deno run -A` in a new process and waits at most
 * `limitMs` for it to exit by itself; kills it otherwise.
 */
export async function runScript(
  script: string | URL,
  limitMs: number,
  env: Record<string, string> = {},
): Promise<ScriptRun> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", String(script)],
    stdout: "piped",
    stderr: "piped",
    env,
  }).spawn();
  const output = child.output();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const limit = new Promise<"limit">((resolve) => {
    timer = setTimeout(() => resolve("limit"), limitMs);
  });
  const outcome = await Promise.race([output, limit]);
  clearTimeout(timer);
  if (outcome === "limit") child.kill("SIGKILL");
  const out = await output;
  const decode = (b: Uint8Array) => new TextDecoder().decode(b);
  return {
    exited: outcome !== "limit",
    ...(outcome === "limit" ? {} : { code: out.code }),
    stdout: decode(out.stdout),
    stderr: decode(out.stderr),
  };
}
