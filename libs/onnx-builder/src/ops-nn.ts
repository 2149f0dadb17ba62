/** Neural-network ops: matmul, conv, pooling, resize, softmax, reductions, normalisation. */
import { attr } from './attributes';
import { IntsOperand, TensorOps } from './ops-tensor';
import { Value } from './types';

export interface ConvOptions {
  strides?: readonly number[];
  pads?: readonly number[];
  dilations?: readonly number[];
  group?: number;
}

export interface PoolOptions {
  kernel: readonly number[];
  strides?: readonly number[];
  pads?: readonly number[];
  /** AvgPool: count the zero padding in the divisor (default false: border windows are averages of real pixels). */
  countIncludePad?: boolean;
}

export interface ResizeOptions {
  /** Output size of every axis (e.g. [B, C, H, W] as an int64 value, or fixed numbers). */
  sizes?: IntsOperand;
  /** Scale of every axis (floats). */
  scales?: readonly number[];
  mode?: 'nearest' | 'linear' | 'cubic';
  coordinateTransformationMode?: 'half_pixel' | 'align_corners' | 'asymmetric' | 'pytorch_half_pixel';
  nearestMode?: 'round_prefer_floor' | 'floor' | 'ceil';
}

export class NnOps extends TensorOps {
  matmul(a: Value, b: Value): Value {
    return this.op('MatMul', [a, b]);
  }

  /** Gemm: alpha * A' B' + beta * C. */
  gemm(a: Value, b: Value, c?: Value, opts: { transA?: boolean; transB?: boolean } = {}): Value {
    return this.op('Gemm', c ? [a, b, c] : [a, b], {
      transA: opts.transA ? attr.int(1) : undefined,
      transB: opts.transB ? attr.int(1) : undefined,
    });
  }

  conv(x: Value, w: Value, b?: Value, opts: ConvOptions = {}): Value {
    return this.op('Conv', b ? [x, w, b] : [x, w], {
      strides: opts.strides ? attr.ints(opts.strides) : undefined,
      pads: opts.pads ? attr.ints(opts.pads) : undefined,
      dilations: opts.dilations ? attr.ints(opts.dilations) : undefined,
      group: opts.group !== undefined ? attr.int(opts.group) : undefined,
    });
  }

  convTranspose(x: Value, w: Value, b?: Value, opts: ConvOptions = {}): Value {
    return this.op('ConvTranspose', b ? [x, w, b] : [x, w], {
      strides: opts.strides ? attr.ints(opts.strides) : undefined,
      pads: opts.pads ? attr.ints(opts.pads) : undefined,
      group: opts.group !== undefined ? attr.int(opts.group) : undefined,
    });
  }

  private poolAttrs(opts: PoolOptions) {
    return {
      kernel_shape: attr.ints(opts.kernel),
      strides: opts.strides ? attr.ints(opts.strides) : undefined,
      pads: opts.pads ? attr.ints(opts.pads) : undefined,
    };
  }

  avgPool(x: Value, opts: PoolOptions): Value {
    return this.op('AveragePool', [x], {
      ...this.poolAttrs(opts),
      count_include_pad: opts.countIncludePad ? attr.int(1) : undefined,
    });
  }

  maxPool(x: Value, opts: PoolOptions): Value {
    return this.op('MaxPool', [x], this.poolAttrs(opts));
  }

  globalAveragePool(x: Value): Value {
    return this.op('GlobalAveragePool', [x]);
  }

  resize(x: Value, opts: ResizeOptions): Value {
    if ((opts.sizes === undefined) === (opts.scales === undefined))
      throw new Error('resize: give exactly one of sizes / scales');
    const inputs = [x, '', opts.scales ? this.const(opts.scales) : ''];
    if (opts.sizes !== undefined) inputs.push(this.ints(opts.sizes));
    return this.op('Resize', inputs, {
      mode: attr.string(opts.mode ?? 'nearest'),
      coordinate_transformation_mode: attr.string(opts.coordinateTransformationMode ?? 'half_pixel'),
      nearest_mode: opts.nearestMode ? attr.string(opts.nearestMode) : undefined,
    });
  }

  softmax(x: Value, axis = -1): Value {
    return this.op('Softmax', [x], { axis: attr.int(axis) });
  }

  /** ReduceSum takes its axes as an input from opset 13. */
  reduceSum(x: Value, axes: readonly number[], keepdims = true): Value {
    return this.op('ReduceSum', [x, this.constI64(axes)], { keepdims: attr.int(keepdims ? 1 : 0) });
  }

  /** The other reductions take `axes` as an attribute up to opset 17. */
  private reduceAttr(op: string, x: Value, axes: readonly number[], keepdims: boolean): Value {
    return this.op(op, [x], { axes: attr.ints(axes), keepdims: attr.int(keepdims ? 1 : 0) });
  }

  reduceMean(x: Value, axes: readonly number[], keepdims = true): Value {
    return this.reduceAttr('ReduceMean', x, axes, keepdims);
  }
  reduceMax(x: Value, axes: readonly number[], keepdims = true): Value {
    return this.reduceAttr('ReduceMax', x, axes, keepdims);
  }
  reduceMin(x: Value, axes: readonly number[], keepdims = true): Value {
    return this.reduceAttr('ReduceMin', x, axes, keepdims);
  }
  reduceProd(x: Value, axes: readonly number[], keepdims = true): Value {
    return this.reduceAttr('ReduceProd', x, axes, keepdims);
  }
  reduceSumSquare(x: Value, axes: readonly number[], keepdims = true): Value {
    return this.reduceAttr('ReduceSumSquare', x, axes, keepdims);
  }
  reduceLogSumExp(x: Value, axes: readonly number[], keepdims = true): Value {
    return this.reduceAttr('ReduceLogSumExp', x, axes, keepdims);
  }

  /** LayerNormalization over the trailing axes from `axis` (opset 17). */
  layerNorm(x: Value, scale: Value, bias: Value, axis = -1, epsilon = 1e-5): Value {
    return this.op('LayerNormalization', [x, scale, bias], { axis: attr.int(axis), epsilon: attr.float(epsilon) });
  }

  einsum(equation: string, ...xs: Value[]): Value {
    return this.op('Einsum', xs, { equation: attr.string(equation) });
  }
}
