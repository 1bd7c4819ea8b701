/**
 * Writing and reading float32 values as text, the way the `nonlin` command
 * does; defined once in `@nonlin/core`.
 *
 * @module
 */

export {
  formatFloat32,
  jsonFloat32,
  parseFloat32,
  parseFloat32List,
  parseNumber,
} from "@nonlin/core";
