/**
 * The whole session state as a versioned binary: prompts, conditioning and tracked outputs (memory
 * in bfloat16, pointers, the logits a later correction needs), temporary prompt outputs, which
 * frames were tracked in which direction, and the memory positional encoding. Restoring it in a
 * fresh process and continuing gives bit-identical masks to never stopping.
 *
 * Layout: "MSKLCKPT" | u32 version | u32 flags | zlib( u32 headerBytes | header JSON | blobs ).
 */
import { promisify } from 'node:util';
import { deflate, inflate } from 'node:zlib';
import type { FrameSource } from '@masklet/video';
import { SamModel } from '../runtime/sam-model';
import { decodeFrameOutput, encodeFrameOutput, frameOutputBytes, FrameOutput } from '../state/frame-output';
import { ObjectTrack } from '../state/object-track';
import { EngineInputError } from '../session/types';
import { VideoSession, VideoSessionOptions } from '../session/video-session';

const MAGIC = Buffer.from('MSKLCKPT', 'ascii');
export const CHECKPOINT_VERSION = 1;
const deflateAsync = promisify(deflate);
const inflateAsync = promisify(inflate);

interface ObjectHeader {
  id: number;
  points: { frame: number; count: number }[];
  maskFrames: number[];
  cond: number[];
  tempCond: number[];
  tempNonCond: number[];
  nonCond: number[];
}

interface CheckpointHeader {
  model: { name: string; imageSize: number; hiddenDim: number; memoryDim: number; lowResMaskSize: number; memoryTokens: number };
  video: { numFrames: number; width: number; height: number };
  lastFrame: number;
  framesTracked: number;
  hasMemoryPosEnc: boolean;
  objects: ObjectHeader[];
}

function modelIdentity(session: VideoSession): CheckpointHeader['model'] {
  const m = session.model.manifest;
  return { name: m.name, imageSize: m.imageSize, hiddenDim: m.hiddenDim, memoryDim: m.memoryDim, lowResMaskSize: m.lowResMaskSize, memoryTokens: m.memoryFeatureSize[0] * m.memoryFeatureSize[1] };
}

const f32Bytes = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

export interface CheckpointSummary {
  bytes: number;
  rawBytes: number;
  perObject: { objectId: number; outputs: number; rawBytes: number }[];
}

