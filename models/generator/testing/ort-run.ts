/** Minimal onnxruntime helpers for the generator's tests and benchmarks. */
import * as ort from 'onnxruntime-node';

export type Feeds = Record<string, ort.Tensor>;
export type Outputs = Record<string, ort.Tensor>;

export function f32(data: Float32Array | number[], dims: number[]): ort.Tensor {
  return new ort.Tensor('float32', data instanceof Float32Array ? data : Float32Array.from(data), dims);
}

export function zeros(dims: number[]): ort.Tensor {
  return f32(new Float32Array(dims.reduce((a, b) => a * b, 1)), dims);
}

export async function openSession(path: string, threads = 2): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(path, {
    executionProviders: ['cpu'],
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
  });
}

/** Opens every role of a loaded manifest's files. */
export async function openRoles(files: Partial<Record<string, string>>): Promise<Record<string, ort.InferenceSession>> {
  const out: Record<string, ort.InferenceSession> = {};
  for (const [role, file] of Object.entries(files)) if (file) out[role] = await openSession(file);
  return out;
}

export async function closeRoles(sessions: Record<string, ort.InferenceSession>): Promise<void> {
  for (const s of Object.values(sessions)) await s.release();
}

export function data(t: ort.Tensor | undefined): Float32Array {
  if (!t) throw new Error('missing output');
  return t.data as Float32Array;
}
