import type { Prisma, PrismaClient } from '@masklet/db';
import { frameRangeSize, type FrameRange } from '@masklet/masklets';

type Json = Record<string, unknown>;

/**
 * Job and Round status transitions written by the segment processor. Terminal writes are guarded by
 * the current status so a late worker never turns a CANCELLED job into SUCCEEDED or FAILED.
 * The Job row describes the job (its frame range, how much of it has masks); a round's own progress
 * lives on its Round row, so a correction that recomputes 20 frames never makes a 120-frame job look
 * like a 20-frame one.
 */
export class JobState {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly jobId: string,
    private readonly round: number,
  ) {}

  private roundWhere() {
    return { jobId_number: { jobId: this.jobId, number: this.round } };
  }

  private get initial(): boolean {
    return this.round === 1;
  }

  async markRunning(workerId: string, direction: string): Promise<void> {
    const now = new Date();
    await this.prisma.$transaction([
      this.prisma.job.update({
        where: { id: this.jobId },
        data: {
          status: 'RUNNING',
          startedAt: now,
          workerId,
          attempts: { increment: 1 },
          errorCode: null,
          error: null,
          finishedAt: null,
          ...(this.initial ? { framesDone: 0, progress: 0 } : {}),
        },
      }),
      this.prisma.round.upsert({
        where: this.roundWhere(),
        create: { jobId: this.jobId, number: this.round, status: 'RUNNING', direction, startedAt: now },
        update: { status: 'RUNNING', startedAt: now, error: null, finishedAt: null },
      }),
    ]);
  }

  /** The round's frame count; round 1 also fixes the job's range from the decoded video (the API's came from ffprobe). */
  async setTotal(framesTotal: number, range: FrameRange): Promise<void> {
    await this.prisma.$transaction([
      ...(this.initial
        ? [
            this.prisma.job.update({
              where: { id: this.jobId },
              data: { framesTotal: frameRangeSize(range), frameStart: range.start, frameEnd: range.end },
            }),
          ]
        : []),
      this.prisma.round.updateMany({ where: { jobId: this.jobId, number: this.round }, data: { framesTotal } }),
    ]);
  }

  async progress(framesDone: number, framesTotal: number): Promise<void> {
    await this.prisma.$transaction([
      ...(this.initial
        ? [
            this.prisma.job.updateMany({
              where: { id: this.jobId, status: 'RUNNING' },
              data: { framesDone, progress: framesTotal > 0 ? Math.min(1, framesDone / framesTotal) : 0 },
            }),
          ]
        : []),
      this.prisma.round.updateMany({
        where: { jobId: this.jobId, number: this.round, status: 'RUNNING' },
        data: { framesDone },
      }),
    ]);
  }

  /** Returns false when the job was no longer RUNNING (cancelled meanwhile). */
  async markSucceeded(framesDone: number): Promise<boolean> {
    const now = new Date();
    const [job] = await this.prisma.$transaction([
      this.prisma.job.updateMany({
        where: { id: this.jobId, status: 'RUNNING' },
        data: { status: 'SUCCEEDED', finishedAt: now, ...(this.initial ? { progress: 1, framesDone } : {}) },
      }),
      this.prisma.round.updateMany({
        where: { jobId: this.jobId, number: this.round, status: 'RUNNING' },
        data: { status: 'SUCCEEDED', finishedAt: now, framesRecomputed: framesDone, framesDone },
      }),
    ]);
    return job.count === 1;
  }

  async markCancelled(): Promise<void> {
    const now = new Date();
    await this.prisma.$transaction([
      this.prisma.job.updateMany({
        where: { id: this.jobId, status: { in: ['QUEUED', 'RUNNING'] } },
        data: { status: 'CANCELLED', finishedAt: now },
      }),
      this.prisma.round.updateMany({
        where: { jobId: this.jobId, number: this.round, status: { in: ['QUEUED', 'RUNNING'] } },
        data: { status: 'CANCELLED', finishedAt: now },
      }),
    ]);
  }

  async markFailed(errorCode: string, message: string): Promise<boolean> {
    const now = new Date();
    const error = message.slice(0, 2000);
    const [job] = await this.prisma.$transaction([
      this.prisma.job.updateMany({
        where: { id: this.jobId, status: { in: ['QUEUED', 'RUNNING'] } },
        data: { status: 'FAILED', finishedAt: now, errorCode, error },
      }),
      this.prisma.round.updateMany({
        where: { jobId: this.jobId, number: this.round, status: { in: ['QUEUED', 'RUNNING'] } },
        data: { status: 'FAILED', finishedAt: now, error },
      }),
    ]);
    return job.count === 1;
  }

  private async mergeStats(
    patch: (stats: Json) => Json,
    extra: Prisma.RoundUpdateManyMutationInput = {},
  ): Promise<void> {
    const row = await this.prisma.round.findUnique({ where: this.roundWhere(), select: { stats: true } });
    const stats = patch({ ...((row?.stats as Json | null) ?? {}) });
    await this.prisma.round.updateMany({
      where: { jobId: this.jobId, number: this.round },
      data: { ...extra, stats: stats as Prisma.InputJsonValue },
    });
  }

  /** Round.stats.attempts gets one entry per attempt: where it started (resume frame, checkpoint source). */
  async recordAttempt(entry: Json): Promise<void> {
    await this.mergeStats((s) => ({ ...s, attempts: [...((s['attempts'] as Json[] | undefined) ?? []), entry] }));
  }

  /** Results of a finished round: checkpoint sizes, passes; meanIouDelta on the row. */
  async recordResult(result: Json, meanIouDelta: number | null): Promise<void> {
    await this.mergeStats((s) => ({ ...s, ...result }), { meanIouDelta });
  }

  /** An attempt failed and BullMQ will retry: back to QUEUED with the last error visible. */
  async markRetrying(errorCode: string, message: string): Promise<void> {
    await this.prisma.$transaction([
      this.prisma.job.updateMany({
        where: { id: this.jobId, status: 'RUNNING' },
        data: { status: 'QUEUED', errorCode, error: message.slice(0, 2000), workerId: null },
      }),
      this.prisma.round.updateMany({
        where: { jobId: this.jobId, number: this.round, status: 'RUNNING' },
        data: { status: 'QUEUED' },
      }),
    ]);
  }

  /** Graceful shutdown gave the job back; no attempt is consumed. */
  async markReleased(): Promise<void> {
    await this.prisma.$transaction([
      this.prisma.job.updateMany({
        where: { id: this.jobId, status: 'RUNNING' },
        data: { status: 'QUEUED', workerId: null },
      }),
      this.prisma.round.updateMany({
        where: { jobId: this.jobId, number: this.round, status: 'RUNNING' },
        data: { status: 'QUEUED' },
      }),
    ]);
  }
}
