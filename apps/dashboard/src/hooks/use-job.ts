import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, type Api } from '../api';
import type { JobView, RoundView, TracksView, VideoView } from '../types';

export const TERMINAL = ['SUCCEEDED', 'FAILED', 'CANCELLED'];
/** While a round runs, the job, lanes and masks on screen are refreshed at most this often. */
const LIVE_REFRESH_MS = 1500;

export interface JobData {
  job: JobView | null;
  video: VideoView | null;
  rounds: RoundView[];
  tracks: TracksView | null;
  error: string | null;
  /** Bumped on every reload: masks on screen refetch. */
  epoch: number;
  running: boolean;
  reload: () => Promise<void>;
}

/** A job with its video, rounds and lanes, kept live over the job's event stream while a round runs. */
export function useJob(api: Api, id: string): JobData {
  const [job, setJob] = useState<JobView | null>(null);
  const [video, setVideo] = useState<VideoView | null>(null);
  const [rounds, setRounds] = useState<RoundView[]>([]);
  const [tracks, setTracks] = useState<TracksView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [epoch, setEpoch] = useState(0);
  const videoId = useRef<string | null>(null);

  const reload = useCallback(async () => {
    const j = await api.get<JobView>(`/v1/jobs/${id}`);
    const [v, r, t] = await Promise.all([
      videoId.current === j.videoId ? Promise.resolve(null) : api.get<VideoView>(`/v1/videos/${j.videoId}`),
      api.get<{ items: RoundView[] }>(`/v1/jobs/${id}/rounds`),
      api.get<TracksView>(`/v1/jobs/${id}/tracks`),
    ]);
    if (v) {
      videoId.current = v.id;
      setVideo(v);
    }
    setJob(j);
    setRounds(r.items);
    setTracks(t);
    setEpoch((e) => e + 1);
  }, [api, id]);

  useEffect(() => {
    reload().catch((err: unknown) => setError(err instanceof ApiError ? `${err.code}: ${err.message}` : String(err)));
  }, [reload]);

  const running = job !== null && !TERMINAL.includes(job.status);
  useEffect(() => {
    if (!running) return;
    const abort = new AbortController();
    let last = 0;
    let timer: ReturnType<typeof setTimeout> | null = null;
    // Progress events come per chunk; reloading on each would flood the API on a long job.
    const refresh = () => {
      if (timer) return;
      timer = setTimeout(
        () => {
          timer = null;
          last = Date.now();
          void reload().catch(() => undefined);
        },
        Math.max(0, LIVE_REFRESH_MS - (Date.now() - last)),
      );
    };
    void api
      .events(
        `/v1/jobs/${id}/events`,
        (event, data) => {
          const status = (data as { status?: string }).status;
          if (event === 'status' && status && TERMINAL.includes(status)) void reload();
          else refresh();
        },
        abort.signal,
      )
      .catch(() => undefined);
    return () => {
      abort.abort();
      if (timer) clearTimeout(timer);
    };
  }, [api, id, running, reload]);

  return { job, video, rounds, tracks, error, epoch, running, reload };
}
