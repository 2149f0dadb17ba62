/** The public builder: every op helper, plus If subgraphs. */
import { attr } from './attributes';
import { NnOps } from './ops-nn';
import { Dim, ElemType, Value } from './types';

export class GraphBuilder extends NnOps {
  /**
   * If: runs `then` or `otherwise` (each builds a subgraph returning its outputs; outer values may be
   * used by name). Both branches must return the same number of outputs of matching types.
   */
  ifElse(
    cond: Value,
    then: (g: GraphBuilder) => Value[],
    otherwise: (g: GraphBuilder) => Value[],
    outTypes?: ElemType[],
    outDims?: (readonly Dim[] | undefined)[],
  ): Value[] {
    const branch = (label: string, fn: (g: GraphBuilder) => Value[]) => {
      const sub = new GraphBuilder(this.freshName(label), this.names);
      const outs = fn(sub);
      outs.forEach((o, i) => sub.declareOutput(sub.identity(o), outDims?.[i], outTypes?.[i] ?? 'float'));
      return { graph: sub.toGraph(), count: outs.length };
    };
    const a = branch('then', then);
    const b = branch('else', otherwise);
    if (a.count !== b.count) throw new Error(`ifElse: branches return ${a.count} and ${b.count} outputs`);
    return this.node('If', [cond], { then_branch: attr.graph(a.graph), else_branch: attr.graph(b.graph) }, a.count);
  }
}
