import { toRoundProgress } from './job.view';
import { Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { JobsRepository } from './jobs.repository';
import { TERMINAL } from './jobs.service';

const POLL_MS = 500;
const HEARTBEAT_MS = 15_000;

/**
 * Server-sent events of one job, polled from Postgres every 500 ms (robust across API replicas and
 * worker restarts): `progress` when progress/frames change, `status` when the status changes, then
 * the stream ends after the terminal status.
 */
@Injectable()
export class JobEventsService {
  constructor(@Inject(JobsRepository) private readonly jobs: JobsRepository) {}

  stream(jobId: string, req: Request, res: Response): void {
    res.status(200);
    res.setHeader('Content-Type', 'text/event-stream');
    res.setHeader('Cache-Control', 'no-cache, no-transform');
    res.setHeader('Connection', 'keep-alive');
    res.setHeader('X-Accel-Buffering', 'no');
    res.flushHeaders();
    let lastStatus = '';
    let lastProgress = '';
    let lastBeat = Date.now();
    let closed = false;
    let timer: NodeJS.Timeout | undefined;
    const stop = (): void => {
      closed = true;
      if (timer) clearTimeout(timer);
    };
    req.on('close', stop);
    const send = (event: string, data: unknown): void => {
      res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    };
    const tick = async (): Promise<void> => {
      if (closed) return;
      try {
        const j = await this.jobs.progress(jobId);
        if (!j) {
          send('error', { code: 'JOB_NOT_FOUND', message: `job ${jobId} no longer exists` });
          res.end();
          stop();
          return;
        }
        const current = j.rounds[0];
        const progress = {
          progress: j.progress,
          framesDone: j.framesDone,
          framesTotal: j.framesTotal,
          round: j.currentRound,
          ...(current ? { roundProgress: toRoundProgress(current) } : {}),
        };
        const p = JSON.stringify(progress);
        if (p !== lastProgress) {
          send('progress', progress);
          lastProgress = p;
          lastBeat = Date.now();
        }
        if (j.status !== lastStatus) {
          send('status', {
            status: j.status,
            ...(j.errorCode || j.error ? { error: { code: j.errorCode ?? 'ERROR', message: j.error ?? '' } } : {}),
          });
          lastStatus = j.status;
          lastBeat = Date.now();
        }
        if (TERMINAL.includes(j.status)) {
          res.end();
          stop();
          return;
        }
        if (Date.now() - lastBeat > HEARTBEAT_MS) {
          res.write(': keep-alive\n\n');
          lastBeat = Date.now();
        }
      } catch (err) {
        send('error', { code: 'INTERNAL_ERROR', message: (err as Error).message });
      }
      if (!closed) timer = setTimeout(() => void tick(), POLL_MS);
    };
    void tick();
  }
}
