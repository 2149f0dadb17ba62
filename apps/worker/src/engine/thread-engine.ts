/**
 * The engine on a worker_thread of its own (engine-thread.ts). The main thread keeps BullMQ, Postgres,
 * S3, the video decoder and checkpoint saving; the thread owns the onnxruntime sessions and the
 * VideoSessions. Pixels go to the thread and captures come back as transferred buffers; masks come
 * back as each frame finishes, and the thread runs ahead to the end of the chunk while the main thread
 * writes, pausing there until told whether to capture a checkpoint.
 *
 * If the thread dies, every call in flight fails with a retryable error and the next session starts a
 * new thread (which loads the model again).
 */
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type {
  Box,
  CapturedCheckpoint,
  FrameResult,
  MaskPrompt,
  Point,
  RoleCalls,
  RuntimeConfig,
} from '@masklet/engine';
import { openVideoFile, type FrameSource, type VideoInfo } from '@masklet/video';
import { TransientJobError } from '../runtime/errors';
import type { Logger } from '../runtime/logger';
import {
  deviceOf,
  type Engine,
  type EngineRun,
  type EngineSession,
  type EngineSessionOptions,
  type PreviewPrompt,
  type RoleTimingsSnapshot,
  type RunFrame,
  type RunOptions,
} from './engine-port';
import {
  ownedBytes,
  type EngineNotice,
  type EngineRequest,
  type EngineThreadData,
  type FromEngine,
  type WireCapture,
} from './engine-messages';
import { fromWireError, toWireError } from './wire-error';

export interface ThreadEngineOptions {
  manifestPath: string;
  runtime: RuntimeConfig;
  log: Logger;
}

/**
 * Code that starts the thread. Run from TypeScript sources (tsx), the thread registers tsx itself:
 * Node does not apply the parent's --import loaders to worker threads.
 */
function threadEntry(): string {
  const ts = __filename.endsWith('.ts');
  const file = join(__dirname, ts ? 'engine-thread.ts' : 'engine-thread.js');
  // The compiled build (dist/, .js) never loads tsx, a devDependency.
  const loader = ts ? `require(${JSON.stringify('tsx/cjs')});` : '';
  return `${loader}require(${JSON.stringify(file)});`;
}

type Request = EngineRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

function fromWireCapture(c: WireCapture): CapturedCheckpoint {
  return {
    header: JSON.parse(c.headerJson) as CapturedCheckpoint['header'],
    blobs: [Buffer.from(c.blobs.buffer, c.blobs.byteOffset, c.blobs.byteLength)],
    perObject: c.perObject,
  };
}

