/**
 * A loaded SAM 2-family model: one session per role plus the constants, with typed calls in the
 * contract's shapes. Knows nothing about videos or objects; VideoSession does the bookkeeping.
 */
import * as ort from 'onnxruntime-node';
import { loadManifest, LoadedManifest } from '../manifest/load-manifest';
import { ModelManifest, RoleName, REQUIRED_ROLES } from '../manifest/manifest-schema';
import { createSessionWithFallback, ProviderName, RuntimeConfig, SessionThreading } from './execution-providers';
import { EngineLogger, silentLogger } from './logger';
import { RoleSession } from './role-session';
import {
  attentionBatchSize,
  batchRanges,
  concatBatches,
  decoderBytesPerObject,
  DEFAULT_ATTENTION_BUDGET_MB,
  MapShape,
  memoryEncoderBytesPerObject,
  objectBatchSize,
} from '../session/attention-budget';
import { RoleTimings } from './role-timings';

export interface ImageFeatures {
  visionFeatures: ort.Tensor;
  visionPosEnc: ort.Tensor;
  highRes0: ort.Tensor;
  highRes1: ort.Tensor;
}

export interface DecoderOutput {
  /** [B, 4, L, L] */
  masks: Float32Array;
  /** [B, 4] */
  iou: Float32Array;
  /** [B, 4, C] */
  objPtrs: Float32Array;
  /** [B] */
  objectScores: Float32Array;
}

export interface ModelConstants {
  /** [numMaskmem, Cm] */
  maskmemTposEnc: Float32Array;
  noMemEmbed: Float32Array;
  noObjPtr: Float32Array;
}

export interface SamModelOptions {
  runtime?: Partial<RuntimeConfig>;
  logger?: EngineLogger;
  verifyChecksums?: boolean;
}

const f32 = (data: Float32Array, dims: readonly number[]) => new ort.Tensor('float32', data, dims);

/**
 * CPU use per role. onnxruntime gives every session its own intra-op pool whose threads spin after
 * each run; with several sessions on few cores they take the cycles the next role needs. Small roles
 * run on one thread (nothing to split, no pool); the per-frame image encoder and the decoder do not
 * spin; memory attention, many small ops batched over objects, keeps spinning, which its 16-object
 * batches need. On 2 cores: fps for one object ~10 -> ~13, 16 objects still <= 3x one.
 */
export function roleThreading(role: RoleName, runtime: RuntimeConfig): SessionThreading {
  const override = runtime.roleIntraOpThreads?.[role];
  if (SMALL_ROLES.has(role)) return { threads: override ?? 1, spin: false };
  return { threads: override ?? runtime.intraOpThreads, spin: role === 'memoryAttention' };
}

const SMALL_ROLES: ReadonlySet<RoleName> = new Set<RoleName>([
  'memoryEncoder',
  'maskPrompt',
  'objPtrTposProj',
  'constants',
]);

export class SamModel {
  private constructor(
    readonly loaded: LoadedManifest,
    private readonly roles: Map<RoleName, RoleSession>,
    readonly constants: ModelConstants,
    readonly provider: ProviderName,
    /** Wall time per role, for benchmarks and worker stats. */
    readonly timings: RoleTimings,
    /** Megabytes of activations one call of a per-object role may hold (see session/attention-budget). */
    readonly attentionBudgetMb: number,
  ) {}

  get manifest(): ModelManifest {
    return this.loaded.manifest;
  }

