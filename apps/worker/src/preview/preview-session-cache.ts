import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { parseS3Uri, type ObjectStore } from '@masklet/storage';
import type { FrameSource } from '@masklet/video';
import type { Engine, EngineSession } from '../engine/engine-port';

/** The stored video a session reads: an uploaded object, or a registered s3:// URI. */
export interface StoredVideo {
  s3Key: string;
  sourceUri: string | null;
}

export interface CachedSession<Tag> {
  tag: Tag;
  dir: string;
  source: FrameSource;
  session: EngineSession;
  /** Calls on one session run one after another (the engine refuses concurrent calls). */
  tail: Promise<unknown>;
}

/**
 * A small LRU of engine sessions over local copies of videos, for one engine's previews. An entry is kept
 * while its `tag` (e.g. the round it was restored from) still matches; a mismatch reopens it. Closing
 * waits for the entry's calls in flight.
 */
export class PreviewSessionCache<Tag> {
  private readonly entries = new Map<string, Promise<CachedSession<Tag>>>();

  constructor(
    private readonly engine: Engine,
    private readonly store: ObjectStore,
    private readonly capacity: () => number,
    /** Where each session's local copy goes: a fresh directory named this plus a suffix. */
    private readonly dirPrefix: string,
  ) {}

  async get(
    key: string,
    tag: Tag,
    video: StoredVideo,
    makeSession: (source: FrameSource) => Promise<EngineSession>,
  ): Promise<CachedSession<Tag>> {
    const current = this.entries.get(key);
    if (current) {
      const e = await current.catch(() => null);
      if (e && e.tag === tag) {
        this.entries.delete(key);
        this.entries.set(key, current); // most recently used last
        return e;
      }
      this.entries.delete(key);
      if (e) void this.close(e);
    }
    const created = this.open(tag, video, makeSession);
    this.entries.set(key, created);
    created.catch(() => this.entries.delete(key));
    while (this.entries.size > this.capacity()) {
      const [oldest, p] = this.entries.entries().next().value as [string, Promise<CachedSession<Tag>>];
      this.entries.delete(oldest);
      void p.then((e) => e.tail.then(() => this.close(e))).catch(() => undefined);
    }
    return created;
  }

  /** Runs `fn` on the entry's session after the calls already queued on it. */
  run<T>(entry: CachedSession<Tag>, fn: (session: EngineSession) => Promise<T>): Promise<T> {
    const run = entry.tail.then(() => fn(entry.session));
    entry.tail = run.catch(() => undefined);
    return run;
  }

  private async open(
    tag: Tag,
    video: StoredVideo,
    makeSession: (source: FrameSource) => Promise<EngineSession>,
  ): Promise<CachedSession<Tag>> {
    const dir = await mkdtemp(this.dirPrefix);
    let source: FrameSource | null = null;
    try {
      const loc = video.sourceUri ? parseS3Uri(video.sourceUri) : null;
      const path = join(dir, 'video');
      if (loc) await this.store.forBucket(loc.bucket).downloadToFile(loc.key, path);
      else await this.store.downloadToFile(video.s3Key, path);
      source = await this.engine.openVideo(path);
      return { tag, dir, source, session: await makeSession(source), tail: Promise.resolve() };
    } catch (err) {
      await source?.close().catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
      throw err;
    }
  }

  private async close(e: CachedSession<Tag>): Promise<void> {
    await e.session.close().catch(() => undefined);
    await e.source.close().catch(() => undefined);
    await rm(e.dir, { recursive: true, force: true }).catch(() => undefined);
  }

  async closeAll(): Promise<void> {
    const all = [...this.entries.values()];
    this.entries.clear();
    for (const p of all) {
      const e = await p.catch(() => null);
      if (e) await e.tail.then(() => this.close(e));
    }
  }
}
