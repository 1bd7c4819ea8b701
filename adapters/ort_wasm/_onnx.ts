// ONNX models built in code: the messages of onnx.proto that a graph of
// elementwise ops needs, encoded with protobufjs.
//
// The schema below is a subset of ONNX's own onnx.proto (IR version 10,
// https://github.com/onnx/onnx/blob/v1.17.0/onnx/onnx.proto), copied field
// for field with the same names and numbers; ONNX Runtime parses the bytes
// with the full schema, and a field it does not know would be an error there.

import protobuf from "protobufjs";

const SCHEMA = `
syntax = "proto2";
package onnx;
message AttributeProto {
  enum AttributeType { UNDEFINED = 0; FLOAT = 1; INT = 2; STRING = 3; TENSOR = 4; GRAPH = 5; FLOATS = 6; INTS = 7; STRINGS = 8; }
  optional string name = 1;
  optional float f = 2;
  optional int64 i = 3;
  optional bytes s = 4;
  optional TensorProto t = 5;
  repeated float floats = 7;
  repeated int64 ints = 8;
  optional AttributeType type = 20;
}
message ValueInfoProto {
  optional string name = 1;
  optional TypeProto type = 2;
}
message NodeProto {
  repeated string input = 1;
  repeated string output = 2;
  optional string name = 3;
  optional string op_type = 4;
  repeated AttributeProto attribute = 5;
  optional string domain = 7;
}
message ModelProto {
  optional int64 ir_version = 1;
  optional string producer_name = 2;
  optional string producer_version = 3;
  optional GraphProto graph = 7;
  repeated OperatorSetIdProto opset_import = 8;
}
message GraphProto {
  repeated NodeProto node = 1;
  optional string name = 2;
  repeated TensorProto initializer = 5;
  repeated ValueInfoProto input = 11;
  repeated ValueInfoProto output = 12;
}
message TensorProto {
  enum DataType { UNDEFINED = 0; FLOAT = 1; INT64 = 7; BOOL = 9; }
  repeated int64 dims = 1;
  optional int32 data_type = 2;
  repeated float float_data = 4 [packed = true];
  repeated int64 int64_data = 7 [packed = true];
  optional string name = 8;
}
message TensorShapeProto {
  message Dimension {
    oneof value {
      int64 dim_value = 1;
      string dim_param = 2;
    }
  }
  repeated Dimension dim = 1;
}
message TypeProto {
  message Tensor {
    optional int32 elem_type = 1;
    optional TensorShapeProto shape = 2;
  }
  oneof value {
    Tensor tensor_type = 1;
  }
}
message OperatorSetIdProto {
  optional string domain = 1;
  optional int64 version = 2;
}
`;

const root = protobuf.parse(SCHEMA).root;
const Model = root.lookupType("onnx.ModelProto");

/** ONNX's element type code for float32 (TensorProto.DataType.FLOAT). */
export const FLOAT = 1;
/** ONNX's element type code for int64. */
export const INT64 = 7;

/** An ONNX attribute value: a float, an int, or a list of ints. */
export type Attribute =
  | { readonly f: number }
  | { readonly i: number }
  | { readonly ints: readonly number[] }
  | { readonly s: string };

/** One ONNX node. */
export interface OnnxNode {
  /** The operator, e.g. `"Sigmoid"`. */
  readonly op: string;
  /** Input value names. */
  readonly inputs: readonly string[];
  /** Output value names. */
  readonly outputs: readonly string[];
  /** Attributes by name. */
  readonly attributes?: Readonly<Record<string, Attribute>>;
}

/** A constant of a graph: a float32 scalar or an int64 vector. */
export interface OnnxConstant {
  /** Its value name. */
  readonly name: string;
  /** float32 scalar value, or int64 vector. */
  readonly value: number | { readonly int64: readonly number[] };
}

/** A graph input or output: a float32 tensor of fixed rank, free dims. */
export interface OnnxValue {
  /** Its name. */
  readonly name: string;
  /** Its dims: a number, or a symbolic name. */
  readonly dims: readonly (number | string)[];
}

/** A whole graph. */
export interface OnnxGraph {
  readonly inputs: readonly OnnxValue[];
  readonly outputs: readonly OnnxValue[];
  readonly constants: readonly OnnxConstant[];
  readonly nodes: readonly OnnxNode[];
}

function attribute(name: string, a: Attribute): Record<string, unknown> {
  if ("f" in a) return { name, type: 1, f: a.f };
  if ("i" in a) return { name, type: 2, i: a.i };
  if ("s" in a) return { name, type: 3, s: new TextEncoder().encode(a.s) };
  return { name, type: 7, ints: [...a.ints] };
}

function valueInfo(v: OnnxValue): Record<string, unknown> {
  return {
    name: v.name,
    type: {
      tensorType: {
        elemType: FLOAT,
        shape: {
          dim: v.dims.map((d) =>
            typeof d === "number" ? { dimValue: d } : { dimParam: d }
          ),
        },
      },
    },
  };
}

/**
 * Encodes a graph as an ONNX model (IR version 10, default domain at
 * `opset`).
 *
 * @param graph The graph.
 * @param opset The ai.onnx opset version.
 * @returns The model's bytes, for `InferenceSession.create`.
 */
export function encodeModel(graph: OnnxGraph, opset: number): Uint8Array {
  const message = Model.fromObject({
    irVersion: 10,
    producerName: "nonlin",
    opsetImport: [{ domain: "", version: opset }],
    graph: {
      name: "nonlin",
      node: graph.nodes.map((n, k) => ({
        input: [...n.inputs],
        output: [...n.outputs],
        name: `n${k}`,
        opType: n.op,
        attribute: Object.entries(n.attributes ?? {}).map(([name, a]) =>
          attribute(name, a)
        ),
      })),
      initializer: graph.constants.map((c) =>
        typeof c.value === "number"
          ? { name: c.name, dataType: FLOAT, dims: [], floatData: [c.value] }
          : {
            name: c.name,
            dataType: INT64,
            dims: [c.value.int64.length],
            int64Data: [...c.value.int64],
          }
      ),
      input: graph.inputs.map(valueInfo),
      output: graph.outputs.map(valueInfo),
    },
  });
  return Model.encode(message).finish();
}
