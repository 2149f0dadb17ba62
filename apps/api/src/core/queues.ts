import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { ALL_QUEUES, QUEUES, type QueueName } from '@masklet/queue';

/** One BullMQ Queue per platform queue, sharing the API's Redis connection. */
export class QueueRegistry {
  private readonly queues = new Map<QueueName, Queue>();

  constructor(connection: Redis) {
    for (const name of ALL_QUEUES) this.queues.set(name, new Queue(name, { connection }));
  }

  get(name: QueueName): Queue {
    const q = this.queues.get(name);
    if (!q) throw new Error(`unknown queue ${name}`);
    return q;
  }

  get segment(): Queue {
    return this.get(QUEUES.segment);
  }

  get ingest(): Queue {
    return this.get(QUEUES.ingest);
  }

  all(): Array<[QueueName, Queue]> {
    return [...this.queues.entries()];
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
  }
}
