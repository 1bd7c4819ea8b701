/**
 * `@nonlin/book`: *Dive into Deep Learning* §5.1 made live. A page with one
 * section per activation function and one tab per backend, each tab computing
 * the function and its gradient in the browser with that backend's adapter,
 * bundled from this repository by `deno bundle`; and the small server that
 * serves it (`deno task book`, `nonlin book`).
 *
 * ```ts
 * import { bookSections, codeBlock } from "@nonlin/book";
 * import { opNames } from "@nonlin/core";
 * import assert from "node:assert";
 *
 * const sections = bookSections();
 * assert.strictEqual(sections.length, opNames.length);
 * assert.match(codeBlock("tfjs-wasm", sections[0]!.curves), /from "@nonlin\/tfjs-wasm"/);
 * ```
 *
 * @module
 */

export * from "./handler.ts";
export * from "./assets.ts";
export * from "./server.ts";
export * from "./app/sections.ts";
export * from "./app/compare.ts";
export * from "./app/run.ts";
