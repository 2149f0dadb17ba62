// End to end over HTTP: upload -> job -> worker -> masklets, a batch beside another tenant's job.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { testClip } from '../worker/support';
import { clickJob, meanIouAgainstTruth, startStack, type Stack } from './stack';

let stack: Stack;
before(async () => {
  stack = await startStack();
});
after(async () => {
  await stack?.close();
});

test('submit -> complete: two clicked objects tracked with IoU >= 0.9 against the known masks', async () => {
  const clip = await testClip(48, 2, 'e2e-submit');
  const { client } = await stack.client('submit');
  const video = await client.uploadVideo(clip.mp4Path!);
  assert.equal(video.status, 'READY');
  assert.equal(video.frameCount, 48);
  const job = await client.createJob(clickJob(video.id, clip));
  const seen: number[] = [];
  const done = await client.waitForJob(job.id, (p) => seen.push(p.framesDone));
  assert.equal(done.status, 'SUCCEEDED', JSON.stringify(done.error));
  assert.equal(done.framesDone, done.framesTotal);
  assert.ok(seen.length >= 2, `progress events: ${seen.join(',')}`);
  const ious = await meanIouAgainstTruth(client, job.id, clip);
  assert.equal(ious.size, 2);
  for (const [id, { iou, frames }] of ious) {
    assert.ok(frames >= 40, `object ${id}: only ${frames} frames`);
    assert.ok(iou >= 0.9, `object ${id}: mean IoU ${iou.toFixed(3)}`);
  }
});

test("a 50-job batch of one tenant does not starve another tenant's single job", async () => {
  const clip = await testClip(8, 1, 'e2e-batch');
  const heavy = await stack.client('heavy');
  const light = await stack.client('light');
  const heavyVideo = await heavy.client.uploadVideo(clip.mp4Path!);
  const lightVideo = await light.client.uploadVideo(clip.mp4Path!);
  const batch = await heavy.client.createBatch(Array.from({ length: 50 }, () => clickJob(heavyVideo.id, clip)));
  const single = await light.client.createJob(clickJob(lightVideo.id, clip));
  const lone = await light.client.waitForJob(single.id);
  assert.equal(lone.status, 'SUCCEEDED');
  const heavyDoneBefore = await stack.env.prisma.job.count({
    where: { batchId: batch.id, status: 'SUCCEEDED', finishedAt: { lte: new Date(lone.finishedAt!) } },
  });
  assert.ok(heavyDoneBefore <= 3, `${heavyDoneBefore} of the batch finished before the other tenant's single job`);

  const deadline = Date.now() + 240_000;
  let counts: Record<string, number> = {};
  while (Date.now() < deadline) {
    counts = (await heavy.client.getBatch(batch.id)).counts;
    if ((counts['SUCCEEDED'] ?? 0) === 50) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  assert.equal(counts['SUCCEEDED'], 50, JSON.stringify(counts));
  const chunks = await stack.env.prisma.maskletChunk.count({ where: { job: { batchId: batch.id } } });
  assert.equal(chunks, 50, 'one chunk of 8 frames per job');
});
