/** Element-wise arithmetic, comparison and logic ops (numpy broadcasting, as ONNX defines). */
import { attr } from './attributes';
import { GraphCore } from './graph-core';
import { DATA_TYPE, ElemType, Value } from './types';

/** A value, or a number that becomes a float scalar constant. */
export type Operand = Value | number;

export class MathOps extends GraphCore {
  protected v(x: Operand): Value {
    return typeof x === 'number' ? this.scalar(x) : x;
  }

  private bin(op: string, a: Operand, b: Operand): Value {
    return this.op(op, [this.v(a), this.v(b)]);
  }

  add(a: Operand, b: Operand): Value {
    return this.bin('Add', a, b);
  }
  sub(a: Operand, b: Operand): Value {
    return this.bin('Sub', a, b);
  }
  mul(a: Operand, b: Operand): Value {
    return this.bin('Mul', a, b);
  }
  div(a: Operand, b: Operand): Value {
    return this.bin('Div', a, b);
  }
  pow(a: Operand, b: Operand): Value {
    return this.bin('Pow', a, b);
  }

  /** Sum of several values (one n-ary Sum node). */
  sum(...xs: Operand[]): Value {
    return xs.length === 1
      ? this.v(xs[0]!)
      : this.op(
          'Sum',
          xs.map((x) => this.v(x)),
        );
  }
  /** Element-wise maximum / minimum of several values. */
  max(...xs: Operand[]): Value {
    return this.op(
      'Max',
      xs.map((x) => this.v(x)),
    );
  }
  min(...xs: Operand[]): Value {
    return this.op(
      'Min',
      xs.map((x) => this.v(x)),
    );
  }

  neg(x: Value): Value {
    return this.op('Neg', [x]);
  }
  abs(x: Value): Value {
    return this.op('Abs', [x]);
  }
  exp(x: Value): Value {
    return this.op('Exp', [x]);
  }
  log(x: Value): Value {
    return this.op('Log', [x]);
  }
  sqrt(x: Value): Value {
    return this.op('Sqrt', [x]);
  }
  reciprocal(x: Value): Value {
    return this.op('Reciprocal', [x]);
  }
  sigmoid(x: Value): Value {
    return this.op('Sigmoid', [x]);
  }
  relu(x: Value): Value {
    return this.op('Relu', [x]);
  }
  tanh(x: Value): Value {
    return this.op('Tanh', [x]);
  }
  erf(x: Value): Value {
    return this.op('Erf', [x]);
  }
  floor(x: Value): Value {
    return this.op('Floor', [x]);
  }
  ceil(x: Value): Value {
    return this.op('Ceil', [x]);
  }
  sign(x: Value): Value {
    return this.op('Sign', [x]);
  }
  sin(x: Value): Value {
    return this.op('Sin', [x]);
  }
  cos(x: Value): Value {
    return this.op('Cos', [x]);
  }
  identity(x: Value): Value {
    return this.op('Identity', [x]);
  }

  /** x * x. */
  square(x: Value): Value {
    return this.op('Mul', [x, x]);
  }

  /** Clip to [lo, hi] (either bound may be omitted; float inputs). */
  clip(x: Value, lo?: number, hi?: number): Value {
    const inputs = [x, lo === undefined ? '' : this.scalar(lo)];
    if (hi !== undefined) inputs.push(this.scalar(hi));
    return this.op('Clip', inputs);
  }

  /** Gelu approximated with tanh (Gelu itself is opset 20). */
  gelu(x: Value): Value {
    const inner = this.mul(this.add(x, this.mul(this.mul(this.square(x), x), 0.044715)), Math.sqrt(2 / Math.PI));
    return this.mul(this.mul(x, 0.5), this.add(this.tanh(inner), 1));
  }

  greater(a: Operand, b: Operand): Value {
    return this.bin('Greater', a, b);
  }
  less(a: Operand, b: Operand): Value {
    return this.bin('Less', a, b);
  }
  greaterOrEqual(a: Operand, b: Operand): Value {
    return this.bin('GreaterOrEqual', a, b);
  }
  lessOrEqual(a: Operand, b: Operand): Value {
    return this.bin('LessOrEqual', a, b);
  }
  equal(a: Operand, b: Operand): Value {
    return this.bin('Equal', a, b);
  }
  not(x: Value): Value {
    return this.op('Not', [x]);
  }
  and(a: Value, b: Value): Value {
    return this.op('And', [a, b]);
  }
  or(a: Value, b: Value): Value {
    return this.op('Or', [a, b]);
  }

  /** cond ? a : b (element-wise, broadcasting). */
  where(cond: Value, a: Operand, b: Operand): Value {
    return this.op('Where', [cond, this.v(a), this.v(b)]);
  }

  cast(x: Value, to: ElemType): Value {
    return this.op('Cast', [x], { to: attr.int(DATA_TYPE[to]) });
  }

  /** A boolean turned into 0/1 floats. */
  toFloat(x: Value): Value {
    return this.cast(x, 'float');
  }
}
