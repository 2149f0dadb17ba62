import type { EffortTotals } from '@masklet/contract';

/**
 * Annotation effort of one round, the measure the SAM 2 paper used for its annotation loop (time per
 * annotated frame): clicks, previews, active seconds and seconds per corrected frame.
 */
export interface RoundEffort {
  clicks: number;
  previews: number;
  /** From the committing key's first preview since its previous commit on the job to this commit; null without previews. */
  activeSeconds: number | null;
  framesChanged: number;
  /** activeSeconds / framesChanged; null when either is missing or no frame was prompted. */
  secondsPerFrame: number | null;
}

/** A stored prompt or one about to be: each point is a click, a box is one drag; a mask is drawn, not clicked (0). */
export function clicksOf(prompts: readonly { points?: unknown; box?: unknown }[]): number {
  return prompts.reduce(
    (n, p) => n + (Array.isArray(p.points) ? p.points.length : 0) + (Array.isArray(p.box) ? 1 : 0),
    0,
  );
}

const round3 = (v: number): number => Math.round(v * 1000) / 1000;

export function roundEffort(
  prompts: readonly { points?: unknown; box?: unknown }[],
  changedFrames: readonly number[],
  session: { firstPreviewAt: Date; previews: number } | null,
  committedAt: Date,
): RoundEffort {
  const framesChanged = new Set(changedFrames).size;
  const activeSeconds = session
    ? round3(Math.max(0, committedAt.getTime() - session.firstPreviewAt.getTime()) / 1000)
    : null;
  return {
    clicks: clicksOf(prompts),
    previews: session?.previews ?? 0,
    activeSeconds,
    framesChanged,
    secondsPerFrame: activeSeconds !== null && framesChanged > 0 ? round3(activeSeconds / framesChanged) : null,
  };
}

export function sumEffort(
  rows: readonly {
    clicks: number | null;
    previews: number | null;
    activeSeconds: number | null;
    framesChanged: number | null;
  }[],
): EffortTotals {
  let timedSeconds = 0;
  let timedFrames = 0;
  const t = { rounds: rows.length, clicks: 0, previews: 0, activeSeconds: 0, framesChanged: 0 };
  for (const r of rows) {
    t.clicks += r.clicks ?? 0;
    t.previews += r.previews ?? 0;
    t.activeSeconds += r.activeSeconds ?? 0;
    t.framesChanged += r.framesChanged ?? 0;
    if (r.activeSeconds !== null && r.framesChanged) {
      timedSeconds += r.activeSeconds;
      timedFrames += r.framesChanged;
    }
  }
  return {
    ...t,
    activeSeconds: round3(t.activeSeconds),
    secondsPerFrame: timedFrames > 0 ? round3(timedSeconds / timedFrames) : null,
  };
}
