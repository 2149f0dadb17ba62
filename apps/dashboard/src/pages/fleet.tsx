import { useEffect, useState } from 'react';
import { QUEUE_STATES } from '@masklet/contract';
import { Api, ApiError } from '../api';
import { GpuCell } from '../components/gpu-cell';
import { ThroughputChart } from '../components/throughput-chart';
import { jobHref } from '../route';
import type { FleetSnapshot } from '../types';

const mb = (b: number) => `${(b / 2 ** 20).toFixed(0)} MB`;
const pct = (v: number | null) => (v === null ? '-' : `${(v * 100).toFixed(0)}%`);

/** Workers, queue depths, throughput and failed jobs, pushed by the API every 2 s (SSE). */
export function FleetPage({ api }: { api: Api }) {
  const [fleet, setFleet] = useState<FleetSnapshot | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [retried, setRetried] = useState<Record<string, string>>({});

  useEffect(() => {
    const abort = new AbortController();
    api
      .events(
        '/v1/admin/fleet/events',
        (event, data) => {
          if (event === 'fleet') {
            setFleet(data as FleetSnapshot);
            setError(null);
          } else if (event === 'error') setError((data as { message: string }).message);
        },
        abort.signal,
      )
      .catch((err: unknown) =>
        setError(
          err instanceof ApiError ? `${err.code}: ${err.message} (the fleet view needs an operator key)` : String(err),
        ),
      );
    return () => abort.abort();
  }, [api]);

  const retry = async (id: string) => {
    try {
      await api.post(`/v1/admin/jobs/${id}/retry`);
      setRetried((r) => ({ ...r, [id]: 'queued again' }));
    } catch (err) {
      setRetried((r) => ({ ...r, [id]: err instanceof ApiError ? err.message : String(err) }));
    }
  };

  if (error && !fleet) return <p className="error">{error}</p>;
  if (!fleet) return <p>Connecting...</p>;
  return (
    <div className="page">
      <h2>
        Workers <small data-testid="fleet-updated">updated {new Date(fleet.at).toLocaleTimeString()}</small>
      </h2>
      <table data-testid="workers">
        <thead>
          <tr>
            <th>Host</th>
            <th>Device</th>
            <th>State</th>
            <th>Models</th>
            <th>Current job</th>
            <th>Frames/s</th>
            <th>CPU</th>
            <th>GPU (util, memory)</th>
            <th>Memory (RSS / free)</th>
            <th>Frames</th>
            <th>Jobs ok / failed</th>
            <th>ms per role</th>
            <th>Last heartbeat</th>
          </tr>
        </thead>
        <tbody>
          {fleet.workers.length === 0 && (
            <tr>
              <td colSpan={13}>No worker has reported yet.</td>
            </tr>
          )}
          {fleet.workers.map((w) => (
            <tr key={w.id} data-testid="worker-row" data-state={w.state}>
              <td title={w.id}>
                {w.host} <small>pid {w.pid}</small>
              </td>
              <td>{w.device}</td>
              <td>
                <span className={`badge ${w.state.toLowerCase()}`}>{w.state}</span>
              </td>
              <td data-testid="worker-models" title={`queues: ${w.queues.join(', ')}`}>
                {w.models.join(', ') || '-'}
              </td>
              <td>{w.currentJobId ? <a href={jobHref(w.currentJobId)}>{w.currentJobId.slice(0, 8)}</a> : '-'}</td>
              <td>{w.fps.toFixed(1)}</td>
              <td>{pct(w.cpuUtilisation)}</td>
              <GpuCell gpus={w.gpus} />
              <td>
                {mb(w.rssBytes)}
                {w.systemMemory ? ` / ${mb(w.systemMemory.freeBytes)}` : ''}
              </td>
              <td>{w.framesProcessed}</td>
              <td>
                {w.jobsCompleted} / {w.jobsFailed}
              </td>
              <td className="roles">
                {Object.entries(w.inferenceMsPerRole)
                  .map(([r, t]) => `${r} ${t.meanMs.toFixed(1)}`)
                  .join(', ') || '-'}
              </td>
              <td>{(w.heartbeatAgeMs / 1000).toFixed(1)} s ago</td>
            </tr>
          ))}
        </tbody>
      </table>

      <h2>Queues</h2>
      <table data-testid="queues">
        <thead>
          <tr>
            <th>Queue</th>
            <th>Waiting</th>
            <th>Prioritized</th>
            <th>Active</th>
            <th>Delayed</th>
            <th>Completed</th>
            <th>Failed</th>
          </tr>
        </thead>
        <tbody>
          {fleet.queues.map((q) => (
            <tr key={q.name} data-testid={`queue-${q.name}`}>
              <td>{q.name}</td>
              {QUEUE_STATES.map((s) => (
                <td key={s} data-state={s}>
                  {q.counts[s] ?? 0}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>

      <h2>
        Throughput, last hour <small data-testid="fleet-fps">now {fleet.framesPerSec.toFixed(1)} frames/s</small>
      </h2>
      <ThroughputChart points={fleet.throughput} />

      <h2>Failed jobs</h2>
      <table data-testid="failed-jobs">
        <thead>
          <tr>
            <th>Job</th>
            <th>Tenant</th>
            <th>Reason</th>
            <th>Attempts</th>
            <th>Failed at</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {fleet.failedJobs.length === 0 && (
            <tr>
              <td colSpan={6}>None.</td>
            </tr>
          )}
          {fleet.failedJobs.map((j) => (
            <tr key={j.id}>
              <td>
                <a href={jobHref(j.id, j.tenantId)}>{j.id.slice(0, 8)}</a>
              </td>
              <td>{j.tenantName}</td>
              <td className="reason">
                <code>{j.errorCode}</code> {j.error}
              </td>
              <td>{j.attempts}</td>
              <td>{j.finishedAt ? new Date(j.finishedAt).toLocaleString() : '-'}</td>
              <td>{retried[j.id] ?? <button onClick={() => void retry(j.id)}>Retry</button>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
