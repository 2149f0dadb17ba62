/**
 * A preview on a VideoSession (inline-engine.ts and engine-thread.ts share it): the prompt is applied
 * as the segment processor would apply it, the frame's masks are read, and then the object's prompt
 * state on that frame is put back exactly as it was (or the new object dropped), so the next preview
 * starts from the stored state again.
 */
import type { FrameResult, VideoSession } from '@masklet/engine';
import type { PreviewPrompt } from './engine-port';

export function previewOnSession(s: VideoSession, p: PreviewPrompt): Promise<FrameResult> {
  return p.mode === 'fresh' ? fresh(s, p) : refine(s, p);
}

/** A first prompt of an object the session holds nothing for: decoded without memory, from the frame alone. */
async function fresh(s: VideoSession, p: PreviewPrompt): Promise<FrameResult> {
  // A leftover object (a preview that failed half-way) would make this prompt a refinement.
  if (s.tracks.has(p.objectId)) await s.removeObject(p.objectId);
  try {
    return await s.addPoints(p.frame, p.objectId, p.points, { clearOld: true, ...(p.box ? { box: p.box } : {}) });
  } finally {
    if (s.tracks.has(p.objectId)) await s.removeObject(p.objectId);
  }
}

/** The clicks appended to the object's clicks on the frame (a box replaces them), then that frame's state restored. */
async function refine(s: VideoSession, p: PreviewPrompt): Promise<FrameResult> {
  const existing = s.tracks.get(p.objectId);
  const saved = existing
    ? {
        points: existing.points.get(p.frame),
        mask: existing.maskFrames.has(p.frame),
        tempCond: existing.tempCond.get(p.frame),
        tempNonCond: existing.tempNonCond.get(p.frame),
      }
    : null;
  try {
    return p.box
      ? await s.addBox(p.frame, p.objectId, p.box, p.points)
      : await s.addPoints(p.frame, p.objectId, p.points, { clearOld: false });
  } finally {
    if (!saved || !existing) {
      const t = s.tracks.get(p.objectId);
      if (t) {
        t.clearAll();
        s.tracks.delete(p.objectId);
      }
    } else {
      const put = <V>(m: Map<number, V>, v: V | undefined): void => {
        if (v === undefined) m.delete(p.frame);
        else m.set(p.frame, v);
      };
      put(existing.points, saved.points);
      put(existing.tempCond, saved.tempCond);
      put(existing.tempNonCond, saved.tempNonCond);
      if (saved.mask) existing.maskFrames.add(p.frame);
      else existing.maskFrames.delete(p.frame);
    }
  }
}
