/**
 * What the segment processor needs from the engine, whether the engine runs on a thread of its own
 * (thread-engine.ts, the default) or on the calling thread (inline-engine.ts, for tests that share one
 * loaded model). Frames come from a FrameSource the caller owns; results and checkpoint captures come
 * back as plain data.
 */
import type {
  Box,
  CapturedCheckpoint,
  FrameResult,
  MaskPrompt,
  Point,
  RoleCalls,
  RoleTiming,
  VideoSessionOptions,
} from '@masklet/engine';
import type { FrameSource, VideoInfo } from '@masklet/video';

export type RoleTimingsSnapshot = Record<string, RoleTiming & { meanMs: number }>;

/** Session options that cross a thread boundary (no logger, no archive object). */
export type EngineSessionOptions = Pick<VideoSessionOptions, 'nonOverlap' | 'correctionsAsConditioning'>;

export interface RunOptions {
  startFrame: number;
  direction: 'forward' | 'backward';
  maxFrames: number;
  /** The pass's last frame: the run pauses after it, as after the last frame of every chunk. */
  end: number;
  /** Chunk size: the run pauses after the last frame of each aligned block (see chunk-boundary.ts). */
  chunkFrames: number;
}

export interface RunFrame {
  result: FrameResult;
  /**
   * The last frame of a chunk (or of the pass): the engine does not start the next frame until
   * `boundary` is called, so a checkpoint captured there matches exactly the frames yielded so far.
   */
  boundary: boolean;
}

/** One propagation pass. Leaving the loop early (break, return, throw) stops the engine after its frame in flight. */
export interface EngineRun extends AsyncIterableIterator<RunFrame> {
  /** Answers a boundary frame: with `capture`, an incremental checkpoint of the state after that frame; then the engine goes on. */
  boundary(capture: boolean): Promise<CapturedCheckpoint | null>;
}

/**
 * One interactive prompt answered on its frame and then undone. `refine` adds the clicks to the object's
 * clicks on that frame (as a correction round would; a box replaces them); `fresh` prompts the object
 * from nothing (the clicks plus the box), as round 1 of a job submitted with this prompt would.
 */
export interface PreviewPrompt {
  frame: number;
  objectId: number;
  points: Point[];
  box: Box | null;
  mode: 'refine' | 'fresh';
}

export interface EngineSession {
  readonly info: VideoInfo;
  addPoints(frame: number, objectId: number, points: Point[], opts?: { clearOld?: boolean }): Promise<void>;
  addBox(frame: number, objectId: number, box: Box, points?: Point[]): Promise<void>;
  addMask(frame: number, objectId: number, mask: MaskPrompt): Promise<void>;
  /** Removes those of the objects the session tracks; returns the ids removed. */
  removeObjects(objectIds: readonly number[]): Promise<number[]>;
  propagate(options: RunOptions): EngineRun;
  /**
   * The checkpoint state after the last step: incremental over the captures before it, or with `whole`
   * one self-contained segment that needs no earlier capture to restore.
   */
  capture(options?: { whole?: boolean }): Promise<CapturedCheckpoint>;
  /** The frame's masks with `prompt` applied; the session's prompt state is as before once it settles. */
  preview(prompt: PreviewPrompt): Promise<FrameResult>;
  close(): Promise<void>;
}

export interface Engine {
  /** Where the engine runs: a thread of its own, or the calling thread. */
  readonly kind: 'thread' | 'inline';
  /** The model's name and device ('cpu', 'cuda:0'): what the heartbeat reports. */
  readonly modelName: string;
  readonly device: string;
  /** Wall time per role since the model loaded (the thread's figures as of its latest frame). */
  timings(): RoleTimingsSnapshot;
  /** Each role call's duration (ms) since the previous drain: what the role histograms observe. */
  drainCalls(): RoleCalls;
  /** The frames of a cached video file, as this engine reads them (the fleet benchmark's engine reads none). */
  openVideo(path: string): Promise<FrameSource>;
  /** A fresh session over `source`, or one restored from a checkpoint chain (oldest segment first). */
  open(source: FrameSource, options: EngineSessionOptions, chain?: readonly Buffer[]): Promise<EngineSession>;
  close(): Promise<void>;
}

/** 'cpu' or 'cuda:0' (the engine uses device 0 unless told otherwise). */
export function deviceOf(provider: string): string {
  return provider === 'cuda' ? 'cuda:0' : 'cpu';
}
