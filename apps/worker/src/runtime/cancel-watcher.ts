import type { Redis } from 'ioredis';
import { CANCEL_CHANNEL, isCancelled } from '@masklet/queue';
import type { Logger } from './logger';

/**
 * Keeps the set of jobs cancelled while this process runs, fed by the CANCEL_CHANNEL pub/sub (one
 * dedicated subscriber connection). Propagation checks `has` after every frame, synchronously, so a
 * cancel takes effect within the frame in flight. `check` also reads the flag for cancels sent
 * before this worker started listening.
 */
export class CancelWatcher {
  private readonly cancelled = new Set<string>();

  private constructor(
    private readonly subscriber: Redis,
    private readonly commands: Redis,
  ) {}

  static async start(subscriber: Redis, commands: Redis, log: Logger): Promise<CancelWatcher> {
    const watcher = new CancelWatcher(subscriber, commands);
    subscriber.on('message', (channel: string, jobId: string) => {
      if (channel !== CANCEL_CHANNEL) return;
      watcher.cancelled.add(jobId);
      log.info({ jobId }, 'cancel signal received');
    });
    await subscriber.subscribe(CANCEL_CHANNEL);
    return watcher;
  }

  has(jobId: string): boolean {
    return this.cancelled.has(jobId);
  }

  async check(jobId: string): Promise<boolean> {
    if (this.cancelled.has(jobId)) return true;
    if (await isCancelled(this.commands, jobId)) {
      this.cancelled.add(jobId);
      return true;
    }
    return false;
  }

  /** Forget a job once it has finished, so the set stays small in a long-lived process. */
  forget(jobId: string): void {
    this.cancelled.delete(jobId);
  }

  async close(): Promise<void> {
    await this.subscriber.unsubscribe(CANCEL_CHANNEL).catch(() => undefined);
  }
}
