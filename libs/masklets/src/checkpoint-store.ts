import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { ObjectStore } from '@masklet/storage';

/**
 * Engine session checkpoints as chains of incremental segments (`checkpointSession(..., { incremental:
 * true })` bytes): a segment holds only what changed since the previous one, so checkpointing after
 * every chunk costs that chunk. A small pointer per (job, round, kind) names the chain, oldest first.
 * Redis is the fast path (TTL CHECKPOINT_TTL_SECONDS), S3 the durable record; a piece missing from
 * Redis is read from S3 and put back.
 *
 * Two pointer kinds per (job, round):
 * - `progress`: moved after every chunk of a running round; its meta names the pass and the next frame
 *   to compute, so it matches exactly the frames already written. Deleted when the round ends.
 * - `end`: the state after the round's last frame; a correction round restores it and extends the
 *   same chain, so segments are shared between rounds and are never rewritten.
 *
 * Segments are written before the pointer that names them, under ids no other attempt uses, so a
 * pointer always names complete segments and a zombie attempt cannot overwrite a live chain.
 *
 * Bounded storage: a round's `end` is written as one whole (non-incremental) segment, and once the
 * round is SUCCEEDED `prune` drops everything else of the job: earlier rounds' pointers and segments,
 * the round's own per-chunk segments and a failed round's leftovers. A correction round starts from
 * the latest SUCCEEDED round's end only, so that one segment is all a future round can resume from;
 * what stays is the session state once (every tracked frame's output of every live object).
 */
export type CheckpointKind = 'progress' | 'end';

export interface CheckpointMeta {
  jobId: string;
  round: number;
  kind: CheckpointKind;
  /** Index of the pass in the round's pass list the next frame belongs to (progress only). */
  pass?: number;
  /** The next frame to compute in that pass (progress only). */
  nextFrame?: number;
  /** Frames of this round written when the checkpoint was taken. */
  framesWritten: number;
  savedAt: string;
}

interface Pointer extends CheckpointMeta {
  /** Segment ids, oldest first; the last one is the state. */
  segments: string[];
}

export interface LoadedCheckpoint {
  meta: CheckpointMeta;
  /** Segment ids and bytes, oldest first: pass `chain` to restoreSession, keep `segments` to extend it. */
  segments: string[];
  chain: Buffer[];
  /** 's3' when any piece had to come from S3. */
  source: 'redis' | 's3';
}

export function checkpointRedisKey(jobId: string, round: number, kind: CheckpointKind): string {
  return `masklet:ckpt:${jobId}:${round}:${kind}`;
}

function segmentRedisKey(jobId: string, segment: string): string {
  return `masklet:ckpt:${jobId}:seg:${segment}`;
}

/** Outside the job's masklet prefix, so listing a job's results never shows checkpoints. */
export function checkpointS3Key(tenantId: string, jobId: string, round: number, kind: CheckpointKind): string {
  return `tenants/${tenantId}/checkpoints/${jobId}/rounds/${round}/${kind}.json`;
}

function checkpointS3Prefix(tenantId: string, jobId: string): string {
  return `tenants/${tenantId}/checkpoints/${jobId}/`;
}

function segmentS3Key(tenantId: string, jobId: string, segment: string): string {
  return `${checkpointS3Prefix(tenantId, jobId)}segments/${segment}.ckpt`;
}

/** `segments/<id>.ckpt` or `rounds/<round>/<kind>.json` (relative to the job's prefix) to its Redis key. */
function redisKeyOfS3Key(jobId: string, relative: string): string | null {
  const segment = /^segments\/([^/]+)\.ckpt$/.exec(relative);
  if (segment) return segmentRedisKey(jobId, segment[1]!);
  const pointer = /^rounds\/(\d+)\/(progress|end)\.json$/.exec(relative);
  if (pointer) return checkpointRedisKey(jobId, Number(pointer[1]), pointer[2] as CheckpointKind);
  return null;
}

function isMissing(err: unknown): boolean {
  const e = err as { name?: string; Code?: string; $metadata?: { httpStatusCode?: number } };
  return (
    e.name === 'NoSuchKey' || e.name === 'NotFound' || e.Code === 'NoSuchKey' || e.$metadata?.httpStatusCode === 404
  );
}

export class CheckpointStore {
  constructor(
    private readonly redis: Redis,
    private readonly store: ObjectStore,
    private readonly ttlSeconds: number,
  ) {}

  /** Stores one segment (Redis, then S3); returns its id for the chain. */
  async saveSegment(tenantId: string, jobId: string, round: number, data: Buffer): Promise<string> {
    const id = `r${round}-${randomUUID()}`;
    await this.redis.set(segmentRedisKey(jobId, id), data, 'EX', this.ttlSeconds);
    await this.store.putBuffer(segmentS3Key(tenantId, jobId, id), data, 'application/octet-stream');
    return id;
  }