  static async load(manifestPath: string, options: SamModelOptions = {}): Promise<SamModel> {
    const logger = options.logger ?? silentLogger;
    const loaded = await loadManifest(manifestPath, { verifyChecksums: options.verifyChecksums ?? true });
    let runtime: RuntimeConfig = { providers: ['cpu'], ...options.runtime };
    const timings = new RoleTimings();
    const roles = new Map<RoleName, RoleSession>();
    let provider: ProviderName | undefined;
    for (const [role, file] of Object.entries(loaded.files) as [RoleName, string][]) {
      const spec = loaded.manifest.roles[role];
      if (!spec) continue;
      const created = await createSessionWithFallback(file, runtime, logger, roleThreading(role, runtime));
      // The first graph settles the provider: retrying a provider that failed once only repeats the failure.
      if (!provider) {
        provider = created.provider;
        runtime = { ...runtime, providers: [provider] };
      }
      roles.set(role, new RoleSession(role, created.session, spec, timings));
    }
    for (const role of REQUIRED_ROLES)
      if (!roles.has(role)) throw new Error(`model ${loaded.path}: role ${role} missing`);
    const constantsOut = await roles.get('constants')!.run({}, ['maskmemTposEnc', 'noMemEmbed', 'noObjPtr'] as const);
    const m = loaded.manifest;
    const constants: ModelConstants = {
      maskmemTposEnc: constantsOut.maskmemTposEnc.data as Float32Array,
      noMemEmbed: constantsOut.noMemEmbed.data as Float32Array,
      noObjPtr: constantsOut.noObjPtr.data as Float32Array,
    };
    if (constants.maskmemTposEnc.length !== m.numMaskmem * m.memoryDim)
      throw new Error(
        `constants.maskmemTposEnc has ${constants.maskmemTposEnc.length} values, expected ${m.numMaskmem}x${m.memoryDim}`,
      );
    if (constants.noMemEmbed.length !== m.hiddenDim || constants.noObjPtr.length !== m.hiddenDim)
      throw new Error(`constants noMemEmbed/noObjPtr must have hiddenDim=${m.hiddenDim} values`);
    // The constants call is load-time work, not inference: callers start from clean timings.
    timings.reset();
    logger.info(
      { model: m.name, family: m.family, provider: provider ?? 'cpu', imageSize: m.imageSize },
      'model loaded',
    );
    const chosen = provider ?? 'cpu';
    return new SamModel(
      loaded,
      roles,
      constants,
      chosen,
      timings,
      runtime.attentionBudgetMb ?? DEFAULT_ATTENTION_BUDGET_MB[chosen],
    );
  }

  private role(name: RoleName): RoleSession {
    const session = this.roles.get(name);
    if (!session) throw new Error(`role ${name} is not available in model ${this.manifest.name}`);
    return session;
  }

  hasRole(name: RoleName): boolean {
    return this.roles.has(name);
  }

  /** `image` is the normalised [1, 3, S, S] tensor. */
  async encodeImage(image: Float32Array): Promise<ImageFeatures> {
    const s = this.manifest.imageSize;
    return this.role('imageEncoder').run({ image: f32(image, [1, 3, s, s]) }, [
      'visionFeatures',
      'visionPosEnc',
      'highRes0',
      'highRes1',
    ] as const);
  }

  async attendMemory(
    features: ImageFeatures,
    batch: number,
    memory: Float32Array,
    memoryPos: Float32Array,
    numMemoryTokens: number,
    objPtrs: Float32Array,
    objPtrPos: Float32Array,
    numPtrs: number,
  ): Promise<Float32Array> {
    const { hiddenDim: c, memoryDim: cm, featureSize, memoryAttentionQueryChunk } = this.manifest;
    const size = attentionBatchSize(this.attentionBudgetMb, {
      queries: featureSize[0] * featureSize[1],
      queryChunk: memoryAttentionQueryChunk,
      // Each pointer is C / Cm tokens in the graph.
      memoryTokens: numMemoryTokens + numPtrs * (c / cm),
      hiddenDim: c,
    });
    const ranges = batchRanges(batch, size);
    const parts: Float32Array[] = [];
    for (const [start, end] of ranges) {
      const b = end - start;
      const cut = (data: Float32Array, perObject: number) =>
        ranges.length === 1 ? data : data.subarray(start * perObject, end * perObject);
      const out = await this.role('memoryAttention').run(
        {
          currFeatures: features.visionFeatures,
          currPosEnc: features.visionPosEnc,
          memory: f32(cut(memory, numMemoryTokens * cm), [b, numMemoryTokens, cm]),
          memoryPosEnc: f32(cut(memoryPos, numMemoryTokens * cm), [b, numMemoryTokens, cm]),
          objPtrs: f32(cut(objPtrs, numPtrs * c), [b, numPtrs, c]),
          objPtrPosEnc: f32(cut(objPtrPos, numPtrs * cm), [b, numPtrs, cm]),
        },
        ['conditionedFeatures'] as const,
      );
      parts.push(out.conditionedFeatures.data as Float32Array);
    }
    return concatBatches(parts);
  }

  private get mapShape(): MapShape {
    const m = this.manifest;
    return {
      featureCells: m.featureSize[0] * m.featureSize[1],
      hiddenDim: m.hiddenDim,
      highResChannels: [m.highRes[0].channels, m.highRes[1].channels],
      imageSize: m.imageSize,
    };
  }

