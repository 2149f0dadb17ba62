// The SAM 2 preprocessing resize for sources that are already raw pixels in memory (images, synthetic
// frames). Bicubic and aspect-ratio-free so it matches ffmpeg's `scale=S:S:flags=bicubic` path in spirit.
import sharp from 'sharp';

export async function resizeRgbToSquare(
  rgb: Uint8Array,
  width: number,
  height: number,
  size: number,
): Promise<Uint8Array> {
  const out = await sharp(rgb, { raw: { width, height, channels: 3 } })
    .resize(size, size, { fit: 'fill', kernel: 'cubic' })
    .raw()
    .toBuffer();
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}
