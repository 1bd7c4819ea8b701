/**
 * `@nonlin/peer-glue`: what the peer adapters (onnxruntime-web, jax-js)
 * share, not published. {@linkcode createPeerBackend} builds the whole
 * backend contract on a {@linkcode PeerEngine}: validation, resident tensors,
 * the Float32Array form, prelu's α and the declared refusals. An engine only
 * maps catalog ops onto its own handles.
 *
 * @example
 * ```ts
 * import { createPeerBackend, type PeerEngine } from "@nonlin/peer-glue";
 * import assert from "node:assert";
 *
 * // A toy engine whose handles are plain Float32Arrays: relu only.
 * const relu = (a: Float32Array) => a.map((v) => (v > 0 ? v : 0));
 * const engine: PeerEngine<Float32Array> = {
 *   name: "toy",
 *   unavailable: () => undefined,
 *   properties: {},
 *   unsupported: [],
 *   upload: (data) => data.slice(),
 *   read: (h, into) => Promise.resolve(into ? (into.set(h), into) : h.slice()),
 *   free: () => {},
 *   forward: (_op, x) => relu(x.handle),
 *   vjp: (_op, x, dy) => ({ dx: dy.map((d, i) => (x.handle[i]! > 0 ? d : 0)), dparams: {} }),
 *   derivative: (_op, x) => x.handle.map((v) => (v > 0 ? 1 : 0)),
 *   secondDerivative: (_op, x) => x.handle.map(() => 0),
 * };
 * const toy = createPeerBackend(engine);
 * assert.deepStrictEqual(await toy.relu([-1, 2]), new Float32Array([0, 2]));
 * ```
 *
 * @module
 */

export {
  createPeerBackend,
  type Operand,
  type PeerEngine,
  type PeerParam,
  type PeerParams,
  type PeerUnsupported,
} from "./_backend.ts";
export { type HandleOps, PeerTensor } from "./_tensor.ts";
export { runScript, type ScriptRun } from "./_exit.ts";
