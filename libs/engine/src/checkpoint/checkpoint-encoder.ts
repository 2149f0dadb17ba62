/**
 * Encodes captured checkpoints on a thread of its own at a lower scheduling priority. Laying out and
 * deflating a segment costs ~0.1 CPU-s per 32 frames of two objects; on libuv's pool it competes
 * with the engine's threads on equal terms, at a nicer priority it mostly takes the cycles the engine
 * leaves idle (between graph calls, while the main thread runs JavaScript). The output is identical
 * to encodeCheckpoint's. If the thread cannot start or dies, encoding falls back to the pool.
 */
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { CapturedCheckpoint, EncodedCheckpoint, encodeCheckpoint } from './session-checkpoint';
import type { EncodeReply, EncodeRequest } from './encoder-thread';

export interface CheckpointEncoderOptions {
  /** Niceness of the encoder thread (0 = same as the engine; 19 = lowest). */
  nice?: number;
  onFallback?: (reason: string) => void;
}

/**
 * Code that starts the thread. Run from TypeScript sources (tsx), the thread registers tsx itself:
 * Node 20 does not apply the parent's --import loaders to worker threads.
 */
function threadEntry(): string {
  const ts = __filename.endsWith('.ts');
  const file = join(__dirname, ts ? 'encoder-thread.ts' : 'encoder-thread.js');
  // The compiled build (dist/, .js) never loads tsx, a devDependency.
  const loader = ts ? `require(${JSON.stringify('tsx/cjs')});` : '';
  return `${loader}require(${JSON.stringify(file)});`;
}

type Pending = { resolve: (r: { data: Buffer; rawBytes: number }) => void; reject: (e: Error) => void };

export class CheckpointEncoder {
  private worker: Worker | null = null;
  private broken: string | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly options: CheckpointEncoderOptions = {}) {}

  private thread(): Worker | null {
    if (this.broken) return null;
    if (this.worker) return this.worker;
    try {
      const worker = new Worker(threadEntry(), { eval: true, workerData: { nice: this.options.nice ?? 10 } });
      worker.unref();
      worker.on('message', (reply: EncodeReply) => {
        const p = this.pending.get(reply.id);
        if (!p) return;
        this.pending.delete(reply.id);
        if ('error' in reply) p.reject(new Error(`checkpoint encoder: ${reply.error}`));
        else
          p.resolve({
            data: Buffer.from(reply.data.buffer, reply.data.byteOffset, reply.data.byteLength),
            rawBytes: reply.rawBytes,
          });
      });
      const fail = (reason: string) => {
        this.broken = reason;
        this.worker = null;
        this.options.onFallback?.(reason);
        for (const p of this.pending.values()) p.reject(new Error(`checkpoint encoder thread stopped: ${reason}`));
        this.pending.clear();
      };
      worker.on('error', (err) => fail(err.message));
      worker.on('exit', (code) => {
        if (this.worker === worker && code !== 0) fail(`exited with code ${code}`);
      });
      this.worker = worker;
      return worker;
    } catch (err) {
      this.broken = (err as Error).message;
      this.options.onFallback?.(this.broken);
      return null;
    }
  }

  async encode(captured: CapturedCheckpoint): Promise<EncodedCheckpoint> {
    const worker = this.thread();
    if (!worker) return encodeCheckpoint(captured);
    // One owned buffer, transferred rather than cloned (the blobs may be slices of Node's shared pool).
    let length = 0;
    for (const b of captured.blobs) length += b.length;
    const blobs = new Uint8Array(length);
    let offset = 0;
    for (const b of captured.blobs) {
      blobs.set(b, offset);
      offset += b.length;
    }
    const id = this.nextId++;
    const { data, rawBytes } = await new Promise<{ data: Buffer; rawBytes: number }>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, headerJson: JSON.stringify(captured.header), blobs } satisfies EncodeRequest, [
        blobs.buffer,
      ]);
    });
    return { data, summary: { bytes: data.length, rawBytes, perObject: captured.perObject } };
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    this.broken = 'closed';
    // Nothing waits forever on a thread that is going away.
    for (const p of this.pending.values()) p.reject(new Error('checkpoint encoder closed'));
    this.pending.clear();
    if (worker) await worker.terminate();
  }
}
