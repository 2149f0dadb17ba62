/**
 * The 1-D sinusoidal encoding SAM 2 applies to object-pointer temporal offsets
 * (get_1d_sine_pe in the reference): sin for the first half of the channels, cos for the second,
 * frequencies temperature^(2*floor(i/2)/(dim/2)). Computed in float32 steps like the reference.
 */
export function sinePositionalEncoding(position: number, dim: number, temperature = 10000): Float32Array {
  const half = dim / 2;
  const out = new Float32Array(dim);
  for (let i = 0; i < half; i++) {
    const dimT = Math.fround(Math.pow(temperature, Math.fround((2 * Math.floor(i / 2)) / half)));
    const angle = Math.fround(Math.fround(position) / dimT);
    out[i] = Math.sin(angle);
    out[half + i] = Math.cos(angle);
  }
  return out;
}
