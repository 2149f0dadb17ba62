import { useEffect, useMemo, useState } from 'react';
import { Api, ApiError } from '../api';
import { FrameScrubber } from '../components/frame-scrubber';
import { JobObjects } from '../components/job-objects';
import { JobProgress } from '../components/job-progress';
import { Player } from '../components/player';
import { RoundsTable } from '../components/rounds-table';
import { SwimLanes } from '../components/swim-lanes';
import { clampToRange, jobFrameRange } from '../frame-range';
import { useFrameImage } from '../hooks/use-frame-image';
import { useFrameMasks } from '../hooks/use-frame-masks';
import { TERMINAL, useJob } from '../hooks/use-job';
import { objectColour, type Layer } from '../masks';
import type { Point, PreviewResult, RoundDirection, RoundView } from '../types';
import { SuggestionsPanel } from '../components/suggestions-panel';
import { AnalyticsPanel } from '../components/analytics-panel';

/** Clicks not yet committed, per "frame:objectId". */
type Pending = Record<string, Point[]>;
const keyOf = (frame: number, objectId: number) => `${frame}:${objectId}`;
/** Round N-1 over round N: a colour no object uses, dashed with black. */
const COMPARE_COLOUR: [number, number, number] = [255, 230, 0];

/** The newest round that counts (not failed or cancelled), and the newest SUCCEEDED one before it. */
function comparedRounds(rounds: RoundView[]): { latest: number | null; before: number | null } {
  const usable = rounds.filter((r) => r.status !== 'FAILED' && r.status !== 'CANCELLED').map((r) => r.number);
  const latest = usable.length ? Math.max(...usable) : null;
  const older = rounds
    .filter((r) => r.status === 'SUCCEEDED' && latest !== null && r.number < latest)
    .map((r) => r.number);
  return { latest, before: older.length ? Math.max(...older) : null };
}

