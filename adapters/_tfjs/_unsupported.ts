// What tfjs 4.22 cannot compute, on every backend alike (tfjs registers its
// gradients once for all backends). Found by running each feature of each op
// on cpu, wasm and webgpu; unsupported_test.ts runs the raw tfjs computation
// for every entry and checks that tfjs still fails as `failure` says, so the
// table stays true when tfjs changes.

import type { OpName, ResolvedOptions, Unsupported } from "@nonlin/core";

/** One limitation of tfjs, with the parameters it applies to. */
export interface UnsupportedEntry extends Unsupported {
  /** How tfjs fails when asked anyway: it throws, or returns a wrong value silently. */
  readonly failure: "throws" | "wrong";
  /** Whether the limitation holds for these parameters; always when absent. */
  readonly applies?: (p: ResolvedOptions) => boolean;
}

const GREATER = "tfjs has no gradient for Greater";
const LESS_EQUAL = "tfjs has no gradient for LessEqual";
// The saved copy is made by a tape node recorded before the op's own node,
// so walking the tape from x never reaches it.
const SAVED_OUTPUT =
  "reads the op's saved output, which tfjs's tape does not connect back to x";

function nested(
  op: OpName,
  reason: string,
  failure: "throws" | "wrong",
): UnsupportedEntry {
  return { op, feature: "secondDerivative", reason, failure };
}

/** Every feature tfjs cannot compute, with its reason. */
export const unsupported: readonly UnsupportedEntry[] = [
  nested(
    "leakyRelu",
    `tfjs's LeakyRelu gradient (and Prelu's, used for a tensor α) picks its branch with tf.greater, and ${GREATER}`,
    "throws",
  ),
  nested(
    "prelu",
    `tfjs's Prelu gradient picks its branch with tf.greater, and ${GREATER}`,
    "throws",
  ),
  nested(
    "relu6",
    `tfjs's Relu6 gradient masks with tf.lessEqual, and ${LESS_EQUAL}`,
    "throws",
  ),
  nested(
    "elu",
    `tfjs's Elu gradient is the EluGrad kernel of the saved output, which has no gradient (for α ≠ 1, tf.minimum's gradient also masks with tf.lessEqual, and ${LESS_EQUAL})`,
    "throws",
  ),
  nested(
    "selu",
    `tfjs's Selu gradient picks its branch with tf.greater, and ${GREATER}`,
    "throws",
  ),
  nested(
    "celu",
    `tf.minimum's gradient masks with tf.lessEqual and tf.elu's gradient is the EluGrad kernel; tfjs has a gradient for neither`,
    "throws",
  ),
  nested(
    "sigmoid",
    `tfjs's Sigmoid gradient ${SAVED_OUTPUT}, so nested tf.grad finds no path from x`,
    "throws",
  ),
  nested(
    "hardSigmoid",
    `tfjs's Relu6 gradient masks with tf.lessEqual, and ${LESS_EQUAL}`,
    "throws",
  ),
  nested(
    "tanh",
    `tfjs's Tanh gradient ${SAVED_OUTPUT}, so nested tf.grad finds no path from x`,
    "throws",
  ),
  nested(
    "hardTanh",
    "tfjs's ClipByValue gradient masks with tf.logicalAnd of tf.greaterEqual and tf.lessEqual, none of which has a gradient",
    "throws",
  ),
  {
    ...nested(
      "gelu",
      `with approximate = "tanh" only: nested tf.grad returns a wrong value without an error, because tfjs's Tanh gradient ${SAVED_OUTPUT} and the term through it is dropped`,
      "wrong",
    ),
    applies: (p) => p.approximate === "tanh",
    when: { approximate: "tanh" },
  },
  {
    ...nested(
      "swish",
      `with β ≠ 0 only: nested tf.grad returns a wrong value without an error, because tfjs's Sigmoid gradient ${SAVED_OUTPUT} and the term through it (a multiple of β) is dropped`,
      "wrong",
    ),
    // At β = 0 swish is x/2 and the dropped term is 0: tfjs is right there.
    applies: (p) => p.beta !== 0,
  },
  nested(
    "silu",
    `nested tf.grad returns a wrong value without an error, because tfjs's Sigmoid gradient ${SAVED_OUTPUT} and the term through it is dropped`,
    "wrong",
  ),
  nested(
    "mish",
    `nested tf.grad returns a wrong value without an error, because tfjs's Tanh gradient ${SAVED_OUTPUT} and the term through it is dropped`,
    "wrong",
  ),
  nested(
    "hardSwish",
    `tfjs's Relu6 gradient masks with tf.lessEqual, and ${LESS_EQUAL}`,
    "throws",
  ),
  nested(
    "tanhshrink",
    `x − tanh x: tfjs's Tanh gradient ${SAVED_OUTPUT}, so nested tf.grad finds no path from x`,
    "throws",
  ),
  nested(
    "threshold",
    `tf.where's gradient masks dy with its condition, tf.lessEqual(x, threshold), and ${LESS_EQUAL}`,
    "throws",
  ),
];
