import { useEffect, useMemo, useState } from 'react';
import { Api, ApiError } from '../api';
import { FrameScrubber } from '../components/frame-scrubber';
import { Player } from '../components/player';
import { PromptObjects, type DraftObject } from '../components/prompt-objects';
import { VideoPicker } from '../components/video-picker';
import { useDraftPrompts, parseKey } from '../hooks/use-draft-prompts';
import { useFrameImage } from '../hooks/use-frame-image';
import { objectColour, type Layer } from '../masks';
import { jobHref } from '../route';
import type { JobView, VideoView } from '../types';

type Direction = 'auto' | 'forward' | 'backward' | 'both';

/** Start from the dashboard: pick or upload a video, then prompt objects on any frame. */
export function NewJobPage({ api, videoId }: { api: Api; videoId?: string | undefined }) {
  const [video, setVideo] = useState<VideoView | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!videoId) return;
    api
      .get<VideoView>(`/v1/videos/${videoId}`)
      .then(setVideo, (err: unknown) =>
        setError(err instanceof ApiError ? `${err.code}: ${err.message}` : String(err)),
      );
  }, [api, videoId]);
  if (!videoId)
    return (
      <div className="page">
        <h2>New job</h2>
        <VideoPicker api={api} />
      </div>
    );
  if (error) return <p className="error">{error}</p>;
  if (!video) return <p>Loading video...</p>;
  return <PromptEditor api={api} video={video} />;
}

/**
 * As in the SAM 2 demo: on any frame, click an object (shift-click or right-click: negative), or drag
 * a box; each prompt's mask shows at once (the video preview). Name the objects, add more, then start
 * propagation: the job is submitted with exactly the prompts previewed, and its page opens.
 */
function PromptEditor({ api, video }: { api: Api; video: VideoView }) {
  const width = video.width ?? 640;
  const height = video.height ?? 360;
  const last = Math.max(0, (video.frameCount ?? 1) - 1);
  const [frame, setFrame] = useState(0);
  const [objects, setObjects] = useState<{ id: number; label: string }[]>([{ id: 1, label: '' }]);
  const [selected, setSelected] = useState<number | null>(1);
  const [direction, setDirection] = useState<Direction>('auto');
  const [maxFrames, setMaxFrames] = useState('');
  const [busy, setBusy] = useState(false);
  const draft = useDraftPrompts(api, video.id);
  const image = useFrameImage(api, video.id, frame, width);

  const here = Object.entries(draft.prompts).filter(([k]) => parseKey(k)[0] === frame);
  const layers = useMemo<Layer[]>(
    () =>
      Object.values(draft.previews)
        .filter((p) => p.frame === frame)
        .map((p) => ({ rle: p.rle, colour: objectColour(p.objectId), alpha: 140, outline: true })),
    [draft.previews, frame],
  );
  const drafts: DraftObject[] = objects.map((o) => ({
    ...o,
    frames: Object.keys(draft.prompts)
      .map(parseKey)
      .filter(([, id]) => id === o.id)
      .map(([f]) => f)
      .sort((a, b) => a - b),
  }));
  const prompted = drafts.filter((o) => o.frames.length > 0);

  const start = async () => {
    const frames = prompted.flatMap((o) => o.frames);
    const dir = direction === 'auto' ? (Math.min(...frames) > 0 ? 'both' : 'forward') : direction;
    const body = {
      videoId: video.id,
      objects: prompted.map((o) => ({
        id: o.id,
        ...(o.label.trim() ? { label: o.label.trim() } : {}),
        prompts: o.frames.map((f) => {
          const p = draft.prompts[`${f}:${o.id}`]!;
          return { frame: f, ...(p.points.length ? { points: p.points } : {}), ...(p.box ? { box: p.box } : {}) };
        }),
      })),
      options: { direction: dir, ...(maxFrames.trim() ? { maxFrames: Number(maxFrames) } : {}) },
    };
    setBusy(true);
    try {
      const job = await api.post<JobView>('/v1/jobs', body);
      window.location.hash = jobHref(job.id);
    } catch (err) {
      draft.setMessage(err instanceof ApiError ? `${err.code}: ${err.message}` : String(err));
    } finally {
      setBusy(false);
    }
  };

  const need = (then: (objectId: number) => void) =>
    selected === null ? draft.setMessage('Pick an object (or add one) first.') : then(selected);
  return (
    <div className="page job">
      <h2>
        New job{' '}
        <small>
          {video.filename ?? video.id} · {video.frameCount} frames · {width}x{height}
        </small>
      </h2>
      <div className="job-grid">
        <div>
          <Player
            key={`${width}x${height}`}
            width={width}
            height={height}
            image={image?.url ?? null}
            imageFrame={image?.frame ?? null}
            layers={layers}
            layersFrame={frame}
            onClick={(x, y, positive) => need((o) => void draft.click(frame, o, { x, y, label: positive ? 1 : 0 }))}
            onBox={(b) => need((o) => void draft.box(frame, o, b))}
            points={here.flatMap(([, p]) => p.points)}
            boxes={here.flatMap(([, p]) => (p.box ? [p.box] : []))}
          />
          <FrameScrubber
            range={{ start: 0, end: last }}
            frame={frame}
            onFrame={setFrame}
            ready={image?.frame === frame}
          />
        </div>
        <aside>
          <h3>Objects</h3>
          <PromptObjects
            objects={drafts}
            selected={selected}
            onSelect={setSelected}
            onRename={(id, label) => setObjects((os) => os.map((o) => (o.id === id ? { ...o, label } : o)))}
            onAdd={() => {
              const next = Math.max(0, ...objects.map((o) => o.id)) + 1;
              setObjects((os) => [...os, { id: next, label: '' }]);
              setSelected(next);
            }}
            onRemove={(id) => {
              draft.clear(id, null);
              setObjects((os) => os.filter((o) => o.id !== id));
              if (selected === id) setSelected(null);
            }}
            onSeek={setFrame}
          />
          <p className="hint">
            Click an object for a positive point, shift-click (or right-click) for a negative one, drag for a box. Each
            mask shows at once; prompt as many frames and objects as you like.
          </p>
          <p data-testid="prompt-message" className="message">
            {draft.message ?? ''}
          </p>
          <button
            disabled={selected === null || !here.some(([k]) => parseKey(k)[1] === selected)}
            onClick={() => selected !== null && draft.clear(selected, frame)}
          >
            Clear this frame
          </button>
          <h3>Propagate</h3>
          <label className="option">
            Direction{' '}
            <select
              data-testid="direction"
              value={direction}
              onChange={(e) => setDirection(e.target.value as Direction)}
            >
              <option value="auto">auto (both ways from the first prompt)</option>
              <option value="forward">forward</option>
              <option value="backward">backward</option>
              <option value="both">both</option>
            </select>
          </label>
          <label className="option">
            Max frames{' '}
            <input
              data-testid="max-frames"
              type="number"
              min={1}
              placeholder="all"
              value={maxFrames}
              onChange={(e) => setMaxFrames(e.target.value)}
            />
          </label>
          <button
            data-testid="start-job"
            className="primary"
            disabled={busy || prompted.length === 0}
            onClick={() => void start()}
          >
            Start propagation ({prompted.length} object{prompted.length === 1 ? '' : 's'})
          </button>
        </aside>
      </div>
    </div>
  );
}
