/**
 * Per-role latency of a generated model on the CPU execution provider (2 intra-op threads), at
 * B = 1 and B = 16: median of repeated runs after a warm-up. Not a test.
 *   tsx models/generator/bench.ts [reference|sam21-tiny-shaped] [--runs N] [--batches 1,16] [--threads 2]
 */
import { parseArgs } from 'node:util';
import * as ort from 'onnxruntime-node';
import { loadManifest } from '../../libs/engine/src/manifest/load-manifest';
import { ensureModel, ModelKind } from './ensure-model';
import { f32, openSession } from './testing/ort-run';

function randn(n: number, seed: number, scale = 1): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = (s / 4294967296 - 0.5) * 2 * scale;
  }
  return out;
}

async function median(session: ort.InferenceSession, feeds: Record<string, ort.Tensor>, runs: number): Promise<number> {
  for (let i = 0; i < Math.min(3, runs); i++) await session.run(feeds);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await session.run(feeds);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { runs: { type: 'string' }, threads: { type: 'string', default: '2' }, batches: { type: 'string' } },
  });
  const kind = (positionals[0] ?? 'reference') as ModelKind;
  const heavy = kind === 'sam21-tiny-shaped';
  const runs = Number(values.runs ?? (heavy ? 3 : 30));
  const batches = (values.batches ?? (heavy ? '1' : '1,16')).split(',').map(Number);
  const { manifest: m, files } = await loadManifest(await ensureModel(kind));
  const [H, W] = m.featureSize;
  const [Hm, Wm] = m.memoryFeatureSize;
  const C = m.hiddenDim;
  const Cm = m.memoryDim;
  const L = m.lowResMaskSize;
  const S = m.imageSize;
  const open = (role: keyof typeof files) => openSession(files[role]!, Number(values.threads));
  const rows: string[] = [];
  const report = (role: string, B: number, ms: number) =>
    rows.push(
      `${role.padEnd(34)} B=${String(B).padEnd(3)} ${ms.toFixed(2).padStart(8)} ms  (${(ms / B).toFixed(2)} ms/object)`,
    );

  const enc = await open('imageEncoder');
  report('imageEncoder', 1, await median(enc, { image: f32(randn(3 * S * S, 1), [1, 3, S, S]) }, runs));
  const encoded = await enc.run({ image: f32(randn(3 * S * S, 1), [1, 3, S, S]) });
  const Nm = m.numMaskmem * Hm * Wm;
  const Np = m.maxObjPtrsInEncoder;
  const attn = await open('memoryAttention');
  const dec = await open('maskDecoder');
  const menc = await open('memoryEncoder');
  for (const B of batches) {
    report(
      `memoryAttention (${m.numMaskmem} frames, ${Np} ptrs)`,
      B,
      await median(
        attn,
        {
          currFeatures: encoded.visionFeatures!,
          currPosEnc: encoded.visionPosEnc!,
          memory: f32(randn(B * Nm * Cm, 2, 0.5), [B, Nm, Cm]),
          memoryPosEnc: f32(randn(B * Nm * Cm, 3, 0.5), [B, Nm, Cm]),
          objPtrs: f32(randn(B * Np * C, 4, 0.5), [B, Np, C]),
          objPtrPosEnc: f32(randn(B * Np * Cm, 5, 0.5), [B, Np, Cm]),
        },
        runs,
      ),
    );
    const decFeeds = (labels: number[], coords: number[]) => ({
      features: f32(randn(B * C * H * W, 6, 0.5), [B, C, H, W]),
      highRes0: encoded.highRes0!,
      highRes1: encoded.highRes1!,
      pointCoords: f32(Array.from({ length: B }, () => coords).flat(), [B, labels.length, 2]),
      pointLabels: f32(Array.from({ length: B }, () => labels).flat(), [B, labels.length]),
      maskInput: f32(new Float32Array(B * L * L), [B, 1, L, L]),
      hasMaskInput: f32(new Float32Array(B), [B]),
    });
    report('maskDecoder (tracking: padding point)', B, await median(dec, decFeeds([-1], [0, 0]), runs));
    report('maskDecoder (one click)', B, await median(dec, decFeeds([1], [S / 2, S / 2]), runs));
    report(
      'memoryEncoder',
      B,
      await median(
        menc,
        {
          visionFeatures: encoded.visionFeatures!,
          maskLogits: f32(randn(B * L * L, 7, 10), [B, 1, L, L]),
          objectScoreLogits: f32(new Float32Array(B).fill(1), [B, 1]),
          binarize: f32(new Float32Array(B), [B]),
        },
        runs,
      ),
    );
  }
  console.log(`${kind} on CPU (${values.threads} intra-op threads), median of ${runs} runs`);
  console.log(rows.join('\n'));
}

void main();
