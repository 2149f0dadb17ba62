import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import type { MaskletConfig } from '@masklet/config';
import { createRedisConnection, previewQueueName, type PreviewPayload, type PreviewReply } from '@masklet/queue';
import { ApiError } from '../common/api-error';
import { CONFIG, QUEUES_TOKEN } from '../core/tokens';
import type { QueueRegistry } from '../core/queues';

export type PreviewMask = Extract<PreviewReply, { ok: true }>;

/** States of a preview that no worker has finished: past the timeout it is abandoned. */
const UNANSWERED = new Set(['waiting', 'prioritized', 'delayed', 'active', 'waiting-children', 'unknown']);

/**
 * Request/reply over the model's preview queue (previewQueueName): the API never loads a model; a worker
 * holding it answers (apps/worker/src/preview). One QueueEvents per preview queue carries the answers.
 * No answer within PREVIEW_TIMEOUT_MS (no worker consumes the queue, or all are busy) is 503
 * PREVIEW_UNAVAILABLE with Retry-After; the engine refusing the prompt is 422 PREVIEW_REJECTED.
 */
@Injectable()
export class PreviewDispatch implements OnModuleInit, OnModuleDestroy {
  private readonly events = new Map<string, { qe: QueueEvents; connection: Redis }>();

  constructor(
    @Inject(CONFIG) private readonly config: MaskletConfig,
    @Inject(QUEUES_TOKEN) private readonly queues: QueueRegistry,
  ) {}

  get defaultModel(): string {
    return this.queues.models.defaultModel;
  }

  /** Listening before the first preview, so the first one does not wait for the listener to connect. */
  onModuleInit(): void {
    for (const model of this.queues.models.names) this.eventsFor(previewQueueName(model));
  }

  private eventsFor(name: string): QueueEvents {
    let e = this.events.get(name);
    if (!e) {
      // Its own connection: QueueEvents blocks on it, which the API's command timeout would cut.
      const connection = createRedisConnection(this.config);
      const qe = new QueueEvents(name, { connection });
      qe.on('error', () => undefined); // it reconnects by itself; a preview meanwhile times out
      this.events.set(name, (e = { qe, connection }));
    }
    return e.qe;
  }

  async ask(model: string, payload: PreviewPayload): Promise<PreviewMask> {
    const name = previewQueueName(model);
    const events = this.eventsFor(name);
    const job = await this.queues.get(name).add('preview', payload, {
      attempts: 1,
      // Kept a minute: waitUntilFinished reads a job finished before it listened from the job itself.
      removeOnComplete: { age: 60 },
      removeOnFail: { age: 300 },
    });
    let reply: PreviewReply;
    try {
      reply = (await job.waitUntilFinished(events, this.config.PREVIEW_TIMEOUT_MS)) as PreviewReply;
    } catch (err) {
      const state = await job.getState().catch(() => 'unknown');
      if (UNANSWERED.has(state)) {
        // Nobody took it in time: the client retries, so the worker that comes later must not answer it.
        if (state !== 'active') await job.remove().catch(() => undefined);
        throw new ApiError(
          503,
          'PREVIEW_UNAVAILABLE',
          `no worker serving model ${model} answered the preview within ${this.config.PREVIEW_TIMEOUT_MS} ms; try again`,
        );
      }
      throw new ApiError(
        503,
        'PREVIEW_UNAVAILABLE',
        `the preview failed on its worker (${(err as Error).message}); try again`,
      );
    }
    if (!reply.ok) throw new ApiError(422, 'PREVIEW_REJECTED', `${reply.code}: ${reply.message}`);
    return reply;
  }

  async onModuleDestroy(): Promise<void> {
    const all = [...this.events.values()];
    this.events.clear();
    await Promise.all(
      all.map(async ({ qe, connection }) => {
        await qe.close();
        connection.disconnect();
      }),
    );
  }
}
