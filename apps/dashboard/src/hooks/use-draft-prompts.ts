import { useRef, useState } from 'react';
import { ApiError, type Api } from '../api';
import type { Box, Point, PreviewResult } from '../types';

/** One object's prompt on one frame: every click so far and the box, if one was dragged. */
export interface DraftPrompt {
  points: Point[];
  box?: Box;
}

const keyOf = (frame: number, objectId: number) => `${frame}:${objectId}`;
export const parseKey = (k: string): [number, number] => k.split(':').map(Number) as [number, number];

/**
 * Prompts of a job not yet submitted, per "frame:objectId", each with the video preview of all of its
 * clicks and box (the mask round 1 will compute on that frame). A new box starts the prompt afresh.
 */
export function useDraftPrompts(api: Api, videoId: string) {
  const [prompts, setPrompts] = useState<Record<string, DraftPrompt>>({});
  const [previews, setPreviews] = useState<Record<string, PreviewResult>>({});
  const [message, setMessage] = useState<string | null>(null);
  // Answers can overtake each other; only the newest request of a prompt may set its preview.
  const asked = useRef(new Map<string, number>());

  const ask = async (frame: number, objectId: number, prompt: DraftPrompt) => {
    const k = keyOf(frame, objectId);
    setPrompts((p) => ({ ...p, [k]: prompt }));
    const seq = (asked.current.get(k) ?? 0) + 1;
    asked.current.set(k, seq);
    try {
      const result = await api.post<PreviewResult>(`/v1/videos/${videoId}/preview`, {
        frame,
        objectId,
        ...(prompt.points.length ? { points: prompt.points } : {}),
        ...(prompt.box ? { box: prompt.box } : {}),
      });
      if (asked.current.get(k) !== seq) return;
      setPreviews((p) => ({ ...p, [k]: result }));
      setMessage(`preview of object ${objectId} on frame ${frame}: ${result.area} px in ${Math.round(result.ms)} ms`);
    } catch (err) {
      setMessage(err instanceof ApiError ? `${err.code}: ${err.message}` : String(err));
    }
  };

  return {
    prompts,
    previews,
    message,
    setMessage,
    click(frame: number, objectId: number, point: Point) {
      const old = prompts[keyOf(frame, objectId)];
      return ask(frame, objectId, { ...old, points: [...(old?.points ?? []), point] });
    },
    box(frame: number, objectId: number, box: Box) {
      return ask(frame, objectId, { points: [], box });
    },
    /** Drops the object's prompts on `frame`, or on every frame when `frame` is null. */
    clear(objectId: number, frame: number | null) {
      const keep = (k: string) => {
        const [f, o] = parseKey(k);
        return o !== objectId || (frame !== null && f !== frame);
      };
      for (const k of Object.keys(prompts)) if (!keep(k)) asked.current.set(k, (asked.current.get(k) ?? 0) + 1);
      setPrompts((p) => Object.fromEntries(Object.entries(p).filter(([k]) => keep(k))));
      setPreviews((p) => Object.fromEntries(Object.entries(p).filter(([k]) => keep(k))));
    },
  };
}
