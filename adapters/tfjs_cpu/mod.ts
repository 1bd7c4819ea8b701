/**
 * `@nonlin/tfjs-cpu`: every nonlin op on TensorFlow.js's cpu backend (plain
 * JavaScript kernels), with gradients from tfjs's own autodiff.
 *
 * The module exports exactly the backend contract of `@nonlin/core`
 * ({@linkcode BackendModule}): one function per catalog op, `vjp`,
 * `derivative`, `secondDerivative`, `tensor` and `backend`. What tfjs cannot
 * differentiate is listed in `backend.capabilities.unsupported` and throws a
 * `NotSupportedError`.
 *
 * tfjs has one global engine: every call first makes tfjs's cpu backend the
 * active one, so this adapter can be used beside the other tfjs adapters.
 *
 * @example
 * ```ts
 * import { backend, derivative, gelu, relu, tensor } from "@nonlin/tfjs-cpu";
 * import assert from "node:assert";
 *
 * assert.strictEqual(backend.name, "tfjs-cpu");
 * assert.deepStrictEqual(await relu([-1, 0, 2]), new Float32Array([0, 0, 2]));
 * assert.deepStrictEqual(await derivative("relu", [-1, 0, 2]), new Float32Array([0, 0, 1]));
 *
 * const x = tensor([-1, 0, 1]);
 * const y = gelu(x); // resident: stays on the backend
 * assert.strictEqual((await y.read())[1], 0);
 * x.dispose();
 * y.dispose();
 * ```
 *
 * @module
 */

import type { BackendModule } from "@nonlin/core";
import { createTfjsBackend, initialise, tfjsVersions } from "@nonlin/tfjs-glue";

const reason = await initialise("cpu");

const cpu: BackendModule = createTfjsBackend({
  name: "tfjs-cpu",
  tfjsBackend: "cpu",
  unavailable: () => reason,
  properties: { ...tfjsVersions(), tfjsBackend: "cpu" },
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
}: BackendModule = cpu;
