// What the fault tests compare: every frame's RLE per object, and a job's terminal row.
import { decodeChunk } from '@masklet/masklets';
import { waitFor, type TestEnv } from '../worker/support';

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
