/**
 * The types a backend module's exports refer to, in one list, so that every
 * adapter re-exports them with one line (`export type * from
 * "@nonlin/core/types"`) and a user can import them from the backend they
 * chose as well as from `@nonlin/core`. It is the closure `deno doc --lint`
 * asks of an adapter's entry point: every type its exports mention is
 * exported beside them.
 *
 * @example
 * ```ts
 * import type { OpName, ParamsOf } from "@nonlin/core/types";
 * import { ops } from "@nonlin/core";
 * import assert from "node:assert";
 *
 * const op: OpName = "leakyRelu";
 * const params: ParamsOf<"leakyRelu"> = { alpha: 0.25 };
 * assert.strictEqual(ops[op].f(-2, params), -0.5);
 * ```
 *
 * @module
 */

export type { OpName, ops } from "./catalog.ts";
export type {
  ArrayInput,
  BackendInfo,
  BackendModule,
  Capabilities,
  ElementwiseDerivative,
  Feature,
  Gradients,
  HostOptionsArg,
  HostOut,
  HostParamsOf,
  HostVjpOptions,
  LearnedParamName,
  OpFunction,
  OpFunctions,
  OptionalParamName,
  OptionsArg,
  ParamsOf,
  ParamSpecsOf,
  ParamValue,
  RequiredParamName,
  Tensor,
  TensorParam,
  Unsupported,
  Vjp,
  VjpOptions,
  VjpOut,
} from "./contract.ts";
