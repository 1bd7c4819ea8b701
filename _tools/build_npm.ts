/**
 * `deno task build:npm`: builds `@nonlin/core` and `@nonlin/native` as npm
 * packages under `out/npm/<package>/` — ES modules (one `.js` per source
 * module) with `.d.ts` declarations beside them, a `package.json` whose
 * `exports` mirror the package's `deno.json`, the licence and a README.
 *
 * Why the TypeScript compiler (npm `typescript`, through its API) and not
 * `deno bundle`: the packages keep their module structure, so
 * `@nonlin/native` imports `@nonlin/core` as an npm dependency (one copy of
 * the catalog and of the error classes that `instanceof` tests) and
 * `@nonlin/native/js` shares the engine's modules with `@nonlin/native`;
 * `tsc` writes the `.d.ts` of every module, where `deno bundle --declaration`
 * (experimental in Deno 2.9) leaves references to modules it did not emit.
 * dnt would do the same through JSR, which these machines cannot reach.
 *
 * The declarations are then type-checked on their own, as a consumer's
 * `tsc` would see them, and the build fails on any error.
 *
 * @module
 */

import ts from "typescript";
import { dirname, join, relative, resolve } from "node:path";

/** A package to build: its folder and the npm dependencies it gets. */
interface NpmPackage {
  readonly dir: string;
  /** Workspace packages it imports, by name: they become npm dependencies. */
  readonly dependsOn: readonly string[];
  readonly description: string;
  /**
   * Export paths of the Deno package left out of the npm one, with the
   * reason (shown in the package's README).
   */
  readonly omit?: Readonly<Record<string, string>>;
}

const root = resolve(dirname(new URL(import.meta.url).pathname), "..");

/** The packages built, in dependency order. */
export const npmPackages: readonly NpmPackage[] = [
  {
    dir: "packages/core",
    dependsOn: [],
    description:
      "nonlin's op catalog, float64 reference and backend contract: activation functions and their gradients",
    omit: {
      "./webgpu":
        "the WebGPU helpers (finding an adapter, its identity, device loss) need the WebGPU types, which Node has no use for",
    },
  },
  {
    dir: "adapters/native",
    dependsOn: ["@nonlin/core"],
    description:
      "nonlin's native engine: activation functions and their gradients in JavaScript and WebAssembly SIMD",
    omit: {
      "./webgpu":
        "the WebGPU kernels (`native-webgpu`) need the WebGPU types, which Node has no use for: use them from Deno or a browser bundle of the repository",
    },
  },
];

/** What the build wrote for one package. */
export interface BuiltPackage {
  readonly name: string;
  readonly version: string;
  /** The folder holding `package.json`. */
  readonly dir: string;
}

interface DenoJson {
  name: string;
  version: string;
  license?: string;
  exports: string | Record<string, string>;
}

function entryPoints(config: DenoJson): Record<string, string> {
  return typeof config.exports === "string"
    ? { ".": config.exports }
    : config.exports;
}

function formatDiagnostics(diagnostics: readonly ts.Diagnostic[]): string {
  return ts.formatDiagnostics(diagnostics, {
    getCanonicalFileName: (f) => f,
    getCurrentDirectory: () => root,
    getNewLine: () => "\n",
  });
}

