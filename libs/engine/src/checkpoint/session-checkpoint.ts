/**
 * The whole session state as a versioned binary: prompts, conditioning and tracked outputs (memory
 * in bfloat16, pointers, the logits a later correction needs), temporary prompt outputs, which
 * frames were tracked in which direction, and the memory positional encoding. Restoring it in a
 * fresh process and continuing gives bit-identical masks to never stopping.
 *
 * Incremental checkpoints: with `{ incremental: true }` the non-conditioning outputs already stored
 * by an earlier incremental checkpoint of this session (and unchanged since) are only listed by
 * frame (`external`), not written again, so a checkpoint after every chunk costs that chunk, not the
 * whole video so far. Such a checkpoint is one segment of a chain; `restoreSession` takes the chain
 * oldest first and finds each external output in the newest earlier segment that holds it inline.
 *
 * Layout: "MSKLCKPT" | u32 version | u32 flags | zlib( u32 headerBytes | header JSON | bytePlanes(blobs) ).
 * Every blob is a whole number of 4-byte words (the tracked flags are padded), so the byte planes line
 * up with the float32 / bfloat16-pair values (see byte-planes.ts).
 */
import { promisify } from 'node:util';
import { deflate, inflate } from 'node:zlib';
import type { FrameSource } from '@masklet/video';
import { SamModel } from '../runtime/sam-model';
import { fromBytePlanes } from './byte-planes';
import {
  FRAME_LAYOUT_OF_VERSION,
  SEGMENT_MAGIC as MAGIC,
  segmentBody,
  segmentPrefix,
  zlibChunk,
} from './segment-codec';
import { decodeFrameOutput, encodeFrameOutput, frameOutputBytes, FrameOutput } from '../state/frame-output';
import { ObjectTrack } from '../state/object-track';
import { EngineInputError } from '../session/types';
import { VideoSession, VideoSessionOptions } from '../session/video-session';

export { CHECKPOINT_VERSION } from './segment-codec';

const deflateAsync = promisify(deflate);
const inflateAsync = promisify(inflate);

interface ObjectHeader {
  id: number;
  points: { frame: number; count: number }[];
  maskFrames: number[];
  cond: number[];
  tempCond: number[];
  tempNonCond: number[];
  /** Non-conditioning outputs written in this segment. */
  nonCond: number[];
  /** Non-conditioning outputs the session holds that an earlier segment of the chain stores. */
  external: number[];
}

interface CheckpointHeader {
  model: {
    name: string;
    imageSize: number;
    hiddenDim: number;
    memoryDim: number;
    lowResMaskSize: number;
    memoryTokens: number;
  };
  video: { numFrames: number; width: number; height: number };
  lastFrame: number;
  framesTracked: number;
  hasMemoryPosEnc: boolean;
  objects: ObjectHeader[];
}

function modelIdentity(session: VideoSession): CheckpointHeader['model'] {
  const m = session.model.manifest;
  return {
    name: m.name,
    imageSize: m.imageSize,
    hiddenDim: m.hiddenDim,
    memoryDim: m.memoryDim,
    lowResMaskSize: m.lowResMaskSize,
    memoryTokens: m.memoryFeatureSize[0] * m.memoryFeatureSize[1],
  };
}

/** Zero bytes after the per-frame tracked flags so every blob stays word-aligned. */
const trackedPadding = (numFrames: number): number => (4 - (numFrames % 4)) % 4;

const f32Bytes = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

export interface CheckpointSummary {
  bytes: number;
  rawBytes: number;
  /** outputs: written in this segment; external: held by earlier segments of the chain. */
  perObject: { objectId: number; outputs: number; external: number; rawBytes: number }[];
}

/** A finished segment: its bytes and what it holds. */
export interface EncodedCheckpoint {
  data: Buffer;
  summary: CheckpointSummary;
}

export interface CheckpointOptions {
  /** Leave out non-conditioning outputs an earlier incremental checkpoint stored (see the file comment). */
  incremental?: boolean;
}

/**
 * A consistent copy of the session state, not yet laid out or compressed. Taking it is the only part
 * that must happen while the session stands still (the next frame changes the state); encoding it can
 * run later, e.g. behind the next chunk's compute.
 */
export interface CapturedCheckpoint {
  header: CheckpointHeader;
  /** Word-aligned blobs in the order restoreSession reads them (copies: the session may move on). */
  blobs: Buffer[];
  perObject: CheckpointSummary['perObject'];
}

