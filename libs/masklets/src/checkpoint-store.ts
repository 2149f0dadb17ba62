import type { Redis } from 'ioredis';
import type { ObjectStore } from '@masklet/storage';

/**
 * Engine session checkpoints (`checkpointSession` bytes, already zlib) with a small JSON header:
 * Redis is the fast path (TTL CHECKPOINT_TTL_SECONDS), S3 the durable record. A missing or expired
 * Redis entry is read from S3 and put back in Redis.
 *
 * Two kinds per (job, round):
 * - `progress`: written after every chunk of a running round; its meta names the pass and the next
 *   frame to compute, so it matches exactly the frames already written. Deleted when the round ends.
 * - `end`: the state after the round's last frame; a correction round restores it.
 *
 * Stored blob: "MKCP" | u32 metaBytes | meta JSON | checkpoint bytes.
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

export interface LoadedCheckpoint {
  meta: CheckpointMeta;
  data: Buffer;
  source: 'redis' | 's3';
}

const MAGIC = Buffer.from('MKCP', 'ascii');

export function checkpointRedisKey(jobId: string, round: number, kind: CheckpointKind): string {
  return `masklet:ckpt:${jobId}:${round}:${kind}`;
}

/** Outside the job's masklet prefix, so listing a job's results never shows checkpoints. */
export function checkpointS3Key(tenantId: string, jobId: string, round: number, kind: CheckpointKind): string {
  return `tenants/${tenantId}/checkpoints/${jobId}/rounds/${round}/${kind}.ckpt`;
}

export function encodeCheckpointBlob(meta: CheckpointMeta, data: Buffer): Buffer {
  const json = Buffer.from(JSON.stringify(meta), 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32LE(json.length);
  return Buffer.concat([MAGIC, len, json, data]);
}

export function decodeCheckpointBlob(blob: Buffer): { meta: CheckpointMeta; data: Buffer } {
  if (blob.length < 8 || !blob.subarray(0, 4).equals(MAGIC)) throw new Error('not a Masklet checkpoint blob');
  const n = blob.readUInt32LE(4);
  const meta = JSON.parse(blob.subarray(8, 8 + n).toString('utf8')) as CheckpointMeta;
  return { meta, data: blob.subarray(8 + n) };
}

function isMissing(err: unknown): boolean {
  const e = err as { name?: string; Code?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === 'NoSuchKey' || e.name === 'NotFound' || e.Code === 'NoSuchKey' || e.$metadata?.httpStatusCode === 404;
}

export class CheckpointStore {
  constructor(private readonly redis: Redis, private readonly store: ObjectStore, private readonly ttlSeconds: number) {}

  /** Redis first (fast path), then S3 (the record); both must succeed for the save to count. */
  async save(tenantId: string, meta: CheckpointMeta, data: Buffer): Promise<number> {
    const blob = encodeCheckpointBlob(meta, data);
    await this.redis.set(checkpointRedisKey(meta.jobId, meta.round, meta.kind), blob, 'EX', this.ttlSeconds);
    await this.store.putBuffer(checkpointS3Key(tenantId, meta.jobId, meta.round, meta.kind), blob, 'application/octet-stream');
    return blob.length;
  }

  async load(tenantId: string, jobId: string, round: number, kind: CheckpointKind): Promise<LoadedCheckpoint | null> {
    const rkey = checkpointRedisKey(jobId, round, kind);
    const cached = await this.redis.getBuffer(rkey);
    if (cached) return { ...decodeCheckpointBlob(cached), source: 'redis' };
    let blob: Buffer;
    try {
      blob = await this.store.getBuffer(checkpointS3Key(tenantId, jobId, round, kind));
    } catch (err) {
      if (isMissing(err)) return null;
      throw err;
    }
    await this.redis.set(rkey, blob, 'EX', this.ttlSeconds);
    return { ...decodeCheckpointBlob(blob), source: 's3' };
  }

  async delete(tenantId: string, jobId: string, round: number, kind: CheckpointKind): Promise<void> {
    await this.redis.del(checkpointRedisKey(jobId, round, kind));
    await this.store.delete(checkpointS3Key(tenantId, jobId, round, kind)).catch((err: unknown) => {
      if (!isMissing(err)) throw err;
    });
  }

  /** Drops only the Redis copy (eviction, tests). */
  async evict(jobId: string, round: number, kind: CheckpointKind): Promise<void> {
    await this.redis.del(checkpointRedisKey(jobId, round, kind));
  }
}
