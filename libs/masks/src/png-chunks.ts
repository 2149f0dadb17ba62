/**
 * The PNG container: signature plus length/type/data/CRC chunks.
 *
 * pngjs can neither write palette (colour type 3) images nor hand back palette indices when
 * reading them (it expands to RGBA), and label masks need both, so the chunk layer is ours.
 */
import { crc32 } from 'node:zlib';

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export interface PngChunk {
  type: string;
  data: Uint8Array;
}

export interface PngHeader {
  width: number;
  height: number;
  bitDepth: number;
  colorType: number;
  interlace: number;
}

export function encodeChunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  out.set(data, 8);
  // The CRC covers type and data, not the length.
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

export function encodePng(chunks: readonly PngChunk[]): Buffer {
  return Buffer.concat([PNG_SIGNATURE, ...chunks.map((c) => encodeChunk(c.type, c.data))]);
}

/** Splits a PNG into chunks, verifying the signature and every CRC (corrupt masks must not load). */
export function decodeChunks(png: Buffer): PngChunk[] {
  if (png.length < 8 || !png.subarray(0, 8).equals(PNG_SIGNATURE)) throw new Error('not a PNG file');
  const chunks: PngChunk[] = [];
  let p = 8;
  while (p < png.length) {
    if (p + 12 > png.length) throw new Error('PNG truncated in a chunk header');
    const length = png.readUInt32BE(p);
    const end = p + 12 + length;
    if (end > png.length) throw new Error('PNG truncated in a chunk body');
    const type = png.toString('latin1', p + 4, p + 8);
    const crc = png.readUInt32BE(end - 4);
    if (crc32(png.subarray(p + 4, end - 4)) !== crc) throw new Error(`PNG chunk ${type}: CRC mismatch`);
    chunks.push({ type, data: png.subarray(p + 8, end - 4) });
    p = end;
    if (type === 'IEND') break;
  }
  if (chunks[0]?.type !== 'IHDR') throw new Error('PNG does not start with IHDR');
  return chunks;
}

export function encodeHeader(h: PngHeader): Uint8Array {
  const data = Buffer.alloc(13);
  data.writeUInt32BE(h.width, 0);
  data.writeUInt32BE(h.height, 4);
  data[8] = h.bitDepth;
  data[9] = h.colorType;
  data[10] = 0; // compression: deflate, the only one defined
  data[11] = 0; // filter method: adaptive, the only one defined
  data[12] = h.interlace;
  return data;
}

export function decodeHeader(chunk: PngChunk): PngHeader {
  if (chunk.type !== 'IHDR' || chunk.data.length !== 13) throw new Error('invalid PNG IHDR');
  const d = new DataView(chunk.data.buffer, chunk.data.byteOffset, chunk.data.byteLength);
  return {
    width: d.getUint32(0),
    height: d.getUint32(4),
    bitDepth: d.getUint8(8),
    colorType: d.getUint8(9),
    interlace: d.getUint8(12),
  };
}
