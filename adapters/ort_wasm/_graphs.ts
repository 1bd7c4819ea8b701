// The ONNX model of one op, feature, parameter set and input rank.

import { type OpName, ops } from "@nonlin/core";
import { GraphBuilder, type V } from "./_graph.ts";
import { encodeModel } from "./_onnx.ts";
import { OPSET, ortOps } from "./_ops.ts";

/** What a model computes. */
export type GraphFeature = "forward" | "derivative" | "vjp";

/** A parameter as the model builder sees it: a value, or a tensor's shape. */
export type GraphParam = number | string | {
  readonly shape: readonly number[];
};

/** A model and the names of its inputs and outputs, in order. */
export interface BuiltModel {
  /** The ONNX bytes. */
  readonly bytes: Uint8Array;
  /** Input names: `x`, then `dy` for a VJP, then tensor parameters. */
  readonly inputs: readonly string[];
  /** Output names: `y`, or `dx` then one per learned parameter. */
  readonly outputs: readonly string[];
}

/** The cache key of a model. */
export function modelKey(
  op: OpName,
  feature: GraphFeature,
  p: Readonly<Record<string, GraphParam>>,
  rank: number,
): string {
  const parts = Object.entries(p).map(([k, v]) =>
    `${k}=${
      typeof v === "object"
        ? `[${v.shape.join("x")}]`
        : typeof v === "number"
        ? (Object.is(v, -0) ? "-0" : String(v))
        : v
    }`
  );
  return `${op}/${feature}/r${rank}/${parts.join(",")}`;
}

/**
 * Sums `t` (x's shape) down to a parameter's shape: every element for a
 * number (0-d), the broadcast dimensions for a tensor.
 */
function reduceTo(
  g: GraphBuilder,
  t: V,
  rank: number,
  shape: readonly number[] | undefined,
): V {
  if (shape === undefined) {
    return g.node("ReduceSum", [t], { keepdims: { i: 0 } });
  }
  const lead = rank - shape.length;
  const axes = [
    ...Array.from({ length: lead }, (_, i) => i),
    ...shape.flatMap((d, i) => (d === 1 ? [lead + i] : [])),
  ];
  if (axes.length === 0) return t;
  const summed = g.node("ReduceSum", [t, g.ints(axes)], { keepdims: { i: 1 } });
  return g.node("Reshape", [summed, g.ints(shape)]);
}

/**
 * Builds the model of one op and feature.
 *
 * @param op The op.
 * @param feature What the model computes.
 * @param p The resolved parameters (tensor parameters by shape).
 * @param rank x's rank: x and dy have symbolic dims.
 */
export function buildModel(
  op: OpName,
  feature: GraphFeature,
  p: Readonly<Record<string, GraphParam>>,
  rank: number,
): BuiltModel {
  const g = new GraphBuilder();
  const dims = Array.from({ length: rank }, (_, i) => `d${i}`);
  const x = g.input("x", dims);
  const inputs = ["x"];
  const dy = feature === "vjp" ? g.input("dy", dims) : undefined;
  if (dy !== undefined) inputs.push("dy");
  const q: Record<string, number | string | { input: V }> = {};
  for (const [k, v] of Object.entries(p)) {
    if (typeof v === "object") {
      q[k] = { input: g.input(k, v.shape) };
      inputs.push(k);
    } else {
      q[k] = v;
    }
  }
  const spec = ortOps[op];
  const outputs: string[] = [];
  if (feature === "forward") {
    g.output("y", spec.f(g, x, q), dims);
    outputs.push("y");
  } else if (feature === "derivative") {
    g.output("y", spec.df(g, x, q), dims);
    outputs.push("y");
  } else {
    g.output("dx", g.mul(dy!, spec.df(g, x, q)), dims);
    outputs.push("dx");
    for (const [k, s] of Object.entries(ops[op].params)) {
      if (!s.learned) continue;
      const v = p[k];
      const shape = typeof v === "object" ? v.shape : undefined;
      const term = g.mul(dy!, spec.dp[k]!(g, x, q));
      g.output(`d_${k}`, reduceTo(g, term, rank, shape), shape ?? []);
      outputs.push(`d_${k}`);
    }
  }
  return { bytes: encodeModel(g.build(), OPSET), inputs, outputs };
}
