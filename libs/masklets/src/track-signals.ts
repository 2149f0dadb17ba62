/**
 * Per frame decoder signals of one object over a frame range, next to its track stats: the
 * object-presence logit and the predicted IoU of the chosen mask. Packed little-endian, 4 bytes a
 * frame: int16 score in hundredths (clamped to +-327.67; an absent object's -1024 reads as -327.67)
 * and int16 IoU in ten-thousandths (the decoder's IoU head is not bounded to 0..1). -32768 = unknown
 * (a frame without an output, or restored from a checkpoint that predates the IoU).
 */
export interface FrameSignals {
  score: number | null;
  iou: number | null;
}

const UNKNOWN = -32768;
const SCORE_SCALE = 100;
const IOU_SCALE = 10_000;

function quantise(v: number | null, scale: number): number {
  if (v === null || !Number.isFinite(v)) return UNKNOWN;
  return Math.min(32767, Math.max(-32767, Math.round(v * scale)));
}

export function packTrackSignals(signals: readonly FrameSignals[]): Buffer {
  const out = Buffer.alloc(signals.length * 4);
  signals.forEach((s, i) => {
    out.writeInt16LE(quantise(s.score, SCORE_SCALE), i * 4);
    out.writeInt16LE(quantise(s.iou, IOU_SCALE), i * 4 + 2);
  });
  return out;
}

/** `packed` null (rows written before signals were stored): every frame unknown. */
export function unpackTrackSignals(packed: Buffer | null, frames: number): FrameSignals[] {
  const out: FrameSignals[] = [];
  for (let i = 0; i < frames; i++) {
    if (!packed || packed.length < (i + 1) * 4) {
      out.push({ score: null, iou: null });
      continue;
    }
    const s = packed.readInt16LE(i * 4);
    const q = packed.readInt16LE(i * 4 + 2);
    out.push({ score: s === UNKNOWN ? null : s / SCORE_SCALE, iou: q === UNKNOWN ? null : q / IOU_SCALE });
  }
  return out;
}