export function JobPage({ api, id }: { api: Api; id: string }) {
  const { job, video, rounds, tracks, error, epoch, running, reload } = useJob(api, id);
  const [wanted, setFrame] = useState<number | null>(null);
  const [hidden, setHidden] = useState<Set<number>>(new Set());
  const [compare, setCompare] = useState(false);
  const [selected, setSelected] = useState<number | null>(null);
  const [added, setAdded] = useState<{ id: number; label: string }[]>([]);
  const [pending, setPending] = useState<Pending>({});
  const [preview, setPreview] = useState<PreviewResult | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [roundDirection, setRoundDirection] = useState<RoundDirection>('forward');

  const range = useMemo(
    () => (job ? jobFrameRange(job, video?.frameCount ?? null, tracks) : { start: 0, end: 0 }),
    [job, video, tracks],
  );
  const frame = clampToRange(wanted ?? range.start, range);
  const image = useFrameImage(api, video?.id ?? null, frame, video?.width ?? 960);
  const { latest, before } = comparedRounds(rounds);
  const current = useFrameMasks(api, id, frame, latest === null ? null : 'latest', epoch);
  const previous = useFrameMasks(api, id, frame, compare ? before : null, epoch);

  const layers = useMemo<Layer[]>(() => {
    const out: Layer[] = [];
    if (current?.frame !== frame) return out;
    const previewHere = preview && preview.frame === frame ? preview : null;
    for (const o of current.objects) {
      if (hidden.has(o.objectId) || previewHere?.objectId === o.objectId) continue;
      out.push({ rle: o.rle, colour: objectColour(o.objectId), alpha: 110 });
    }
    if (previous?.frame === frame)
      for (const o of previous.objects)
        if (!hidden.has(o.objectId)) out.push({ rle: o.rle, colour: COMPARE_COLOUR, alpha: 0, dashed: true });
    if (previewHere)
      out.push({ rle: previewHere.rle, colour: objectColour(previewHere.objectId), alpha: 150, outline: true });
    return out;
  }, [current, previous, hidden, preview, frame]);

  const pointsHere = useMemo(
    () =>
      Object.entries(pending)
        .filter(([k]) => k.startsWith(`${frame}:`))
        .flatMap(([, p]) => p),
    [pending, frame],
  );
  const pendingMarkers = useMemo(
    () =>
      Object.keys(pending)
        .map((k) => k.split(':').map(Number) as [number, number])
        .map(([f, o]) => ({ frame: f, objectId: o })),
    [pending],
  );
  const prompted = useMemo(() => {
    const out = new Map<number, number[]>();
    for (const p of (tracks?.objects ?? []).flatMap((o) => o.prompts))
      out.set(
        p.round,
        [...new Set([...(out.get(p.round) ?? []), p.frame])].sort((a, b) => a - b),
      );
    return out;
  }, [tracks]);
  const labels = useMemo(() => new Map(added.filter((a) => a.label).map((a) => [a.id, a.label])), [added]);

  const finished = job && TERMINAL.includes(job.status) ? `round ${job.currentRound} finished: ${job.status}` : null;
  useEffect(() => {
    if (finished) setMessage((m) => (m?.includes('re-propagating') ? finished : m));
  }, [finished]);

  const click = async (x: number, y: number, positive: boolean) => {
    if (selected === null) return setMessage('Pick an object (or add one) before clicking.');
    const k = keyOf(frame, selected);
    const points: Point[] = [...(pending[k] ?? []), { x, y, label: positive ? 1 : 0 }];
    setPending((p) => ({ ...p, [k]: points }));
    try {
      const result = await api.post<PreviewResult>(`/v1/jobs/${id}/preview`, { frame, objectId: selected, points });
      setPreview(result);
      setMessage(`preview of object ${selected} on frame ${frame}: ${result.area} px in ${Math.round(result.ms)} ms`);
    } catch (err) {
      setMessage(err instanceof ApiError ? `${err.code}: ${err.message}` : String(err));
    }
  };

  const commit = async () => {
    const isNew = new Set(added.map((a) => a.id));
    const corrections: { frame: number; objectId: number; points: Point[] }[] = [];
    const prompts = new Map<number, { frame: number; points: Point[] }[]>();
    for (const [k, points] of Object.entries(pending)) {
      const [f, o] = k.split(':').map(Number) as [number, number];
      if (isNew.has(o)) prompts.set(o, [...(prompts.get(o) ?? []), { frame: f, points }]);
      else corrections.push({ frame: f, objectId: o, points });
    }
    const addObjects = added
      .filter((a) => prompts.has(a.id))
      .map((a) => ({ id: a.id, ...(a.label ? { label: a.label } : {}), prompts: prompts.get(a.id)! }));
    try {
      const round = await api.post<RoundView>(`/v1/jobs/${id}/rounds`, {
        corrections,
        addObjects,
        direction: roundDirection,
      });
      setPending({});
      setPreview(null);
      setAdded([]);
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
  const objectIds = [...(job.objects ?? []).map((o) => o.id), ...added.map((a) => a.id)];
  return (
    <div className="page job">
      <h2>
        Job <code>{job.id}</code>{' '}
        <span className={`badge ${job.status.toLowerCase()}`} data-testid="job-status">
          {job.status}
        </span>
      </h2>
      <JobProgress job={job} range={range} rounds={rounds} />
      <div className="job-grid">
        <div>
          <Player
            key={`${width}x${height}`}
            width={width}
            height={height}
            image={image?.url ?? null}
            imageFrame={image?.frame ?? null}
            layers={layers}
            layersFrame={current?.frame ?? null}
            onClick={(x, y, pos) => void click(x, y, pos)}
            points={pointsHere}
          />
          <FrameScrubber range={range} frame={frame} onFrame={setFrame} ready={image?.frame === frame} />
          <SwimLanes
            tracks={tracks}
            range={range}
            frame={frame}
            onSeek={setFrame}
            pending={pendingMarkers}
            labels={labels}
          />
        </div>
        <aside>
          <h3>Objects</h3>
          <JobObjects
            objects={job.objects ?? []}
            added={added}
            hidden={hidden}
            selected={selected}
            onToggle={(oid) =>
              setHidden((h) => {
                const n = new Set(h);
                if (n.has(oid)) n.delete(oid);
                else n.add(oid);
                return n;
              })
            }
            onSelect={setSelected}
            onAdd={() => {
              const next = Math.max(0, ...objectIds) + 1;
              setAdded((a) => [...a, { id: next, label: '' }]);
              setSelected(next);
            }}
            onRename={(oid, label) => setAdded((a) => a.map((o) => (o.id === oid ? { ...o, label } : o)))}
          />
          <h3>Correct</h3>
          <p className="hint">
            Click the frame to add a positive point, shift-click (or right-click) for a negative one. The preview shows
            at once; commit to re-propagate.
          </p>
          <p data-testid="correction-message" className="message">
            {message ?? ''}
          </p>
          <label className="option">
            Re-propagate{' '}
            <select
              data-testid="round-direction"
              value={roundDirection}
              onChange={(e) => setRoundDirection(e.target.value as RoundDirection)}
            >
              <option value="forward">forward from each corrected frame</option>
              <option value="backward">backward from each corrected frame</option>
              <option value="both">both ways from each corrected frame</option>
            </select>
          </label>
          <button data-testid="commit-round" disabled={pendingCount === 0 || running} onClick={() => void commit()}>
            Commit round ({pendingCount} {pendingCount === 1 ? 'point' : 'points'})
          </button>
          <button
            disabled={pendingCount === 0}
            onClick={() => {
              setPending({});
              setPreview(null);
            }}
          >
            Discard
          </button>
          <label className="compare">
            <input
              type="checkbox"
              data-testid="compare"
              checked={compare}
              disabled={before === null}
              onChange={(e) => setCompare(e.target.checked)}
            />{' '}
            compare with round {before ?? '-'} <span className="compare-key">(dashed outline)</span>
          </label>
          <h3>Rounds</h3>
          <RoundsTable rounds={rounds} prompted={prompted} onSeek={setFrame} />
          <SuggestionsPanel
            api={api}
            jobId={id}
            epoch={epoch}
            onOpen={(f, o) => {
              setFrame(f);
              setSelected(o);
              setHidden((h) => {
                const n = new Set(h);
                n.delete(o);
                return n;
              });
            }}
          />
          <AnalyticsPanel api={api} jobId={id} epoch={epoch} />
        </aside>
      </div>
    </div>
  );
}
