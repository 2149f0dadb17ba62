import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import type { Prisma, PrismaClient } from '@masklet/db';
import { LOGGER, PRISMA } from '../core/tokens';
import { roundEffort, type RoundEffort } from './round-effort';

/**
 * An annotator's preview activity on a job between two of its commits. A preview opens (or extends)
 * the key's open session; the key's next round commit closes it into the Round row, inside the
 * round's transaction, so a round and its effort are written together.
 */
@Injectable()
export class AnnotationSessionsService {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  /** Never fails the preview: analytics is not worth an annotator's error. */
  async recordPreview(ctx: { tenantId: string; apiKeyId: string }, jobId: string, at = new Date()): Promise<void> {
    try {
      await this.prisma.annotationSession.upsert({
        where: { jobId_apiKeyId_closedByRound: { jobId, apiKeyId: ctx.apiKeyId, closedByRound: 0 } },
        create: {
          tenantId: ctx.tenantId,
          jobId,
          apiKeyId: ctx.apiKeyId,
          firstPreviewAt: at,
          lastPreviewAt: at,
          previews: 1,
        },
        update: { lastPreviewAt: at, previews: { increment: 1 } },
      });
    } catch (err) {
      this.log.warn({ err, jobId }, 'recording a preview for analytics failed');
    }
  }

  /** Closes the key's open session (if any) by round `round` and returns the round's effort fields. */
  async closeInto(
    tx: Prisma.TransactionClient,
    c: {
      jobId: string;
      apiKeyId: string;
      round: number;
      committedAt: Date;
      prompts: readonly { points?: unknown; box?: unknown }[];
      changedFrames: readonly number[];
    },
  ): Promise<RoundEffort> {
    const open = await tx.annotationSession.findUnique({
      where: { jobId_apiKeyId_closedByRound: { jobId: c.jobId, apiKeyId: c.apiKeyId, closedByRound: 0 } },
    });
    if (open) await tx.annotationSession.update({ where: { id: open.id }, data: { closedByRound: c.round } });
    return roundEffort(c.prompts, c.changedFrames, open, c.committedAt);
  }
}
