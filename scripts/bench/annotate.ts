/**
 * npm run bench -- annotate -- <davis-dir> [--rounds 8] [--pick suggested|oracle] [--direction both|forward|backward]
 * The annotator's loop through the API with a scripted annotator (SAM 2's interactive protocol): round 1
 * is one positive click at the most interior point of frame 0's ground truth; every later round picks
 * one frame (the API's top suggested frame, or the frame with the lowest J) and clicks the centre of its
 * largest error region (positive on missed pixels, negative on false ones). The ground truth only
 * decides where to click. Both pickers run; JSON lines per sequence and round, then
 * `jf_round1 <x> jf_round5 <y> jf_round8 <z> suggested/oracle <r>` (jf_* of the --pick picker; r: the
 * J&F gain at the last round with suggested picks over the gain with oracle picks). Each round's line
 * also says how the suggestions ranked that round's frames: the top one and its J, the oracle's frame,
 * its rank among the suggestions, and Spearman's rho between suggestion score and 1 - J.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  correctiveClick,
  listDavisSequences,
  readGroundTruth,
  spearman,
  type DavisSequence,
} from '@masklet/evaluation';
import {
  boundaryF,
  farthestInteriorPoint,
  fromCocoRle,
  jaccard,
  meanSequenceScores,
  type BinaryMask,
  type FrameScores,
} from '@masklet/masks';
import { startBenchStack, type BenchStack } from './in-process-stack';

type Picker = 'suggested' | 'oracle';
interface MaskletsBody {
  frames: { frame: number; objects: { objectId: number; rle: { size: [number, number]; counts: string } }[] }[];
}
interface JobBody {
  id: string;
  status: string;
  currentRound: number;
  error: unknown;
}

/** DAVIS frames as a lossless H.264 clip (the platform ingests videos, not image folders). */
function encodeSequence(seq: DavisSequence, outDir: string): string {
  mkdirSync(outDir, { recursive: true });
  const out = join(outDir, `${seq.name}.mp4`);
  if (existsSync(out)) return out;
  const first = readdirSync(seq.framesDir)
    .filter((f) => f.endsWith('.jpg'))
    .sort()[0];
  if (!first) throw new Error(`${seq.framesDir}: no .jpg frames`);
  const r = spawnSync(
    'ffmpeg',
    [
      '-v',
      'error',
      '-y',
      '-framerate',
      '24',
      '-start_number',
      String(Number(first.slice(0, -4))),
      '-i',
      join(seq.framesDir, '%05d.jpg'),
      '-c:v',
      'libx264',
      '-qp',
      '0',
      '-preset',
      'veryfast',
      '-pix_fmt',
      'yuv444p',
      out,
    ],
    { stdio: 'inherit' },
  );
  if (r.status !== 0) throw new Error(`ffmpeg failed on ${seq.name}`);
  return out;
}

