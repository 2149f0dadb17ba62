import type { VideoView } from '@masklet/contract';
import type { Video } from '@masklet/db';

export type { VideoView } from '@masklet/contract';

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
