// A small builder for ONNX graphs of elementwise expressions: each call adds
// one node and returns the name of its output.

import type {
  Attribute,
  OnnxConstant,
  OnnxGraph,
  OnnxNode,
  OnnxValue,
} from "./_onnx.ts";

/** A value in a graph under construction: its name. */
export type V = string;

/** Builds one ONNX graph. */
export class GraphBuilder {
  readonly #nodes: OnnxNode[] = [];
  readonly #constants: OnnxConstant[] = [];
  readonly #scalars = new Map<number, V>();
  readonly #inputs: OnnxValue[] = [];
  readonly #outputs: OnnxValue[] = [];
  #next = 0;

  /** Declares a float32 input. */
  input(name: string, dims: readonly (number | string)[]): V {
    this.#inputs.push({ name, dims });
    return name;
  }

  /** Declares `value` as the float32 output `name`. */
  output(name: string, value: V, dims: readonly (number | string)[]): void {
    this.node("Identity", [value], {}, name);
    this.#outputs.push({ name, dims });
  }

  /** A float32 scalar constant (one initializer per value). */
  c(value: number): V {
    const key = Object.is(value, -0) ? NaN : value; // keep −0 apart from 0
    let name = this.#scalars.get(key);
    if (name === undefined) {
      name = `c${this.#scalars.size}`;
      this.#constants.push({ name, value });
      this.#scalars.set(key, name);
    }
    return name;
  }

  /** An int64 vector constant. */
  ints(values: readonly number[]): V {
    const name = `i${this.#next++}`;
    this.#constants.push({ name, value: { int64: values } });
    return name;
  }

  /** One node; returns its (first) output. */
  node(
    op: string,
    inputs: readonly V[],
    attributes: Readonly<Record<string, Attribute>> = {},
    output?: string,
  ): V {
    const out = output ?? `v${this.#next++}`;
    this.#nodes.push({ op, inputs, outputs: [out], attributes });
    return out;
  }

  add(a: V, b: V): V {
    return this.node("Add", [a, b]);
  }
  sub(a: V, b: V): V {
    return this.node("Sub", [a, b]);
  }
  mul(a: V, b: V): V {
    return this.node("Mul", [a, b]);
  }
  div(a: V, b: V): V {
    return this.node("Div", [a, b]);
  }
  neg(a: V): V {
    return this.node("Neg", [a]);
  }
  exp(a: V): V {
    return this.node("Exp", [a]);
  }
  log(a: V): V {
    return this.node("Log", [a]);
  }
  sigmoid(a: V): V {
    return this.node("Sigmoid", [a]);
  }
  greater(a: V, b: V): V {
    return this.node("Greater", [a, b]);
  }
  less(a: V, b: V): V {
    return this.node("Less", [a, b]);
  }
  lessEq(a: V, b: V): V {
    return this.node("LessOrEqual", [a, b]);
  }
  and(a: V, b: V): V {
    return this.node("And", [a, b]);
  }
  equal(a: V, b: V): V {
    return this.node("Equal", [a, b]);
  }
  where(cond: V, a: V, b: V): V {
    return this.node("Where", [cond, a, b]);
  }
  /** NaN where x is NaN, otherwise `e`: for formulas that would lose a NaN. */
  keepNaN(x: V, e: V): V {
    return this.where(this.node("IsNaN", [x]), x, e);
  }
  /** clamp(a, lo, hi) by Clip. */
  clip(a: V, lo: number, hi: number): V {
    return this.node("Clip", [a, this.c(lo), this.c(hi)]);
  }

  /** The graph. */
  build(): OnnxGraph {
    return {
      inputs: this.#inputs,
      outputs: this.#outputs,
      constants: this.#constants,
      nodes: this.#nodes,
    };
  }
}
