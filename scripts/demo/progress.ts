import cliProgress from 'cli-progress';
import type { MaskletClient, JobView } from '@masklet/client';

/** Follows a job with a terminal progress bar (frames and frames/s) until it ends. */
export async function followJob(client: MaskletClient, jobId: string, label: string): Promise<JobView> {
  const bar = new cliProgress.SingleBar(
    { format: `${label.padEnd(18)} [{bar}] {percentage}% | {value}/{total} frames | {fps} fps`, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  const started = Date.now();
  bar.start(1, 0, { fps: '0.0' });
  const done = await client.waitForJob(jobId, (p) => {
    bar.setTotal(Math.max(1, p.framesTotal));
    bar.update(p.framesDone, { fps: (p.framesDone / ((Date.now() - started) / 1000)).toFixed(1) });
  });
  bar.setTotal(Math.max(1, done.framesTotal));
  bar.update(done.framesDone, { fps: (done.framesDone / ((Date.now() - started) / 1000)).toFixed(1) });
  bar.stop();
  return done;
}
