import * as ort from 'onnxruntime-node';
import { readFileSync } from 'node:fs';
import { f32 } from './ort-run';
async function main() {
  const file = process.argv[2]!;
  const s = await ort.InferenceSession.create(file, { intraOpNumThreads: 2, interOpNumThreads: 1, enableProfiling: true, profileFilePrefix: '/tmp/ortprof' });
  const B = Number(process.argv[3] ?? 1);
  const feeds: Record<string, ort.Tensor> = {};
  const dims: Record<string, number> = { B, Nm: 1792, Np: 16, P: Number(process.env.P ?? 1), N: 16, Hv: 480, Wv: 640 };
  for (const name of s.inputNames) {
    const meta = (s as any).inputMetadata?.find?.((m: any) => m.name === name);
    const shape = (meta?.shape ?? []).map((d: any) => typeof d === 'number' ? d : dims[d] ?? 1);
    const n = shape.reduce((a: number, b: number) => a * b, 1);
    feeds[name] = f32(Float32Array.from({ length: n }, (_, i) => name === 'pointLabels' ? Number(process.env.LABEL ?? -1) : name === 'pointCoords' ? 256 : name === 'hasMaskInput' ? 0 : Math.sin(i) * 0.5), shape);
  }
  for (let i = 0; i < 20; i++) await s.run(feeds);
  s.endProfiling();
  const { readdirSync } = await import('node:fs');
  const f = readdirSync('/tmp').filter((x) => x.startsWith('ortprof')).sort().pop()!;
  const prof = JSON.parse(readFileSync('/tmp/' + f, 'utf8')) as any[];
  const agg = new Map<string, number>();
  for (const e of prof) if (e.cat === 'Node' && e.name.endsWith('_kernel_time')) agg.set(e.name, (agg.get(e.name) ?? 0) + e.dur / 20);
  const sorted = [...agg.entries()].sort((a, b) => b[1] - a[1]);
  let total = 0; for (const [, v] of sorted) total += v;
  console.log('total us', total.toFixed(0), 'nodes', sorted.length);
  for (const [k, v] of sorted.slice(0, Number(process.argv[4] ?? 15))) console.log(v.toFixed(0).padStart(6), k);
}
main();