/** One running thread: requests and their replies, frame reads, runs in progress. */
class EngineThread {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (err: Error) => void }>();
  readonly sources = new Map<number, FrameSource>();
  readonly runs = new Map<number, RemoteRun>();
  failure: Error | null = null;
  timings: RoleTimingsSnapshot = {};
  /** Role calls the thread reported and nobody drained yet. */
  calls: RoleCalls = {};

  private constructor(
    private readonly worker: Worker,
    private readonly log: Logger,
    readonly modelName: string,
    readonly provider: string,
  ) {}

  static start(options: ThreadEngineOptions): Promise<EngineThread> {
    const data: EngineThreadData = { manifestPath: options.manifestPath, runtime: options.runtime };
    const worker = new Worker(threadEntry(), { eval: true, workerData: data });
    worker.unref();
    return new Promise<EngineThread>((resolve, reject) => {
      const early = (err: Error) => reject(err);
      const earlyExit = (code: number) =>
        reject(new Error(`engine thread exited with code ${code} while loading the model`));
      const loading = (msg: FromEngine) => {
        if (msg.type === 'log') {
          options.log[msg.level]({ component: 'engine', ...msg.obj }, msg.msg);
          return;
        }
        worker.off('message', loading);
        worker.off('error', early);
        worker.off('exit', earlyExit);
        if (msg.type !== 'ready') {
          void worker.terminate();
          reject(
            msg.type === 'failed' ? fromWireError(msg.error) : new Error(`engine thread sent ${msg.type} before ready`),
          );
          return;
        }
        const thread = new EngineThread(worker, options.log, msg.modelName, msg.provider);
        thread.timings = msg.timings;
        worker.on('message', (m: FromEngine) => thread.receive(m));
        worker.on('error', (err) =>
          thread.fail(new TransientJobError(`engine thread failed: ${err.message}`, 'engine_error')),
        );
        worker.on('exit', (code) =>
          thread.fail(new TransientJobError(`engine thread exited (code ${code})`, 'engine_error')),
        );
        // Idle until asked (after the listeners: adding a 'message' listener refs the thread's port again).
        worker.unref();
        resolve(thread);
      };
      worker.on('error', early);
      worker.on('exit', earlyExit);
      worker.on('message', loading);
    });
  }

  request<T>(req: Request, transfer: ArrayBuffer[] = []): Promise<T> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    // A call in flight keeps the process alive until answered; an idle engine never does.
    if (this.pending.size === 0) this.worker.ref();
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.worker.postMessage({ ...req, id }, transfer);
    });
  }

  private settled(id: number): { resolve: (value: unknown) => void; reject: (err: Error) => void } | undefined {
    const p = this.pending.get(id);
    this.pending.delete(id);
    if (this.pending.size === 0 && !this.failure) this.worker.unref();
    return p;
  }

  /** The id the next request gets (a run is known by its propagate request's id). */
  peekId(): number {
    return this.nextId;
  }

  notify(notice: EngineNotice, transfer: ArrayBuffer[] = []): void {
    if (!this.failure) this.worker.postMessage(notice, transfer);
  }

  private receive(msg: FromEngine): void {
    switch (msg.type) {
      case 'reply': {
        const p = this.settled(msg.id);
        if ('error' in msg) p?.reject(fromWireError(msg.error));
        else p?.resolve(msg.value);
        return;
      }
      case 'frame':
        this.timings = msg.timings;
        this.runs.get(msg.run)?.push({ result: msg.result, boundary: msg.boundary });
        return;
      case 'calls':
        for (const [role, ms] of Object.entries(msg.calls)) (this.calls[role] ??= []).push(...ms);
        return;
      case 'read':
        this.serveRead(msg.rid, msg.sid, msg.index, msg.size);
        return;
      case 'log':
        this.log[msg.level]({ component: 'engine', ...msg.obj }, msg.msg);
        return;
      default:
        this.log.warn({ type: msg.type }, 'unexpected message from the engine thread');
    }
  }

  private serveRead(rid: number, sid: number, index: number, size: number): void {
    const source = this.sources.get(sid);
    const read = source
      ? source.readSquare(index, size)
      : Promise.reject(new Error(`engine session ${sid} has no video`));
    read.then(
      (pixels) => {
        const owned = ownedBytes(pixels);
        this.notify({ op: 'pixels', rid, pixels: owned }, [owned.buffer]);
      },
      (err: unknown) => this.notify({ op: 'pixels', rid, error: toWireError(err) }),
    );
  }

  fail(err: Error, quiet = false): void {
    if (this.failure) return;
    this.failure = err;
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
    for (const run of this.runs.values()) run.finish(err);
    this.runs.clear();
    this.sources.clear();
    if (!quiet) this.log.error({ err: err.message }, 'engine thread stopped');
  }

  async terminate(): Promise<void> {
    this.fail(new Error('engine closed'), true);
    await this.worker.terminate();
  }
}

export class ThreadEngine implements Engine {
  readonly kind = 'thread';
  private nextSid = 1;
  private closed = false;

  private constructor(
    private readonly options: ThreadEngineOptions,
    private thread: EngineThread,
  ) {}

  /** Starts the thread and waits for its model to load. */
  static async start(options: ThreadEngineOptions): Promise<ThreadEngine> {
    return new ThreadEngine(options, await EngineThread.start(options));
  }

  get modelName(): string {
    return this.thread.modelName;
  }

  get device(): string {
    return deviceOf(this.thread.provider);
  }

  timings(): RoleTimingsSnapshot {
    return this.thread.timings;
  }

  drainCalls(): RoleCalls {
    const out = this.thread.calls;
    this.thread.calls = {};
    return out;
  }

  private async live(): Promise<EngineThread> {
    if (this.closed) throw new Error('engine closed');
    if (this.thread.failure) {
      this.options.log.warn('starting a new engine thread');
      this.thread = await EngineThread.start(this.options);
    }
    return this.thread;
  }

  openVideo(path: string): Promise<FrameSource> {
    return openVideoFile(path);
  }

  async open(source: FrameSource, options: EngineSessionOptions, chain?: readonly Buffer[]): Promise<EngineSession> {
    const thread = await this.live();
    const sid = this.nextSid++;
    thread.sources.set(sid, source);
    // Copies: the caller keeps its chain (restoring happens once per attempt, never per frame).
    const copies = chain?.map((c) => new Uint8Array(c)) ?? null;
    try {
      await thread.request(
        { op: 'open', sid, info: source.info, options, chain: copies },
        copies?.map((c) => c.buffer) ?? [],
      );
    } catch (err) {
      thread.sources.delete(sid);
      throw err;
    }
    return new RemoteSession(thread, sid, source.info);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.thread.terminate();
  }
}

class RemoteSession implements EngineSession {
  constructor(
    private readonly thread: EngineThread,
    private readonly sid: number,
    readonly info: VideoInfo,
  ) {}

