import { createReadStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { davisPalette } from '@masklet/masks';
import type { ChunkFrame } from '@masklet/masklets';
import type { ObjectStore, StoredObject } from '@masklet/storage';
import { Mp4Writer, probeVideo, streamFrames } from '@masklet/video';
import type { ExportInput } from './export-input';
import { labelImage } from './label-image';
import type { RoundMasks } from './round-masks';

const PALETTE = davisPalette();
const ALPHA = 0.5;

/** Blends each labelled pixel halfway to its object's DAVIS colour, in place. */
function blend(
  rgb: Uint8Array,
  labels: Uint8Array,
  srcWidth: number,
  width: number,
  height: number,
  out: Uint8Array,
): void {
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const si = y * srcWidth + x;
      const s = si * 3;
      const d = (y * width + x) * 3;
      const l = labels[si]!;
      if (l === 0) {
        out[d] = rgb[s]!;
        out[d + 1] = rgb[s + 1]!;
        out[d + 2] = rgb[s + 2]!;
      } else {
        out[d] = Math.round(rgb[s]! * (1 - ALPHA) + PALETTE[l * 3]! * ALPHA);
        out[d + 1] = Math.round(rgb[s + 1]! * (1 - ALPHA) + PALETTE[l * 3 + 1]! * ALPHA);
        out[d + 2] = Math.round(rgb[s + 2]! * (1 - ALPHA) + PALETTE[l * 3 + 2]! * ALPHA);
      }
    }
  }
}

/**
 * Every frame of the video, objects tinted with their DAVIS colour, H.264 at the source frame rate.
 * Frames are decoded one at a time, encoded into a scratch file (the moov atom must be written last
 * and moved to the front), then streamed to S3. Odd sizes lose their last row/column (yuv420p).
 */
export async function writeOverlayMp4(input: ExportInput): Promise<StoredObject> {
  await mkdir(input.scratchDir, { recursive: true });
  const video = await input.openVideo();
  try {
    return await renderOverlay(input.masks, video.path, input.scratchDir, input.store, input.key, input.contentType);
  } finally {
    video.release();
  }
}

async function nextFrame(frames: AsyncIterator<ChunkFrame>): Promise<ChunkFrame | undefined> {
  const r = await frames.next();
  return r.done ? undefined : r.value;
}

async function renderOverlay(
  masks: RoundMasks,
  videoPath: string,
  scratchDir: string,
  store: ObjectStore,
  key: string,
  contentType: string,
): Promise<StoredObject & { frames: number }> {
  const probe = await probeVideo(videoPath);
  const width = probe.width & ~1;
  const height = probe.height & ~1;
  const file = join(scratchDir, `overlay-${randomUUID()}.mp4`);
  const writer = new Mp4Writer(file, { width, height, fps: probe.fps, crf: 20 });
  const maskIt = masks.frames();
  let next = await nextFrame(maskIt);
  const out = new Uint8Array(width * height * 3);
  const empty = new Uint8Array(probe.width * probe.height);
  try {
    for await (const f of streamFrames(videoPath)) {
      while (next && next.frame < f.index) next = await nextFrame(maskIt);
      const labels = next && next.frame === f.index ? labelImage(next, probe.width, probe.height) : empty;
      blend(f.rgb, labels, f.width, width, height, out);
      await writer.write(out);
    }
    await writer.finish();
    const stored = await store.putStream(key, createReadStream(file), { contentType });
    return { ...stored, frames: writer.frames };
  } catch (err) {
    await writer.abort().catch(() => undefined);
    throw err;
  } finally {
    await maskIt.return(undefined);
    await rm(file, { force: true });
  }
}
