/**
 * Errors across the engine thread's boundary keep what classifyError reads: the engine's and the
 * video decoder's typed errors come back as the same classes, other errors keep their name and code
 * (an errno such as ENOSPC stays an infrastructure failure).
 */
import { EngineInputError } from '@masklet/engine';
import { VideoDecodeError, VideoProbeError, type VideoDecodeErrorCode, type VideoProbeErrorCode } from '@masklet/video';

export interface WireError {
  name: string;
  message: string;
  code?: string;
  detail?: string;
  stack?: string;
}

export function toWireError(err: unknown): WireError {
  if (!(err instanceof Error)) return { name: 'Error', message: String(err) };
  const e = err as Error & { code?: unknown; detail?: unknown };
  return {
    name: e.name,
    message: e.message,
    ...(typeof e.code === 'string' ? { code: e.code } : {}),
    ...(typeof e.detail === 'string' ? { detail: e.detail } : {}),
    ...(e.stack ? { stack: e.stack } : {}),
  };
}

export function fromWireError(w: WireError): Error {
  let err: Error;
  if (w.name === 'EngineInputError') err = new EngineInputError(w.code ?? 'unknown', w.message);
  else if (w.name === 'VideoDecodeError')
    err = new VideoDecodeError((w.code ?? 'decoder_failed') as VideoDecodeErrorCode, w.message, w.detail);
  else if (w.name === 'VideoProbeError')
    err = new VideoProbeError((w.code ?? 'probe_failed') as VideoProbeErrorCode, w.message, w.detail);
  else {
    err = Object.assign(new Error(w.message), w.code === undefined ? {} : { code: w.code });
    err.name = w.name;
  }
  if (w.stack) err.stack = w.stack;
  return err;
}
