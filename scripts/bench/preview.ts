/**
 * npm run bench -- preview
 * Interactive preview latency: a job on a synthetic clip (2 objects) is segmented by an in-process
 * worker, then 20 clicks (5 on each of 4 frames, positive and negative, alternating objects) are sent to
 * POST /v1/jobs/:id/preview of an in-process API. The first request (video download, session restore from
 * the round checkpoint) is reported apart as `open`. Then PREVIEW_IN_FLIGHT (16) clients keep a preview in
 * flight each (PREVIEW_ROUNDS each) while /healthz is polled: what an annotation team costs the API.
 * Previews run on the worker's engine thread, as deployed (the API process loads no model). JSON lines, then
 * `preview_p50_ms <ms> preview_p99_ms <ms> healthz_p50_ms <ms>` of the concurrent phase.
 * Uses Redis database 8 (flushed) so nothing else's queue is touched.
 */
import { resolve } from 'node:path';
import { writeSyntheticClip } from '@masklet/video';
import { startBenchStack } from './in-process-stack';

const IN_FLIGHT = 16;
const ROUNDS = Number(process.env.PREVIEW_ROUNDS ?? 6);
const HEALTHZ_EVERY_MS = 50;

/** One click of a preview request: label 1 adds to the mask, 0 removes. */
type Click = { x: number; y: number; label: 0 | 1 };

const percentile = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

export async function runPreviewBench(): Promise<void> {
  const frames = Number(process.env.BENCH_CLIP_FRAMES ?? 48);
  const clip = await writeSyntheticClip({
    outDir: resolve('.tmp/bench/preview-clip'),
    frames,
    width: 320,
    height: 240,
    seed: 'bench-preview',
    mp4: true,
    frameFiles: false,
    scenario: { objects: 2 },
  });
  // One worker answers all 16 in flight one after another: the API waits as long as that takes; the one
  // bench tenant stands for a team of annotators, so its preview cap is the team's.
  const stack = await startBenchStack(
    'preview',
    8,
    { PREVIEW_TIMEOUT_MS: 120_000, MAX_PREVIEWS_PER_TENANT: IN_FLIGHT },
    { engineThread: true },
  );
  const { client, baseUrl, key } = stack;
  try {
    const video = await client.uploadVideo(clip.mp4Path!);
    const objects = clip.meta.objects.map((o) => {
      const frame = o.clicks.findIndex((c) => c !== null);
      const [x, y] = o.clicks[frame]!;
      return { id: o.id, prompts: [{ frame, points: [{ x, y, label: 1 as const }] }] };
    });
    const job = await client.createJob({ videoId: video.id, objects });
    const done = await client.waitForJob(job.id, undefined, 600_000);
    if (done.status !== 'SUCCEEDED') throw new Error(`bench job ${done.status}`);

    const click = async (frame: number, objectId: number, points: Click[]): Promise<number> => {
      const t0 = performance.now();
      const res = await fetch(`${baseUrl}/v1/jobs/${job.id}/preview`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ frame, objectId, points }),
      });
      const body = await res.text();
      if (res.status !== 200) throw new Error(`preview ${res.status}: ${body}`);
      return performance.now() - t0;
    };
    const pick = (objectId: number, frame: number): { x: number; y: number } => {
      const o = clip.meta.objects.find((x) => x.id === objectId)!;
      const c = o.clicks[frame] ?? o.clicks.find((x) => x !== null)!;
      return { x: c[0], y: c[1] };
    };
    const openMs = await click(Math.floor(frames / 2), 1, [{ ...pick(1, Math.floor(frames / 2)), label: 1 }]);
    const ms: number[] = [];
    const clickFrames = [5, Math.floor(frames / 3), Math.floor(frames / 2) + 3, frames - 4];
    for (const frame of clickFrames) {
      for (let i = 0; i < 5; i++) {
        const objectId = clip.meta.objects[i % clip.meta.objects.length]!.id;
        const p = pick(objectId, frame);
        // Successive clicks on a frame grow the click list, as an annotator refining a mask would.
        const points = Array.from({ length: 1 + Math.floor(i / 2) }, (_, k): Click => ({
          x: Math.max(0, Math.min(clip.meta.width - 1, p.x + k * 3)),
          y: p.y,
          label: k % 2 === 0 ? 1 : 0,
        }));
        ms.push(await click(frame, objectId, points));
      }
    }
    console.log(
      JSON.stringify({
        bench: 'preview',
        frames,
        objects: clip.meta.objects.length,
        clicks: ms.length,
        openMs: +openMs.toFixed(1),
        firstOnFrameMs: clickFrames.map((_, i) => +ms[i * 5]!.toFixed(1)),
        p50Ms: +percentile(ms, 50).toFixed(1),
        p90Ms: +percentile(ms, 90).toFixed(1),
        maxMs: +Math.max(...ms).toFixed(1),
      }),
    );

    // 16 previews in flight: each client sends its next click as soon as its previous one is answered.
    const concurrent: number[] = [];
    const healthz: number[] = [];
    let running = true;
    const poll = (async () => {
      while (running) {
        const t0 = performance.now();
        const res = await fetch(`${baseUrl}/healthz`);
        await res.arrayBuffer();
        healthz.push(performance.now() - t0);
        await new Promise((r) => setTimeout(r, HEALTHZ_EVERY_MS));
      }
    })();
    const t0 = performance.now();
    const clients = Promise.all(
      Array.from({ length: IN_FLIGHT }, async (_, c) => {
        for (let r = 0; r < ROUNDS; r++) {
          const frame = clickFrames[(c + r) % clickFrames.length]!;
          const objectId = clip.meta.objects[c % clip.meta.objects.length]!.id;
          const p = pick(objectId, frame);
          const x = Math.max(0, Math.min(clip.meta.width - 1, p.x + (c % 3)));
          concurrent.push(await click(frame, objectId, [{ x, y: p.y, label: 1 }]));
        }
      }),
    );
    try {
      await clients;
    } finally {
      running = false;
      await poll; // before the stack closes under it
    }
    const wallS = (performance.now() - t0) / 1000;
    console.log(
      JSON.stringify({
        bench: 'preview-concurrent',
        inFlight: IN_FLIGHT,
        previews: concurrent.length,
        previewsPerS: +(concurrent.length / wallS).toFixed(1),
        p50Ms: +percentile(concurrent, 50).toFixed(1),
        p99Ms: +percentile(concurrent, 99).toFixed(1),
        healthzSamples: healthz.length,
        healthzP50Ms: +percentile(healthz, 50).toFixed(1),
        healthzP99Ms: +percentile(healthz, 99).toFixed(1),
      }),
    );
    console.log(
      `preview_p50_ms ${percentile(concurrent, 50).toFixed(1)} preview_p99_ms ${percentile(concurrent, 99).toFixed(1)} healthz_p50_ms ${percentile(healthz, 50).toFixed(1)}`,
    );
  } finally {
    await stack.close();
  }
}