  /** Points (job, round, kind) at a chain whose segments are all saved. Returns the pointer's bytes. */
  async save(tenantId: string, meta: CheckpointMeta, segments: readonly string[]): Promise<number> {
    const body = Buffer.from(JSON.stringify({ ...meta, segments: [...segments] } satisfies Pointer), 'utf8');
    await this.redis.set(checkpointRedisKey(meta.jobId, meta.round, meta.kind), body, 'EX', this.ttlSeconds);
    await this.store.putBuffer(checkpointS3Key(tenantId, meta.jobId, meta.round, meta.kind), body, 'application/json');
    return body.length;
  }

  async load(tenantId: string, jobId: string, round: number, kind: CheckpointKind): Promise<LoadedCheckpoint | null> {
    const pointer = await this.read(
      checkpointRedisKey(jobId, round, kind),
      checkpointS3Key(tenantId, jobId, round, kind),
    );
    if (!pointer) return null;
    const { segments, ...meta } = JSON.parse(pointer.bytes.toString('utf8')) as Pointer;
    const pieces = await Promise.all(
      segments.map(async (id) => {
        const seg = await this.read(segmentRedisKey(jobId, id), segmentS3Key(tenantId, jobId, id));
        if (!seg) throw new Error(`checkpoint ${jobId}/${round}/${kind}: segment ${id} is gone from Redis and S3`);
        return seg;
      }),
    );
    const fromS3 = pointer.fromS3 || pieces.some((p) => p.fromS3);
    return { meta, segments, chain: pieces.map((p) => p.bytes), source: fromS3 ? 's3' : 'redis' };
  }

  /** Deletes the pointer only: its segments may be shared with other pointers of the job. */
  async delete(tenantId: string, jobId: string, round: number, kind: CheckpointKind): Promise<void> {
    await this.redis.del(checkpointRedisKey(jobId, round, kind));
    await this.store.delete(checkpointS3Key(tenantId, jobId, round, kind)).catch((err: unknown) => {
      if (!isMissing(err)) throw err;
    });
  }

  /**
   * Keeps only the `end` pointer of `round` and the segments it names, in S3 and Redis (see the file
   * comment). Call it once the round is SUCCEEDED: before that a retry may still need the base round.
   * Returns the S3 keys deleted. Without an end pointer for `round` nothing is deleted.
   */
  async prune(tenantId: string, jobId: string, round: number): Promise<string[]> {
    const endKey = checkpointS3Key(tenantId, jobId, round, 'end');
    let pointer: Pointer;
    try {
      pointer = JSON.parse((await this.store.getBuffer(endKey)).toString('utf8')) as Pointer;
    } catch (err) {
      if (isMissing(err)) return [];
      throw err;
    }
    const keepS3 = new Set([endKey, ...pointer.segments.map((id) => segmentS3Key(tenantId, jobId, id))]);
    const doomed = (await this.store.list(checkpointS3Prefix(tenantId, jobId))).filter((k) => !keepS3.has(k));
    // Every Redis key has its S3 twin (both are written, Redis first), so the S3 listing names the Redis
    // keys to drop: no SCAN, whose cost grows with the whole keyspace rather than with this job. A Redis
    // key whose S3 write never happened expires with its TTL. Redis goes first: S3 is what names them.
    const doomedRedis = doomed
      .map((k) => redisKeyOfS3Key(jobId, k.slice(checkpointS3Prefix(tenantId, jobId).length)))
      .filter((k): k is string => k !== null);
    for (let i = 0; i < doomedRedis.length; i += 500) await this.redis.del(...doomedRedis.slice(i, i + 500));
    for (const key of doomed) {
      await this.store.delete(key).catch((err: unknown) => {
        if (!isMissing(err)) throw err;
      });
    }
    return doomed;
  }

  /** Drops the Redis copies of a pointer and its segments (eviction, tests). */
  async evict(jobId: string, round: number, kind: CheckpointKind): Promise<void> {
    const key = checkpointRedisKey(jobId, round, kind);
    const pointer = await this.redis.getBuffer(key);
    if (pointer) {
      const { segments } = JSON.parse(pointer.toString('utf8')) as Pointer;
      if (segments.length > 0) await this.redis.del(...segments.map((id) => segmentRedisKey(jobId, id)));
    }
    await this.redis.del(key);
  }

  private async read(redisKey: string, s3Key: string): Promise<{ bytes: Buffer; fromS3: boolean } | null> {
    const cached = await this.redis.getBuffer(redisKey);
    if (cached) return { bytes: cached, fromS3: false };
    let bytes: Buffer;
    try {
      bytes = await this.store.getBuffer(s3Key);
    } catch (err) {
      if (isMissing(err)) return null;
      throw err;
    }
    await this.redis.set(redisKey, bytes, 'EX', this.ttlSeconds);
    return { bytes, fromS3: true };
  }
}
