/**
 * `@nonlin/tfjs-glue`: what the three TensorFlow.js adapters share, not
 * published. {@linkcode createTfjsBackend} builds the whole backend contract
 * on one tfjs backend; `tfjsOps` writes every catalog op the way a tfjs user
 * computes it; `unsupported` lists what tfjs cannot differentiate.
 *
 * tfjs has one global engine, and all three adapters share it. Each call of
 * an adapter first makes its own tfjs backend the active one (see
 * {@linkcode activate}); a tensor belongs to the adapter that made it and is
 * refused by the others, so no tensor is ever computed on another adapter's
 * backend. Reading and disposing a tensor go to the backend that holds it
 * whatever the active one is.
 *
 * @example
 * ```ts
 * import { createTfjsBackend } from "@nonlin/tfjs-glue";
 * import assert from "node:assert";
 *
 * const cpu = createTfjsBackend({
 *   name: "example-cpu",
 *   tfjsBackend: "cpu",
 *   unavailable: () => undefined,
 *   properties: {},
 * });
 * assert.deepStrictEqual(await cpu.relu([-1, 2]), new Float32Array([0, 2]));
 * ```
 *
 * @module
 */

export {
  activate,
  createTfjsBackend,
  type TfjsBackendConfig,
} from "./_backend.ts";
export { initialise, tfjsVersions } from "./_init.ts";
export { tfjsOps, type TfOp, type TfParam, type TfParams } from "./_ops.ts";
/** The tfjs computations behind the contract: forward, VJP and derivatives. */
export * as compute from "./_compute.ts";
export type { TfGradients } from "./_compute.ts";
export { TfjsTensor, type TfReader, type TfTensor } from "./_tensor.ts";
export { unsupported, type UnsupportedEntry } from "./_unsupported.ts";
