/**
 * One ONNX graph of the contract. Callers speak logical names (models/README.md); the manifest maps
 * them to the graph's own names, so real exports plug in without renaming.
 */
import * as ort from 'onnxruntime-node';
import { RoleName, RoleSpec, ROLE_IO } from '../manifest/manifest-schema';
import { RoleTimings } from './role-timings';

export class RoleSession {
  private readonly inputNames: Record<string, string>;
  private readonly outputNames: Record<string, string>;

  constructor(
    readonly role: RoleName,
    private readonly session: ort.InferenceSession,
    spec: RoleSpec,
    private readonly timings: RoleTimings,
  ) {
    this.inputNames = spec.inputs;
    this.outputNames = spec.outputs;
    const graphInputs = new Set(session.inputNames);
    const graphOutputs = new Set(session.outputNames);
    for (const logical of ROLE_IO[role].inputs) {
      const actual = this.inputNames[logical] ?? logical;
      if (!graphInputs.has(actual))
        throw new Error(
          `role ${role}: graph has no input "${actual}" (logical ${logical}); it has ${[...graphInputs].join(', ')}`,
        );
    }
    for (const logical of ROLE_IO[role].outputs) {
      const actual = this.outputNames[logical] ?? logical;
      if (!graphOutputs.has(actual))
        throw new Error(
          `role ${role}: graph has no output "${actual}" (logical ${logical}); it has ${[...graphOutputs].join(', ')}`,
        );
    }
  }

  async run<K extends string>(
    feeds: Record<string, ort.Tensor>,
    outputs: readonly K[],
  ): Promise<Record<K, ort.Tensor>> {
    const graphFeeds: Record<string, ort.Tensor> = {};
    for (const [logical, tensor] of Object.entries(feeds)) graphFeeds[this.inputNames[logical] ?? logical] = tensor;
    const started = performance.now();
    const result = await this.session.run(graphFeeds);
    this.timings.record(this.role, performance.now() - started);
    const out = {} as Record<K, ort.Tensor>;
    for (const logical of outputs) {
      const tensor = result[this.outputNames[logical] ?? logical];
      if (!tensor) throw new Error(`role ${this.role}: output ${logical} missing from the graph's results`);
      out[logical] = tensor;
    }
    return out;
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}
