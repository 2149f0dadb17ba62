import {
  captureCheckpoint, restoreSession, VideoSession,
  type Box, type CapturedCheckpoint, type CheckpointOptions, type FrameResult, type MaskPrompt, type Point,
  type PropagateOptions, type SamModel, type VideoSessionOptions,
} from '@masklet/engine';
import { openVideoFile, type FrameSource } from '@masklet/video';

/** The session calls a segment round makes (VideoSession's). */
export interface SegmentSession {
  readonly source: Pick<FrameSource, 'info'>;
  readonly tracks: { has(objectId: number): boolean };
  addPoints(
    frame: number, objectId: number, points: Point[], opts?: { clearOld?: boolean; box?: Box },
  ): Promise<FrameResult>;
  addBox(frame: number, objectId: number, box: Box, points?: Point[]): Promise<FrameResult>;
  addMask(frame: number, objectId: number, mask: MaskPrompt): Promise<FrameResult>;
  removeObject(objectId: number): Promise<void>;
  propagate(options?: PropagateOptions): AsyncGenerator<FrameResult>;
  close(): Promise<void>;
}

/**
 * What a segment round needs from the engine: open the cached video, start or restore a session, and
 * capture its state at a chunk boundary. Workers use the ONNX engine; the fleet benchmark
 * (scripts/bench/fleet) passes a latency model of a GPU instead, so that everything around the engine
 * (queue, job rows, chunks, checkpoints, progress) runs unchanged.
 */
export interface SegmentEngine {
  openVideo(path: string): Promise<FrameSource>;
  createSession(source: FrameSource, options: VideoSessionOptions): SegmentSession;
  restoreSession(source: FrameSource, chain: readonly Buffer[], options: VideoSessionOptions): Promise<SegmentSession>;
  /** Only for sessions this engine made. */
  capture(session: SegmentSession, options: CheckpointOptions): Promise<CapturedCheckpoint>;
}

export function onnxSegmentEngine(model: SamModel): SegmentEngine {
  return {
    openVideo: (path) => openVideoFile(path),
    createSession: (source, options) => new VideoSession(model, source, options),
    restoreSession: (source, chain, options) => restoreSession(model, source, chain, options),
    capture: (session, options) => captureCheckpoint(session as VideoSession, options),
  };
}
