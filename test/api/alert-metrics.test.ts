/**
 * The gauges the chart's PrometheusRule alerts on, read from the real metrics listener of an API over real
 * Postgres and Redis: the oldest QUEUED job's age, the oldest RUNNING job's time since progress, and
 * workers whose heartbeats stopped.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { segmentQueueName } from '@masklet/queue';
import { freePort } from '../e2e/free-port';
import { call, jobBody, scrapeMetrics, startApi, uploadClip, type TestApi } from './helpers';

let api: TestApi;
const workerIds = [`alert-stale-${Date.now()}-a`, `alert-stale-${Date.now()}-b`];

before(async () => {
  api = await startApi('alert-metrics', { API_METRICS_PORT: String(await freePort()) });
});

after(async () => {
  await api.prisma.worker.deleteMany({ where: { id: { in: workerIds } } });
  await api.close();
});

function gauge(body: string, name: string, labels: string): number {
  const line = body.split('\n').find((l) => l.startsWith(`${name}{${labels}}`));
  assert.ok(line, `${name}{${labels}} is exported`);
  return Number(line.split(' ').pop());
}

test('oldest QUEUED and RUNNING job ages and stale workers are exported as gauges', async () => {
  const video = await uploadClip(api);
  const queued = await call(api, 'POST', '/v1/jobs', { json: jobBody(video.id) });
  assert.equal(queued.status, 201, JSON.stringify(queued.body));
  const running = await call(api, 'POST', '/v1/jobs', { json: jobBody(video.id) });
  assert.equal(running.status, 201, JSON.stringify(running.body));
  // No worker runs in this test: age the rows as if they had waited / stalled that long.
  await api.prisma
    .$executeRaw`UPDATE "Job" SET "createdAt" = now() - interval '3600 seconds' WHERE id = ${queued.body.id}::uuid`;
  await api.prisma
    .$executeRaw`UPDATE "Job" SET status = 'RUNNING', "updatedAt" = now() - interval '7200 seconds' WHERE id = ${running.body.id}::uuid`;
  const staleAt = new Date(Date.now() - 600_000);
  for (const id of workerIds) {
    await api.prisma.worker.create({
      data: { id, host: 'alert-test', pid: 1, device: 'cpu', model: 'none', state: 'BUSY', heartbeatAt: staleAt },
    });
  }
  try {
    const m = await scrapeMetrics(api);
    assert.equal(m.status, 200);
    assert.ok(gauge(m.body, 'masklet_jobs_oldest_age_seconds', 'status="QUEUED"') >= 3600);
    assert.ok(gauge(m.body, 'masklet_jobs_oldest_age_seconds', 'status="RUNNING"') >= 7200);
    assert.ok(gauge(m.body, 'masklet_workers', 'state="STALE"') >= 2, 'both silent workers count as STALE');
    assert.ok(
      gauge(m.body, 'masklet_queue_oldest_waiting_age_seconds', `queue="${segmentQueueName(queued.body.model)}"`) >= 0,
      "every model's segment queue is exported",
    );
  } finally {
    await api.prisma.job.updateMany({
      where: { id: { in: [queued.body.id, running.body.id] } },
      data: { status: 'CANCELLED' },
    });
  }
});
