/**
 * Body of the engine thread (see thread-engine.ts): loads the model, then runs the sessions the main
 * thread opens. onnxruntime's `run` blocks the thread that calls it, so the engine gets a thread whose
 * event loop serves nothing else: the main thread's S3, Postgres, Redis and checkpoint work runs
 * beside it instead of between its graph calls.
 */
import { parentPort, workerData } from 'node:worker_threads';
import {
  captureCheckpoint,
  restoreSession,
  SamModel,
  VideoSession,
  type CapturedCheckpoint,
  type EngineLogger,
  type RoleTimings,
} from '@masklet/engine';
import type { FrameSource, VideoInfo } from '@masklet/video';
import { isChunkBoundary } from './chunk-boundary';
import { previewOnSession } from './preview-prompt';
import type { EngineRequest, EngineThreadData, FromEngine, ToEngine, WireCapture } from './engine-messages';
import { fromWireError, toWireError } from './wire-error';

const port = parentPort!;
/** The loaded model's timings: the role calls since the last message go out ahead of each frame and reply. */
let roleTimings: RoleTimings | null = null;
const post = (message: FromEngine, transfer: ArrayBuffer[] = []): void => {
  if (roleTimings && (message.type === 'frame' || message.type === 'reply')) {
    const calls = roleTimings.drainCalls();
    if (Object.keys(calls).length) port.postMessage({ type: 'calls', calls } satisfies FromEngine);
  }
  port.postMessage(message, transfer);
};

const logger: EngineLogger = {
  debug: (obj, msg) => post({ type: 'log', level: 'debug', obj, ...(msg === undefined ? {} : { msg }) }),
  info: (obj, msg) => post({ type: 'log', level: 'info', obj, ...(msg === undefined ? {} : { msg }) }),
  warn: (obj, msg) => post({ type: 'log', level: 'warn', obj, ...(msg === undefined ? {} : { msg }) }),
};

/** Frames come from the main thread, which owns the decoder; the pixels arrive transferred. */
class RemoteFrameSource implements FrameSource {
  constructor(
    private readonly sid: number,
    readonly info: VideoInfo,
  ) {}

  readSquare(index: number, size: number): Promise<Uint8Array> {
    const rid = nextReadId++;
    return new Promise((resolve, reject) => {
      reads.set(rid, { resolve, reject });
      post({ type: 'read', rid, sid: this.sid, index, size });
    });
  }

  async close(): Promise<void> {
    // The main thread closes the decoder.
  }
}

type Decision = { id: number; capture: boolean } | { stop: true };

interface Run {
  stopped: boolean;
  decisions: Decision[];
  waiter: ((d: Decision) => void) | null;
  finished: Promise<unknown>;
}

interface Open {
  session: VideoSession;
  run: Run | null;
}

let nextReadId = 1;
const reads = new Map<number, { resolve: (pixels: Uint8Array) => void; reject: (err: Error) => void }>();
const sessions = new Map<number, Open>();

function decide(run: Run, d: Decision): void {
  const waiter = run.waiter;
  run.waiter = null;
  if (waiter) waiter(d);
  else run.decisions.push(d);
}

function nextDecision(run: Run): Promise<Decision> {
  const queued = run.decisions.shift();
  if (queued) return Promise.resolve(queued);
  return new Promise((resolve) => (run.waiter = resolve));
}

function wireCapture(c: CapturedCheckpoint): { capture: WireCapture; transfer: ArrayBuffer[] } {
  let length = 0;
  for (const b of c.blobs) length += b.length;
  const blobs = new Uint8Array(length);
  let offset = 0;
  for (const b of c.blobs) {
    blobs.set(b, offset);
    offset += b.length;
  }
  return { capture: { headerJson: JSON.stringify(c.header), blobs, perObject: c.perObject }, transfer: [blobs.buffer] };
}

function opened(sid: number): Open {
  const entry = sessions.get(sid);
  if (!entry) throw new Error(`engine session ${sid} is not open`);
  return entry;
}

