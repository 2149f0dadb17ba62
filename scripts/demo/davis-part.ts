// Part 3: a DAVIS-2016 sequence with its ground truth: frames encoded to an mp4 (x264 -qp 0, 4:4:4, so the video
// is the JPEG frames up to rounding), frame 0 prompted with its ground-truth mask, J&F against the ground truth with
// the DAVIS convention (libs/masks meanSequenceScores; the same scoring as `npm run eval`).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { MaskletClient } from '@masklet/client';
import { listDavisSequences, readGroundTruth } from '@masklet/evaluation';
import { boundaryF, createMask, jaccard, meanSequenceScores, toCocoRle, type FrameScores } from '@masklet/masks';
import { saveJobMasks } from './job-masks';
import { followJob } from './progress';

export interface DavisResult {
  sequence: string;
  jobId: string;
  J: number;
  F: number;
  frames: number;
}

export async function davisPart(
  client: MaskletClient,
  davisDir: string,
  sequence: string,
  out: string,
  maxFrames: number | undefined,
): Promise<DavisResult | undefined> {
  const seq = existsSync(davisDir) ? (await listDavisSequences(davisDir)).find((s) => s.name === sequence) : undefined;
  if (!seq) {
    console.log(`\n3/3  no DAVIS sequence ${sequence} at ${davisDir}; skipped`);
    return undefined;
  }
  const frames = Math.min(seq.maskFiles.length, maxFrames ?? Infinity);
  console.log(
    `\n3/3  DAVIS-2016 ${sequence} (${frames} frames, ground truth on every frame): frame 0 prompted with its ground-truth mask`,
  );
  await mkdir(out, { recursive: true });
  const mp4 = join(out, `${sequence}.mp4`);
  const ff = spawnSync(
    'ffmpeg',
    [
      '-v',
      'error',
      '-y',
      '-framerate',
      '24',
      '-i',
      join(seq.framesDir, '%05d.jpg'),
      '-frames:v',
      String(frames),
      '-c:v',
      'libx264',
      '-qp',
      '0',
      '-preset',
      'veryfast',
      '-pix_fmt',
      'yuv444p',
      mp4,
    ],
    { encoding: 'utf8' },
  );
  if (ff.status !== 0) throw new Error(`ffmpeg could not encode ${seq.framesDir}: ${ff.stderr.trim()}`);
  const video = await client.uploadVideo(mp4);
  console.log(`     encoded ${mp4} -> video ${video.id} (${video.width}x${video.height}, ${video.frameCount} frames)`);
  const first = await readGroundTruth(seq.maskFiles[0]!);
  const job = await client.createJob({
    videoId: video.id,
    objects: [{ id: 1, label: sequence, prompts: [{ frame: 0, mask: toCocoRle(first) }] }],
    options: { direction: 'forward', maxFrames: frames },
  });
  const done = await followJob(client, job.id, sequence);
  if (done.status !== 'SUCCEEDED') throw new Error(`job ${job.id} ended ${done.status}: ${done.error?.message ?? ''}`);
  const dir = join(out, job.id, 'masks');
  const masks = await saveJobMasks(client, job.id, dir);
  const perFrame: FrameScores[] = [];
  for (let f = 0; f < frames; f++) {
    const gt = await readGroundTruth(seq.maskFiles[f]!);
    const pred = masks.frames.get(f)?.get(1) ?? createMask(gt.width, gt.height);
    perFrame[f] = { J: jaccard(pred, gt), F: boundaryF(pred, gt) };
  }
  const { J, F } = meanSequenceScores(perFrame);
  console.log(
    `     ${sequence}: J&F ${((J + F) / 2).toFixed(3)} (J ${J.toFixed(3)}, F ${F.toFixed(3)}) over ${frames} frames against the ground truth`,
  );
  console.log(`     masks: ${dir}/*.png`);
  return { sequence, jobId: job.id, J, F, frames };
}
