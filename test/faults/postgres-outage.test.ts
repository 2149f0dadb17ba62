// The job's database goes away mid-job as in a Postgres restart (every connection dropped, new ones
// refused for 10 s), without touching other tests' databases: the worker delays the job until Postgres
// answers, and the masks equal an undisturbed run's.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from 'pg';
import { enqueueSegment, seedJob, skip, testClip, type TestEnv } from '../worker/support';
import { jobFinished, jobMasks, jobRunning, startSegmentRig, undisturbedMasks, type SegmentRig } from './support';

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
  let rig: SegmentRig;
  let env: TestEnv;
  let dbName = '';

  before(async () => {
    rig = await startSegmentRig({ CHUNK_FRAMES: '8', DB_CONNECT_TIMEOUT_MS: '1000' });
    env = rig.env;
    dbName = new URL(env.config.DATABASE_URL).pathname.slice(1);
  });
  after(async () => {
    await adminSql(`ALTER DATABASE "${dbName}" ALLOW_CONNECTIONS true`).catch(() => undefined);
    await rig?.close();
  });

  test('the job SUCCEEDS after the outage with identical masks, nothing duplicated', async () => {
    const clip = await testClip(FRAMES, 2, 'faults-pg');
    const reference = await undisturbedMasks(env, clip);

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
