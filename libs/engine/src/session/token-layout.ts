/** Memory features arrive channels-first [Cm, Hm*Wm]; attention wants token-major [Hm*Wm, Cm]. */
import { toBfloat16 } from '../numerics/bfloat16';

export function bfloat16TokenMajor(channelsFirst: Float32Array, channels: number): Uint16Array {
  const tokens = channelsFirst.length / channels;
  const transposed = new Float32Array(channelsFirst.length);
  for (let c = 0; c < channels; c++) {
    const base = c * tokens;
    for (let i = 0; i < tokens; i++) transposed[i * channels + c] = channelsFirst[base + i]!;
  }
  return toBfloat16(transposed);
}
