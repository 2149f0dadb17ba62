import { useEffect, useState } from 'react';
import type { Api } from '../api';
import type { JobAnalyticsView } from '../types';

const num = (v: number | null | undefined, digits = 1) => (v === null || v === undefined ? '-' : v.toFixed(digits));

/** Annotation effort of the job: per round, and summed per API key (clicks, active time, time per corrected frame). */
export function AnalyticsPanel({ api, jobId, epoch }: { api: Api; jobId: string; epoch: number }) {
  const [view, setView] = useState<JobAnalyticsView | null>(null);
  useEffect(() => {
    let live = true;
    api
      .jobAnalytics(jobId)
      .then((v) => live && setView(v))
      .catch(() => live && setView(null));
    return () => void (live = false);
  }, [api, jobId, epoch]);
  if (!view) return null;
  const keyName = (id: string | null) =>
    view.perKey.find((k) => k.apiKeyId === id)?.keyName ?? (id ? id.slice(0, 8) : '-');
  return (
    <section data-testid="analytics">
      <h3>Annotation effort</h3>
      <table data-testid="analytics-rounds">
        <thead>
          <tr>
            <th>#</th>
            <th>Key</th>
            <th>Clicks</th>
            <th>Active s</th>
            <th>Frames</th>
            <th>s / frame</th>
          </tr>
        </thead>
        <tbody>
          {view.rounds.map((r) => (
            <tr key={r.round}>
              <td>{r.round}</td>
              <td>{keyName(r.apiKeyId)}</td>
              <td>{r.clicks ?? '-'}</td>
              <td>{num(r.activeSeconds)}</td>
              <td>{r.framesChanged ?? '-'}</td>
              <td>{num(r.secondsPerFrame)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          {view.perKey.map((k) => (
            <tr key={k.apiKeyId ?? 'none'}>
              <td>Σ</td>
              <td>{k.keyName ?? '-'}</td>
              <td>{k.clicks}</td>
              <td>{num(k.activeSeconds)}</td>
              <td>{k.framesChanged}</td>
              <td>{num(k.secondsPerFrame)}</td>
            </tr>
          ))}
        </tfoot>
      </table>
      {view.open.length > 0 && (
        <p className="hint">
          {view.open.map((o) => `${keyName(o.apiKeyId)}: ${o.previews} preview(s) not committed yet`).join('; ')}
        </p>
      )}
    </section>
  );
}
