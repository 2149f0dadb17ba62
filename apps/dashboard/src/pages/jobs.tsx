import { useEffect, useState } from 'react';
import { Api, ApiError } from '../api';
import { jobHref } from '../route';
import type { AdminJobRow, JobStatus, JobView } from '../types';

const STATUSES: JobStatus[] = ['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED'];

/** Admin keys list every tenant's jobs (filter by tenant); other keys see their own tenant's. */
export function JobsPage({ api, query }: { api: Api; query: URLSearchParams }) {
  const tenant = query.get('tenant') ?? '';
  const status = query.get('status') ?? '';
  const batch = query.get('batch') ?? '';
  const [rows, setRows] = useState<AdminJobRow[] | null>(null);
  const [tenants, setTenants] = useState<{ id: string; name: string }[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    const load = async () => {
      const q = new URLSearchParams();
      if (status) q.set('status', status);
      try {
        if (tenant) q.set('tenant', tenant);
        if (batch) q.set('batch', batch);
        const [list, ts] = await Promise.all([
          api.get<{ items: AdminJobRow[] }>(`/v1/admin/jobs?${q}`),
          api.get<{ id: string; name: string }[]>('/v1/admin/tenants'),
        ]);
        if (!live) return;
        setRows(list.items);
        setTenants(ts);
      } catch (err) {
        if (!(err instanceof ApiError && err.status === 403)) throw err;
        const own = new URLSearchParams();
        if (status) own.set('status', status);
        if (batch) own.set('batchId', batch);
        const list = await api.get<{ items: JobView[] }>(`/v1/jobs?${own}`);
        if (!live) return;
        setTenants(null);
        setRows(list.items.map((j) => ({ ...j, tenantId: '', tenantName: 'mine', errorCode: j.error?.code ?? null })));
      }
      setError(null);
    };
    const tick = () => load().catch((err: unknown) => live && setError(String(err)));
    void tick();
    const timer = setInterval(tick, 3000);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [api, tenant, status, batch]);

  const setFilter = (name: string, value: string) => {
    const q = new URLSearchParams(query);
    if (value) q.set(name, value);
    else q.delete(name);
    window.location.hash = `#/jobs?${q}`;
  };

  return (
    <div className="page">
      <h2>Jobs</h2>
      <div className="filters">
        {tenants && (
          <label>
            Tenant
            <select data-testid="filter-tenant" value={tenant} onChange={(e) => setFilter('tenant', e.target.value)}>
              <option value="">all</option>
              {tenants.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name}
                </option>
              ))}
            </select>
          </label>
        )}
        <label>
          Status
          <select data-testid="filter-status" value={status} onChange={(e) => setFilter('status', e.target.value)}>
            <option value="">all</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label>
          Batch{' '}
          <input placeholder="batch id" value={batch} onChange={(e) => setFilter('batch', e.target.value.trim())} />
        </label>
      </div>
      {error && <p className="error">{error}</p>}
      <table data-testid="jobs">
        <thead>
          <tr>
            <th>Job</th>
            <th>Tenant</th>
            <th>Status</th>
            <th>Progress</th>
            <th>Round</th>
            <th>Batch</th>
            <th>Created</th>
          </tr>
        </thead>
        <tbody>
          {rows?.length === 0 && (
            <tr>
              <td colSpan={7}>No jobs match.</td>
            </tr>
          )}
          {rows?.map((j) => (
            <tr key={j.id} data-testid="job-row">
              <td>
                <a href={jobHref(j.id, j.tenantId || undefined)}>{j.id.slice(0, 8)}</a>
              </td>
              <td>{j.tenantName}</td>
              <td>
                <span className={`badge ${j.status.toLowerCase()}`}>{j.status}</span>
                {j.errorCode && <small> {j.errorCode}</small>}
              </td>
              <td>
                <progress value={j.progress} max={1} /> {j.framesDone}/{j.framesTotal}
              </td>
              <td>{j.currentRound}</td>
              <td>{j.batchId ? <a href={`#/jobs?batch=${j.batchId}`}>{j.batchId.slice(0, 8)}</a> : '-'}</td>
              <td>{new Date(j.createdAt).toLocaleString()}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
