// Mask PNG I/O: palette round trips, PLTE contents, every filter and bit depth, real DAVIS ground truth.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync, inflateSync } from 'node:zlib';
import { PNG } from 'pngjs';
import sharp from 'sharp';
import { davisPalette, readMaskPng, writeIndexedPng } from '@masklet/masks';
import { decodeChunks, decodeHeader, encodeHeader, encodePng, type PngChunk } from './png-chunks';
import { DAVIS_ROOT, rng } from './test-support';

function randomLabels(rand: () => number, n: number, max: number): Uint8Array {
  return Uint8Array.from({ length: n }, () => Math.floor(rand() * (max + 1)));
}

/** A palette PNG assembled by hand, for layouts our writer never produces. */
function palettePng(
  header: { width: number; height: number; bitDepth: number; interlace: number },
  raw: number[],
): Buffer {
  return encodePng([
    { type: 'IHDR', data: encodeHeader({ ...header, colorType: 3 }) },
    { type: 'PLTE', data: davisPalette() },
    { type: 'IDAT', data: deflateSync(Buffer.from(raw)) },
    { type: 'IEND', data: new Uint8Array(0) },
  ]);
}

function greyPng(values: Uint8Array, width: number, height: number, filterType = -1): Buffer {
  const png = new PNG({ width, height, colorType: 0, inputColorType: 0, inputHasAlpha: false, filterType });
  png.data = Buffer.from(values);
  return PNG.sync.write(png, { colorType: 0, inputColorType: 0, inputHasAlpha: false, filterType });
}

describe('davisPalette', () => {
  it('starts with the familiar DAVIS / VOC colours and has no duplicates', () => {
    const p = davisPalette();
    assert.equal(p.length, 768);
    assert.deepEqual(Array.from(p.subarray(0, 12)), [0, 0, 0, 128, 0, 0, 0, 128, 0, 128, 128, 0]);
    // Labels 4..7: blue, purple, teal, grey; 8 = (64, 0, 0) as the bits move one place down.
    assert.deepEqual(Array.from(p.subarray(12, 27)), [0, 0, 128, 128, 0, 128, 0, 128, 128, 128, 128, 128, 64, 0, 0]);
    assert.deepEqual(Array.from(p.subarray(765)), [224, 224, 192]);
    const colours = new Set<number>();
    for (let i = 0; i < 256; i++)
      colours.add(((p[3 * i] as number) << 16) | ((p[3 * i + 1] as number) << 8) | (p[3 * i + 2] as number));
    assert.equal(colours.size, 256);
  });
});

