/**
 * Per frame presence, area and box of one object over a frame range, packed little-endian so that a
 * 100k-frame job's swim lanes cost a few hundred kB per object: presence 1 bit, area uint32, box 4 x uint16.
 */
export interface FrameTrackStat {
  present: boolean;
  area: number;
  /** [x0, y0, x1, y1] inclusive-exclusive in video pixels, or null when absent. */
  box: [number, number, number, number] | null;
}

export interface PackedTrackStats {
  presence: Buffer;
  areas: Buffer;
  boxes: Buffer;
}

export function packTrackStats(stats: readonly FrameTrackStat[]): PackedTrackStats {
  const n = stats.length;
  const presence = Buffer.alloc(Math.ceil(n / 8));
  const areas = Buffer.alloc(n * 4);
  const boxes = Buffer.alloc(n * 8);
  stats.forEach((s, i) => {
    if (s.present) presence[i >> 3]! |= 1 << (i & 7);
    areas.writeUInt32LE(Math.min(0xffffffff, Math.max(0, Math.round(s.area))), i * 4);
    const b = s.box ?? [0, 0, 0, 0];
    for (let k = 0; k < 4; k++) boxes.writeUInt16LE(Math.min(0xffff, Math.max(0, Math.round(b[k]!))), i * 8 + k * 2);
  });
  return { presence, areas, boxes };
}

export function unpackTrackStats(packed: PackedTrackStats, frames: number): FrameTrackStat[] {
  const out: FrameTrackStat[] = [];
  for (let i = 0; i < frames; i++) {
    const present = ((packed.presence[i >> 3] ?? 0) >> (i & 7)) & 1;
    const area = packed.areas.readUInt32LE(i * 4);
    const box: [number, number, number, number] = [0, 1, 2, 3].map((k) => packed.boxes.readUInt16LE(i * 8 + k * 2)) as [
      number,
      number,
      number,
      number,
    ];
    out.push({ present: present === 1, area, box: present ? box : null });
  }
  return out;
}
