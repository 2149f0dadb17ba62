// Writes a synthetic clip to disk in DAVIS layout (frames/*.jpg, masks/<id>/*.png) plus meta.json and
// optionally clip.mp4. Frames are rendered, written and dropped one by one; at most a few frames are
// in flight while sharp encodes them on its thread pool.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { Mp4Writer, type Mp4WriterOptions } from '../mp4-writer';
import { renderBackground } from './background';
import { masksOf, renderFrame } from './render';
import { buildScene, type Rect, type Rgb, type SceneOptions, type ShapeKind } from './scene';
import { frameTruth } from './truth';

const MAX_FRAMES_IN_FLIGHT = 4;

export interface SyntheticClipOptions extends SceneOptions {
  /** Created if missing; its frames/, masks/, meta.json and clip.mp4 are replaced. */
  outDir: string;
  /** Default 95. */
  jpegQuality?: number;
  /** Also encode outDir/clip.mp4 (H.264, crf 12, yuv420p unless overridden). Default false. */
  mp4?: boolean | Omit<Mp4WriterOptions, 'width' | 'height' | 'fps'>;
  /** Write frames/*.jpg. Default true; turn off when only the mp4 and masks are wanted. */
  frameFiles?: boolean;
}

export interface SyntheticObjectMeta {
  id: number;
  shape: ShapeKind;
  colour: Rgb;
  /** Position in the draw order, 0 = back. */
  zIndex: number;
  /** First frame with any visible pixel; null if never visible. */
  firstVisibleFrame: number | null;
  visible: boolean[];
  area: number[];
  /** Per frame: a pixel [x, y] well inside the visible mask, or null. */
  clicks: ([number, number] | null)[];
}

export interface SyntheticClipMeta {
  version: 1;
  width: number;
  height: number;
  frames: number;
  fps: number;
  seed: number | string;
  occlusion: { object: number; start: number; end: number; mode: 'occluder' | 'exit' } | null;
  lateObject: { object: number; frame: number } | null;
  occluder: Rect | null;
  objects: SyntheticObjectMeta[];
  /** Relative paths; %05d is the zero-padded frame index. */
  files: { frames: string | null; masks: string; mp4: string | null };
}

export interface SyntheticClipResult {
  meta: SyntheticClipMeta;
  framesDir: string;
  masksDir: string;
  metaPath: string;
  mp4Path: string | null;
}

export function frameFileName(index: number, ext: string): string {
  return `${String(index).padStart(5, '0')}.${ext}`;
}

export async function writeSyntheticClip(opts: SyntheticClipOptions): Promise<SyntheticClipResult> {
  const scene = buildScene(opts);
  const { width, height, frames } = scene;
  const background = renderBackground(width, height, scene.seed, scene.background);
  const framesDir = join(opts.outDir, 'frames');
  const masksDir = join(opts.outDir, 'masks');
  const metaPath = join(opts.outDir, 'meta.json');
  const mp4Path = opts.mp4 ? join(opts.outDir, 'clip.mp4') : null;
  const writeJpegs = opts.frameFiles ?? true;
  const quality = opts.jpegQuality ?? 95;
  const ids = scene.objects.map((o) => o.id);

  await Promise.all(
    [framesDir, masksDir, metaPath, join(opts.outDir, 'clip.mp4')].map((p) => rm(p, { recursive: true, force: true })),
  );
  if (writeJpegs) await mkdir(framesDir, { recursive: true });
  await Promise.all(ids.map((id) => mkdir(join(masksDir, String(id)), { recursive: true })));

  const objects: SyntheticObjectMeta[] = scene.objects.map((o, i) => ({
    id: o.id,
    shape: o.shape,
    colour: o.colour,
    zIndex: scene.drawOrder.indexOf(i),
    firstVisibleFrame: null,
    visible: [],
    area: [],
    clicks: [],
  }));

  const mp4 = mp4Path
    ? new Mp4Writer(mp4Path, { width, height, fps: scene.fps, ...(opts.mp4 === true ? {} : opts.mp4) })
    : null;
  const inFlight: Promise<unknown>[] = [];
  try {
    for (let f = 0; f < frames; f++) {
      const { rgb, labels, boxes } = renderFrame(scene, background, f);
      const truth = frameTruth(labels, width, height, ids, boxes);
      truth.forEach((t, i) => {
        const m = objects[i]!;
        m.visible.push(t.visible);
        m.area.push(t.area);
        m.clicks.push(t.click);
        if (t.visible && m.firstVisibleFrame === null) m.firstVisibleFrame = f;
      });
      const masks = masksOf(labels, ids, width, boxes);
      const writes: Promise<unknown>[] = ids.map((id, k) =>
        sharp(masks[k], { raw: { width, height, channels: 1 } })
          .toColourspace('b-w') // without it sharp widens the single channel to RGB on output
          .png({ compressionLevel: 6, adaptiveFiltering: false })
          .toFile(join(masksDir, String(id), frameFileName(f, 'png'))),
      );
      if (writeJpegs) {
        writes.push(
          sharp(rgb, { raw: { width, height, channels: 3 } })
            .jpeg({ quality, chromaSubsampling: '4:2:0', optimiseCoding: false }) // Huffman optimisation tripled encode time for ~5% size
            .toFile(join(framesDir, frameFileName(f, 'jpg'))),
        );
      }
      inFlight.push(Promise.all(writes));
      // The encoder must see frames in order; awaiting it here is also what throttles rendering to x264's pace.
      if (mp4) await mp4.write(rgb);
      if (inFlight.length >= MAX_FRAMES_IN_FLIGHT) await inFlight.shift();
    }
    await Promise.all(inFlight);
    if (mp4) await mp4.finish();
  } catch (err) {
    await Promise.allSettled(inFlight);
    if (mp4) await mp4.abort();
    throw err;
  }

  const meta: SyntheticClipMeta = {
    version: 1,
    width,
    height,
    frames,
    fps: scene.fps,
    seed: opts.seed ?? 1,
    occlusion: scene.occlusion,
    lateObject: scene.lateObject,
    occluder: scene.occluder,
    objects,
    files: {
      frames: writeJpegs ? 'frames/%05d.jpg' : null,
      masks: 'masks/<id>/%05d.png',
      mp4: mp4Path ? 'clip.mp4' : null,
    },
  };
  await writeFile(metaPath, JSON.stringify(meta));
  return { meta, framesDir, masksDir, metaPath, mp4Path };
}
