// FrameSource over a folder of still frames (the DAVIS layout `frames/00000.jpg`, or frames a user
// extracted). Each readSquare decodes one file, so memory does not grow with the number of frames.
// Frames are squared exactly as SAM 2's reference loads a JPEG folder: PIL's bicubic resize of the
// 8-bit RGB image. One deliberate difference: the EXIF orientation is applied (PIL ignores it), so a
// phone photo is segmented upright, as its video would be.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { assertFrameRequest, type FrameSource, type VideoInfo } from './frame-source';
import { pilBicubicResize } from './pil-bicubic';

const FRAME_FILE = /\.(jpe?g|png)$/i;

export interface ImageDirectorySource extends FrameSource {
  /** Absolute paths in frame order. */
  readonly files: readonly string[];
}

/**
 * Frames are the directory's jpg/jpeg/png files sorted by name (numeric-aware, so `frame2` comes before
 * `frame10`). The size comes from the first frame; all frames are assumed to share it, as in DAVIS.
 */
export async function openImageDirectory(dir: string, fps = 24): Promise<ImageDirectorySource> {
  const names = (await readdir(dir)).filter((n) => FRAME_FILE.test(n));
  names.sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  const first = names[0];
  if (first === undefined) throw new Error(`no .jpg/.jpeg/.png frames in ${dir}`);
  const files = names.map((n) => join(dir, n));
  // autoOrient so a phone photo's EXIF rotation is applied, matching what ffmpeg does for rotated videos.
  const meta = await sharp(files[0], { autoOrient: true }).metadata();
  if (!meta.width || !meta.height) throw new Error(`cannot read the size of ${files[0]}`);
  const info: VideoInfo = {
    numFrames: files.length,
    width: meta.autoOrient.width,
    height: meta.autoOrient.height,
    fps,
  };
  return {
    info,
    files,
    async readSquare(index: number, size: number): Promise<Uint8Array> {
      assertFrameRequest(info, index, size);
      const out = await sharp(files[index], { autoOrient: true })
        .removeAlpha()
        .toColourspace('srgb')
        .raw()
        .toBuffer({ resolveWithObject: true });
      if (out.info.channels !== 3)
        throw new Error(`${files[index]} decoded to ${out.info.channels} channels, expected 3`);
      const rgb = new Uint8Array(out.data.buffer, out.data.byteOffset, out.data.byteLength);
      // The reference resizes JPEG folders with PIL's bicubic (see pil-bicubic.ts), not libvips' cubic.
      return pilBicubicResize(rgb, out.info.width, out.info.height, size, size);
    },
    async close(): Promise<void> {
      // Nothing is held open between reads.
    },
  };
}
