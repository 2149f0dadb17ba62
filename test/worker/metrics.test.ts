// A worker's /metrics after a real job on the engine thread: the seconds histograms count what ran, and
// a host without nvidia-smi exports no GPU series and reports no GPUs in its heartbeat.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { segmentQueueName } from '@masklet/queue';
import { startWorker } from '../../apps/worker/src/worker';
import { freePort } from '../e2e/free-port';
import { createTestEnv, enqueueSegment, seedJob, sharedEngine, skip, testClip, waitFor, type TestEnv } from './support';

const FRAMES = 24;
let env: TestEnv;
before(async () => {
  if (skip) return;
  env = await createTestEnv({
    CHUNK_FRAMES: '8',
    WORKER_METRICS_PORT: String(await freePort()),
    WORKER_NVIDIA_SMI: '/nonexistent/nvidia-smi',
  });
});
after(async () => {
  await env?.close();
});

/** The value of one sample line of the exposition text (0 when absent). */
function sample(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

test(
  'after a job, /metrics counts engine role calls, the job and its frames in seconds histograms',
  { skip },
  async () => {
    const worker = await startWorker(env.config, {
      engine: await sharedEngine(),
      prefix: env.prefix,
      queues: ['segment'],
    });
    try {
      const clip = await testClip(FRAMES, 2, 'worker-metrics');
      const seeded = await seedJob(env, clip);
      await enqueueSegment(env, seeded);
      await waitFor(
        'job done',
        async () => (await env.prisma.job.findUniqueOrThrow({ where: { id: seeded.jobId } })).status === 'SUCCEEDED',
        120_000,
      );
      const queue = segmentQueueName(seeded.model);
      const text = await waitFor('the job in /metrics', async () => {
        const body = await (await fetch(`http://127.0.0.1:${env.config.WORKER_METRICS_PORT}/metrics`)).text();
        return sample(body, `masklet_job_duration_seconds_count{queue="${queue}",outcome="succeeded"}`) === 1 && body;
      });

      assert.equal(sample(text, 'masklet_segment_frame_seconds_count'), FRAMES, 'one observation per frame');
      assert.ok(sample(text, 'masklet_segment_frame_seconds_sum') > 0);
      // Every frame is encoded and decoded at least once (the clicks add a few more calls).
      const encoder = sample(text, 'masklet_engine_role_seconds_count{role="imageEncoder"}');
      assert.ok(encoder >= FRAMES, `imageEncoder calls ${encoder}`);
      const decoder = sample(text, 'masklet_engine_role_seconds_count{role="maskDecoder"}');
      assert.ok(decoder >= FRAMES, `maskDecoder calls ${decoder}`);
      for (const role of ['imageEncoder', 'memoryAttention', 'maskDecoder', 'memoryEncoder']) {
        assert.ok(sample(text, `masklet_engine_role_seconds_sum{role="${role}"}`) > 0, `${role} seconds`);
        assert.equal(
          sample(text, `masklet_engine_role_seconds_bucket{le="+Inf",role="${role}"}`),
          sample(text, `masklet_engine_role_seconds_count{role="${role}"}`),
          `${role} buckets hold every call:\n${text
            .split('\n')
            .filter((l) => l.includes(role))
            .join('\n')}`,
        );
      }
      assert.doesNotMatch(
        text,
        /masklet_worker_inference_(ms_total|mean_ms)/,
        'the ms counter and mean gauge are gone',
      );
      assert.doesNotMatch(text, /^masklet_gpu_\w+\{/m, 'no nvidia-smi: no GPU samples (absent, not 0)');
      assert.match(text, /# TYPE masklet_gpu_utilization_ratio gauge/);

      // The heartbeat's per-role ms (the fleet page's) comes from the same calls.
      const row = await waitFor('a heartbeat with the role totals', async () => {
        const w = await env.prisma.worker.findUniqueOrThrow({ where: { id: worker.id } });
        const stats = w.stats as { inferenceMsPerRole: Record<string, { calls: number; meanMs: number }> };
        return (stats.inferenceMsPerRole.imageEncoder?.calls ?? 0) >= encoder && w;
      });
      const stats = row.stats as {
        inferenceMsPerRole: Record<string, { calls: number; meanMs: number }>;
        gpus?: unknown;
        framesPerMinute: [number, number][];
      };
      assert.equal(stats.inferenceMsPerRole.imageEncoder!.calls, encoder);
      assert.ok(stats.inferenceMsPerRole.imageEncoder!.meanMs > 0);
      assert.equal('gpus' in stats, false, 'a CPU worker reports no gpus');
      assert.equal(
        stats.framesPerMinute.reduce((n, [, f]) => n + f, 0),
        FRAMES,
        'every frame lands in a minute of the throughput series',
      );
    } finally {
      await worker.close();
    }
  },
);
