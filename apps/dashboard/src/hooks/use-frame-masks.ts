import { useEffect, useState } from 'react';
import type { Api } from '../api';
import type { FrameMasks } from '../types';

export type FrameMaskSet = FrameMasks['frames'][number];

/**
 * One frame's masks. `round` 'latest' is the job as of its latest round (per frame the newest round
 * that has it, a running round's frames as they arrive); a number is that round's view; null: none.
 * `epoch` refetches (a round ended, or progress moved on).
 */
export function useFrameMasks(
  api: Api,
  jobId: string,
  frame: number,
  round: number | 'latest' | null,
  epoch: number,
): FrameMaskSet | null {
  const [masks, setMasks] = useState<FrameMaskSet | null>(null);
  useEffect(() => {
    if (round === null) return setMasks(null);
    let live = true;
    const q = new URLSearchParams({ from: String(frame), to: String(frame + 1) });
    if (round !== 'latest') q.set('round', String(round));
    api
      .get<FrameMasks>(`/v1/jobs/${jobId}/masklets?${q}`)
      .then((m) => live && setMasks(m.frames[0] ?? { frame, objects: [] }))
      .catch(() => live && setMasks(null));
    return () => void (live = false);
  }, [api, jobId, frame, round, epoch]);
  return masks;
}
