/** TensorProto construction with little-endian raw data (deterministic bytes). */
import { onnx } from 'onnx-proto';
import { DATA_TYPE, Dim, ElemType } from './types';

export type GraphProtoLike = onnx.IGraphProto;

/** Data accepted for a constant: float32 or int64 (bigint or plain integers). */
export type TensorData = Float32Array | BigInt64Array | Int32Array | Uint8Array;

export function numel(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

function rawBytes(data: TensorData): Uint8Array {
  // Node runs on little-endian hosts only in practice; assert so the bytes are the ONNX layout.
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) throw new Error('big-endian hosts are not supported');
  return new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
}

export function elemTypeOf(data: TensorData): ElemType {
  if (data instanceof Float32Array) return 'float';
  if (data instanceof BigInt64Array) return 'int64';
  if (data instanceof Int32Array) return 'int32';
  return 'bool';
}

export function makeTensor(name: string, data: TensorData, dims: readonly number[]): onnx.ITensorProto {
  if (numel(dims) !== data.length) {
    throw new Error(`tensor ${name}: ${data.length} values do not fill dims [${dims.join(', ')}]`);
  }
  return { name, dims: [...dims], dataType: DATA_TYPE[elemTypeOf(data)], rawData: rawBytes(data) };
}

export function makeValueInfo(name: string, type: ElemType, dims?: readonly Dim[]): onnx.IValueInfoProto {
  const tensorType: onnx.TypeProto.ITensor = { elemType: DATA_TYPE[type] };
  if (dims) {
    tensorType.shape = {
      dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })),
    };
  }
  return { name, type: { tensorType } };
}

export function toInt64(values: readonly (number | bigint)[]): BigInt64Array {
  return BigInt64Array.from(values.map((v) => BigInt(v)));
}
