/**
 * A video being segmented: the TypeScript counterpart of SAM2VideoPredictor's inference state and
 * its calls (add points / box / mask on any frame for any object at any time, propagate forward,
 * backward or both, clear a frame's prompts, remove an object, reset), with every frame encoded once
 * for all objects and the per-object roles batched over objects.
 */
import type { FrameSource } from '@masklet/video';
import { VideoResolutionRenderer } from '../postprocess/video-resolution';
import { EngineLogger, silentLogger } from '../runtime/logger';
import { SamModel } from '../runtime/sam-model';
import { FrameOutput, OutputSizes } from '../state/frame-output';
import { OutputArchive, TempFileArchive } from '../state/output-archive';
import { ObjectTrack, PointPrompt, Tracked } from '../state/object-track';
import { FeatureCache } from './feature-cache';
import { maskAsOutput, maskThroughDecoder } from './mask-as-output';
import { maskToInputSquare } from './mask-prompt';
import { MemoryConditioning } from './memory-conditioning';
import { NO_OBJ_SCORE, SamHeads } from './sam-heads';
import { Box, EngineInputError, FrameResult, MaskPrompt, Point, PropagateOptions } from './types';

export interface VideoSessionOptions {
  /** Apply SAM 2's non-overlapping constraint to the output masks. */
  nonOverlap?: boolean;
  logger?: EngineLogger;
  archive?: OutputArchive;
  /**
   * A prompt on an already tracked frame becomes a conditioning frame (the reference's
   * add_all_frames_to_correct_as_cond). Off, as in SAM2VideoPredictor, such a correction is filed as a
   * tracked output that the next propagation recomputes over, so it never reaches the stored masks:
   * an annotation product needs it on, so that what the annotator saw is what propagation keeps.
   */
  correctionsAsConditioning?: boolean;
}

export interface SessionStats {
  framesTracked: number;
  framesEncoded: number;
  objects: number;
}

export class VideoSession {
  readonly tracks = new Map<number, ObjectTrack>();
  readonly conditioning: MemoryConditioning;
  private readonly heads: SamHeads;
  private readonly features: FeatureCache;
  private readonly renderer: VideoResolutionRenderer;
  readonly archive: OutputArchive;
  readonly sizes: OutputSizes;
  private readonly logger: EngineLogger;
  private readonly window: number;
  /** Where the last propagation step was, so a restored session evicts the same way. */
  lastFrame = 0;
  framesTracked = 0;
  private busy = false;

  constructor(
    readonly model: SamModel,
    readonly source: FrameSource,
    readonly options: VideoSessionOptions = {},
  ) {
    const m = model.manifest;
    this.sizes = {
      memoryValues: m.memoryDim * m.memoryFeatureSize[0] * m.memoryFeatureSize[1],
      maskValues: m.lowResMaskSize * m.lowResMaskSize,
      ptrValues: m.hiddenDim,
    };
    this.archive = options.archive ?? new TempFileArchive(this.sizes);
    this.conditioning = new MemoryConditioning(model, source.info.numFrames);
    this.heads = new SamHeads(model);
    this.features = new FeatureCache(model, source);
    this.renderer = new VideoResolutionRenderer(m.lowResMaskSize, source.info.width, source.info.height);
    this.logger = options.logger ?? silentLogger;
    this.window = Math.max(m.maxObjPtrsInEncoder, m.numMaskmem) * m.tracking.memoryTemporalStrideForEval;
  }

  get numFrames(): number {
    return this.source.info.numFrames;
  }

  private checkFrame(frame: number): void {
    if (!Number.isInteger(frame) || frame < 0 || frame >= this.numFrames) {
      throw new EngineInputError(
        'frame_out_of_range',
        `frame ${frame} is outside the video (0..${this.numFrames - 1})`,
      );
    }
  }

  private checkObjectId(objectId: number): void {
    if (!Number.isSafeInteger(objectId))
      throw new EngineInputError('bad_object_id', `object id ${objectId} must be an integer`);
  }

  private track(objectId: number): ObjectTrack {
    this.checkObjectId(objectId);
    let track = this.tracks.get(objectId);
    if (!track) {
      track = new ObjectTrack(objectId, this.numFrames, this.archive);
      this.tracks.set(objectId, track);
    }
    return track;
  }