export async function captureCheckpoint(
  session: VideoSession,
  options: CheckpointOptions = {},
): Promise<CapturedCheckpoint> {
  const blobs: Buffer[] = [];
  const objects: ObjectHeader[] = [];
  const perObject: CheckpointSummary['perObject'] = [];
  const outputBytes = frameOutputBytes(session.sizes);
  const pos = session.conditioning.memoryPosEncChannelsFirst();
  if (pos) blobs.push(Buffer.from(f32Bytes(pos)));
  for (const track of session.tracks.values()) {
    const header: ObjectHeader = {
      id: track.id,
      points: [],
      maskFrames: [...track.maskFrames],
      cond: [],
      tempCond: [],
      tempNonCond: [],
      nonCond: [],
      external: [],
    };
    for (const [frame, prompt] of track.points) {
      header.points.push({ frame, count: prompt.labels.length });
      blobs.push(Buffer.from(f32Bytes(prompt.coords)), Buffer.from(f32Bytes(prompt.labels)));
    }
    blobs.push(Buffer.concat([Buffer.from(track.tracked), Buffer.alloc(trackedPadding(track.tracked.length))]));
    const write = (list: number[], frame: number, out: FrameOutput) => {
      list.push(frame);
      blobs.push(encodeFrameOutput(out, session.sizes));
    };
    for (const [frame, out] of track.cond) write(header.cond, frame, out);
    for (const [frame, out] of track.tempCond) write(header.tempCond, frame, out);
    for (const [frame, out] of track.tempNonCond) write(header.tempNonCond, frame, out);
    for (const frame of track.nonCondFrames()) {
      if (options.incremental && track.isPersisted(frame)) {
        header.external.push(frame);
        continue;
      }
      header.nonCond.push(frame);
      blobs.push((await track.getNonCondEncoded(frame, session.sizes))!);
      if (options.incremental) track.markPersisted(frame);
    }
    const outputs = header.cond.length + header.tempCond.length + header.tempNonCond.length + header.nonCond.length;
    perObject.push({ objectId: track.id, outputs, external: header.external.length, rawBytes: outputs * outputBytes });
    objects.push(header);
  }
  const info = session.source.info;
  const header: CheckpointHeader = {
    model: modelIdentity(session),
    video: { numFrames: info.numFrames, width: info.width, height: info.height },
    lastFrame: session.lastFrame,
    framesTracked: session.framesTracked,
    hasMemoryPosEnc: pos !== undefined,
    objects,
  };
  return { header, blobs, perObject };
}

/** Lays out and compresses a captured state (the format in the file comment) on libuv's thread pool. */
export async function encodeCheckpoint(captured: CapturedCheckpoint): Promise<EncodedCheckpoint> {
  const body = segmentBody(JSON.stringify(captured.header), captured.blobs);
  const compressed = await deflateAsync(body, { level: 1, chunkSize: zlibChunk(body.length) });
  const data = Buffer.concat([segmentPrefix(), compressed]);
  return { data, summary: { bytes: data.length, rawBytes: body.length, perObject: captured.perObject } };
}

export async function checkpointSession(
  session: VideoSession,
  options: CheckpointOptions = {},
): Promise<EncodedCheckpoint> {
  return encodeCheckpoint(await captureCheckpoint(session, options));
}

interface ParsedSegment {
  header: CheckpointHeader;
  /** The frame-output layout of this segment's blobs (a chain may mix versions after an upgrade). */
  layout: number;
  /** The blobs, back in their natural byte order. */
  blobs: Buffer;
}

async function parseSegment(data: Buffer): Promise<ParsedSegment> {
  if (data.length < 16 || !data.subarray(0, 8).equals(MAGIC))
    throw new EngineInputError('bad_checkpoint', 'not a Masklet checkpoint (bad magic)');
  const version = data.readUInt32LE(8);
  const layout = FRAME_LAYOUT_OF_VERSION.get(version);
  if (layout === undefined)
    throw new EngineInputError(
      'bad_checkpoint',
      `checkpoint version ${version} is not supported (expected ${[...FRAME_LAYOUT_OF_VERSION.keys()].join(' or ')})`,
    );
  let body: Buffer;
  try {
    body = await inflateAsync(data.subarray(16), { chunkSize: zlibChunk(data.length * 2) });
  } catch (err) {
    throw new EngineInputError('bad_checkpoint', `checkpoint is corrupt (${(err as Error).message})`);
  }
  const headerBytes = body.readUInt32LE(0);
  const header = JSON.parse(body.subarray(4, 4 + headerBytes).toString('utf8')) as CheckpointHeader;
  return { header, layout, blobs: fromBytePlanes(body.subarray(4 + headerBytes)) };
}

/** Reads a segment's blobs in the order `checkpointSession` wrote them. */
class BlobReader {
  constructor(
    private readonly body: Buffer,
    private offset: number,
  ) {}

  take(bytes: number): Buffer {
    const slice = this.body.subarray(this.offset, this.offset + bytes);
    if (slice.length !== bytes) throw new EngineInputError('bad_checkpoint', 'checkpoint is truncated');
    this.offset += bytes;
    return slice;
  }

  floats(count: number): Float32Array {
    const out = new Float32Array(count);
    this.take(count * 4).copy(Buffer.from(out.buffer));
    return out;
  }
}

