/**
 * Mask PNGs: writing DAVIS-style indexed label images and reading the mask formats found in VOS
 * datasets and user uploads.
 *
 * Palette images go through our own decoder so labels come back as palette indices (pngjs would
 * expand them to colours, and distinct labels may share a colour). Greyscale and RGB(A) images
 * are decoded by pngjs, which also covers 16-bit, low bit depths and interlacing.
 */
import { deflateSync, inflateSync } from 'node:zlib';
import { PNG } from 'pngjs';
import { davisPalette } from './palette';
import { decodeChunks, decodeHeader, encodeHeader, encodePng, type PngChunk, type PngHeader } from './png-chunks';
import { unfilterScanlines } from './png-unfilter';

export interface LabelImage {
  width: number;
  height: number;
  /** Row-major; 0 = background, k = object k. */
  labels: Uint8Array;
}

const COLOR_TYPE_PALETTE = 3;
const DAVIS_PALETTE = davisPalette();

/** 8-bit palette PNG with the full 256-entry DAVIS palette, as DAVIS annotations are stored. */
export function writeIndexedPng(labels: Uint8Array, width: number, height: number): Buffer {
  // PNG has no zero-sized images.
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`PNG dimensions must be positive integers, got ${width}x${height}`);
  }
  if (labels.length !== width * height) {
    throw new RangeError(`labels has ${labels.length} entries, expected ${width}x${height} = ${width * height}`);
  }
  // Filter type 0 on every row: label maps are long constant runs that deflate already squeezes,
  // so adaptive filtering would cost time for no real size gain.
  const stride = width + 1;
  const raw = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) raw.set(labels.subarray(y * width, (y + 1) * width), y * stride + 1);
  return encodePng([
    { type: 'IHDR', data: encodeHeader({ width, height, bitDepth: 8, colorType: COLOR_TYPE_PALETTE, interlace: 0 }) },
    { type: 'PLTE', data: DAVIS_PALETTE },
    { type: 'IDAT', data: deflateSync(raw) },
    { type: 'IEND', data: Buffer.alloc(0) },
  ]);
}

/**
 * Reads a mask PNG into labels:
 * - palette: label = palette index (DAVIS-2017 style, multi-object);
 * - greyscale: value >= 128 -> 1 (DAVIS-2016 ground truth stores 0/255; anti-aliased or
 *   resampled masks keep working). Greyscale files holding small label ids (0, 1, 2 ...) are NOT
 *   treated as labels: they all read as background;
 * - RGB(A): any non-black pixel -> 1.
 * Fully transparent pixels of greyscale/RGB images count as background, since tools that export
 * overlays often leave arbitrary colour under alpha 0.
 */
export function readMaskPng(png: Uint8Array): LabelImage {
  const buffer = Buffer.isBuffer(png) ? png : Buffer.from(png.buffer, png.byteOffset, png.byteLength);
  const chunks = decodeChunks(buffer);
  const header = decodeHeader(chunks[0] as PngChunk);
  if (header.width < 1 || header.height < 1) throw new Error(`PNG has invalid size ${header.width}x${header.height}`);
  if (header.colorType !== COLOR_TYPE_PALETTE) return readThresholded(buffer);
  const plte = chunks.find((c) => c.type === 'PLTE');
  if (!plte) throw new Error('palette PNG without a PLTE chunk');
  return header.interlace === 0 ? readIndexed(chunks, header) : readInterlacedIndexed(buffer, plte.data);
}

function readIndexed(chunks: PngChunk[], header: PngHeader): LabelImage {
  const { width, height, bitDepth } = header;
  if (bitDepth !== 1 && bitDepth !== 2 && bitDepth !== 4 && bitDepth !== 8) {
    throw new Error(`palette PNG with invalid bit depth ${bitDepth}`);
  }
  const rowBytes = Math.ceil((width * bitDepth) / 8);
  const idat = Buffer.concat(chunks.filter((c) => c.type === 'IDAT').map((c) => c.data));
  // Cap inflation at the exact image size so a hostile upload cannot balloon memory.
  const raw = inflateSync(idat, { maxOutputLength: (rowBytes + 1) * height });
  const rows = unfilterScanlines(raw, rowBytes, height, 1);
  if (bitDepth === 8) return { width, height, labels: rows };

  const labels = new Uint8Array(width * height);
  const valueMask = (1 << bitDepth) - 1;
  for (let y = 0; y < height; y++) {
    const row = y * rowBytes;
    for (let x = 0; x < width; x++) {
      const bit = x * bitDepth;
      const byte = rows[row + (bit >> 3)] as number;
      // Sub-byte pixels are packed most-significant bits first.
      labels[y * width + x] = (byte >> (8 - bitDepth - (bit & 7))) & valueMask;
    }
  }
  return { width, height, labels };
}

/**
 * Adam7-interlaced palette files are rare enough that we let pngjs de-interlace them to RGBA
 * and map colours back to indices; that is only sound when every palette colour is unique.
 */
function readInterlacedIndexed(buffer: Buffer, plte: Uint8Array): LabelImage {
  const indexByColour = new Map<number, number>();
  for (let i = 0; i + 2 < plte.length; i += 3) {
    const key = ((plte[i] as number) << 16) | ((plte[i + 1] as number) << 8) | (plte[i + 2] as number);
    if (indexByColour.has(key)) {
      throw new Error('interlaced palette PNG with duplicate palette colours: labels are ambiguous');
    }
    indexByColour.set(key, i / 3);
  }
  const image = PNG.sync.read(buffer);
  const { width, height, data } = image;
  const labels = new Uint8Array(width * height);
  for (let i = 0; i < labels.length; i++) {
    const key = ((data[4 * i] as number) << 16) | ((data[4 * i + 1] as number) << 8) | (data[4 * i + 2] as number);
    const index = indexByColour.get(key);
    if (index === undefined) throw new Error(`pixel ${i} has a colour outside the palette`);
    labels[i] = index;
  }
  return { width, height, labels };
}

function readThresholded(buffer: Buffer): LabelImage {
  // pngjs hands back 8-bit RGBA whatever the source depth, greyscale replicated into R, G and B.
  const image = PNG.sync.read(buffer);
  const { width, height, data } = image;
  const greyscale = (image.colorType & 2) === 0;
  const labels = new Uint8Array(width * height);
  for (let i = 0; i < labels.length; i++) {
    const r = data[4 * i] as number;
    const g = data[4 * i + 1] as number;
    const b = data[4 * i + 2] as number;
    const a = data[4 * i + 3] as number;
    const on = greyscale ? r >= 128 : (r | g | b) !== 0;
    labels[i] = on && a !== 0 ? 1 : 0;
  }
  return { width, height, labels };
}
