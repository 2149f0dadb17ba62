/** @masklet/onnx-builder: typed construction of ONNX graphs (opset 17, IR 8) over onnx-proto. */
export { GraphBuilder } from './graph-builder';
export { GraphCore, NameTable, OPSET, IR_VERSION, type ModelOptions } from './graph-core';
export { attr, type Attr, type Attrs } from './attributes';
export { makeTensor, makeValueInfo, toInt64, numel, type TensorData } from './tensor';
export type { Operand } from './ops-math';
export type { IntsOperand } from './ops-tensor';
export type { ConvOptions, PoolOptions, ResizeOptions } from './ops-nn';
export { type Value, type Dim, type ElemType, DATA_TYPE } from './types';
export { Rng } from './rng';
