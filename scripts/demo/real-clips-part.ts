// Part 2: the real clips in ../shared/data/videos, each with the prompts chosen on its first frame
// (scripts/demo/prompts/). No ground truth: the demo reports where each object's mask is and how big it is.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { MaskletClient } from '@masklet/client';
import { describePrompt, promptsFor } from './clip-prompts';
import { area, saveJobMasks } from './job-masks';
import { followJob } from './progress';

export interface RealClipJob {
  file: string;
  jobId: string;
  labels: string[];
}

export async function realClipsPart(
  client: MaskletClient,
  videosDir: string,
  out: string,
  maxFrames: number,
): Promise<RealClipJob[]> {
  const files = existsSync(videosDir)
    ? readdirSync(videosDir)
        .filter((f) => f.endsWith('.mp4'))
        .sort()
    : [];
  if (files.length === 0) {
    console.log(`\n2/3  no real clips at ${videosDir}; skipped`);
    return [];
  }
  console.log(
    `\n2/3  ${files.length} real clip${files.length > 1 ? 's' : ''} from ${videosDir}, ${maxFrames} frames each, prompts chosen on frame 0 (scripts/demo/prompts/)`,
  );
  const jobs: RealClipJob[] = [];
  for (const file of files) {
    const path = join(videosDir, file);
    const found = await promptsFor(path, file);
    if ('skip' in found) {
      console.log(`     ${file}: skipped, ${found.skip}`);
      continue;
    }
    const { prompts } = found;
    const video = await client.uploadVideo(path);
    if (video.width !== prompts.width || video.height !== prompts.height)
      throw new Error(`${file}: ${video.width}x${video.height}, prompts are for ${prompts.width}x${prompts.height}`);
    console.log(`     ${file} -> video ${video.id} (${video.width}x${video.height}, ${video.frameCount} frames)`);
    for (const o of prompts.objects)
      console.log(`     object ${o.id} ${o.label}: ${o.prompts.map(describePrompt).join('; ')}`);
    const job = await client.createJob({
      videoId: video.id,
      objects: prompts.objects,
      options: { direction: 'forward', maxFrames },
    });
    const done = await followJob(client, job.id, file);
    if (done.status !== 'SUCCEEDED')
      throw new Error(`job ${job.id} ended ${done.status}: ${done.error?.message ?? ''}`);
    const dir = join(out, job.id, 'masks');
    const masks = await saveJobMasks(client, job.id, dir);
    const frames = [...masks.frames.keys()].sort((a, b) => a - b);
    const pixels = masks.width * masks.height;
    const pct = (frame: number | undefined, id: number): string => {
      const m = frame === undefined ? undefined : masks.frames.get(frame)?.get(id);
      return `${(((m ? area(m) : 0) / pixels) * 100).toFixed(1)}%`;
    };
    for (const o of prompts.objects) {
      const present = frames.filter((f) => {
        const m = masks.frames.get(f)?.get(o.id);
        return m !== undefined && area(m) > 0;
      }).length;
      console.log(
        `     object ${o.id} ${o.label}: present on ${present}/${frames.length} frames, ${pct(frames[0], o.id)} of the frame on frame ${frames[0]}, ${pct(frames.at(-1), o.id)} on frame ${frames.at(-1)}`,
      );
    }
    console.log(`     masks: ${dir}/*.png (no ground truth for these clips: look at them on the dashboard)`);
    jobs.push({ file, jobId: job.id, labels: prompts.objects.map((o) => o.label) });
  }
  return jobs;
}
