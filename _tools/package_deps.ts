// deno-lint-ignore-file no-console
/**
 * The package dependency graph of the workspace, read from the source:
 * which `@nonlin/*` package imports which, and any relative import that
 * reaches into another package's folder. `deno task check:deps` prints it
 * and fails on a cycle, like denoland/std's
 * `_tools/check_circular_package_dependencies.ts`.
 *
 * Every module a member publishes counts, doc-comment examples included;
 * tests, benchmarks and `testdata/` do not (every member's `publish.exclude`
 * leaves them out, as `deno publish` builds its graph without them): a test
 * of the shared tfjs glue may run the adapters built on it.
 *
 * @module
 */

import { dirname, join, relative, resolve, sep as SEPARATOR } from "node:path";

/** A workspace member. */
export interface WorkspacePackage {
  /** Its name, `@nonlin/core`. */
  readonly name: string;
  /** Its folder, absolute. */
  readonly dir: string;
  /** The files and folders its `publish.exclude` names outright (no glob). */
  readonly unpublished: readonly string[];
}

/** One import of another package. */
export interface PackageImport {
  /** The importing package's name. */
  readonly from: string;
  /** The imported package's name. */
  readonly to: string;
  /** The file that imports, relative to the workspace root. */
  readonly file: string;
  /** The specifier as written. */
  readonly specifier: string;
}

/**
 * Reads the members of the workspace whose root `deno.json` is in `root`.
 *
 * @param root The workspace root folder.
 * @returns Every member with a `name`.
 */
export async function workspacePackages(
  root: string,
): Promise<WorkspacePackage[]> {
  const config = JSON.parse(
    await Deno.readTextFile(join(root, "deno.json")),
  ) as { workspace?: string[] };
  const packages: WorkspacePackage[] = [];
  for (const member of config.workspace ?? []) {
    const dir = resolve(root, member);
    const { name, publish } = JSON.parse(
      await Deno.readTextFile(join(dir, "deno.json")),
    ) as { name?: string; publish?: { exclude?: string[] } };
    const unpublished = (publish?.exclude ?? [])
      .filter((e) => !/[*?[{]/.test(e))
      .map((e) => resolve(dir, e));
    if (typeof name === "string") packages.push({ name, dir, unpublished });
  }
  return packages;
}

const SPECIFIER =
  /\b(?:import|export)\s[^;"'`]*?\bfrom\s*["']([^"']+)["']|\bimport\s*\(\s*["']([^"']+)["']\s*\)|\bimport\s+["']([^"']+)["']/g;

/** The import specifiers a module's source names, in order. */
export function importSpecifiers(source: string): string[] {
  const found: string[] = [];
  for (const m of source.matchAll(SPECIFIER)) {
    const s = m[1] ?? m[2] ?? m[3];
    if (s !== undefined) found.push(s);
  }
  return found;
}

async function* sourceFiles(dir: string): AsyncGenerator<string> {
  for await (const entry of Deno.readDir(dir)) {
    const path = join(dir, entry.name);
    if (entry.isDirectory) {
      if (
        !["node_modules", "testdata"].includes(entry.name) &&
        !entry.name.startsWith(".")
      ) {
        yield* sourceFiles(path);
      }
    } else if (
      /\.(?:[cm]?[jt]sx?)$/.test(entry.name) &&
      !/_(?:test|bench)\.[cm]?[jt]sx?$/.test(entry.name)
    ) {
      yield path;
    }
  }
}

function owner(
  packages: readonly WorkspacePackage[],
  path: string,
): WorkspacePackage | undefined {
  // The deepest member folder that holds the path.
  return packages.filter((p) =>
    path === p.dir || path.startsWith(p.dir + SEPARATOR)
  )
    .sort((a, b) => b.dir.length - a.dir.length)[0];
}

/**
 * Every import of one workspace package by another: through its name
 * (`@nonlin/core`, `@nonlin/native/js`) or through a relative path that
 * leaves the importing package's folder.
 *
 * @param root The workspace root folder.
 * @returns The imports, and the relative ones that cross packages.
 */
export async function packageImports(root: string): Promise<{
  imports: PackageImport[];
  crossRelative: PackageImport[];
}> {
  const packages = await workspacePackages(root);
  const names = new Set(packages.map((p) => p.name));
  const imports: PackageImport[] = [];
  const crossRelative: PackageImport[] = [];
  for (const pkg of packages) {
    for await (const file of sourceFiles(pkg.dir)) {
      if (owner(packages, file) !== pkg) continue; // a nested member's file
      if (
        pkg.unpublished.some((u) =>
          file === u || file.startsWith(u.replace(/\/?$/, SEPARATOR))
        )
      ) {
        continue;
      }
      const rel = relative(root, file);
      for (const specifier of importSpecifiers(await Deno.readTextFile(file))) {
        const named = /^(?:jsr:)?(@[^/]+\/[^/]+)/.exec(specifier)?.[1];
        if (named !== undefined && names.has(named)) {
          if (named !== pkg.name) {
            imports.push({ from: pkg.name, to: named, file: rel, specifier });
          }
        } else if (specifier.startsWith(".")) {
          const target = resolve(dirname(file), specifier);
          const to = owner(packages, target);
          if (to !== pkg) {
            const entry = {
              from: pkg.name,
              to: to?.name ?? relative(root, target),
              file: rel,
              specifier,
            };
            crossRelative.push(entry);
            if (to !== undefined) imports.push(entry);
          }
        }
      }
    }
  }
  return { imports, crossRelative };
}

/**
 * The cycles of a dependency graph, each as the path that closes it
 * (`["@a", "@b", "@a"]`); each cycle once, from its first node in order.
 *
 * @param edges Dependencies as `[from, to]` pairs.
 * @returns The cycles found; empty when the graph is acyclic.
 */
export function findCycles(
  edges: readonly (readonly [string, string])[],
): string[][] {
  const next = new Map<string, string[]>();
  for (const [a, b] of edges) {
    const list = next.get(a) ?? [];
    if (!list.includes(b)) list.push(b);
    next.set(a, list);
  }
  const nodes = [...new Set(edges.flat())].sort();
  const cycles: string[][] = [];
  const seen = new Set<string>();
  const done = new Set<string>();
  const visit = (node: string, path: string[]) => {
    if (done.has(node)) return;
    const at = path.indexOf(node);
    if (at >= 0) {
      const cycle = [...path.slice(at), node];
      const key = [...cycle.slice(0, -1)].sort().join(" ");
      if (!seen.has(key)) {
        seen.add(key);
        cycles.push(cycle);
      }
      return;
    }
    for (const to of (next.get(node) ?? []).toSorted()) {
      visit(to, [...path, node]);
    }
    done.add(node);
  };
  for (const node of nodes) visit(node, []);
  return cycles;
}

if (import.meta.main) {
  const root = resolve(dirname(new URL(import.meta.url).pathname), "..");
  const { imports, crossRelative } = await packageImports(root);
  const edges = imports.map((i) => [i.from, i.to] as const);
  const cycles = findCycles(edges);
  const lines = [...new Set(edges.map(([a, b]) => `${a} -> ${b}`))].sort();
  console.log(lines.join("\n"));
  for (const i of crossRelative) {
    console.error(
      `Relative import across packages: ${i.file} imports ${i.specifier} (${i.to})`,
    );
  }
  for (const c of cycles) {
    console.error(`Circular package dependency: ${c.join(" -> ")}`);
  }
  Deno.exit(cycles.length > 0 || crossRelative.length > 0 ? 1 : 0);
}
