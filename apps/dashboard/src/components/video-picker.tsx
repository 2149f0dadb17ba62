import { useCallback, useEffect, useState } from 'react';
import { ApiError, type Api } from '../api';
import { newJobHref } from '../route';
import type { VideoView } from '../types';

/** The tenant's ready videos (newest first, a page at a time) and an upload; picking one opens it. */
export function VideoPicker({ api }: { api: Api }) {
  const [videos, setVideos] = useState<VideoView[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(
    async (after: string | null) => {
      const q = new URLSearchParams({ status: 'READY', limit: '20' });
      if (after) q.set('cursor', after);
      const page = await api.get<{ items: VideoView[]; nextCursor: string | null }>(`/v1/videos?${q}`);
      setVideos((v) => [...(after ? (v ?? []) : []), ...page.items]);
      setCursor(page.nextCursor);
    },
    [api],
  );
  useEffect(() => {
    load(null).catch((err: unknown) => setError(String(err)));
  }, [load]);

  const upload = async (file: File | undefined) => {
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      const v = await api.upload<VideoView>('/v1/videos', file);
      window.location.hash = newJobHref(v.id);
    } catch (err) {
      setError(err instanceof ApiError ? `${err.code}: ${err.message}` : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="video-picker">
      <label className="upload">
        Upload a video{' '}
        <input
          type="file"
          accept="video/*"
          data-testid="upload-video"
          disabled={busy}
          onChange={(e) => void upload(e.target.files?.[0])}
        />
        {busy && <span data-testid="uploading"> uploading and probing...</span>}
      </label>
      {error && (
        <p className="error" data-testid="upload-error">
          {error}
        </p>
      )}
      <h3>Or pick one of your videos</h3>
      <table data-testid="videos">
        <thead>
          <tr>
            <th>Video</th>
            <th>Frames</th>
            <th>Size</th>
            <th>Uploaded</th>
          </tr>
        </thead>
        <tbody>
          {videos?.length === 0 && (
            <tr>
              <td colSpan={4}>No videos yet.</td>
            </tr>
          )}
          {videos?.map((v) => (
            <tr key={v.id} data-testid="video-row">
              <td>
                <a href={newJobHref(v.id)}>{v.filename ?? v.id.slice(0, 8)}</a>
              </td>
              <td>{v.frameCount}</td>
              <td>
                {v.width}x{v.height}
              </td>
              <td>{v.createdAt ? new Date(v.createdAt).toLocaleString() : '-'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {cursor && <button onClick={() => void load(cursor)}>More</button>}
    </div>
  );
}
