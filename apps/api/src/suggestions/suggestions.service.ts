import { Inject, Injectable } from '@nestjs/common';
import type { Job, PrismaClient } from '@masklet/db';
import { rankSuggestions } from '@masklet/masklets';
import { ApiError } from '../common/api-error';
import { PRISMA } from '../core/tokens';
import { jobTimelines } from './job-timelines';
import type { SuggestionsQuery, SuggestionsView } from '@masklet/contract';

/** Ranked frames likely to need a correction (libs/masklets suggestions.ts says how they are scored). */
@Injectable()
export class SuggestionsService {
  constructor(@Inject(PRISMA) private readonly prisma: PrismaClient) {}

  async list(job: Job, q: SuggestionsQuery): Promise<SuggestionsView> {
    if (q.round !== undefined && q.round > job.currentRound)
      throw new ApiError(404, 'ROUND_NOT_FOUND', `job ${job.id} has no round ${q.round} (latest: ${job.currentRound})`);
    const { round, included } = await this.included(job, q.round);
    const [objects, tracks, prompts] = await Promise.all([
      this.prisma.jobObject.findMany({
        where: { jobId: job.id, createdInRound: { lte: round } },
        orderBy: { objectId: 'asc' },
      }),
      this.prisma.objectTrackChunk.findMany({
        where: { jobId: job.id, round: { in: included } },
        orderBy: [{ objectId: 'asc' }, { startFrame: 'asc' }],
      }),
      this.prisma.prompt.findMany({
        where: { jobId: job.id, round: { in: included } },
        select: { objectId: true, frame: true, round: true, kind: true },
      }),
    ]);
    const live = objects.filter((o) => o.removedInRound === null || o.removedInRound > round).map((o) => o.objectId);
    return { jobId: job.id, round, items: rankSuggestions(jobTimelines(live, tracks, prompts), q.limit) };
  }

  /** The round and the rounds its state is made of, as the masklets route resolves them. */
  private async included(job: Job, requested: number | undefined): Promise<{ round: number; included: number[] }> {
    const rounds = await this.prisma.round.findMany({
      where: { jobId: job.id },
      select: { number: true, status: true },
      orderBy: { number: 'asc' },
    });
    let round = requested ?? job.currentRound;
    if (requested === undefined) {
      const usable = rounds.filter((r) => r.status !== 'FAILED' && r.status !== 'CANCELLED');
      if (usable.length) round = usable[usable.length - 1]!.number;
    }
    return {
      round,
      included: [round, ...rounds.filter((r) => r.number < round && r.status === 'SUCCEEDED').map((r) => r.number)],
    };
  }
}