async function waitRound(stack: BenchStack, jobId: string, round: number): Promise<void> {
  for (;;) {
    const j = await stack.call<JobBody>('GET', `/v1/jobs/${jobId}`);
    if (j.currentRound === round && ['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(j.status)) {
      if (j.status !== 'SUCCEEDED')
        throw new Error(`job ${jobId} round ${round} ${j.status}: ${JSON.stringify(j.error)}`);
      return;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function predictedMasks(
  stack: BenchStack,
  jobId: string,
  frames: number,
  width: number,
  height: number,
): Promise<BinaryMask[]> {
  const body = await stack.call<MaskletsBody>('GET', `/v1/jobs/${jobId}/masklets`);
  const out: BinaryMask[] = Array.from({ length: frames }, () => ({
    width,
    height,
    data: new Uint8Array(width * height),
  }));
  for (const f of body.frames) {
    const o = f.objects.find((x) => x.objectId === 1);
    if (o && f.frame < frames) out[f.frame] = fromCocoRle(o.rle);
  }
  return out;
}

/** The oracle's frame: the lowest J (the first of equals). */
function worstFrame(scores: FrameScores[]): number {
  let worst = 0;
  scores.forEach((s, f) => {
    if (s.J < scores[worst]!.J) worst = f;
  });
  return worst;
}

interface Ranking {
  /** The top suggested frame (null when the engine's signals flag none). */
  top: number | null;
  /** Spearman's rho between each frame's suggestion score (0 when not listed) and its error 1 - J. */
  rho: number;
  /** 1-based rank of the oracle's frame among the suggestions (null when not listed). */
  oracleRank: number | null;
  /** J of the top suggested frame. */
  topJ: number | null;
}

/** How the API's suggestions order this round's frames against the truth (the picker's choice aside). */
async function ranking(stack: BenchStack, jobId: string, scores: FrameScores[]): Promise<Ranking> {
  const s = await stack.call<{ items: { frame: number; objectId: number; score: number }[] }>(
    'GET',
    `/v1/jobs/${jobId}/suggestions?limit=500`,
  );
  const items = s.items.filter((i) => i.objectId === 1 && i.frame < scores.length);
  const top = items[0];
  const byFrame = new Map(items.map((i) => [i.frame, i.score]));
  const rank = items.findIndex((i) => i.frame === worstFrame(scores));
  return {
    top: top ? top.frame : null,
    rho: spearman(
      scores.map((_, f) => byFrame.get(f) ?? 0),
      scores.map((x) => 1 - x.J),
    ),
    oracleRank: rank < 0 ? null : rank + 1,
    topJ: top ? scores[top.frame]!.J : null,
  };
}

/** One sequence, one picker: J&F after each round and the clicks given so far. */
async function annotate(
  stack: BenchStack,
  seq: DavisSequence,
  videoId: string,
  truth: BinaryMask[],
  picker: Picker,
  rounds: number,
  direction: string,
): Promise<{ jf: number[]; clicks: number[]; rhos: number[] }> {
  const { width, height } = truth[0]!;
  const p = farthestInteriorPoint(truth[0]!);
  if (!p) throw new Error(`${seq.name}: frame 0 ground truth is empty`);
  const job = await stack.call<JobBody>(
    'POST',
    '/v1/jobs',
    {
      videoId,
      objects: [{ id: 1, label: seq.name, prompts: [{ frame: 0, points: [{ x: p.x, y: p.y, label: 1 }] }] }],
      options: { direction: 'forward' },
    },
    201,
  );
  await waitRound(stack, job.id, 1);
  const jf: number[] = [];
  const clicks: number[] = [];
  const rhos: number[] = [];
  let given = 1;
  let last: { frame: number; label: 0 | 1; J: number } | null = null;
  for (let round = 1; ; round++) {
    const pred = await predictedMasks(stack, job.id, truth.length, width, height);
    const scores = truth.map((gt, f) => ({ J: jaccard(pred[f]!, gt), F: boundaryF(pred[f]!, gt) }));
    const mean = meanSequenceScores(scores);
    jf.push((mean.J + mean.F) / 2);
    clicks.push(given);
    const corrected = last
      ? { frame: last.frame, label: last.label, frameJ: [+last.J.toFixed(3), +scores[last.frame]!.J.toFixed(3)] }
      : null;
    const ranked = round < rounds ? await ranking(stack, job.id, scores) : null;
    const oracle = worstFrame(scores);
    const suggestions = ranked
      ? {
          top: ranked.top,
          topJ: ranked.topJ === null ? null : +ranked.topJ.toFixed(3),
          oracle,
          oracleJ: +scores[oracle]!.J.toFixed(3),
          oracleRank: ranked.oracleRank,
          rho: +ranked.rho.toFixed(3),
        }
      : null;
    if (ranked) rhos.push(ranked.rho);
    console.log(
      JSON.stringify({
        bench: 'annotate',
        picker,
        sequence: seq.name,
        round,
        J: +mean.J.toFixed(4),
        F: +mean.F.toFixed(4),
        JF: +jf[jf.length - 1]!.toFixed(4),
        clicks: given,
        ...(corrected ? { corrected } : {}),
        ...(suggestions ? { suggestions } : {}),
      }),
    );
    if (round === rounds) break;
    const frame = picker === 'oracle' ? oracle : ranked!.top;
    const click = frame === null ? null : correctiveClick(pred[frame]!, truth[frame]!);
    if (frame === null || !click) {
      // No suggested frame, or nothing left to fix on the picked one: the annotator stops, and the
      // state stays as it is for the remaining rounds.
      for (let r = round + 1; r <= rounds; r++) {
        jf.push(jf[jf.length - 1]!);
        clicks.push(given);
      }
      break;
    }
    last = { frame, label: click.label, J: scores[frame]!.J };
    await stack.call(
      'POST',
      `/v1/jobs/${job.id}/rounds`,
      { corrections: [{ frame, objectId: 1, points: [{ x: click.x, y: click.y, label: click.label }] }], direction },
      202,
    );
    given++;
    await waitRound(stack, job.id, round + 1);
  }
  return { jf, clicks, rhos };
}

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

export async function runAnnotateBench(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv.filter((a) => a !== '--'),
    allowPositionals: true,
    options: {
      rounds: { type: 'string', default: '8' },
      pick: { type: 'string', default: 'suggested' },
      direction: { type: 'string', default: 'both' },
    },
  });
  const root = positionals[0];
  if (!root)
    throw new Error(
      'usage: npm run bench -- annotate -- <davis-dir> [--rounds 8] [--pick suggested|oracle] [--direction both|forward|backward]',
    );
  const rounds = Number(values.rounds);
  if (!Number.isInteger(rounds) || rounds < 1)
    throw new Error(`--rounds must be a positive integer, got ${values.rounds}`);
  const primary = values.pick as Picker;
  if (primary !== 'suggested' && primary !== 'oracle')
    throw new Error(`--pick must be suggested or oracle, got ${values.pick}`);
  if (!['forward', 'backward', 'both'].includes(values.direction))
    throw new Error(`--direction must be forward, backward or both, got ${values.direction}`);
  const sequences = await listDavisSequences(resolve(root));
  const stack = await startBenchStack('annotate', 9);
  const perPicker = new Map<Picker, number[][]>([
    ['suggested', []],
    ['oracle', []],
  ]);
  const rhos = new Map<Picker, number[]>([
    ['suggested', []],
    ['oracle', []],
  ]);
  try {
    for (const seq of sequences) {
      const mp4 = encodeSequence(seq, resolve('.tmp', 'bench', 'annotate'));
      const video = await stack.client.uploadVideo(mp4);
      for (;;) {
        const v = await stack.call<{ status: string; error: unknown }>('GET', `/v1/videos/${video.id}`);
        if (v.status === 'READY') break;
        if (v.status === 'FAILED') throw new Error(`${seq.name}: video ${JSON.stringify(v.error)}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      const truth = await Promise.all(seq.maskFiles.map((f) => readGroundTruth(f)));
      for (const picker of [primary, primary === 'suggested' ? 'oracle' : 'suggested'] as Picker[]) {
        const run = await annotate(stack, seq, video.id, truth, picker, rounds, values.direction);
        perPicker.get(picker)!.push(run.jf);
        rhos.get(picker)!.push(...run.rhos.filter((x) => Number.isFinite(x)));
      }
    }
  } finally {
    await stack.close();
  }
  const curve = (p: Picker): number[] =>
    Array.from({ length: rounds }, (_, r) => mean(perPicker.get(p)!.map((jf) => jf[r]!)));
  for (const p of ['suggested', 'oracle'] as Picker[]) {
    const rho = rhos.get(p)!;
    console.log(
      JSON.stringify({
        bench: 'annotate-mean',
        picker: p,
        sequences: sequences.length,
        jfPerRound: curve(p).map((x) => +x.toFixed(4)),
        suggestionRho: rho.length ? +mean(rho).toFixed(3) : null,
      }),
    );
  }
  const main = curve(primary);
  const gain = (p: Picker): number => curve(p)[rounds - 1]! - curve(p)[0]!;
  const at = (r: number): string => (main[Math.min(r, rounds) - 1] ?? NaN).toFixed(4);
  console.log(
    `jf_round1 ${at(1)} jf_round5 ${at(5)} jf_round8 ${at(8)} suggested/oracle ${(gain('suggested') / gain('oracle')).toFixed(3)}`,
  );
}
