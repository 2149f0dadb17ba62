import { useEffect, useRef, useState } from 'react';
import type { Api } from '../api';

const FRAME_CACHE = 48;

/**
 * A video frame's JPEG as an object URL. The last FRAME_CACHE frames stay cached: scrubbing back is
 * instant, and the frame on screen is never revoked while the next one loads (no black flash).
 */
export function useFrameImage(
  api: Api,
  videoId: string | null,
  frame: number,
  maxWidth: number,
): { frame: number; url: string } | null {
  const [image, setImage] = useState<{ frame: number; url: string } | null>(null);
  const cache = useRef(new Map<number, string>());
  useEffect(
    () => () => {
      for (const url of cache.current.values()) URL.revokeObjectURL(url);
      cache.current.clear();
    },
    [videoId],
  );
  useEffect(() => {
    if (!videoId) return;
    const hit = cache.current.get(frame);
    if (hit) {
      // Most recently used last, so eviction never takes the frame being looked at.
      cache.current.delete(frame);
      cache.current.set(frame, hit);
      setImage({ frame, url: hit });
      return;
    }
    const abort = new AbortController();
    api
      .imageUrl(`/v1/videos/${videoId}/frames/${frame}?maxWidth=${maxWidth}`, abort.signal)
      .then((url) => {
        cache.current.set(frame, url);
        while (cache.current.size > FRAME_CACHE) {
          const [oldest, old] = cache.current.entries().next().value as [number, string];
          cache.current.delete(oldest);
          URL.revokeObjectURL(old);
        }
        setImage({ frame, url });
      })
      .catch(() => undefined);
    return () => abort.abort();
  }, [api, videoId, frame, maxWidth]);
  return image;
}