describe('writeIndexedPng / readMaskPng', () => {
  it('round-trips labels and writes the DAVIS palette in PLTE', () => {
    const rand = rng(6);
    for (const [w, h] of [
      [1, 1],
      [7, 3],
      [64, 48],
      [33, 1],
      [1, 29],
    ] as const) {
      const labels = randomLabels(rand, w * h, 255);
      const png = writeIndexedPng(labels, w, h);
      const chunks = decodeChunks(png);
      const header = decodeHeader(chunks[0] as PngChunk);
      assert.deepEqual(header, { width: w, height: h, bitDepth: 8, colorType: 3, interlace: 0 });
      const plte = chunks.find((c) => c.type === 'PLTE');
      assert.ok(plte);
      assert.deepEqual(Array.from(plte.data.subarray(0, 12)), [0, 0, 0, 128, 0, 0, 0, 128, 0, 128, 128, 0]);
      assert.deepEqual(readMaskPng(png), { width: w, height: h, labels });
    }
  });

  it('produces a PNG an independent decoder (libvips) renders in palette colours', async () => {
    const w = 37;
    const h = 11;
    const labels = randomLabels(rng(7), w * h, 20);
    const { data, info } = await sharp(writeIndexedPng(labels, w, h))
      .raw()
      .toBuffer({ resolveWithObject: true });
    assert.equal(info.width, w);
    assert.equal(info.height, h);
    const palette = davisPalette();
    for (let i = 0; i < labels.length; i++) {
      const l = labels[i] as number;
      const px = Array.from(data.subarray(i * info.channels, i * info.channels + 3));
      assert.deepEqual(px, Array.from(palette.subarray(3 * l, 3 * l + 3)), `pixel ${i}`);
    }
  });

  it('validates its input', () => {
    assert.throws(() => writeIndexedPng(new Uint8Array(5), 2, 3), /expected 2x3/);
    assert.throws(() => writeIndexedPng(new Uint8Array(0), 0, 0), /positive integers/);
  });

  it('undoes all five scanline filters of palette images', () => {
    // 8-bit greyscale and 8-bit palette scanlines are byte-identical, so a pngjs greyscale file
    // (pngjs can force each filter type) relabelled as colour type 3 is a filtered palette PNG.
    const w = 41;
    const h = 30;
    const rand = rng(8);
    // Few distinct labels make the Paeth predictor's tie-breaking rules matter.
    for (const [filterType, maxLabel] of [0, 1, 2, 3, 4, 4].map((f, i) => [f, i === 5 ? 255 : 3] as const)) {
      const labels = randomLabels(rand, w * h, maxLabel);
      const chunks = decodeChunks(greyPng(labels, w, h, filterType)).map((c) =>
        c.type === 'IHDR' ? { type: 'IHDR', data: encodeHeader({ ...decodeHeader(c), colorType: 3 }) } : c,
      );
      // Make sure pngjs really used the filter, or this test proves nothing.
      const raw = inflateSync(Buffer.concat(chunks.filter((c) => c.type === 'IDAT').map((c) => c.data)));
      for (let y = 0; y < h; y++) assert.equal(raw[y * (w + 1)], filterType);
      chunks.splice(1, 0, { type: 'PLTE', data: davisPalette() });
      assert.deepEqual(readMaskPng(encodePng(chunks)).labels, labels, `filter ${filterType}`);
    }
  });

  it('unpacks 1-, 2- and 4-bit palette images (most significant bits first)', () => {
    // 5 pixels per row; rows end with padding bits.
    const one = palettePng({ width: 5, height: 2, bitDepth: 1, interlace: 0 }, [0, 0b10110000, 0, 0b01001000]);
    assert.deepEqual(Array.from(readMaskPng(one).labels), [1, 0, 1, 1, 0, 0, 1, 0, 0, 1]);
    const two = palettePng({ width: 5, height: 1, bitDepth: 2, interlace: 0 }, [0, 0b00011011, 0b01000000]);
    assert.deepEqual(Array.from(readMaskPng(two).labels), [0, 1, 2, 3, 1]);
    const four = palettePng({ width: 3, height: 1, bitDepth: 4, interlace: 0 }, [0, 0xf2, 0x70]);
    assert.deepEqual(Array.from(readMaskPng(four).labels), [15, 2, 7]);
  });

  it('reads Adam7-interlaced palette images through the colour fallback', () => {
    // 2x2 Adam7: pass 1 holds (0,0), pass 6 holds (1,0), pass 7 holds row 1; each is its own
    // filtered sub-image with one filter byte per row.
    const png = palettePng({ width: 2, height: 2, bitDepth: 8, interlace: 1 }, [0, 3, 0, 1, 0, 0, 2]);
    assert.deepEqual(readMaskPng(png), { width: 2, height: 2, labels: Uint8Array.from([3, 1, 0, 2]) });
  });

  it('thresholds greyscale at 128', () => {
    const grey = Uint8Array.from([0, 127, 128, 255, 1, 200]);
    assert.deepEqual(Array.from(readMaskPng(greyPng(grey, 3, 2)).labels), [0, 0, 1, 1, 0, 1]);
  });

  it('reads RGB(A) as non-black = 1, transparent = 0', () => {
    const png = new PNG({ width: 4, height: 1 });
    png.data = Buffer.from([0, 0, 0, 255, 1, 0, 0, 255, 0, 0, 200, 255, 255, 255, 255, 0]);
    assert.deepEqual(Array.from(readMaskPng(PNG.sync.write(png)).labels), [0, 1, 1, 0]);
    const rgb = new PNG({ width: 2, height: 1, colorType: 2, inputHasAlpha: false });
    rgb.data = Buffer.from([0, 0, 0, 0, 9, 0]);
    assert.deepEqual(
      Array.from(readMaskPng(PNG.sync.write(rgb, { colorType: 2, inputHasAlpha: false })).labels),
      [0, 1],
    );
  });

  it('refuses corrupt files', () => {
    const png = writeIndexedPng(new Uint8Array(16), 4, 4);
    const corrupt = Buffer.from(png);
    const at = corrupt.length - 20; // inside IDAT
    corrupt[at] = (corrupt[at] as number) ^ 0xff;
    assert.throws(() => readMaskPng(corrupt), /CRC mismatch/);
    assert.throws(() => readMaskPng(Buffer.from('not a png')), /not a PNG/);
  });

  it('reads a real DAVIS-2016 ground-truth mask (8-bit greyscale 0/255)', async (t) => {
    const file = join(DAVIS_ROOT, 'blackswan', 'masks', '00000.png');
    if (!existsSync(file)) {
      t.diagnostic(`skipped: ${file} not found`);
      console.log(`[masks] DAVIS data absent (${file}); real-file assertion skipped`);
      return;
    }
    const bytes = readFileSync(file);
    const mask = readMaskPng(bytes);
    assert.equal(mask.width, 854);
    assert.equal(mask.height, 480);
    assert.ok(mask.labels.every((v) => v === 0 || v === 1));
    // Cross-check against libvips' decode of the same file.
    const { data, info } = await sharp(bytes).raw().toBuffer({ resolveWithObject: true });
    let expectedArea = 0;
    for (let i = 0; i < mask.labels.length; i++) {
      const on = (data[i * info.channels] as number) >= 128 ? 1 : 0;
      expectedArea += on;
      if (on !== mask.labels[i]) assert.fail(`pixel ${i} differs from libvips`);
    }
    assert.ok(expectedArea > 1000, 'the swan is there');
    // And it survives a trip through our indexed writer.
    assert.deepEqual(readMaskPng(writeIndexedPng(mask.labels, mask.width, mask.height)), mask);
  });
});
