// A stand-in for a resident tensor of some other backend, for the tests of
// the checks that must tell one apart from host data.

import type { Tensor } from "../contract.ts";

/** A tensor of `backend` holding `size` zeros, shape `[size]`. */
export function fakeTensor(backend: string, size = 2): Tensor {
  return {
    backend,
    shape: [size],
    size,
    disposed: false,
    read: () => Promise.resolve(new Float32Array(size)),
    dispose: () => {},
  };
}
