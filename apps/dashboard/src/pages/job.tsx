import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Api, ApiError } from '../api';
import { Player } from '../components/player';
import { SwimLanes } from '../components/swim-lanes';
import { SuggestionsPanel } from '../components/suggestions-panel';
import { AnalyticsPanel } from '../components/analytics-panel';
import { cssColour, objectColour, type Layer } from '../masks';
import type { CocoRle, FrameMasks, JobView, PreviewResult, RoundView, TracksView, VideoView } from '../types';

type Point = { x: number; y: number; label: 0 | 1 };
/** Clicks not yet committed, per "frame:objectId". */
type Pending = Record<string, Point[]>;

const TERMINAL = ['SUCCEEDED', 'FAILED', 'CANCELLED'];
const FRAME_CACHE = 48;
const keyOf = (frame: number, objectId: number) => `${frame}:${objectId}`;

function useFrameMasks(api: Api, jobId: string, frame: number, round: number | null, epoch: number): FrameMasks['frames'][number] | null {
  const [masks, setMasks] = useState<FrameMasks['frames'][number] | null>(null);
  useEffect(() => {
    if (round === null || round < 1) return setMasks(null);
    let live = true;
    api
      .get<FrameMasks>(`/v1/jobs/${jobId}/masklets?from=${frame}&to=${frame + 1}&round=${round}`)
      .then((m) => live && setMasks(m.frames[0] ?? null))
      .catch(() => live && setMasks(null));
    return () => void (live = false);
  }, [api, jobId, frame, round, epoch]);
  return masks;
}

