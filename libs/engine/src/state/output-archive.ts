/**
 * Where non-conditioning frame outputs go once no frame near the tracking position can attend to
 * them. They stay retrievable (a later correction or a backward pass may need them, exactly as the
 * reference keeps everything) but leave the heap, so RSS does not grow with video length.
 */
import { mkdtemp, open, rm, FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeFrameOutput, encodeFrameOutput, frameOutputBytes, FrameOutput, OutputSizes } from './frame-output';

export interface OutputArchive {
  put(objectId: number, frame: number, output: FrameOutput): Promise<void>;
  get(objectId: number, frame: number): Promise<FrameOutput | undefined>;
  /** The output in its encoded layout (encodeFrameOutput), read without decoding. */
  getEncoded(objectId: number, frame: number): Promise<Buffer | undefined>;
  delete(objectId: number, frame: number): void;
  keys(): Iterable<[objectId: number, frame: number]>;
  close(): Promise<void>;
}

/** Fixed-size slots in one temp file; freed slots are reused. */
export class TempFileArchive implements OutputArchive {
  private file: FileHandle | undefined;
  private dir: string | undefined;
  private readonly slots = new Map<string, number>();
  private readonly free: number[] = [];
  private nextSlot = 0;
  private readonly slotBytes: number;
  private readonly scratch: Buffer;

  constructor(private readonly sizes: OutputSizes) {
    this.slotBytes = frameOutputBytes(sizes);
    this.scratch = Buffer.allocUnsafe(this.slotBytes);
  }

  private async handle(): Promise<FileHandle> {
    if (!this.file) {
      this.dir = await mkdtemp(join(tmpdir(), 'masklet-archive-'));
      this.file = await open(join(this.dir, 'outputs.bin'), 'w+');
    }
    return this.file;
  }

  async put(objectId: number, frame: number, output: FrameOutput): Promise<void> {
    const key = `${objectId}:${frame}`;
    let slot = this.slots.get(key);
    if (slot === undefined) {
      slot = this.free.pop() ?? this.nextSlot++;
      this.slots.set(key, slot);
    }
    const handle = await this.handle();
    encodeFrameOutput(output, this.sizes, this.scratch);
    await handle.write(this.scratch, 0, this.slotBytes, slot * this.slotBytes);
  }

  async get(objectId: number, frame: number): Promise<FrameOutput | undefined> {
    const buf = await this.getEncoded(objectId, frame);
    return buf && decodeFrameOutput(buf, this.sizes);
  }

  async getEncoded(objectId: number, frame: number): Promise<Buffer | undefined> {
    const slot = this.slots.get(`${objectId}:${frame}`);
    if (slot === undefined || !this.file) return undefined;
    const buf = Buffer.allocUnsafe(this.slotBytes);
    await this.file.read(buf, 0, this.slotBytes, slot * this.slotBytes);
    return buf;
  }

  delete(objectId: number, frame: number): void {
    const key = `${objectId}:${frame}`;
    const slot = this.slots.get(key);
    if (slot === undefined) return;
    this.slots.delete(key);
    this.free.push(slot);
  }

  *keys(): Iterable<[number, number]> {
    for (const key of this.slots.keys()) {
      const [o, f] = key.split(':');
      yield [Number(o), Number(f)];
    }
  }

  async close(): Promise<void> {
    await this.file?.close();
    this.file = undefined;
    if (this.dir) await rm(this.dir, { recursive: true, force: true });
    this.dir = undefined;
    this.slots.clear();
  }
}