  /** Serialises concurrent calls: the state is a single timeline, like the reference's. */
  private async exclusive<T>(fn: () => Promise<T>): Promise<T> {
    if (this.busy) throw new EngineInputError('session_busy', 'the session is already running a call');
    this.busy = true;
    try {
      return await fn();
    } finally {
      this.busy = false;
    }
  }

  private toInputSpace(x: number, y: number): [number, number] {
    const { width, height } = this.source.info;
    const s = this.model.manifest.imageSize;
    if (!Number.isFinite(x) || !Number.isFinite(y))
      throw new EngineInputError('bad_point', `point (${x}, ${y}) is not finite`);
    return [Math.fround(Math.fround(x / width) * s), Math.fround(Math.fround(y / height) * s)];
  }

  /**
   * Whether a prompt on this frame files its output as a conditioning one. Deliberate deviation: the
   * reference files a new prompt on an already-conditioning frame (once tracked) as a non-conditioning
   * output, which its preflight then drops in favour of the old conditioning output, so the correction
   * is lost. Here it replaces the conditioning output.
   */
  private isConditioning(track: ObjectTrack, frame: number): boolean {
    return (
      track.tracked[frame] === Tracked.No ||
      track.cond.has(frame) ||
      this.model.manifest.tracking.addAllFramesToCorrectAsCond ||
      (this.options.correctionsAsConditioning ?? false)
    );
  }

  addPoints(
    frame: number,
    objectId: number,
    points: Point[],
    opts: { clearOld?: boolean; box?: Box } = {},
  ): Promise<FrameResult> {
    return this.exclusive(async () => {
      this.checkFrame(frame);
      if (points.length === 0 && !opts.box) throw new EngineInputError('no_prompt', 'give at least one point or a box');
      const clearOld = opts.clearOld ?? true;
      if (opts.box && !clearOld)
        throw new EngineInputError('box_without_clear', 'a box must come first: it cannot be added to earlier points');
      const track = this.track(objectId);
      const coords: number[] = [];
      const labels: number[] = [];
      if (opts.box) {
        const { x0, y0, x1, y1 } = opts.box;
        if (!(x1 > x0 && y1 > y0))
          throw new EngineInputError('bad_box', `box (${x0}, ${y0}, ${x1}, ${y1}) must have x1 > x0 and y1 > y0`);
        coords.push(...this.toInputSpace(x0, y0), ...this.toInputSpace(x1, y1));
        labels.push(2, 3);
      }
      for (const p of points) {
        if (p.label !== 0 && p.label !== 1)
          throw new EngineInputError('bad_label', `point label ${String(p.label)} must be 0 or 1`);
        coords.push(...this.toInputSpace(p.x, p.y));
        labels.push(p.label);
      }
      const previous = clearOld ? undefined : track.points.get(frame);
      const prompt: PointPrompt = {
        coords: Float32Array.from([...(previous?.coords ?? []), ...coords]),
        labels: Float32Array.from([...(previous?.labels ?? []), ...labels]),
      };
      track.points.set(frame, prompt);
      track.maskFrames.delete(frame);
      const isInit = track.tracked[frame] === Tracked.No;
      const reverse = track.tracked[frame] === Tracked.Reverse;
      const isCond = this.isConditioning(track, frame);
      const temp = isCond ? track.tempCond : track.tempNonCond;
      const prev = temp.get(frame) ?? track.cond.get(frame) ?? (await track.getNonCond(frame));
      const image = await this.features.get(frame);
      const conditioned = isInit
        ? this.conditioning.withoutMemory(image, 1)
        : await this.conditioning.condition([track], frame, reverse, image);
      const { outputs } = await this.heads.decode(
        {
          features: conditioned,
          points: [prompt],
          maskInputs: [prev?.predMasks ?? null],
          multimask: this.heads.useMultimask(isInit, prompt.labels.length),
        },
        image,
      );
      temp.set(frame, outputs[0]!);
      return this.frameResult(frame, 'prompt');
    });
  }

  addBox(frame: number, objectId: number, box: Box, points: Point[] = []): Promise<FrameResult> {
    return this.addPoints(frame, objectId, points, { box, clearOld: true });
  }

