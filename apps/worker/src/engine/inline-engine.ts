/**
 * The engine on the calling thread: a thin wrapper of VideoSession for processes that already hold a
 * loaded model (tests share one across workers). The session's generator is lazy, so a boundary needs
 * no pause: nothing runs until the next frame is asked for.
 */
import {
  captureCheckpoint,
  restoreSession,
  VideoSession,
  type CapturedCheckpoint,
  type FrameResult,
  type SamModel,
} from '@masklet/engine';
import { openVideoFile, type FrameSource } from '@masklet/video';
import { isChunkBoundary } from './chunk-boundary';
import {
  deviceOf,
  type Engine,
  type EngineRun,
  type EngineSession,
  type EngineSessionOptions,
  type PreviewPrompt,
  type RunFrame,
  type RunOptions,
} from './engine-port';
import { previewOnSession } from './preview-prompt';

export class InlineEngine implements Engine {
  readonly kind = 'inline';

  constructor(readonly model: SamModel) {}

  get modelName(): string {
    return this.model.manifest.name;
  }

  get device(): string {
    return deviceOf(this.model.provider);
  }

  timings() {
    return this.model.timings.snapshot();
  }

  drainCalls() {
    return this.model.timings.drainCalls();
  }

  openVideo(path: string): Promise<FrameSource> {
    return openVideoFile(path);
  }

  async open(source: FrameSource, options: EngineSessionOptions, chain?: readonly Buffer[]): Promise<EngineSession> {
    const session = chain
      ? await restoreSession(this.model, source, chain, options)
      : new VideoSession(this.model, source, options);
    return new InlineSession(session);
  }

  async close(): Promise<void> {
    // The model belongs to whoever loaded it.
  }
}

class InlineSession implements EngineSession {
  constructor(private readonly session: VideoSession) {}

  get info() {
    return this.session.source.info;
  }

  async addPoints(...args: Parameters<VideoSession['addPoints']>): Promise<void> {
    await this.session.addPoints(...args);
  }

  async addBox(...args: Parameters<VideoSession['addBox']>): Promise<void> {
    await this.session.addBox(...args);
  }

  async addMask(...args: Parameters<VideoSession['addMask']>): Promise<void> {
    await this.session.addMask(...args);
  }

  async removeObjects(objectIds: readonly number[]): Promise<number[]> {
    const removed = objectIds.filter((id) => this.session.tracks.has(id));
    for (const id of removed) await this.session.removeObject(id);
    return removed;
  }

  propagate(options: RunOptions): EngineRun {
    const session = this.session;
    const step = options.direction === 'backward' ? -1 : 1;
    async function* frames(): AsyncGenerator<RunFrame> {
      const it = session.propagate({
        startFrame: options.startFrame,
        direction: options.direction,
        maxFrames: options.maxFrames,
      });
      for await (const result of it)
        yield { result, boundary: isChunkBoundary(result.frame, step, options.end, options.chunkFrames) };
    }
    return Object.assign(frames(), {
      boundary: (capture: boolean): Promise<CapturedCheckpoint | null> =>
        capture ? captureCheckpoint(session, { incremental: true }) : Promise.resolve(null),
    });
  }

  capture(options: { whole?: boolean } = {}): Promise<CapturedCheckpoint> {
    return captureCheckpoint(this.session, { incremental: options.whole !== true });
  }

  preview(prompt: PreviewPrompt): Promise<FrameResult> {
    return previewOnSession(this.session, prompt);
  }

  close(): Promise<void> {
    return this.session.close();
  }
}
