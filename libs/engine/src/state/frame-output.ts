/** What the engine keeps per object and tracked frame: the compact output of the reference predictor. */
export interface FrameOutput {
  /** bfloat16 memory features, token-major [Hm*Wm, Cm]; null until the memory encoder has run. */
  memory: Uint16Array | null;
  /** Low-resolution logits [L*L] after hole filling: the frame's mask and a later correction's mask prompt. */
  predMasks: Float32Array;
  /** Object pointer [C], already blended with the no-object pointer. */
  objPtr: Float32Array;
  objectScore: number;
  /**
   * The decoder's predicted IoU of the chosen mask token (its own estimate of the mask's quality);
   * 1 for a mask given as a prompt; NaN when unknown (restored from a version-3 checkpoint).
   */
  iou: number;
}

export interface OutputSizes {
  memoryValues: number;
  maskValues: number;
  ptrValues: number;
}

/**
 * Fixed-size binary layout shared by the disk archive and checkpoints:
 * f32 objectScore | u32 hasMemory | f32 iou | memory bf16 | predMasks f32 | objPtr f32.
 * Layout 1 (checkpoint version 3) lacks the iou word; it is still read (see decodeFrameOutput).
 */
export const FRAME_OUTPUT_LAYOUT = 2;

const headerBytes = (layout: number): number => (layout >= 2 ? 12 : 8);

export function frameOutputBytes(sizes: OutputSizes, layout = FRAME_OUTPUT_LAYOUT): number {
  return headerBytes(layout) + sizes.memoryValues * 2 + (sizes.maskValues + sizes.ptrValues) * 4;
}

export function encodeFrameOutput(out: FrameOutput, sizes: OutputSizes, target?: Buffer): Buffer {
  const buf = target ?? Buffer.allocUnsafe(frameOutputBytes(sizes));
  buf.writeFloatLE(out.objectScore, 0);
  buf.writeUInt32LE(out.memory ? 1 : 0, 4);
  buf.writeFloatLE(out.iou, 8);
  let offset = headerBytes(FRAME_OUTPUT_LAYOUT);
  const memBytes = sizes.memoryValues * 2;
  if (out.memory) Buffer.from(out.memory.buffer, out.memory.byteOffset, memBytes).copy(buf, offset);
  else buf.fill(0, offset, offset + memBytes);
  offset += memBytes;
  Buffer.from(out.predMasks.buffer, out.predMasks.byteOffset, sizes.maskValues * 4).copy(buf, offset);
  offset += sizes.maskValues * 4;
  Buffer.from(out.objPtr.buffer, out.objPtr.byteOffset, sizes.ptrValues * 4).copy(buf, offset);
  return buf;
}

export function decodeFrameOutput(buf: Buffer, sizes: OutputSizes, layout = FRAME_OUTPUT_LAYOUT): FrameOutput {
  // Copy into fresh aligned arrays: the source buffer may be a pooled slice at an odd offset.
  const objectScore = buf.readFloatLE(0);
  const hasMemory = buf.readUInt32LE(4) === 1;
  const iou = layout >= 2 ? buf.readFloatLE(8) : Number.NaN;
  let offset = headerBytes(layout);
  const memory = hasMemory ? new Uint16Array(sizes.memoryValues) : null;
  if (memory) buf.copy(Buffer.from(memory.buffer), 0, offset, offset + sizes.memoryValues * 2);
  offset += sizes.memoryValues * 2;
  const predMasks = new Float32Array(sizes.maskValues);
  buf.copy(Buffer.from(predMasks.buffer), 0, offset, offset + sizes.maskValues * 4);
  offset += sizes.maskValues * 4;
  const objPtr = new Float32Array(sizes.ptrValues);
  buf.copy(Buffer.from(objPtr.buffer), 0, offset, offset + sizes.ptrValues * 4);
  return { memory, predMasks, objPtr, objectScore, iou };
}
