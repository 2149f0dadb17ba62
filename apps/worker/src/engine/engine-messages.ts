/**
 * The messages between the worker's main thread and its engine thread (thread-engine.ts, engine-thread.ts).
 * Requests carry an id answered by one `reply`; a propagation streams `frame` messages before its reply.
 * Bulk bytes (pixels, checkpoint chains and captures, mask prompts) travel as transferred ArrayBuffers.
 */
import type { Box, FrameResult, Point, RoleCalls, RuntimeConfig } from '@masklet/engine';
import type { VideoInfo } from '@masklet/video';
import type { EngineSessionOptions, PreviewPrompt, RoleTimingsSnapshot, RunOptions } from './engine-port';
import type { WireError } from './wire-error';

export interface EngineThreadData {
  manifestPath: string;
  runtime: RuntimeConfig;
}

export type EngineRequest =
  | { op: 'open'; id: number; sid: number; info: VideoInfo; options: EngineSessionOptions; chain: Uint8Array[] | null }
  | {
      op: 'points';
      id: number;
      sid: number;
      frame: number;
      objectId: number;
      points: Point[];
      clearOld: boolean;
      box: Box | null;
    }
  | {
      op: 'mask';
      id: number;
      sid: number;
      frame: number;
      objectId: number;
      width: number;
      height: number;
      data: Uint8Array;
    }
  | { op: 'remove'; id: number; sid: number; objectIds: number[] }
  | { op: 'propagate'; id: number; sid: number; options: RunOptions }
  /** Answers the run's latest boundary frame (the reply holds the capture, or null). */
  | { op: 'boundary'; id: number; sid: number; capture: boolean }
  | { op: 'capture'; id: number; sid: number; whole: boolean }
  /** Replies with the prompted frame's FrameResult; the session's prompt state is restored. */
  | { op: 'preview'; id: number; sid: number; prompt: PreviewPrompt }
  | { op: 'close'; id: number; sid: number };

/** Main -> thread, without a reply. */
export type EngineNotice =
  /** Ends the session's run after its frame in flight (answers a pending boundary without a capture). */
  | { op: 'stop'; sid: number }
  /** The answer to a `read`: the frame's pixels, or why there are none. */
  | { op: 'pixels'; rid: number; pixels: Uint8Array }
  | { op: 'pixels'; rid: number; error: WireError };

export type ToEngine = EngineRequest | EngineNotice;

/** A checkpoint capture with its blobs laid end to end in one transferred buffer. */
export interface WireCapture {
  headerJson: string;
  blobs: Uint8Array;
  perObject: { objectId: number; outputs: number; external: number; rawBytes: number }[];
}

export type FromEngine =
  | { type: 'ready'; modelName: string; provider: string; timings: RoleTimingsSnapshot }
  | { type: 'failed'; error: WireError }
  | { type: 'reply'; id: number; value: unknown }
  | { type: 'reply'; id: number; error: WireError }
  | { type: 'frame'; sid: number; run: number; result: FrameResult; boundary: boolean; timings: RoleTimingsSnapshot }
  /** Role call durations since the previous `calls`, sent ahead of the frame or reply they led to. */
  | { type: 'calls'; calls: RoleCalls }
  /** The engine wants a frame of the session's video (answered by `pixels`). */
  | { type: 'read'; rid: number; sid: number; index: number; size: number }
  | { type: 'log'; level: 'debug' | 'info' | 'warn'; obj: object; msg?: string };

/**
 * `view` itself when it spans an ArrayBuffer of its own (transferring it hands it over), else a copy:
 * transferring a slice of Node's shared pool would detach every other buffer in it.
 */
export function ownedBytes(view: Uint8Array): Uint8Array<ArrayBuffer> {
  const whole =
    view.byteOffset === 0 && view.byteLength === view.buffer.byteLength && view.buffer instanceof ArrayBuffer;
  return whole ? (view as Uint8Array<ArrayBuffer>) : new Uint8Array(view);
}
