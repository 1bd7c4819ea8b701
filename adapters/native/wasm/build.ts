/**
 * `deno task build:wasm`: builds the SIMD kernel module the way the native
 * engine does when it loads (the TypeScript of `_module.ts` emits the bytes;
 * nothing is committed), validates it with wabt, and writes it out for
 * inspection: `kernels.wasm` and `kernels-fma.wasm` (with relaxed SIMD's
 * multiply–add), each with its text form (`.wat`), in `out/wasm/` or the
 * folder given with `--out`.
 *
 * @module
 */

import { parseArgs } from "node:util";
import wabtInit from "wabt";
import { buildKernelModule } from "./_module.ts";

/** What one build wrote. */
export interface BuiltFile {
  /** The .wasm path. */
  readonly wasm: string;
  /** The .wat path. */
  readonly wat: string;
  /** Bytes of the module. */
  readonly bytes: number;
  /** Exported functions. */
  readonly functions: number;
  /** Bytes of the constant pool. */
  readonly pool: number;
}

/**
 * Builds both variants into `dir` and returns what was written.
 *
 * @throws {Error} When wabt rejects a module.
 */
export async function buildWasm(dir: string): Promise<BuiltFile[]> {
  const wabt = await wabtInit();
  await Deno.mkdir(dir, { recursive: true });
  const written: BuiltFile[] = [];
  for (const fma of [false, true]) {
    const built = buildKernelModule({ fma });
    const name = fma ? "kernels-fma" : "kernels";
    const module = wabt.readWasm(built.bytes, {
      simd: true,
      relaxed_simd: true,
      bulk_memory: true,
    });
    try {
      module.validate();
      module.generateNames();
      module.applyNames();
      const wasm = `${dir}/${name}.wasm`;
      const wat = `${dir}/${name}.wat`;
      await Deno.writeFile(wasm, built.bytes);
      await Deno.writeTextFile(wat, module.toText({ foldExprs: false }));
      written.push({
        wasm,
        wat,
        bytes: built.bytes.length,
        functions: built.names.length,
        pool: built.pool.length,
      });
    } finally {
      module.destroy();
    }
  }
  return written;
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: { out: { type: "string", default: "out/wasm" } },
  });
  for (const f of await buildWasm(values.out!)) {
    // deno-lint-ignore no-console
    console.log(
      `${f.wasm}: ${f.bytes} bytes, ${f.functions} functions, ${f.pool}-byte constant pool; text in ${f.wat}`,
    );
  }
}
