/**
 * The engine benchmark's workload: a synthetic 854x480 clip, N objects prompted on frame 0 with
 * disjoint rectangular masks, tracked forward. Shared by the fps runs and the RSS child processes.
 */
import { SamModel, VideoSession } from '@masklet/engine';
import { syntheticFrameSource } from '@masklet/video';

export const BENCH_WIDTH = 854;
export const BENCH_HEIGHT = 480;

export function gridMasks(count: number, width: number, height: number): Uint8Array[] {
  const cols = Math.ceil(Math.sqrt(count));
  const rows = Math.ceil(count / cols);
  const cw = Math.floor(width / cols);
  const ch = Math.floor(height / rows);
  return Array.from({ length: count }, (_, i) => {
    const data = new Uint8Array(width * height);
    const x0 = (i % cols) * cw + Math.floor(cw / 4);
    const y0 = Math.floor(i / cols) * ch + Math.floor(ch / 4);
    for (let y = y0; y < y0 + Math.floor(ch / 2); y++)
      data.fill(1, y * width + x0, y * width + x0 + Math.floor(cw / 2));
    return data;
  });
}

export async function runWorkload(
  model: SamModel,
  objects: number,
  frames: number,
  onFrame?: (frame: number) => void,
): Promise<{ seconds: number; framesTracked: number }> {
  const source = syntheticFrameSource({ width: BENCH_WIDTH, height: BENCH_HEIGHT, frames, seed: 7 });
  const session = new VideoSession(model, source);
  try {
    const masks = gridMasks(objects, BENCH_WIDTH, BENCH_HEIGHT);
    for (let i = 0; i < objects; i++)
      await session.addMask(0, i + 1, { width: BENCH_WIDTH, height: BENCH_HEIGHT, data: masks[i]! });
    let framesTracked = 0;
    const started = performance.now();
    for await (const result of session.propagate({ startFrame: 0 })) {
      framesTracked++;
      onFrame?.(result.frame);
    }
    return { seconds: (performance.now() - started) / 1000, framesTracked };
  } finally {
    await session.close();
    await source.close();
  }
}