  async decodeMasks(
    features: Float32Array,
    image: ImageFeatures,
    batch: number,
    pointCoords: Float32Array,
    pointLabels: Float32Array,
    numPoints: number,
    maskInput: Float32Array,
    hasMaskInput: Float32Array,
  ): Promise<DecoderOutput> {
    const m = this.manifest;
    const [h, w] = m.featureSize;
    const l = m.lowResMaskSize;
    const ranges = batchRanges(batch, objectBatchSize(this.attentionBudgetMb, decoderBytesPerObject(this.mapShape)));
    const parts: DecoderOutput[] = [];
    for (const [start, end] of ranges) {
      const b = end - start;
      const cut = (data: Float32Array, perObject: number) =>
        ranges.length === 1 ? data : data.subarray(start * perObject, end * perObject);
      const out = await this.role('maskDecoder').run(
        {
          features: f32(cut(features, m.hiddenDim * h * w), [b, m.hiddenDim, h, w]),
          highRes0: image.highRes0,
          highRes1: image.highRes1,
          pointCoords: f32(cut(pointCoords, numPoints * 2), [b, numPoints, 2]),
          pointLabels: f32(cut(pointLabels, numPoints), [b, numPoints]),
          maskInput: f32(cut(maskInput, l * l), [b, 1, l, l]),
          hasMaskInput: f32(cut(hasMaskInput, 1), [b]),
        },
        ['masks', 'iouPredictions', 'objPtrs', 'objectScoreLogits'] as const,
      );
      parts.push({
        masks: out.masks.data as Float32Array,
        iou: out.iouPredictions.data as Float32Array,
        objPtrs: out.objPtrs.data as Float32Array,
        objectScores: out.objectScoreLogits.data as Float32Array,
      });
    }
    return {
      masks: concatBatches(parts.map((p) => p.masks)),
      iou: concatBatches(parts.map((p) => p.iou)),
      objPtrs: concatBatches(parts.map((p) => p.objPtrs)),
      objectScores: concatBatches(parts.map((p) => p.objectScores)),
    };
  }

  async encodeMemory(
    image: ImageFeatures,
    batch: number,
    maskLogits: Float32Array,
    objectScores: Float32Array,
    binarize: Float32Array,
  ): Promise<{ memoryFeatures: Float32Array; memoryPosEnc: Float32Array }> {
    const l = this.manifest.lowResMaskSize;
    const ranges = batchRanges(
      batch,
      objectBatchSize(this.attentionBudgetMb, memoryEncoderBytesPerObject(this.mapShape)),
    );
    const features: Float32Array[] = [];
    let memoryPosEnc: Float32Array | undefined;
    for (const [start, end] of ranges) {
      const b = end - start;
      const cut = (data: Float32Array, perObject: number) =>
        ranges.length === 1 ? data : data.subarray(start * perObject, end * perObject);
      const out = await this.role('memoryEncoder').run(
        {
          visionFeatures: image.visionFeatures,
          maskLogits: f32(cut(maskLogits, l * l), [b, 1, l, l]),
          objectScoreLogits: f32(cut(objectScores, 1), [b, 1]),
          binarize: f32(cut(binarize, 1), [b]),
        },
        ['memoryFeatures', 'memoryPosEnc'] as const,
      );
      features.push(out.memoryFeatures.data as Float32Array);
      // The positional encoding does not depend on the objects: every batch returns the same one.
      memoryPosEnc ??= out.memoryPosEnc.data as Float32Array;
    }
    return { memoryFeatures: concatBatches(features), memoryPosEnc: memoryPosEnc! };
  }

  /** `mask` is [1, 1, S, S] with values 0/1: the prompt mask already brought to the input square (see session/mask-prompt). */
  async encodeMaskPrompt(mask: Float32Array): Promise<{ lowResLogits: Float32Array; maskForPointer: Float32Array }> {
    const s = this.manifest.imageSize;
    const out = await this.role('maskPrompt').run({ mask: f32(mask, [1, 1, s, s]) }, [
      'lowResLogits',
      'maskForPointer',
    ] as const);
    return {
      lowResLogits: out.lowResLogits.data as Float32Array,
      maskForPointer: out.maskForPointer.data as Float32Array,
    };
  }

  /** `sinePe` is [n, tposDim]; returns [n, Cm]. */
  async projectPointerTpos(sinePe: Float32Array, n: number, tposDim: number): Promise<Float32Array> {
    const out = await this.role('objPtrTposProj').run({ sinePe: f32(sinePe, [n, tposDim]) }, ['posEnc'] as const);
    return out.posEnc.data as Float32Array;
  }

  async release(): Promise<void> {
    for (const session of this.roles.values()) await session.release();
  }
}
