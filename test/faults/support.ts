// What the fault tests share: a segment worker to disturb, the undisturbed run's masks, every frame's RLE
// per object, and a job's terminal row.
import assert from 'node:assert/strict';
import { decodeChunk } from '@masklet/masklets';
import type { SyntheticClipResult } from '@masklet/video';
import { startWorker, type WorkerHandle } from '../../apps/worker/src/worker';
import { createTestEnv, enqueueSegment, seedJob, sharedModel, waitFor, type TestEnv } from '../worker/support';

/** Every mask of a job's round 1, as `frame/object:rle` in frame order ("identical masks" compares these). */
export async function jobMasks(env: TestEnv, jobId: string): Promise<string[]> {
  const rows = await env.prisma.maskletChunk.findMany({ where: { jobId, round: 1 }, orderBy: { startFrame: 'asc' } });
  const out: string[] = [];
  for (const r of rows) {
    for (const f of decodeChunk(await env.store.getBuffer(r.s3Key)).frames) {
      for (const o of f.objects) out.push(`${f.frame}/${o.objectId}:${JSON.stringify(o.rle)}`);
    }
  }
  return out;
}

export function jobFinished(env: TestEnv, jobId: string, timeoutMs = 120_000) {
  return waitFor(
    'job finished',
    async () => {
      const j = await env.prisma.job.findUniqueOrThrow({ where: { id: jobId } });
      return ['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(j.status) ? j : null;
    },
    timeoutMs,
    200,
  );
}

export function jobRunning(env: TestEnv, jobId: string) {
  return waitFor(
    'job running with frames done',
    async () => {
      const j = await env.prisma.job.findUniqueOrThrow({ where: { id: jobId } });
      return j.status === 'RUNNING' && j.framesDone > 0;
    },
    60_000,
    20,
  );
}

export interface SegmentRig {
  env: TestEnv;
  worker: WorkerHandle;
  /** Stops the worker, then drops the env; safe after a failed start. */
  close(): Promise<void>;
}

/** A fresh env with one segment worker on the shared model: where every fault test starts. */
export async function startSegmentRig(overrides: Record<string, string>): Promise<SegmentRig> {
  const env = await createTestEnv(overrides);
  const worker = await startWorker(env.config, { model: await sharedModel(), prefix: env.prefix, queues: ['segment'] });
  return {
    env,
    worker,
    async close() {
      await worker.close();
      await env.close();
    },
  };
}

/** Runs `clip` as a job with nothing disturbed; its masks are what the disturbed run must equal. */
export async function undisturbedMasks(env: TestEnv, clip: SyntheticClipResult): Promise<string[]> {
  const undisturbed = await seedJob(env, clip);
  await enqueueSegment(env, undisturbed);
  const job = await jobFinished(env, undisturbed.jobId);
  assert.equal(job.status, 'SUCCEEDED', `undisturbed run: ${job.errorCode}: ${job.error}`);
  return jobMasks(env, undisturbed.jobId);
}
