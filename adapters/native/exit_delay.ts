/**
 * How long a program lingers after its last native call: runs a child Deno
 * process whose last call is gelu on 2²⁰ elements (host form), which prints
 * the time that call ended, and measures when the process has exited.
 *
 * ```sh
 * deno run -A adapters/native/exit_delay.ts [runs] [module] [config]
 * # e.g. the engine of another checkout:
 * deno run -A adapters/native/exit_delay.ts 10 /other/adapters/native/mod.ts /other/deno.json
 * ```
 *
 * Prints each run's delay (ms) and the median, with the default thread
 * count and with `NONLIN_NATIVE_THREADS=1`.
 *
 * @module
 */

const CHILD = `
const { gelu } = await import(Deno.args[0]);
const x = new Float32Array(1 << 20).map((_, i) => (i % 1000) / 100 - 5);
await gelu(x);
await gelu(x);
await Deno.stdout.write(new TextEncoder().encode(String(performance.timeOrigin + performance.now())));
`;

/** One run: ms from the end of the last call to the exit of the process. */
async function oneRun(
  module: string,
  config: string,
  env: Record<string, string>,
): Promise<number> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--config", config, "-", module],
    env,
    stdin: "piped",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(CHILD));
  await writer.close();
  const out = await child.output();
  const exited = performance.timeOrigin + performance.now();
  if (!out.success) throw new Error(`the child failed: ${out.code}`);
  return exited - Number(new TextDecoder().decode(out.stdout));
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

if (import.meta.main) {
  const runs = Number(Deno.args[0] ?? 10);
  const module = new URL(
    Deno.args[1] ?? "./mod.ts",
    `file://${Deno.cwd()}/adapters/native/`,
  ).href;
  const config = Deno.args[2] ?? "deno.json";
  const lines: string[] = [`module ${module}`];
  for (
    const [label, env] of [["default threads", {}], [
      "NONLIN_NATIVE_THREADS=1",
      { NONLIN_NATIVE_THREADS: "1" },
    ]] as const
  ) {
    const delays: number[] = [];
    for (let i = 0; i < runs; i++) {
      delays.push(await oneRun(module, config, env));
    }
    lines.push(
      `${label}: median ${
        median(delays).toFixed(0)
      } ms after the last call (runs: ${
        delays.map((d) => d.toFixed(0)).join(", ")
      })`,
    );
  }
  await Deno.stdout.write(new TextEncoder().encode(lines.join("\n") + "\n"));
}
