import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { ModelRegistry } from '@masklet/config';
import { deploymentQueueNames, QUEUES, queueKind, segmentQueueName, type QueueName } from '@masklet/queue';

/**
 * One BullMQ Queue per platform queue (a segment queue per installed model), sharing the API's Redis
 * connection, and the installed models that name them.
 */
export class QueueRegistry {
  private readonly queues = new Map<QueueName, Queue>();

  constructor(
    private readonly connection: Redis,
    readonly models: ModelRegistry,
  ) {
    for (const name of deploymentQueueNames(models.names)) this.get(name);
  }

  /** A queue by name; a job's segment queue whose model was uninstalled since is opened on demand. */
  get(name: QueueName): Queue {
    let q = this.queues.get(name);
    if (!q) {
      if (!queueKind(name)) throw new Error(`unknown queue ${name}`);
      this.queues.set(name, (q = new Queue(name, { connection: this.connection })));
    }
    return q;
  }

  /** The segment queue of a job's model. */
  segmentFor(model: string): Queue {
    return this.get(segmentQueueName(model));
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
