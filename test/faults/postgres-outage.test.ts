// The job's database goes away mid-job as in a Postgres restart (every connection dropped, new ones
// refused for 10 s), without touching other tests' databases: the worker delays the job until Postgres
// answers, and the masks equal an undisturbed run's.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from 'pg';
import { startWorker, type WorkerHandle } from '../../apps/worker/src/worker';
import { createTestEnv, enqueueSegment, seedJob, sharedModel, skip, testClip, type TestEnv } from '../worker/support';
import { jobFinished, jobMasks, jobRunning } from './support';

const FRAMES = 48;
const OUTAGE_MS = 10_000;

async function adminSql(sql: string): Promise<void> {
  const c = new Client({ connectionString: process.env.DATABASE_URL });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

describe('faults: Postgres restarted mid-job', { skip }, () => {
  let env: TestEnv;
  let worker: WorkerHandle;
  let dbName = '';

  before(async () => {
    env = await createTestEnv({ CHUNK_FRAMES: '8', DB_CONNECT_TIMEOUT_MS: '1000' });
    dbName = new URL(env.config.DATABASE_URL).pathname.slice(1);
    worker = await startWorker(env.config, { model: await sharedModel(), prefix: env.prefix, queues: ['segment'] });
  });
  after(async () => {
    await adminSql(`ALTER DATABASE "${dbName}" ALLOW_CONNECTIONS true`).catch(() => undefined);
    await worker?.close();
    await env?.close();
  });

  test('the job SUCCEEDS after the outage with identical masks, nothing duplicated', async () => {
    const clip = await testClip(FRAMES, 2, 'faults-pg');
    const undisturbed = await seedJob(env, clip);
    await enqueueSegment(env, undisturbed);
    assert.equal((await jobFinished(env, undisturbed.jobId)).status, 'SUCCEEDED');
    const reference = await jobMasks(env, undisturbed.jobId);

    const seeded = await seedJob(env, clip);
    await enqueueSegment(env, seeded);
    await jobRunning(env, seeded.jobId);
    await adminSql(`ALTER DATABASE "${dbName}" ALLOW_CONNECTIONS false`);
    await adminSql(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${dbName}' AND pid <> pg_backend_pid()`,
    );
    await new Promise((r) => setTimeout(r, OUTAGE_MS));
    await adminSql(`ALTER DATABASE "${dbName}" ALLOW_CONNECTIONS true`);
    const job = await jobFinished(env, seeded.jobId);
    assert.equal(job.status, 'SUCCEEDED', `${job.errorCode}: ${job.error}`);
    assert.deepEqual(await jobMasks(env, seeded.jobId), reference);
    assert.equal(
      await env.prisma.maskletChunk.count({ where: { jobId: seeded.jobId, round: 1 } }),
      FRAMES / 8,
      'nothing duplicated',
    );
  });
});