/** Streams the pass's frames; at each boundary waits for the main thread's answer (capture or not) before the next frame. */
async function propagate(
  model: SamModel,
  req: Extract<EngineRequest, { op: 'propagate' }>,
  entry: Open,
  run: Run,
): Promise<number> {
  const { options } = req;
  const step = options.direction === 'backward' ? -1 : 1;
  let frames = 0;
  try {
    const it = entry.session.propagate({
      startFrame: options.startFrame,
      direction: options.direction,
      maxFrames: options.maxFrames,
    });
    for await (const result of it) {
      frames++;
      const boundary = isChunkBoundary(result.frame, step, options.end, options.chunkFrames);
      post({ type: 'frame', sid: req.sid, run: req.id, result, boundary, timings: model.timings.snapshot() });
      if (run.stopped) break;
      if (!boundary) continue;
      const d = await nextDecision(run);
      if ('stop' in d) break;
      if (d.capture) {
        const { capture, transfer } = wireCapture(await captureCheckpoint(entry.session, { incremental: true }));
        post({ type: 'reply', id: d.id, value: capture }, transfer);
      } else {
        post({ type: 'reply', id: d.id, value: null });
      }
      if (run.stopped) break;
    }
  } finally {
    entry.run = null;
  }
  return frames;
}

async function handle(
  model: SamModel,
  req: EngineRequest,
): Promise<{ value: unknown; transfer?: ArrayBuffer[] } | undefined> {
  switch (req.op) {
    case 'open': {
      const source = new RemoteFrameSource(req.sid, req.info);
      const session = req.chain
        ? await restoreSession(
            model,
            source,
            req.chain.map((c) => Buffer.from(c.buffer, c.byteOffset, c.byteLength)),
            req.options,
          )
        : new VideoSession(model, source, req.options);
      sessions.set(req.sid, { session, run: null });
      return { value: null };
    }
    case 'points':
      await opened(req.sid).session.addPoints(req.frame, req.objectId, req.points, {
        clearOld: req.clearOld,
        ...(req.box ? { box: req.box } : {}),
      });
      return { value: null };
    case 'mask':
      await opened(req.sid).session.addMask(req.frame, req.objectId, {
        width: req.width,
        height: req.height,
        data: req.data,
      });
      return { value: null };
    case 'remove': {
      const { session } = opened(req.sid);
      const removed = req.objectIds.filter((id) => session.tracks.has(id));
      for (const id of removed) await session.removeObject(id);
      return { value: removed };
    }
    case 'propagate': {
      const entry = opened(req.sid);
      if (entry.run) throw new Error(`engine session ${req.sid} is already propagating`);
      const run: Run = { stopped: false, decisions: [], waiter: null, finished: Promise.resolve() };
      entry.run = run;
      const running = propagate(model, req, entry, run);
      run.finished = running.catch(() => undefined);
      return { value: await running };
    }
    case 'boundary': {
      const run = opened(req.sid).run;
      // A run that already ended (stopped, or failed on its next frame) has nothing to capture.
      if (!run) return { value: null };
      decide(run, { id: req.id, capture: req.capture });
      return undefined; // answered by the run
    }
    case 'capture': {
      const { capture, transfer } = wireCapture(
        await captureCheckpoint(opened(req.sid).session, { incremental: !req.whole }),
      );
      return { value: capture, transfer };
    }
    case 'preview': {
      const entry = opened(req.sid);
      if (entry.run) throw new Error(`engine session ${req.sid} is propagating`);
      return { value: await previewOnSession(entry.session, req.prompt) };
    }
    case 'close': {
      const entry = sessions.get(req.sid);
      if (!entry) return { value: null };
      sessions.delete(req.sid);
      if (entry.run) {
        stop(entry.run);
        await entry.run.finished;
      }
      await entry.session.close();
      return { value: null };
    }
  }
}

function stop(run: Run): void {
  run.stopped = true;
  decide(run, { stop: true });
}

async function main(): Promise<void> {
  const data = workerData as EngineThreadData;
  let model: SamModel;
  try {
    model = await SamModel.load(data.manifestPath, { runtime: data.runtime, logger });
  } catch (err) {
    post({ type: 'failed', error: toWireError(err) });
    return;
  }
  roleTimings = model.timings;
  port.on('message', (msg: ToEngine) => {
    if (msg.op === 'pixels') {
      const read = reads.get(msg.rid);
      reads.delete(msg.rid);
      if ('error' in msg) read?.reject(fromWireError(msg.error));
      else read?.resolve(msg.pixels);
      return;
    }
    if (msg.op === 'stop') {
      const run = sessions.get(msg.sid)?.run;
      if (run) stop(run);
      return;
    }
    handle(model, msg).then(
      (out) => {
        if (out) post({ type: 'reply', id: msg.id, value: out.value }, out.transfer ?? []);
      },
      (err: unknown) => post({ type: 'reply', id: msg.id, error: toWireError(err) }),
    );
  });
  post({ type: 'ready', modelName: model.manifest.name, provider: model.provider, timings: model.timings.snapshot() });
}

void main();
