/**
 * The bench tests' backend loaded by module path: the README's third-party
 * example (`examples/reference_backend.ts`), a complete contract
 * implementation over the core reference, re-exported so that there is one.
 *
 * @module
 */

export * from "../../../examples/reference_backend.ts";
