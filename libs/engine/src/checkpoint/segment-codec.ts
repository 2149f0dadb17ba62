/**
 * The byte layout of a checkpoint segment, shared by the in-process encoder and the encoder thread:
 * "MSKLCKPT" | u32 version | u32 flags | zlib( u32 headerBytes | header JSON | bytePlanes(blobs) ).
 */
import { deflateSync } from 'node:zlib';
import { toBytePlanes } from './byte-planes';

export const SEGMENT_MAGIC = Buffer.from('MSKLCKPT', 'ascii');
/** 4: frame outputs carry the predicted IoU (FRAME_OUTPUT_LAYOUT 2). Version 3 segments are still read. */
export const CHECKPOINT_VERSION = 4;
/** Versions restoreSession reads, with the frame-output layout each one stores. */
export const FRAME_LAYOUT_OF_VERSION: ReadonlyMap<number, number> = new Map([
  [3, 1],
  [4, 2],
]);
export const SEGMENT_PREFIX_BYTES = 16;

/** The uncompressed body: header length, header JSON, then the blobs' byte planes. */
export function segmentBody(headerJson: string, blobs: Buffer | readonly Buffer[]): Buffer {
  const header = Buffer.from(headerJson, 'utf8');
  const body = toBytePlanes(blobs, 4 + header.length);
  body.writeUInt32LE(header.length, 0);
  header.copy(body, 4);
  return body;
}

export function segmentPrefix(): Buffer {
  const prefix = Buffer.alloc(SEGMENT_PREFIX_BYTES);
  SEGMENT_MAGIC.copy(prefix, 0);
  prefix.writeUInt32LE(CHECKPOINT_VERSION, 8);
  prefix.writeUInt32LE(0, 12);
  return prefix;
}

/**
 * Output buffer size for (de)compression. Node's default (16 KiB) returns to the main thread once per
 * 16 KiB for async calls: for a multi-megabyte checkpoint that is hundreds of callbacks, each waiting
 * behind an engine call on the event loop (profiled: ~0.15 s of main thread per 32-frame segment).
 */
export const zlibChunk = (expectedBytes: number): number => Math.min(8 << 20, Math.max(64 << 10, expectedBytes));

/** The whole segment, synchronously (for a thread of its own). */
export function encodeSegmentSync(
  headerJson: string,
  blobs: Buffer | readonly Buffer[],
): { data: Buffer; rawBytes: number } {
  const body = segmentBody(headerJson, blobs);
  const compressed = deflateSync(body, { level: 1, chunkSize: zlibChunk(body.length) });
  return { data: Buffer.concat([segmentPrefix(), compressed]), rawBytes: body.length };
}
