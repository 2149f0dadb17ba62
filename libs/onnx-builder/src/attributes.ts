/** Typed node attributes: the ONNX attribute kind is explicit, so 1 and 1.0 never get confused. */
import { onnx } from 'onnx-proto';
import type { GraphProtoLike } from './tensor';

export type Attr =
  | { kind: 'int'; value: number }
  | { kind: 'float'; value: number }
  | { kind: 'ints'; value: readonly number[] }
  | { kind: 'floats'; value: readonly number[] }
  | { kind: 'string'; value: string }
  | { kind: 'tensor'; value: onnx.ITensorProto }
  | { kind: 'graph'; value: GraphProtoLike };

export type Attrs = Record<string, Attr | undefined>;

export const attr = {
  int: (value: number): Attr => ({ kind: 'int', value }),
  float: (value: number): Attr => ({ kind: 'float', value }),
  ints: (value: readonly number[]): Attr => ({ kind: 'ints', value }),
  floats: (value: readonly number[]): Attr => ({ kind: 'floats', value }),
  string: (value: string): Attr => ({ kind: 'string', value }),
  tensor: (value: onnx.ITensorProto): Attr => ({ kind: 'tensor', value }),
  graph: (value: GraphProtoLike): Attr => ({ kind: 'graph', value }),
};

const T = onnx.AttributeProto.AttributeType;

/** Encodes attributes in key order of the record; undefined entries are skipped. */
export function encodeAttrs(attrs: Attrs): onnx.IAttributeProto[] {
  const out: onnx.IAttributeProto[] = [];
  for (const [name, a] of Object.entries(attrs)) {
    if (!a) continue;
    switch (a.kind) {
      case 'int':
        if (!Number.isInteger(a.value)) throw new Error(`attribute ${name}: ${a.value} is not an integer`);
        out.push({ name, type: T.INT, i: a.value });
        break;
      case 'float':
        out.push({ name, type: T.FLOAT, f: a.value });
        break;
      case 'ints':
        out.push({ name, type: T.INTS, ints: [...a.value] });
        break;
      case 'floats':
        out.push({ name, type: T.FLOATS, floats: [...a.value] });
        break;
      case 'string':
        out.push({ name, type: T.STRING, s: new TextEncoder().encode(a.value) });
        break;
      case 'tensor':
        out.push({ name, type: T.TENSOR, t: a.value });
        break;
      case 'graph':
        out.push({ name, type: T.GRAPH, g: a.value });
        break;
    }
  }
  return out;
}