  async addPoints(frame: number, objectId: number, points: Point[], opts: { clearOld?: boolean } = {}): Promise<void> {
    await this.thread.request({
      op: 'points',
      sid: this.sid,
      frame,
      objectId,
      points,
      clearOld: opts.clearOld ?? true,
      box: null,
    });
  }

  async addBox(frame: number, objectId: number, box: Box, points: Point[] = []): Promise<void> {
    await this.thread.request({ op: 'points', sid: this.sid, frame, objectId, points, clearOld: true, box });
  }

  /** The mask's pixels are handed over to the engine thread when they fill their buffer. */
  async addMask(frame: number, objectId: number, mask: MaskPrompt): Promise<void> {
    const data = ownedBytes(mask.data);
    await this.thread.request(
      { op: 'mask', sid: this.sid, frame, objectId, width: mask.width, height: mask.height, data },
      [data.buffer],
    );
  }

  removeObjects(objectIds: readonly number[]): Promise<number[]> {
    return this.thread.request<number[]>({ op: 'remove', sid: this.sid, objectIds: [...objectIds] });
  }

  propagate(options: RunOptions): EngineRun {
    const run = new RemoteRun(this.thread, this.sid, this.thread.peekId());
    this.thread.runs.set(run.id, run);
    this.thread.request<number>({ op: 'propagate', sid: this.sid, options }).then(
      () => run.finish(null),
      (err: Error) => run.finish(err),
    );
    return run;
  }

  async capture(options: { whole?: boolean } = {}): Promise<CapturedCheckpoint> {
    return fromWireCapture(
      await this.thread.request<WireCapture>({ op: 'capture', sid: this.sid, whole: options.whole === true }),
    );
  }

  preview(prompt: PreviewPrompt): Promise<FrameResult> {
    return this.thread.request<FrameResult>({ op: 'preview', sid: this.sid, prompt });
  }

  async close(): Promise<void> {
    try {
      if (!this.thread.failure) await this.thread.request({ op: 'close', sid: this.sid });
    } finally {
      this.thread.sources.delete(this.sid);
    }
  }
}

/** The main thread's end of a propagation: frames queue here as the thread sends them. */
class RemoteRun implements EngineRun {
  private readonly queue: RunFrame[] = [];
  private waiter: { resolve: (r: IteratorResult<RunFrame>) => void; reject: (err: Error) => void } | null = null;
  private ended = false;
  private error: Error | null = null;
  private finished: Promise<void>;
  private markFinished!: () => void;
  /** A boundary frame was handed out and not answered yet: the thread is waiting. */
  private unanswered = false;

  constructor(
    private readonly thread: EngineThread,
    private readonly sid: number,
    readonly id: number,
  ) {
    this.finished = new Promise((resolve) => (this.markFinished = resolve));
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  push(frame: RunFrame): void {
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = null;
      this.handOut(frame);
      w.resolve({ value: frame, done: false });
    } else {
      this.queue.push(frame);
    }
  }

  finish(err: Error | null): void {
    if (this.ended) return;
    this.ended = true;
    this.error = err;
    this.thread.runs.delete(this.id);
    this.markFinished();
    const w = this.waiter;
    this.waiter = null;
    if (!w) return;
    if (err) {
      this.error = null;
      w.reject(err);
    } else {
      w.resolve({ value: undefined, done: true });
    }
  }

  private handOut(frame: RunFrame): void {
    this.unanswered = frame.boundary;
  }

  next(): Promise<IteratorResult<RunFrame>> {
    // Asking for the next frame without answering a boundary means: no capture.
    if (this.unanswered) void this.boundary(false);
    const frame = this.queue.shift();
    if (frame) {
      this.handOut(frame);
      return Promise.resolve({ value: frame, done: false });
    }
    if (this.ended) {
      const err = this.error;
      this.error = null;
      return err ? Promise.reject(err) : Promise.resolve({ value: undefined, done: true });
    }
    return new Promise((resolve, reject) => (this.waiter = { resolve, reject }));
  }

  boundary(capture: boolean): Promise<CapturedCheckpoint | null> {
    this.unanswered = false;
    if (this.ended) return Promise.resolve(null);
    const reply = this.thread.request<WireCapture | null>({ op: 'boundary', sid: this.sid, capture });
    if (!capture) {
      reply.catch(() => undefined);
      return Promise.resolve(null);
    }
    return reply.then((c) => (c ? fromWireCapture(c) : null));
  }

  /** Leaving the loop early: the thread stops after its frame in flight; resolves once it has. */
  async return(): Promise<IteratorResult<RunFrame>> {
    if (!this.ended) {
      this.thread.notify({ op: 'stop', sid: this.sid });
      await this.finished;
    }
    this.queue.length = 0;
    return { value: undefined, done: true };
  }
}
