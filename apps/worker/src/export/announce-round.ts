import { enqueueWebhook } from '../runtime/enqueue';
import type { WorkerContext } from '../runtime/context';
import { readJobOptions } from '../segment/job-options';

/**
 * Queues a SUCCEEDED round's webhook once every export the job asks for of that round is finished
 * (SUCCEEDED or FAILED), so the receiver can download what the payload lists. Called after each
 * export; the delivery row is unique per job and event, so the last two finishing together queue it
 * once. Exports requested later on demand are not waited for.
 */
export async function announceRoundWhenExported(
  ctx: Pick<WorkerContext, 'prisma' | 'queues' | 'config'>,
  jobId: string,
  round: number,
): Promise<void> {
  const job = await ctx.prisma.job.findUnique({
    where: { id: jobId },
    select: { webhookUrl: true, options: true, rounds: { where: { number: round }, select: { status: true } } },
  });
  if (!job?.webhookUrl || job.rounds[0]?.status !== 'SUCCEEDED') return;
  const wanted = readJobOptions(job.options).outputs;
  const rows = await ctx.prisma.export.findMany({
    where: { jobId, round, kind: { in: wanted } },
    select: { status: true },
  });
  if (rows.length < wanted.length || rows.some((r) => r.status === 'QUEUED' || r.status === 'RUNNING')) return;
  await enqueueWebhook(ctx, jobId, job.webhookUrl, round === 1 ? 'job.succeeded' : 'round.succeeded');
}
