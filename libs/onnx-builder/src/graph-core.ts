/**
 * The graph under construction: inputs, outputs, initializers and nodes, with unique,
 * deterministic names (a counter per prefix). Op helpers live in the subclasses.
 */
import { onnx } from 'onnx-proto';
import { Attrs, encodeAttrs } from './attributes';
import { makeTensor, makeValueInfo, TensorData, toInt64 } from './tensor';
import { Dim, ElemType, Value } from './types';

export const OPSET = 17;
export const IR_VERSION = 8;

/** Name allocation shared by a graph and its subgraphs so that names never collide. */
export class NameTable {
  private readonly used = new Set<string>();
  private readonly counters = new Map<string, number>();

  reserve(name: string): string {
    if (this.used.has(name)) throw new Error(`name ${name} is already used in the graph`);
    this.used.add(name);
    return name;
  }

  fresh(prefix: string): string {
    let n = this.counters.get(prefix) ?? 0;
    let name: string;
    do name = `${prefix}_${n++}`;
    while (this.used.has(name));
    this.counters.set(prefix, n);
    this.used.add(name);
    return name;
  }
}

export interface ModelOptions {
  producer?: string;
  docString?: string;
}

export class GraphCore {
  protected readonly inputs: onnx.IValueInfoProto[] = [];
  protected readonly outputs: onnx.IValueInfoProto[] = [];
  protected readonly initializers: onnx.ITensorProto[] = [];
  protected readonly nodes: onnx.INodeProto[] = [];
  private readonly scopes: string[] = [];
  private readonly constCache = new Map<string, Value>();

  constructor(
    readonly name: string,
    protected readonly names: NameTable = new NameTable(),
  ) {}

  /** Declares a graph input; returns its value name (the same as `name`). */
  input(name: string, dims: readonly Dim[], type: ElemType = 'float'): Value {
    this.inputs.push(makeValueInfo(this.names.reserve(name), type, dims));
    return name;
  }

  /** Declares `value` as the graph output `name` (an Identity is inserted when the names differ). */
  output(name: string, value: Value, dims?: readonly Dim[], type: ElemType = 'float'): void {
    if (value !== name) this.node('Identity', [value], {}, 1, [this.names.reserve(name)]);
    this.declareOutput(name, dims, type);
  }

  /** Marks an existing value as a graph output under its own name. */
  protected declareOutput(name: Value, dims?: readonly Dim[], type: ElemType = 'float'): void {
    this.outputs.push(makeValueInfo(name, type, dims));
  }

  /** A named initializer (weights). */
  initializer(name: string, data: TensorData, dims: readonly number[]): Value {
    this.initializers.push(makeTensor(this.names.reserve(name), data, dims));
    return name;
  }

  /** An initializer under a fresh name derived from `prefix` (e.g. generated weights). */
  weight(prefix: string, data: TensorData, dims: readonly number[]): Value {
    const name = this.names.fresh(this.scoped(prefix));
    this.initializers.push(makeTensor(name, data, dims));
    return name;
  }

  /** A float constant with a fresh name; identical small constants are shared. */
  const(values: Float32Array | readonly number[], dims?: readonly number[]): Value {
    const data = values instanceof Float32Array ? values : Float32Array.from(values);
    return this.cachedConst('c', data, dims ?? [data.length]);
  }

  /** A float scalar constant (rank 0). */
  scalar(v: number): Value {
    return this.cachedConst('c', Float32Array.of(v), []);
  }

  /** An int64 constant (shapes, axes, indices). */
  constI64(values: readonly (number | bigint)[], dims?: readonly number[]): Value {
    return this.cachedConst('i', toInt64(values), dims ?? [values.length]);
  }

  private cachedConst(prefix: string, data: TensorData, dims: readonly number[]): Value {
    const key =
      data.length <= 64
        ? `${prefix}|${dims.join(',')}|${Array.from(data as ArrayLike<number | bigint>).join(',')}`
        : undefined;
    const hit = key !== undefined ? this.constCache.get(key) : undefined;
    if (hit) return hit;
    const name = this.names.fresh(this.scoped(prefix === 'c' ? 'const' : 'const_i64'));
    this.initializers.push(makeTensor(name, data, dims));
    if (key !== undefined) this.constCache.set(key, name);
    return name;
  }

  /** Runs `fn` with `prefix` prepended to generated names (readability of the exported graph). */
  scope<T>(prefix: string, fn: () => T): T {
    this.scopes.push(prefix);
    try {
      return fn();
    } finally {
      this.scopes.pop();
    }
  }

  private scoped(base: string): string {
    return this.scopes.length ? `${this.scopes.join('/')}/${base}` : base;
  }

  /** A fresh value name (e.g. for a node with several outputs). */
  freshName(base: string): string {
    return this.names.fresh(this.scoped(base));
  }

  /** Adds a node; returns its output value names. */
  node(
    opType: string,
    inputs: readonly Value[],
    attrs: Attrs = {},
    numOutputs = 1,
    outputNames?: readonly string[],
  ): Value[] {
    const base = opType.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
    const outs = outputNames
      ? [...outputNames]
      : Array.from({ length: numOutputs }, () => this.names.fresh(this.scoped(base)));
    this.nodes.push({
      name: this.names.fresh(this.scoped(`node_${base}`)),
      opType,
      input: [...inputs],
      output: outs,
      attribute: encodeAttrs(attrs),
    });
    return outs;
  }

  /** A node with exactly one output. */
  op(opType: string, inputs: readonly Value[], attrs: Attrs = {}): Value {
    return this.node(opType, inputs, attrs, 1)[0]!;
  }

  toGraph(): onnx.IGraphProto {
    return {
      name: this.name,
      node: this.nodes,
      initializer: this.initializers,
      input: this.inputs,
      output: this.outputs,
    };
  }

  toModel(opts: ModelOptions = {}): Uint8Array {
    const model: onnx.IModelProto = {
      irVersion: IR_VERSION,
      opsetImport: [{ domain: '', version: OPSET }],
      producerName: opts.producer ?? 'masklet-onnx-builder',
      producerVersion: '1',
      graph: this.toGraph(),
    };
    if (opts.docString) model.docString = opts.docString;
    return onnx.ModelProto.encode(onnx.ModelProto.create(model)).finish();
  }

  /** Count of nodes and initializer parameters (for logs and tests). */
  stats(): { nodes: number; parameters: number } {
    let parameters = 0;
    for (const t of this.initializers) parameters += (t.dims ?? []).reduce<number>((a, b) => a * Number(b), 1);
    return { nodes: this.nodes.length, parameters };
  }
}
