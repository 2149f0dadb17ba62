/**
 * Body of the checkpoint encoder thread (see checkpoint-encoder.ts): lowers its own scheduling
 * priority, then lays out and deflates each segment it is sent.
 */
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { encodeSegmentSync } from './segment-codec';

export interface EncodeRequest {
  id: number;
  headerJson: string;
  /** The captured blobs, concatenated (transferred). */
  blobs: Uint8Array;
}

export type EncodeReply = { id: number; data: Uint8Array; rawBytes: number } | { id: number; error: string };

const nice = (workerData as { nice?: number } | undefined)?.nice ?? 0;
try {
  // On Linux this re-nices only the calling thread: the engine's threads keep their priority.
  if (nice > 0) setPriority(nice);
} catch {
  // Not permitted or not supported: encode at normal priority.
}

parentPort!.on('message', (req: EncodeRequest) => {
  try {
    const { data, rawBytes } = encodeSegmentSync(
      req.headerJson,
      Buffer.from(req.blobs.buffer, req.blobs.byteOffset, req.blobs.byteLength),
    );
    // A fresh, exactly sized copy so the whole ArrayBuffer can be transferred back.
    const out = new Uint8Array(data.length);
    out.set(data);
    parentPort!.postMessage({ id: req.id, data: out, rawBytes } satisfies EncodeReply, [out.buffer]);
  } catch (err) {
    parentPort!.postMessage({ id: req.id, error: (err as Error).message } satisfies EncodeReply);
  }
});
