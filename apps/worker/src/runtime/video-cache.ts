import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { ObjectStore } from '@masklet/storage';
import { parseS3Uri } from '@masklet/storage';
import { PermanentJobError, TransientJobError } from './errors';

export interface VideoRef {
  id: string;
  s3Key: string;
  sourceUri: string | null;
}

export interface CachedVideo {
  path: string;
  release(): void;
}

interface Entry {
  path: string;
  /** Scratch bytes the entry holds or has reserved for its download. */
  bytes: number;
  users: number;
  ready: Promise<void>;
  lastUsed: number;
}

/**
 * Videos on local scratch disk, keyed by video id: streamed S3 -> file (a temp name renamed into
 * place, so a crash never leaves a truncated "cached" file), shared by concurrent jobs, and evicted
 * least-recently-used once more than `keep` unused videos are on disk. The bytes on disk (and reserved
 * by downloads in flight) never exceed `maxBytes`: a download that would is refused before it starts,
 * so a full scratch disk never leaves a truncated file behind.
 */
export class VideoCache {
  private readonly entries = new Map<string, Entry>();
  private readonly dir: string;

  constructor(
    private readonly store: ObjectStore,
    scratchDir: string,
    private readonly maxBytes = Number.POSITIVE_INFINITY,
    private readonly keep = 3,
  ) {
    this.dir = join(scratchDir, 'videos');
  }

  /** Removes leftovers of earlier processes (partial downloads and old copies). */
  async init(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
    await mkdir(this.dir, { recursive: true });
  }

  private storeFor(video: VideoRef): { store: ObjectStore; key: string } {
    if (video.sourceUri) {
      const loc = parseS3Uri(video.sourceUri);
      if (loc) return { store: this.store.forBucket(loc.bucket), key: loc.key };
    }
    return { store: this.store, key: video.s3Key };
  }

  async acquire(video: VideoRef): Promise<CachedVideo> {
    let entry = this.entries.get(video.id);
    if (!entry) {
      const path = join(this.dir, `${video.id}.video`);
      entry = { path, bytes: 0, users: 0, lastUsed: Date.now(), ready: Promise.resolve() };
      entry.ready = this.download(video, entry);
      this.entries.set(video.id, entry);
      entry.ready.catch(() => this.entries.delete(video.id));
    }
    entry.users++;
    try {
      await entry.ready;
    } catch (err) {
      entry.users--;
      throw err;
    }
    let released = false;
    const e = entry;
    return {
      path: e.path,
      release: () => {
        if (released) return;
        released = true;
        e.users--;
        e.lastUsed = Date.now();
        void this.evict();
      },
    };
  }

  private async download(video: VideoRef, entry: Entry): Promise<void> {
    const path = entry.path;
    const { store, key } = this.storeFor(video);
    const head = await store.head(key);
    if (!head)
      throw new PermanentJobError(
        'bad_video.missing',
        `video ${video.id} has no object at s3://${store.bucket}/${key}`,
      );
    await this.reserve(entry, head.bytes, video.id);
    await mkdir(this.dir, { recursive: true });
    const part = `${path}.part-${randomUUID()}`;
    try {
      try {
        await store.downloadToFile(key, part);
      } catch (err) {
        if ((err as { code?: unknown }).code === 'ENOSPC')
          throw new TransientJobError(`scratch disk full while downloading video ${video.id}`, 'scratch_full');
        throw new TransientJobError(`downloading video ${video.id}: ${(err as Error).message}`);
      }
      const s = await stat(part);
      if (s.size !== head.bytes)
        throw new TransientJobError(`downloaded ${s.size} of ${head.bytes} bytes of video ${video.id}`);
      await rename(part, path);
    } catch (err) {
      await rm(part, { force: true });
      throw err;
    }
  }

  /** Claims `bytes` of the scratch budget for `entry`, evicting idle videos first if that makes room. */
  private async reserve(entry: Entry, bytes: number, videoId: string): Promise<void> {
    if (bytes > this.maxBytes)
      throw new PermanentJobError(
        'scratch_full',
        `video ${videoId} needs ${bytes} bytes of scratch; WORKER_SCRATCH_MAX_BYTES is ${this.maxBytes}`,
      );
    if (this.usedBytes() + bytes > this.maxBytes) await this.evict(0);
    if (this.usedBytes() + bytes > this.maxBytes) {
      throw new TransientJobError(
        `video ${videoId} needs ${bytes} bytes of scratch; ${this.usedBytes()} of ${this.maxBytes} are in use by running jobs`,
        'scratch_full',
      );
    }
    entry.bytes = bytes;
  }

  private usedBytes(): number {
    let sum = 0;
    for (const e of this.entries.values()) sum += e.bytes;
    return sum;
  }

  private async evict(keep = this.keep): Promise<void> {
    const idle = [...this.entries.entries()]
      .filter(([, e]) => e.users === 0)
      .sort((a, b) => b[1].lastUsed - a[1].lastUsed);
    for (const [id, e] of idle.slice(keep)) {
      this.entries.delete(id);
      await rm(e.path, { force: true }).catch(() => undefined);
    }
  }

  /** Deletes every cached video (shutdown). */
  async clear(): Promise<void> {
    this.entries.clear();
    const names = await readdir(this.dir).catch(() => [] as string[]);
    await Promise.all(names.map((n) => rm(join(this.dir, n), { force: true })));
  }
}
