/**
 * `@nonlin/tfjs-webgpu`: every nonlin op on TensorFlow.js's WebGPU backend
 * through Deno's `navigator.gpu`, with gradients from tfjs's own autodiff.
 *
 * The module exports exactly the backend contract of `@nonlin/core`
 * ({@linkcode BackendModule}). Without a WebGPU adapter it still loads:
 * `backend.available` is `false`, `backend.reason` says why, and every
 * function throws a `BackendUnavailableError` with that reason. Data is only
 * read asynchronously (WebGPU has no synchronous read in Deno).
 *
 * Limits, all visible in `backend.capabilities.properties`:
 * - a tensor may hold at most `maxElements` float32 values, a quarter of the
 *   device's `maxStorageBufferBindingSize` (128 MiB, 32 Mi elements, on
 *   llvmpipe); a larger one is refused with a `RangeError` naming the limit;
 * - when the device is lost, `backend.available` turns `false`, every call
 *   throws a `BackendUnavailableError`, and reads in flight reject instead of
 *   waiting forever;
 * - tfjs's `WEBGPU_CPU_FORWARD` is off, so every op runs as a shader.
 *
 * @example
 * ```ts
 * import { backend, relu } from "@nonlin/tfjs-webgpu";
 * import assert from "node:assert";
 *
 * if (backend.available) {
 *   assert.deepStrictEqual(await relu([-1, 2]), new Float32Array([0, 2]));
 * } else {
 *   assert.strictEqual(typeof backend.reason, "string");
 * }
 * ```
 *
 * @module
 */

import type { BackendModule } from "@nonlin/core";
import { createTfjsBackend } from "@nonlin/tfjs-glue";
import { NAME, setUpWebGpu, watchDevice } from "./_setup.ts";

const setup = await setUpWebGpu();
const watch = setup.device ? watchDevice(setup.device) : undefined;
const maxElements = setup.properties.maxElements;

const webgpu: BackendModule = createTfjsBackend({
  name: NAME,
  tfjsBackend: "webgpu",
  unavailable: () => setup.reason ?? watch?.lost(),
  properties: setup.properties,
  ...(typeof maxElements === "number" && {
    maxElements: {
      count: maxElements,
      limit:
        `this WebGPU device's maxStorageBufferBindingSize is ${setup.properties.maxStorageBufferBindingSize} bytes (${maxElements} float32 elements)`,
    },
  }),
  ...(watch && {
    read: (t) =>
      Promise.race([t.data() as Promise<Float32Array>, watch.whenLost]),
  }),
});

export const {
  backend,
  tensor,
  vjp,
  derivative,
  secondDerivative,
  relu,
  leakyRelu,
  prelu,
  relu6,
  elu,
  selu,
  celu,
  sigmoid,
  logSigmoid,
  hardSigmoid,
  tanh,
  hardTanh,
  softsign,
  softplus,
  gelu,
  swish,
  silu,
  mish,
  hardSwish,
}: BackendModule = webgpu;
