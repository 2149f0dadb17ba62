import { Inject, Injectable } from '@nestjs/common';
import { z } from 'zod';
import {
  QUEUE_STATES,
  type AdminJobList,
  type FleetSnapshot,
  type RetriedJob,
  type TenantSummary,
  type WorkerView,
} from '@masklet/contract';
import type { Worker } from '@masklet/db';
import type { MaskletConfig } from '@masklet/config';
import { QUEUES, fairPriority, segmentJobId, segmentJobOptions, type SegmentPayload } from '@masklet/queue';
import { ApiError } from '../common/api-error';
import { CONFIG, QUEUES_TOKEN } from '../core/tokens';
import type { QueueRegistry } from '../core/queues';
import { FleetRepository, type AdminJobFilter } from './fleet.repository';
import { traceCarrier } from '@masklet/telemetry';

/**
 * A worker is stale after missing this many heartbeats, and holds no job from then on (BullMQ hands its
 * job to another worker once the lock lapses). Stale rows are forgotten after FORGET_AFTER_MS: a dead
 * process never comes back under the same id (host + pid + start time).
 */
export const STALE_HEARTBEATS = 3;
const FORGET_AFTER_MS = 3600_000;

/**
 * Frames per minute (epoch ms) summed over the workers' own counts: each heartbeat adds the frames of its
 * interval to the minute it ends in (WorkerStats.framesPerMinute), so the series follows the frames as
 * the engines produce them, not as jobs finish.
 */
function workerFramesPerMinute(workers: readonly Worker[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const w of workers) {
    const perMinute = (w.stats as { framesPerMinute?: unknown } | null)?.framesPerMinute;
    if (!Array.isArray(perMinute)) continue;
    for (const entry of perMinute) {
      if (!Array.isArray(entry)) continue;
      const [minute, frames] = entry as unknown[];
      if (typeof minute === 'number' && typeof frames === 'number') out.set(minute, (out.get(minute) ?? 0) + frames);
    }
  }
  return out;
}

@Injectable()
export class FleetService {
  constructor(
    @Inject(FleetRepository) private readonly repo: FleetRepository,
    @Inject(QUEUES_TOKEN) private readonly queues: QueueRegistry,
    @Inject(CONFIG) private readonly config: MaskletConfig,
  ) {}

  async snapshot(): Promise<FleetSnapshot> {
    const now = Date.now();
    await this.repo.forgetWorkers(new Date(now - FORGET_AFTER_MS));
    const [workers, queues, throughput, failed] = await Promise.all([
      this.repo.workers(),
      Promise.all(
        this.queues.all().map(async ([name, q]) => ({
          name,
          counts: (await q.getJobCounts(...QUEUE_STATES)) as FleetSnapshot['queues'][number]['counts'],
        })),
      ),
      this.repo.throughput(new Date(now - 3600_000)),
      this.repo.failedJobs(50),
    ]);
    const jobsPerMinute = new Map(throughput.map((r) => [r.minute.getTime(), r.jobs]));
    const framesPerMinute = workerFramesPerMinute(workers);
    const lastMinute = Math.floor(now / 60_000) * 60_000;
    const series: FleetSnapshot['throughput'] = [];
    for (let t = lastMinute - 59 * 60_000; t <= lastMinute; t += 60_000) {
      series.push({
        minute: new Date(t).toISOString(),
        jobsPerMin: jobsPerMinute.get(t) ?? 0,
        framesPerSec: Number(((framesPerMinute.get(t) ?? 0) / 60).toFixed(2)),
      });
    }
    const views = workers.map((w) => this.workerView(w, now));
    const live = views.filter((w) => w.state === 'BUSY' || w.state === 'IDLE');
    return {
      at: new Date(now).toISOString(),
      workers: views,
      framesPerSec: Number(live.reduce((sum, w) => sum + w.fps, 0).toFixed(2)),
      queues,
      throughput: series,
      failedJobs: failed.map((j) => ({
        id: j.id,
        tenantId: j.tenantId,
        tenantName: j.tenant.name,
        errorCode: j.errorCode,
        error: j.error,
        finishedAt: j.finishedAt?.toISOString() ?? null,
        attempts: j.attempts,
      })),
    };
  }

