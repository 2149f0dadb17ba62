/** Shape and data-movement ops: reshape, transpose, concat, slice, gather, expand, ... (opset 17 forms). */
import { attr } from './attributes';
import { MathOps } from './ops-math';
import { Value } from './types';

/** A shape / index list given either as a value (int64 tensor) or as literal integers. */
export type IntsOperand = Value | readonly number[];

export class TensorOps extends MathOps {
  protected ints(x: IntsOperand): Value {
    return typeof x === 'string' ? x : this.constI64(x);
  }

  /** Reshape; 0 copies the input dimension, -1 is inferred. */
  reshape(x: Value, shape: IntsOperand): Value {
    return this.op('Reshape', [x, this.ints(shape)]);
  }

  transpose(x: Value, perm: readonly number[]): Value {
    return this.op('Transpose', [x], { perm: attr.ints(perm) });
  }

  concat(xs: readonly Value[], axis: number): Value {
    return xs.length === 1 ? xs[0]! : this.op('Concat', xs, { axis: attr.int(axis) });
  }

  /** Slice along `axes` (inputs form, opset 13+). */
  slice(x: Value, starts: IntsOperand, ends: IntsOperand, axes?: readonly number[], steps?: readonly number[]): Value {
    const inputs = [x, this.ints(starts), this.ints(ends)];
    if (axes) inputs.push(this.constI64(axes));
    if (steps) {
      if (!axes) throw new Error('slice: steps need axes');
      inputs.push(this.constI64(steps));
    }
    return this.op('Slice', inputs);
  }

  /** Channels [from, to) of axis `axis` (a one-axis slice). */
  narrow(x: Value, axis: number, from: number, to: number): Value {
    return this.slice(x, [from], [to], [axis]);
  }

  /** Split into pieces of the given sizes along `axis` (sizes as input, opset 13+). */
  split(x: Value, sizes: readonly number[], axis: number): Value[] {
    return this.node('Split', [x, this.constI64(sizes)], { axis: attr.int(axis) }, sizes.length);
  }

  gather(x: Value, indices: IntsOperand, axis = 0): Value {
    return this.op('Gather', [x, this.ints(indices)], { axis: attr.int(axis) });
  }

  /** Scalar index gather: drops the axis (indices given as a rank-0 tensor). */
  gatherScalar(x: Value, index: number, axis = 0): Value {
    return this.op('Gather', [x, this.constI64([index], [])], { axis: attr.int(axis) });
  }

  expand(x: Value, shape: IntsOperand): Value {
    return this.op('Expand', [x, this.ints(shape)]);
  }

  tile(x: Value, repeats: IntsOperand): Value {
    return this.op('Tile', [x, this.ints(repeats)]);
  }

  unsqueeze(x: Value, axes: readonly number[]): Value {
    return this.op('Unsqueeze', [x, this.constI64(axes)]);
  }

  squeeze(x: Value, axes: readonly number[]): Value {
    return this.op('Squeeze', [x, this.constI64(axes)]);
  }

  flatten(x: Value, axis = 1): Value {
    return this.op('Flatten', [x], { axis: attr.int(axis) });
  }

  /** The int64 shape of x, optionally sliced to [start, end). */
  shape(x: Value, start?: number, end?: number): Value {
    const attrs = {
      start: start === undefined ? undefined : attr.int(start),
      end: end === undefined ? undefined : attr.int(end),
    };
    return this.op('Shape', [x], attrs);
  }

  /** A float tensor of the given (dynamic) shape filled with `value`. */
  constantOfShape(shape: IntsOperand, value = 0): Value {
    return this.op('ConstantOfShape', [this.ints(shape)], {
      value: attr.tensor({ dims: [1], dataType: 1, rawData: new Uint8Array(Float32Array.of(value).buffer) }),
    });
  }

  /** Zero padding / edge padding (pads: [x1_begin, x2_begin, ..., x1_end, x2_end, ...]). */
  pad(x: Value, pads: readonly number[], mode: 'constant' | 'edge' | 'reflect' = 'constant', value = 0): Value {
    const inputs = [x, this.constI64(pads)];
    if (mode === 'constant') inputs.push(this.scalar(value));
    return this.op('Pad', inputs, { mode: attr.string(mode) });
  }

  /** Index of the maximum along `axis` (int64). */
  argMax(x: Value, axis: number, keepdims = true): Value {
    return this.op('ArgMax', [x], { axis: attr.int(axis), keepdims: attr.int(keepdims ? 1 : 0) });
  }

  /** Depth-to-space pixel shuffle (DCR mode). */
  depthToSpace(x: Value, blocksize: number): Value {
    return this.op('DepthToSpace', [x], { blocksize: attr.int(blocksize), mode: attr.string('DCR') });
  }
}
