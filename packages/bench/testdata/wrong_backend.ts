/**
 * The reference fixture with one fast, wrong kernel: its relu is the
 * identity. The bench must fail it instead of timing it.
 *
 * @module
 */

import type { BackendInfo } from "@nonlin/core";
import * as fixture from "./reference_backend.ts";

export * from "./reference_backend.ts";

/** Identity, availability and capabilities. */
export const backend: BackendInfo = {
  ...fixture.backend,
  name: "wrong-fixture",
};

/** relu, wrongly: returns its input. */
export function relu(x: unknown): unknown {
  if (x instanceof Float32Array) return Promise.resolve(x.slice());
  return fixture.tensor((x as unknown as { data: Float32Array }).data);
}