/** `./x.ts` → `./x.js` in the relative specifiers of a declaration file. */
export function rewriteTsSpecifiers(text: string): string {
  return text.replace(
    /(\bfrom\s*|\bimport\s*\(\s*)(["'])(\.{1,2}\/[^"']*?)\.ts\2/g,
    "$1$2$3.js$2",
  );
}

const baseOptions: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  lib: ["lib.es2023.d.ts", "lib.dom.d.ts", "lib.dom.iterable.d.ts"],
  strict: true,
  exactOptionalPropertyTypes: true,
  noUncheckedIndexedAccess: true,
  skipLibCheck: false,
  types: [],
};

/**
 * Builds one package into `out`, given the declarations of the packages it
 * depends on (by name → `.d.ts` entry).
 */
function buildPackage(
  pkg: NpmPackage,
  out: string,
  built: ReadonlyMap<string, BuiltPackage>,
): BuiltPackage {
  const dir = join(root, pkg.dir);
  const config = JSON.parse(
    Deno.readTextFileSync(join(dir, "deno.json")),
  ) as DenoJson;
  const entries = Object.fromEntries(
    Object.entries(entryPoints(config)).filter(([sub]) =>
      pkg.omit?.[sub] === undefined
    ),
  );
  const paths: Record<string, string[]> = {};
  for (const name of pkg.dependsOn) {
    const dep = built.get(name);
    if (dep === undefined) {
      throw new Error(`Build ${name} before ${config.name}`);
    }
    paths[name] = [join(dep.dir, "mod.d.ts")];
    paths[`${name}/*`] = [join(dep.dir, "*")];
  }
  const target = join(out, config.name.replace(/^@nonlin\//, ""));
  try {
    Deno.removeSync(target, { recursive: true });
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  const options: ts.CompilerOptions = {
    ...baseOptions,
    rootDir: dir,
    outDir: target,
    declaration: true,
    allowImportingTsExtensions: true,
    rewriteRelativeImportExtensions: true,
    // The sources are type-checked by `deno check` under Deno's own types
    // (Deno.*, WebGPU); here they are only emitted. The declarations are
    // checked below, as a consumer sees them.
    noCheck: true,
    paths,
  };
  const program = ts.createProgram(
    Object.values(entries).map((e) => join(dir, e)),
    options,
  );
  const outside = program.getSourceFiles().filter((f) =>
    !f.isDeclarationFile && !f.fileName.startsWith(dir + "/")
  );
  if (outside.length > 0) {
    throw new Error(
      `${config.name} imports modules outside its folder: ${
        outside.map((f) => relative(root, f.fileName)).join(", ")
      }`,
    );
  }
  // TypeScript 5.9 rewrites `./x.ts` to `./x.js` in the JavaScript only;
  // the declarations get the same, so a consumer's tsc needs no
  // allowImportingTsExtensions.
  const emitted = program.emit(undefined, (file, text, bom) => {
    ts.sys.writeFile(
      file,
      file.endsWith(".d.ts") ? rewriteTsSpecifiers(text) : text,
      bom,
    );
  });
  const errors = [
    ...program.getOptionsDiagnostics(),
    ...program.getSyntacticDiagnostics(),
    ...emitted.diagnostics,
  ];
  if (errors.length > 0 || emitted.emitSkipped) {
    throw new Error(`${config.name}: ${formatDiagnostics(errors)}`);
  }

  const exports: Record<string, { types: string; default: string }> = {};
  for (const [subpath, entry] of Object.entries(entries)) {
    const base = entry.replace(/\.ts$/, "");
    exports[subpath] = { types: `${base}.d.ts`, default: `${base}.js` };
  }
  const dependencies: Record<string, string> = {};
  for (const name of pkg.dependsOn) {
    dependencies[name] = built.get(name)!.version;
  }
  const packageJson = {
    name: config.name,
    version: config.version,
    description: pkg.description,
    license: config.license,
    type: "module",
    exports,
    ...(pkg.dependsOn.length > 0 ? { dependencies } : {}),
    engines: { node: ">=20" },
    sideEffects: false,
  };
  Deno.writeTextFileSync(
    join(target, "package.json"),
    JSON.stringify(packageJson, null, 2) + "\n",
  );
  Deno.copyFileSync(join(root, "LICENSE"), join(target, "LICENSE"));
  Deno.writeTextFileSync(
    join(target, "README.md"),
    `# ${config.name}\n\n${pkg.description}.\n\nBuilt from the nonlin repository by \`deno task build:npm\`; see its README for usage from Node and from a browser bundle.\n` +
      Object.entries(pkg.omit ?? {}).map(([sub, why]) =>
        `\nNot in this package: \`${sub}\`: ${why}.\n`
      ).join(""),
  );
  return { name: config.name, version: config.version, dir: target };
}

/**
 * Type-checks the emitted declarations the way a consumer's `tsc` does
 * (`skipLibCheck: false`), through a file that imports every entry point.
 */
function checkDeclarations(
  packages: readonly BuiltPackage[],
  out: string,
): void {
  const specifiers = packages.flatMap((p) => {
    const pj = JSON.parse(
      Deno.readTextFileSync(join(p.dir, "package.json")),
    ) as { exports: Record<string, { types: string }> };
    return Object.keys(pj.exports).map((sub) =>
      sub === "." ? p.name : `${p.name}/${sub.slice(2)}`
    );
  });
  // Beside the packages: `out` may be a scratch folder (a test's), and the
  // repository's out/npm need not exist (a fresh clone).
  const file = join(out, "_consumer.ts");
  Deno.writeTextFileSync(
    file,
    specifiers.map((s, i) => `import * as m${i} from ${JSON.stringify(s)};`)
      .join("\n") +
      `\nexport { ${specifiers.map((_, i) => `m${i}`).join(", ")} };\n`,
  );
  const paths: Record<string, string[]> = {};
  for (const p of packages) {
    const pj = JSON.parse(
      Deno.readTextFileSync(join(p.dir, "package.json")),
    ) as { exports: Record<string, { types: string }> };
    for (const [sub, e] of Object.entries(pj.exports)) {
      const name = sub === "." ? p.name : `${p.name}/${sub.slice(2)}`;
      paths[name] = [join(p.dir, e.types)];
    }
  }
  const program = ts.createProgram([file], {
    ...baseOptions,
    noEmit: true,
    paths,
  });
  const diagnostics = ts.getPreEmitDiagnostics(program);
  Deno.removeSync(file);
  if (diagnostics.length > 0) {
    throw new Error(
      `The declarations do not type-check:\n${formatDiagnostics(diagnostics)}`,
    );
  }
}

/**
 * Builds every package in {@linkcode npmPackages} into `out`.
 *
 * @param out The output folder.
 * @returns What was built, in order.
 */
export function buildNpm(out: string = join(root, "out/npm")): BuiltPackage[] {
  Deno.mkdirSync(out, { recursive: true });
  const built = new Map<string, BuiltPackage>();
  for (const pkg of npmPackages) {
    const b = buildPackage(pkg, out, built);
    built.set(b.name, b);
  }
  checkDeclarations([...built.values()], out);
  return [...built.values()];
}

if (import.meta.main) {
  for (const b of buildNpm()) {
    // deno-lint-ignore no-console
    console.log(`${b.name}@${b.version}: ${relative(Deno.cwd(), b.dir)}`);
  }
}