export function JobPage({ api, id }: { api: Api; id: string }) {
  const [job, setJob] = useState<JobView | null>(null);
  const [video, setVideo] = useState<VideoView | null>(null);
  const [rounds, setRounds] = useState<RoundView[]>([]);
  const [tracks, setTracks] = useState<TracksView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [frame, setFrame] = useState(0);
  const [image, setImage] = useState<{ frame: number; url: string } | null>(null);
  const [hidden, setHidden] = useState<Set<number>>(new Set());
  const [compare, setCompare] = useState(false);
  const [playing, setPlaying] = useState(false);
  const [selected, setSelected] = useState<number | null>(null);
  const [newObjects, setNewObjects] = useState<number[]>([]);
  const [pending, setPending] = useState<Pending>({});
  const [preview, setPreview] = useState<PreviewResult | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [epoch, setEpoch] = useState(0);

  const reload = useCallback(async () => {
    const j = await api.get<JobView>(`/v1/jobs/${id}`);
    setJob(j);
    const [v, r, t] = await Promise.all([
      api.get<VideoView>(`/v1/videos/${j.videoId}`),
      api.get<{ items: RoundView[] }>(`/v1/jobs/${id}/rounds`),
      api.get<TracksView>(`/v1/jobs/${id}/tracks`),
    ]);
    setVideo(v);
    setRounds(r.items);
    setTracks(t);
    setEpoch((e) => e + 1);
  }, [api, id]);

  useEffect(() => {
    reload().catch((err: unknown) => setError(err instanceof ApiError ? `${err.code}: ${err.message}` : String(err)));
  }, [reload]);

  // Live progress while a round runs; a terminal status reloads tracks, rounds and masks.
  const running = job !== null && !TERMINAL.includes(job.status);
  useEffect(() => {
    if (!running) return;
    const abort = new AbortController();
    void api
      .events(`/v1/jobs/${id}/events`, (event, data) => {
        if (event === 'progress') setJob((j) => (j ? { ...j, ...(data as Partial<JobView>) } : j));
        const status = (data as { status?: string }).status;
        if (event === 'status' && status && TERMINAL.includes(status)) {
          setMessage((m) => (m?.includes('re-propagating') ? `round finished: ${status}` : m));
          void reload();
        }
      }, abort.signal)
      .catch(() => undefined);
    return () => abort.abort();
  }, [api, id, running, reload]);

  const latestDone = useMemo(() => [...rounds].filter((r) => r.status === 'SUCCEEDED').sort((a, b) => b.number - a.number)[0]?.number ?? null, [rounds]);
  const shownRound = latestDone ?? (job?.currentRound === 1 ? 1 : null);
  const current = useFrameMasks(api, id, frame, shownRound, epoch);
  const previous = useFrameMasks(api, id, frame, compare && shownRound !== null && shownRound > 1 ? shownRound - 1 : null, epoch);

  // Frame JPEGs as object URLs, kept for the last FRAME_CACHE frames: scrubbing back is instant and the
  // frame on screen is never revoked while the next one loads (no black flash).
  const cache = useRef(new Map<number, string>());
  useEffect(() => () => {
    for (const url of cache.current.values()) URL.revokeObjectURL(url);
    cache.current.clear();
  }, []);
  useEffect(() => {
    if (!video) return;
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
      .imageUrl(`/v1/videos/${video.id}/frames/${frame}?maxWidth=${video.width ?? 960}`, abort.signal)
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
  }, [api, video, frame]);

  const frames = video?.frameCount ?? job?.framesTotal ?? 0;
  useEffect(() => {
    if (!playing) return;
    const t = setTimeout(() => (frame + 1 < frames ? setFrame(frame + 1) : setPlaying(false)), 120);
    return () => clearTimeout(t);
  }, [playing, frame, frames, image]);

  const objectIds = useMemo(() => [...new Set([...(job?.objects ?? []).map((o) => o.id), ...newObjects])].sort((a, b) => a - b), [job, newObjects]);

  const layers = useMemo<Layer[]>(() => {
    const out: Layer[] = [];
    for (const o of previous?.objects ?? []) if (!hidden.has(o.objectId)) out.push({ rle: o.rle, colour: [255, 255, 255], alpha: 0, outline: true });
    for (const o of current?.objects ?? []) {
      if (hidden.has(o.objectId) || (preview && preview.frame === frame && preview.objectId === o.objectId)) continue;
      out.push({ rle: o.rle, colour: objectColour(o.objectId), alpha: 110 });
    }
    if (preview && preview.frame === frame) out.push({ rle: preview.rle as CocoRle, colour: objectColour(preview.objectId), alpha: 150, outline: true });
    return out;
  }, [current, previous, hidden, preview, frame]);

  const pointsHere = useMemo(() => Object.entries(pending).filter(([k]) => k.startsWith(`${frame}:`)).flatMap(([, p]) => p), [pending, frame]);

  const click = async (x: number, y: number, positive: boolean) => {
    if (selected === null) return setMessage('Pick an object (or add one) before clicking.');
    const k = keyOf(frame, selected);
    const points = [...(pending[k] ?? []), { x, y, label: (positive ? 1 : 0) as 0 | 1 }];
    setPending((p) => ({ ...p, [k]: points }));
    if (newObjects.includes(selected)) return setMessage(`object ${selected} is new: it is tracked once the round is committed`);
    try {
      const result = await api.post<PreviewResult>(`/v1/jobs/${id}/preview`, { frame, objectId: selected, points });
      setPreview(result);
      setMessage(`preview of object ${selected} on frame ${frame}: ${result.area} px in ${Math.round(result.ms)} ms`);
    } catch (err) {
      setMessage(err instanceof ApiError ? `${err.code}: ${err.message}` : String(err));
    }
  };

  const commit = async () => {
    const corrections: { frame: number; objectId: number; points: Point[] }[] = [];
    const added = new Map<number, { frame: number; points: Point[] }[]>();
    for (const [k, points] of Object.entries(pending)) {
      const [f, o] = k.split(':').map(Number) as [number, number];
      if (newObjects.includes(o)) added.set(o, [...(added.get(o) ?? []), { frame: f, points }]);
      else corrections.push({ frame: f, objectId: o, points });
    }
    try {
      const round = await api.post<RoundView>(`/v1/jobs/${id}/rounds`, { corrections, addObjects: [...added].map(([oid, prompts]) => ({ id: oid, prompts })) });
      setPending({});
      setPreview(null);
      setNewObjects([]);
      setMessage(`round ${round.number} queued: re-propagating`);
      await reload();
    } catch (err) {
      setMessage(err instanceof ApiError ? `${err.code}: ${err.message}` : String(err));
    }
  };

  if (error) return <p className="error">{error}</p>;
  if (!job || !video || !tracks) return <p>Loading job...</p>;
  const width = video.width ?? 640;
  const height = video.height ?? 360;
  const pendingCount = Object.values(pending).reduce((a, p) => a + p.length, 0);
  return (
    <div className="page job">
      <h2>Job <code>{job.id}</code> <span className={`badge ${job.status.toLowerCase()}`} data-testid="job-status">{job.status}</span></h2>
      <div className="progress-row">
        <progress data-testid="job-progress" value={job.progress} max={1} /> {job.framesDone}/{job.framesTotal} frames, round <span data-testid="job-round">{job.currentRound}</span>
        {job.error && <span className="error"> {job.error.code}: {job.error.message}</span>}
      </div>
      <div className="job-grid">
        <div>
          <Player key={`${width}x${height}`} width={width} height={height} image={image?.url ?? null} imageFrame={image?.frame ?? null} layers={layers} onClick={(x, y, pos) => void click(x, y, pos)} points={pointsHere} />
          <div className="scrubber">
            <button onClick={() => setPlaying(!playing)}>{playing ? 'Pause' : 'Play'}</button>
            <input data-testid="scrubber" type="range" min={0} max={Math.max(0, frames - 1)} value={frame} onChange={(e) => setFrame(Number(e.target.value))} />
            <span data-testid="frame-number">frame {frame} / {Math.max(0, frames - 1)}</span>
          </div>
          <SwimLanes tracks={tracks} frame={frame} onSeek={setFrame} />
        </div>
        <aside>
          <h3>Objects</h3>
          <ul className="objects">
            {objectIds.map((oid) => {
              const stats = job.objects?.find((o) => o.id === oid);
              return (
                <li key={oid}>
                  <input type="checkbox" data-testid={`toggle-${oid}`} checked={!hidden.has(oid)} onChange={() => setHidden((h) => { const n = new Set(h); if (n.has(oid)) n.delete(oid); else n.add(oid); return n; })} title="show / hide" />
                  <label>
                    <input type="radio" name="object" data-testid={`select-${oid}`} checked={selected === oid} onChange={() => setSelected(oid)} />
                    <span className="swatch" style={{ background: cssColour(oid) }} /> object {oid} {stats ? <small>{stats.framesPresent} frames</small> : <small>new</small>}
                  </label>
                </li>
              );
            })}
          </ul>
          <button data-testid="add-object" onClick={() => { const next = Math.max(0, ...objectIds) + 1; setNewObjects((n) => [...n, next]); setSelected(next); }}>Add object</button>
          <h3>Correct</h3>
          <p className="hint">Click the frame to add a positive point, shift-click (or right-click) for a negative one. The preview shows at once; commit to re-propagate.</p>
          <p data-testid="correction-message" className="message">{message ?? ''}</p>
          <button data-testid="commit-round" disabled={pendingCount === 0 || running} onClick={() => void commit()}>Commit round ({pendingCount} points)</button>
          <button disabled={pendingCount === 0} onClick={() => { setPending({}); setPreview(null); }}>Discard</button>
          <label className="compare"><input type="checkbox" data-testid="compare" checked={compare} disabled={(shownRound ?? 1) < 2} onChange={(e) => setCompare(e.target.checked)} /> compare with round {Math.max(1, (shownRound ?? 1) - 1)} (white outlines)</label>
          <h3>Rounds</h3>
          <table data-testid="rounds">
            <thead><tr><th>#</th><th>Status</th><th>Frames</th><th>Mean IoU change</th></tr></thead>
            <tbody>
              {rounds.map((r) => (
                <tr key={r.number}><td>{r.number}</td><td>{r.status}</td><td>{r.framesRecomputed ?? '-'}</td><td>{r.meanIouDelta === null ? '-' : r.meanIouDelta.toFixed(3)}</td></tr>
              ))}
            </tbody>
          </table>
          <SuggestionsPanel api={api} jobId={id} epoch={epoch} onOpen={(f, o) => { setPlaying(false); setFrame(f); setSelected(o); setHidden((h) => { const n = new Set(h); n.delete(o); return n; }); }} />
          <AnalyticsPanel api={api} jobId={id} epoch={epoch} />
        </aside>
      </div>
    </div>
  );
}
