// Dev only: a mask's area and centroid as one short string, for per-frame traces.
import type { BinaryMask } from '@masklet/masks';

export function describeMask(m: BinaryMask): string {
  let n = 0;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < m.data.length; i++)
    if (m.data[i]) {
      n++;
      sx += i % m.width;
      sy += Math.floor(i / m.width);
    }
  const at = (s: number) => (s / Math.max(n, 1)).toFixed(0);
  return `${String(n).padStart(6)} (${at(sx)},${at(sy)})`;
}
