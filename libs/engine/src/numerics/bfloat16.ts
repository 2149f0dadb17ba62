/**
 * SAM 2's video predictor stores memory features in bfloat16 and casts them back to float32 when
 * attending. Parity needs the same rounding: round to nearest, ties to even, NaN kept quiet.
 */
export function toBfloat16(src: Float32Array, dst: Uint16Array = new Uint16Array(src.length)): Uint16Array {
  const bits = new Uint32Array(src.buffer, src.byteOffset, src.length);
  for (let i = 0; i < bits.length; i++) {
    const b = bits[i]!;
    if ((b & 0x7fffffff) > 0x7f800000) {
      dst[i] = ((b >>> 16) | 0x0040) & 0xffff;
      continue;
    }
    dst[i] = ((b + 0x7fff + ((b >>> 16) & 1)) >>> 16) & 0xffff;
  }
  return dst;
}

/** Expands bfloat16 into float32 at `dst[offset..]`. */
export function fromBfloat16(src: Uint16Array, dst: Float32Array, offset = 0): void {
  const bits = new Uint32Array(dst.buffer, dst.byteOffset + offset * 4, src.length);
  for (let i = 0; i < src.length; i++) bits[i] = src[i]! << 16;
}
