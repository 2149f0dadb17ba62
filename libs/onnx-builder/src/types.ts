/** Shared vocabulary of the builder: value names, dimensions and element types. */

/** The name of a value (tensor) in the graph; every op helper returns one. */
export type Value = string;

/** A dimension: a fixed size, or a symbolic name for a dynamic axis ('B', 'P', ...). */
export type Dim = number | string;

/** Element types the builder declares for graph inputs, outputs and constants. */
export type ElemType = 'float' | 'int64' | 'bool' | 'int32';

/** onnx.TensorProto.DataType codes for each element type. */
export const DATA_TYPE: Record<ElemType, number> = {
  float: 1,
  int32: 6,
  int64: 7,
  bool: 9,
};
