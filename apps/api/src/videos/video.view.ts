import type { Video } from '@masklet/db';

export interface VideoView {
  id: string;
  status: string;
  filename: string | null;
  sourceUri: string | null;
  sizeBytes: number | null;
  sha256: string | null;
  durationSec: number | null;
  fps: number | null;
  width: number | null;
  height: number | null;
  frameCount: number | null;
  codec: string | null;
  error: string | null;
  createdAt: string;
}

export function toVideoView(v: Video): VideoView {
  return {
    id: v.id,
    status: v.status,
    filename: v.filename,
    sourceUri: v.sourceUri,
    sizeBytes: v.sizeBytes === null ? null : Number(v.sizeBytes),
    sha256: v.sha256,
    durationSec: v.durationSec,
    fps: v.fps,
    width: v.width,
    height: v.height,
    frameCount: v.frameCount,
    codec: v.codec,
    error: v.error,
    createdAt: v.createdAt.toISOString(),
  };
}