  addMask(frame: number, objectId: number, mask: MaskPrompt): Promise<FrameResult> {
    return this.exclusive(async () => {
      this.checkFrame(frame);
      const { width, height } = this.source.info;
      if (mask.width !== width || mask.height !== height || mask.data.length !== width * height) {
        throw new EngineInputError('bad_mask', `mask is ${mask.width}x${mask.height}, the video is ${width}x${height}`);
      }
      const track = this.track(objectId);
      track.points.delete(frame);
      track.maskFrames.add(frame);
      const isInit = track.tracked[frame] === Tracked.No;
      const reverse = track.tracked[frame] === Tracked.Reverse;
      const isCond = this.isConditioning(track, frame);
      const m = this.model.manifest;
      const square = maskToInputSquare(mask, m.imageSize);
      const image = await this.features.get(frame);
      const output = m.tracking.useMaskInputAsOutputWithoutSam
        ? await maskAsOutput(this.model, this.heads, square, image)
        : await maskThroughDecoder(
            { model: this.model, heads: this.heads, conditioning: this.conditioning },
            track,
            frame,
            isInit,
            reverse,
            square,
            image,
          );
      (isCond ? track.tempCond : track.tempNonCond).set(frame, output);
      return this.frameResult(frame, 'prompt');
    });
  }

  /** Encodes memory for prompt outputs and moves them into the tracking state (propagate_in_video_preflight). */
  private async preflight(): Promise<void> {
    if (this.tracks.size === 0) throw new EngineInputError('no_objects', 'add a prompt before propagating');
    const pending = new Map<number, { track: ObjectTrack; output: FrameOutput }[]>();
    for (const track of this.tracks.values()) {
      for (const temp of [track.tempNonCond, track.tempCond]) {
        for (const [frame, output] of temp) {
          if (output.memory) continue;
          const list = pending.get(frame) ?? [];
          list.push({ track, output });
          pending.set(frame, list);
        }
      }
    }
    const binarize = this.model.manifest.tracking.binarizeMaskFromPtsForMemEnc;
    const area = this.sizes.maskValues;
    for (const [frame, entries] of pending) {
      const image = await this.features.get(frame);
      const logits = new Float32Array(entries.length * area);
      const scores = new Float32Array(entries.length);
      entries.forEach((e, i) => {
        logits.set(e.output.predMasks, i * area);
        scores[i] = e.output.objectScore;
      });
      const { memories, posEnc } = await this.heads.encodeMemories(image, logits, scores, binarize);
      this.conditioning.setMemoryPosEnc(posEnc);
      entries.forEach((e, i) => (e.output.memory = memories[i]!));
    }
    for (const track of this.tracks.values()) {
      for (const [frame, output] of track.tempNonCond) track.setNonCond(frame, output);
      for (const [frame, output] of track.tempCond) track.cond.set(frame, output);
      track.tempNonCond.clear();
      track.tempCond.clear();
      if (track.cond.size === 0)
        throw new EngineInputError(
          'object_without_prompt',
          `object ${track.id} has no prompt; add points, a box or a mask first`,
        );
      for (const frame of track.cond.keys()) await track.deleteNonCond(frame);
    }
  }

  /** Tracks every object through the video; yields each frame's masks as soon as it is done. */
  async *propagate(options: PropagateOptions = {}): AsyncGenerator<FrameResult> {
    if (this.busy) throw new EngineInputError('session_busy', 'the session is already running a call');
    this.busy = true;
    try {
      await this.preflight();
      const direction = options.direction ?? 'forward';
      if (!['forward', 'backward', 'both'].includes(direction))
        throw new EngineInputError(
          'bad_direction',
          `direction must be forward, backward or both, got ${String(direction)}`,
        );
      let start = options.startFrame;
      if (start === undefined) start = Math.min(...[...this.tracks.values()].flatMap((t) => [...t.cond.keys()]));
      this.checkFrame(start);
      const maxFrames = options.maxFrames ?? this.numFrames;
      if (!Number.isInteger(maxFrames) || maxFrames < 0)
        throw new EngineInputError('bad_max_frames', `maxFrames must be a non-negative integer, got ${maxFrames}`);
      const passes = direction === 'both' ? [false, true] : [direction === 'backward'];
      for (const reverse of passes) {
        const order: number[] = [];
        if (reverse) {
          const end = Math.max(start - maxFrames, 0);
          if (start > 0) for (let f = start; f >= end; f--) order.push(f);
        } else {
          const end = Math.min(start + maxFrames, this.numFrames - 1);
          for (let f = start; f <= end; f++) order.push(f);
        }
        for (let i = 0; i < order.length; i++) yield await this.stepFrame(order[i]!, reverse, order[i + 1]);
      }
    } finally {
      this.busy = false;
    }
  }

