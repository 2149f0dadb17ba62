import { UnrecoverableError, type Job as BullJob } from 'bullmq';
import { parsePayload, QUEUES, WebhookPayload } from '@masklet/queue';
import type { WorkerContext } from '../runtime/context';
import { webhookExports } from './export-list';
import { signWebhook } from './sign';
import { guardedPost, TargetRefusedError } from './guarded-http';

const TIMEOUT_MS = 10_000;

/**
 * webhook: POSTs {event, jobId, status, ...} signed with the tenant's secret. Non-2xx answers and
 * network errors throw, so BullMQ retries with exponential backoff (WEBHOOK_ATTEMPTS,
 * WEBHOOK_BACKOFF_MS, set when the delivery is queued); the WebhookDelivery row records every
 * attempt (attempts, responseCode, lastError) and ends DELIVERED or FAILED. Redirects are not followed;
 * private targets are refused where the socket connects (guarded-http), not by an earlier look-up.
 */
export function webhookProcessor(ctx: WorkerContext) {
  return async (bull: BullJob): Promise<{ status: number }> => {
    let payload: WebhookPayload;
    try {
      payload = parsePayload(WebhookPayload, bull.data, QUEUES.webhook);
    } catch (err) {
      throw new UnrecoverableError((err as Error).message);
    }
    const delivery = await ctx.prisma.webhookDelivery.findUnique({
      where: { id: payload.deliveryId },
      include: { job: { include: { tenant: { select: { webhookSecret: true } } } } },
    });
    if (!delivery) throw new UnrecoverableError(`webhook delivery ${payload.deliveryId} does not exist`);
    if (delivery.status === 'DELIVERED') return { status: delivery.responseCode ?? 200 };
    const log = ctx.log.child({
      queue: QUEUES.webhook,
      deliveryId: delivery.id,
      jobId: delivery.jobId,
      event: delivery.event,
    });
    const last = bull.attemptsMade + 1 >= (bull.opts.attempts ?? 1);
    const record = (data: {
      responseCode?: number | null;
      lastError?: string | null;
      status?: 'PENDING' | 'DELIVERED' | 'FAILED';
      deliveredAt?: Date;
    }) =>
      ctx.prisma.webhookDelivery.update({ where: { id: delivery.id }, data: { attempts: { increment: 1 }, ...data } });

    const job = delivery.job;
    const body = JSON.stringify({
      event: delivery.event,
      deliveryId: delivery.id,
      jobId: job.id,
      tenantId: job.tenantId,
      videoId: job.videoId,
      status: job.status,
      round: job.currentRound,
      progress: job.progress,
      framesDone: job.framesDone,
      framesTotal: job.framesTotal,
      errorCode: job.errorCode,
      error: job.error,
      finishedAt: job.finishedAt?.toISOString() ?? null,
      exports: await webhookExports(ctx.prisma, job.id, job.currentRound),
    });
    const timestamp = String(Math.floor(Date.now() / 1000));
    let status: number | null = null;
    let error: string;
    try {
      status = await guardedPost(
        delivery.url,
        {
          timeoutMs: TIMEOUT_MS,
          headers: {
            'content-type': 'application/json',
            'user-agent': 'masklet-webhook/1',
            'x-masklet-event': delivery.event,
            'x-masklet-delivery': delivery.id,
            'x-masklet-timestamp': timestamp,
            'x-masklet-signature': signWebhook(job.tenant.webhookSecret, timestamp, body),
          },
          body,
        },
        { allowPrivate: ctx.config.WEBHOOK_ALLOW_PRIVATE },
      );
      if (status >= 200 && status < 300) {
        await record({ status: 'DELIVERED', responseCode: status, lastError: null, deliveredAt: new Date() });
        log.info({ status, attempt: bull.attemptsMade + 1 }, 'webhook delivered');
        return { status };
      }
      error = `HTTP ${status}`;
    } catch (err) {
      if (err instanceof TargetRefusedError) {
        await record({ status: 'FAILED', lastError: `refused: ${err.message}` });
        log.warn({ reason: err.message }, 'webhook target refused');
        throw new UnrecoverableError(`webhook target refused: ${err.message}`);
      }
      error = (err as Error).message;
    }
    await record({ status: last ? 'FAILED' : 'PENDING', responseCode: status, lastError: error });
    log.warn({ status, error, attempt: bull.attemptsMade + 1, last }, 'webhook attempt failed');
    throw new Error(`webhook ${delivery.event} to ${delivery.url}: ${error}`);
  };
}
