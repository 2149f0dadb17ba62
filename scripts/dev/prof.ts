/** Dev only: per-op-type time of memoryAttention at B=16 (ORT profiling). */
import * as ort from 'onnxruntime-node';
import { readFileSync, readdirSync } from 'node:fs';
import { REF } from '../../models/generator/reference/config';
async function main() {
  const file = process.argv[2] ?? 'models/reference/memory_attention.onnx';
  const s = await ort.InferenceSession.create(file, {
    executionProviders: ['cpu'],
    intraOpNumThreads: 2,
    enableProfiling: true,
    profileFilePrefix: '/tmp/viz/prof',
  });
  const { hiddenDim: C, featureSize: H, memoryDim: Cm, memorySize: Hm } = REF;
  const B = Number(process.env.B ?? 16),
    Nm = 7 * Hm * Hm,
    Np = 16;
  const r = (n: number) =>
    new ort.Tensor(
      'float32',
      Float32Array.from({ length: n }, (_, i) => Math.abs(Math.sin(i * 1.3)) * 0.5),
      undefined,
    );
  const t = (n: number, dims: number[]) =>
    new ort.Tensor(
      'float32',
      Float32Array.from({ length: n }, (_, i) => Math.abs(Math.sin(i * 1.3)) * 0.5),
      dims,
    );
  void r;
  const feeds = {
    currFeatures: t(C * H * H, [1, C, H, H]),
    currPosEnc: t(C * H * H, [1, C, H, H]),
    memory: t(B * Nm * Cm, [B, Nm, Cm]),
    memoryPosEnc: t(B * Nm * Cm, [B, Nm, Cm]),
    objPtrs: t(B * Np * C, [B, Np, C]),
    objPtrPosEnc: t(B * Np * Cm, [B, Np, Cm]),
  };
  for (let i = 0; i < 10; i++) await s.run(feeds);
  s.endProfiling();
  const f = readdirSync('/tmp/viz')
    .filter((x) => x.startsWith('prof'))
    .sort()
    .pop()!;
  const ev = JSON.parse(readFileSync('/tmp/viz/' + f, 'utf8')) as {
    cat: string;
    name: string;
    dur: number;
    args: { op_name?: string };
  }[];
  const by = new Map<string, number>();
  for (const e of ev)
    if (e.cat === 'Node' && e.name.endsWith('_kernel_time'))
      by.set(e.name.replace('_kernel_time', ''), (by.get(e.name.replace('_kernel_time', '')) ?? 0) + e.dur / 10);
  console.log('total', ([...by.values()].reduce((a, b) => a + b, 0) / 1000).toFixed(2), 'ms');
  [...by.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, Number(process.env.TOP ?? 15))
    .forEach(([k, v]) => console.log((v / 1000).toFixed(2), 'ms', k));
}
void main();