export async function checkpointSession(session: VideoSession): Promise<{ data: Buffer; summary: CheckpointSummary }> {
  const blobs: Buffer[] = [];
  const objects: ObjectHeader[] = [];
  const perObject: CheckpointSummary['perObject'] = [];
  const outputBytes = frameOutputBytes(session.sizes);
  const pos = session.conditioning.memoryPosEncChannelsFirst();
  if (pos) blobs.push(Buffer.from(f32Bytes(pos)));
  for (const track of session.tracks.values()) {
    const header: ObjectHeader = { id: track.id, points: [], maskFrames: [...track.maskFrames], cond: [], tempCond: [], tempNonCond: [], nonCond: [] };
    for (const [frame, prompt] of track.points) {
      header.points.push({ frame, count: prompt.labels.length });
      blobs.push(Buffer.from(f32Bytes(prompt.coords)), Buffer.from(f32Bytes(prompt.labels)));
    }
    blobs.push(Buffer.from(track.tracked));
    const write = (list: number[], frame: number, out: FrameOutput) => {
      list.push(frame);
      blobs.push(encodeFrameOutput(out, session.sizes));
    };
    for (const [frame, out] of track.cond) write(header.cond, frame, out);
    for (const [frame, out] of track.tempCond) write(header.tempCond, frame, out);
    for (const [frame, out] of track.tempNonCond) write(header.tempNonCond, frame, out);
    const nonCondFrames = [...[...track.hotFrames()].map(([f]) => f), ...track.archivedFrames()].sort((a, b) => a - b);
    for (const frame of nonCondFrames) write(header.nonCond, frame, (await track.getNonCond(frame))!);
    const outputs = header.cond.length + header.tempCond.length + header.tempNonCond.length + header.nonCond.length;
    perObject.push({ objectId: track.id, outputs, rawBytes: outputs * outputBytes });
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
  const headerJson = Buffer.from(JSON.stringify(header), 'utf8');
  const headerLen = Buffer.alloc(4);
  headerLen.writeUInt32LE(headerJson.length);
  const body = Buffer.concat([headerLen, headerJson, ...blobs]);
  const compressed = await deflateAsync(body, { level: 1 });
  const prefix = Buffer.alloc(16);
  MAGIC.copy(prefix, 0);
  prefix.writeUInt32LE(CHECKPOINT_VERSION, 8);
  prefix.writeUInt32LE(0, 12);
  const data = Buffer.concat([prefix, compressed]);
  return { data, summary: { bytes: data.length, rawBytes: body.length, perObject } };
}

export async function restoreSession(model: SamModel, source: FrameSource, data: Buffer, options: VideoSessionOptions = {}): Promise<VideoSession> {
  if (data.length < 16 || !data.subarray(0, 8).equals(MAGIC)) throw new EngineInputError('bad_checkpoint', 'not a Masklet checkpoint (bad magic)');
  const version = data.readUInt32LE(8);
  if (version !== CHECKPOINT_VERSION) throw new EngineInputError('bad_checkpoint', `checkpoint version ${version} is not supported (expected ${CHECKPOINT_VERSION})`);
  let body: Buffer;
  try {
    body = await inflateAsync(data.subarray(16));
  } catch (err) {
    throw new EngineInputError('bad_checkpoint', `checkpoint is corrupt (${(err as Error).message})`);
  }
  const headerBytes = body.readUInt32LE(0);
  const header = JSON.parse(body.subarray(4, 4 + headerBytes).toString('utf8')) as CheckpointHeader;
  const session = new VideoSession(model, source, options);
  const expectedModel = modelIdentity(session);
  if (JSON.stringify(expectedModel) !== JSON.stringify(header.model)) {
    throw new EngineInputError('checkpoint_model_mismatch', `checkpoint was made with model ${JSON.stringify(header.model)}, this session runs ${JSON.stringify(expectedModel)}`);
  }
  const info = source.info;
  if (header.video.numFrames !== info.numFrames || header.video.width !== info.width || header.video.height !== info.height) {
    throw new EngineInputError('checkpoint_video_mismatch', `checkpoint is for a ${header.video.width}x${header.video.height} video of ${header.video.numFrames} frames`);
  }
  let offset = 4 + headerBytes;
  const take = (bytes: number): Buffer => {
    const slice = body.subarray(offset, offset + bytes);
    offset += bytes;
    return slice;
  };
  const floats = (count: number): Float32Array => {
    const out = new Float32Array(count);
    take(count * 4).copy(Buffer.from(out.buffer));
    return out;
  };
  const m = model.manifest;
  if (header.hasMemoryPosEnc) session.conditioning.setMemoryPosEnc(floats(session.sizes.memoryValues));
  const outputBytes = frameOutputBytes(session.sizes);
  for (const obj of header.objects) {
    const track = new ObjectTrack(obj.id, info.numFrames, session.archive);
    session.tracks.set(obj.id, track);
    for (const p of obj.points) track.points.set(p.frame, { coords: floats(p.count * 2), labels: floats(p.count) });
    for (const f of obj.maskFrames) track.maskFrames.add(f);
    take(info.numFrames).copy(Buffer.from(track.tracked.buffer));
    const read = () => decodeFrameOutput(take(outputBytes), session.sizes);
    for (const f of obj.cond) track.cond.set(f, read());
    for (const f of obj.tempCond) track.tempCond.set(f, read());
    for (const f of obj.tempNonCond) track.tempNonCond.set(f, read());
    for (const f of obj.nonCond) track.setNonCond(f, read());
    await track.evictAround(header.lastFrame, Math.max(m.maxObjPtrsInEncoder, m.numMaskmem) * m.tracking.memoryTemporalStrideForEval);
  }
  session.lastFrame = header.lastFrame;
  session.framesTracked = header.framesTracked;
  return session;
}