  private workerView(w: Worker, now: number): WorkerView {
    const stats = (w.stats ?? {}) as {
      cpuUtilisation?: number;
      systemMemory?: WorkerView['systemMemory'];
      inferenceMsPerRole?: WorkerView['inferenceMsPerRole'];
      gpus?: WorkerView['gpus'];
    };
    const age = now - w.heartbeatAt.getTime();
    const stale = age > STALE_HEARTBEATS * this.config.WORKER_HEARTBEAT_MS;
    return {
      id: w.id,
      host: w.host,
      pid: w.pid,
      device: w.device,
      model: w.model,
      models: w.models,
      queues: w.queues,
      state: w.state === 'STOPPED' ? 'STOPPED' : stale ? 'STALE' : w.state,
      currentJobId: stale ? null : w.currentJobId,
      fps: w.fps,
      gpus: stats.gpus ?? [],
      cpuUtilisation: stats.cpuUtilisation ?? null,
      rssBytes: Number(w.rssBytes),
      systemMemory: stats.systemMemory ?? null,
      framesProcessed: Number(w.framesProcessed),
      jobsCompleted: w.jobsCompleted,
      jobsFailed: w.jobsFailed,
      inferenceMsPerRole: Object.fromEntries(
        Object.entries(stats.inferenceMsPerRole ?? {}).map(([role, t]) => [role, { calls: t.calls, meanMs: t.meanMs }]),
      ),
      startedAt: w.startedAt.toISOString(),
      heartbeatAt: w.heartbeatAt.toISOString(),
      heartbeatAgeMs: age,
    };
  }

  async jobs(filter: AdminJobFilter): Promise<AdminJobList> {
    const rows = await this.repo.jobs(filter);
    return {
      items: rows.map((j) => ({
        id: j.id,
        tenantId: j.tenantId,
        tenantName: j.tenant.name,
        batchId: j.batchId,
        status: j.status,
        progress: j.progress,
        framesDone: j.framesDone,
        framesTotal: j.framesTotal,
        currentRound: j.currentRound,
        errorCode: j.errorCode,
        createdAt: j.createdAt.toISOString(),
        finishedAt: j.finishedAt?.toISOString() ?? null,
      })),
    };
  }

  tenants(): Promise<TenantSummary[]> {
    return this.repo.tenants();
  }

  /** Puts a FAILED job's current round back on the segment queue (the BullMQ entry is retried or re-added). */
  async retry(jobId: string): Promise<RetriedJob> {
    const job = z.uuid().safeParse(jobId).success ? await this.repo.findJob(jobId) : null;
    if (!job) throw new ApiError(404, 'JOB_NOT_FOUND', `job ${jobId} does not exist`);
    if (job.status !== 'FAILED')
      throw new ApiError(409, 'JOB_NOT_FAILED', `job ${jobId} is ${job.status}; only FAILED jobs can be retried`);
    if (!(await this.repo.requeueFailed(job.id, job.currentRound)))
      throw new ApiError(409, 'JOB_NOT_FAILED', `job ${jobId} changed state while retrying`);
    const queue = this.queues.segmentFor(job.model);
    const id = segmentJobId(job.id, job.currentRound);
    const existing = await queue.getJob(id);
    const state = existing ? await existing.getState() : null;
    if (existing && (state === 'failed' || state === 'completed')) await existing.retry(state);
    else if (!existing) {
      const data: SegmentPayload = {
        jobId: job.id,
        tenantId: job.tenantId,
        round: job.currentRound,
        ...traceCarrier(),
      };
      await queue.add(QUEUES.segment, data, segmentJobOptions(id, fairPriority(0, job.priority)));
    }
    return { id: job.id, status: 'QUEUED' };
  }
}