  private async stepFrame(frame: number, reverse: boolean, next: number | undefined): Promise<FrameResult> {
    const toTrack = [...this.tracks.values()].filter((t) => !t.cond.has(frame));
    // This frame's read is issued before the next one's, so sequential sources stay sequential.
    const pending = toTrack.length ? this.features.get(frame) : undefined;
    if (next !== undefined) this.features.prefetch(next);
    if (pending) {
      const image = await pending;
      const conditioned = await this.conditioning.condition(toTrack, frame, reverse, image);
      const decoded = await this.heads.decode(
        {
          features: conditioned,
          points: toTrack.map(() => null),
          maskInputs: toTrack.map(() => null),
          multimask: this.heads.useMultimask(false, 0),
        },
        image,
      );
      const { memories, posEnc } = await this.heads.encodeMemories(
        image,
        decoded.chosenLogits,
        decoded.objectScores,
        false,
      );
      this.conditioning.setMemoryPosEnc(posEnc);
      toTrack.forEach((track, i) => {
        const output = decoded.outputs[i]!;
        output.memory = memories[i]!;
        track.setNonCond(frame, output);
      });
    }
    for (const track of this.tracks.values()) {
      track.tracked[frame] = reverse ? Tracked.Reverse : Tracked.Forward;
      await track.evictAround(frame, this.window);
    }
    this.lastFrame = frame;
    this.framesTracked++;
    return this.frameResult(frame, reverse ? 'backward' : 'forward');
  }

  /** Masks of every object on a frame, newest outputs first (consolidated like the reference). */
  private async frameResult(frame: number, pass: FrameResult['pass']): Promise<FrameResult> {
    const tracks = [...this.tracks.values()];
    const logits: Float32Array[] = [];
    const scores: number[] = [];
    const ious: (number | null)[] = [];
    for (const track of tracks) {
      const out = await track.latestOutput(frame);
      logits.push(out?.predMasks ?? new Float32Array(this.sizes.maskValues).fill(NO_OBJ_SCORE));
      scores.push(out?.objectScore ?? NO_OBJ_SCORE);
      ious.push(out && Number.isFinite(out.iou) ? out.iou : null);
    }
    const masks = this.renderer.render(
      logits,
      logits.map(() => 0),
      this.options.nonOverlap ?? false,
    );
    const { width, height } = this.source.info;
    return {
      frame,
      pass,
      objects: tracks.map((track, i) => ({
        objectId: track.id,
        rle: { size: [height, width], counts: masks[i]!.counts },
        area: masks[i]!.area,
        bbox: masks[i]!.bbox,
        objectScore: scores[i]!,
        predictedIou: ious[i]!,
      })),
    };
  }

  /** clear_all_prompts_in_frame: a conditioning output loses its status and becomes a tracked one. */
  clearPrompts(frame: number, objectId: number): Promise<FrameResult> {
    return this.exclusive(async () => {
      this.checkFrame(frame);
      const track = this.tracks.get(objectId);
      if (!track) throw new EngineInputError('unknown_object', `object ${objectId} does not exist`);
      track.points.delete(frame);
      track.maskFrames.delete(frame);
      track.tempCond.delete(frame);
      track.tempNonCond.delete(frame);
      const out = track.cond.get(frame);
      if (out) {
        track.cond.delete(frame);
        track.setNonCond(frame, out);
        track.tracked[frame] = Tracked.No;
      }
      return this.frameResult(frame, 'prompt');
    });
  }

  removeObject(objectId: number): Promise<void> {
    return this.exclusive(async () => {
      const track = this.tracks.get(objectId);
      if (!track) throw new EngineInputError('unknown_object', `object ${objectId} does not exist`);
      track.clearAll();
      this.tracks.delete(objectId);
    });
  }

  /** reset_state: every object and result goes; the video stays open. */
  reset(): Promise<void> {
    return this.exclusive(async () => {
      for (const track of this.tracks.values()) track.clearAll();
      this.tracks.clear();
      this.features.clear();
      this.framesTracked = 0;
    });
  }

  stats(): SessionStats {
    return {
      framesTracked: this.framesTracked,
      framesEncoded: this.model.timings.snapshot().imageEncoder?.calls ?? 0,
      objects: this.tracks.size,
    };
  }

  async close(): Promise<void> {
    this.features.clear();
    await this.archive.close();
  }
}