/** Skips one object's prompts, tracked flags and prompt outputs; returns its inline non-conditioning outputs by frame. */
function inlineNonCond(
  reader: BlobReader,
  obj: ObjectHeader,
  numFrames: number,
  outputBytes: number,
): Map<number, Buffer> {
  for (const p of obj.points) reader.take(p.count * 12);
  reader.take(numFrames + trackedPadding(numFrames));
  reader.take((obj.cond.length + obj.tempCond.length + obj.tempNonCond.length) * outputBytes);
  const out = new Map<number, Buffer>();
  for (const f of obj.nonCond) out.set(f, reader.take(outputBytes));
  return out;
}

/**
 * Restores a session from one checkpoint, or from a chain of incremental ones (oldest first; the last
 * one is the state, earlier ones supply the outputs it lists as external).
 */
export async function restoreSession(
  model: SamModel,
  source: FrameSource,
  chain: Buffer | readonly Buffer[],
  options: VideoSessionOptions = {},
): Promise<VideoSession> {
  const segments = Buffer.isBuffer(chain) ? [chain] : chain;
  if (segments.length === 0) throw new EngineInputError('bad_checkpoint', 'empty checkpoint chain');
  const head = await parseSegment(segments[segments.length - 1]!);
  const header = head.header;
  const session = new VideoSession(model, source, options);
  const expectedModel = modelIdentity(session);
  if (JSON.stringify(expectedModel) !== JSON.stringify(header.model)) {
    throw new EngineInputError(
      'checkpoint_model_mismatch',
      `checkpoint was made with model ${JSON.stringify(header.model)}, this session runs ${JSON.stringify(expectedModel)}`,
    );
  }
  const info = source.info;
  if (
    header.video.numFrames !== info.numFrames ||
    header.video.width !== info.width ||
    header.video.height !== info.height
  ) {
    throw new EngineInputError(
      'checkpoint_video_mismatch',
      `checkpoint is for a ${header.video.width}x${header.video.height} video of ${header.video.numFrames} frames`,
    );
  }
  const reader = new BlobReader(head.blobs, 0);
  const m = model.manifest;
  const window = Math.max(m.maxObjPtrsInEncoder, m.numMaskmem) * m.tracking.memoryTemporalStrideForEval;
  if (header.hasMemoryPosEnc) session.conditioning.setMemoryPosEnc(reader.floats(session.sizes.memoryValues));
  const outputBytes = frameOutputBytes(session.sizes, head.layout);
  const missing = new Map<number, Set<number>>();
  for (const obj of header.objects) {
    const track = new ObjectTrack(obj.id, info.numFrames, session.archive);
    session.tracks.set(obj.id, track);
    for (const p of obj.points)
      track.points.set(p.frame, { coords: reader.floats(p.count * 2), labels: reader.floats(p.count) });
    for (const f of obj.maskFrames) track.maskFrames.add(f);
    reader
      .take(info.numFrames + trackedPadding(info.numFrames))
      .copy(Buffer.from(track.tracked.buffer), 0, 0, info.numFrames);
    const read = () => decodeFrameOutput(reader.take(outputBytes), session.sizes, head.layout);
    for (const f of obj.cond) track.cond.set(f, read());
    for (const f of obj.tempCond) track.tempCond.set(f, read());
    for (const f of obj.tempNonCond) track.tempNonCond.set(f, read());
    for (const f of obj.nonCond) {
      track.setNonCond(f, read());
      track.markPersisted(f);
    }
    if (obj.external.length > 0) missing.set(obj.id, new Set(obj.external));
    await track.evictAround(header.lastFrame, window);
  }
  // External outputs: newest earlier segment first, one segment inflated at a time.
  for (let i = segments.length - 2; i >= 0 && [...missing.values()].some((s) => s.size > 0); i--) {
    const seg = await parseSegment(segments[i]!);
    if (
      seg.header.video.numFrames !== info.numFrames ||
      JSON.stringify(seg.header.model) !== JSON.stringify(header.model)
    ) {
      throw new EngineInputError('bad_checkpoint', `checkpoint chain segment ${i} belongs to another model or video`);
    }
    const segReader = new BlobReader(seg.blobs, 0);
    if (seg.header.hasMemoryPosEnc) segReader.take(session.sizes.memoryValues * 4);
    for (const obj of seg.header.objects) {
      const inline = inlineNonCond(segReader, obj, info.numFrames, frameOutputBytes(session.sizes, seg.layout));
      const want = missing.get(obj.id);
      const track = session.tracks.get(obj.id);
      if (!want || !track) continue;
      for (const [f, bytes] of inline) {
        if (!want.delete(f)) continue;
        track.setNonCond(f, decodeFrameOutput(bytes, session.sizes, seg.layout));
        track.markPersisted(f);
      }
      await track.evictAround(header.lastFrame, window);
    }
  }
  for (const [id, want] of missing) {
    if (want.size > 0)
      throw new EngineInputError(
        'bad_checkpoint',
        `checkpoint chain lacks ${want.size} outputs of object ${id} (first: frame ${[...want][0]})`,
      );
  }
  session.lastFrame = header.lastFrame;
  session.framesTracked = header.framesTracked;
  return session;
}
