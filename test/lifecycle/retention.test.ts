// Issue 14, data lifecycle: the worker's retention sweeper deletes jobs and videos older than their
// tenant's retentionDays (others stay), PENDING uploads past UPLOAD_PENDING_TTL_SECONDS, and S3
// multipart uploads left by cut uploads.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateMultipartUploadCommand, UploadPartCommand } from '@aws-sdk/client-s3';
import IORedis, { type Redis } from 'ioredis';
import { createObjectStoreFromEnv } from '@masklet/storage';
import { startStack, type Stack } from '../e2e/stack';
import { apiFor, type Api } from '../rounds/support';
import { finishedJob, redisMentions } from './support';

let stack: Stack;
let redis: Redis;
let a: Api;
let b: Api;

before(async () => {
  // The worker starts after the data is aged, so its first sweep sees it.
  stack = await startStack({ RETENTION_SWEEP_INTERVAL_MS: '500', UPLOAD_PENDING_TTL_SECONDS: '3600' }, false);
  redis = new IORedis(stack.config.REDIS_URL);
  a = await apiFor(stack, 'ret-a');
  b = await apiFor(stack, 'ret-b');
});
after(async () => {
  redis?.disconnect();
  await stack?.close();
});

test('expired jobs and videos, stale PENDING uploads and their multipart parts are swept; the rest stays', async (t) => {
  await stack.startWorker();
  await stack.env.prisma.tenant.update({ where: { id: a.tenantId }, data: { retentionDays: 2 } });
  const [oldA, newA, oldB] = [
    await finishedJob(a, 'ret-old-a'),
    await finishedJob(a, 'ret-new-a'),
    await finishedJob(b, 'ret-old-b'),
  ];
  await stack.worker!.close();
  const threeDaysAgo = new Date(Date.now() - 3 * 86_400_000);
  for (const j of [oldA, oldB]) {
    await stack.env.prisma.job.update({ where: { id: j.jobId }, data: { createdAt: threeDaysAgo } });
    await stack.env.prisma.video.update({ where: { id: j.videoId }, data: { createdAt: threeDaysAgo } });
  }
  // An upload cut two hours ago: a PENDING row and the multipart upload it began in S3.
  const pending = await stack.env.prisma.video.create({
    data: { tenantId: b.tenantId, s3Key: 'x', status: 'PENDING', createdAt: new Date(Date.now() - 7_200_000) },
  });
  const key = `tenants/${b.tenantId}/videos/${pending.id}/source`;
  const s3 = (createObjectStoreFromEnv(stack.config) as unknown as { client: import('@aws-sdk/client-s3').S3Client })
    .client;
  const mpu = await s3.send(new CreateMultipartUploadCommand({ Bucket: stack.config.S3_BUCKET, Key: key }));
  await s3.send(
    new UploadPartCommand({
      Bucket: stack.config.S3_BUCKET,
      Key: key,
      UploadId: mpu.UploadId,
      PartNumber: 1,
      Body: Buffer.alloc(5 << 20, 1),
    }),
  );
  const uploadsBefore = await stack.env.store.listMultipartUploads(`tenants/${b.tenantId}/`);
  const before = await stack.env.store.list('');

  await stack.startWorker();
  for (let i = 0; i < 100 && (await stack.env.prisma.job.count({ where: { id: oldA.jobId } })) > 0; i++)
    await new Promise((r) => setTimeout(r, 200));
  await new Promise((r) => setTimeout(r, 1000));

  const objects = await stack.env.store.list('');
  assert.deepEqual(
    objects.filter((k) => k.includes(oldA.jobId) || k.includes(oldA.videoId)),
    [],
    'the expired job and video of A are gone from S3',
  );
  assert.deepEqual(await redisMentions(redis, oldA.jobId), []);
  assert.equal(await stack.env.prisma.job.count({ where: { id: oldA.jobId } }), 0);
  assert.equal(await stack.env.prisma.video.count({ where: { id: oldA.videoId } }), 0);
  const kept = (j: { jobId: string }): string[] => before.filter((k) => k.includes(j.jobId));
  assert.ok(kept(newA).length > 0 && kept(oldB).length > 0);
  assert.deepEqual(
    kept(newA).filter((k) => !objects.includes(k)),
    [],
    "A's recent job stays",
  );
  assert.deepEqual(
    kept(oldB).filter((k) => !objects.includes(k)),
    [],
    'B keeps everything: no retention set for it nor by default',
  );
  assert.equal(await stack.env.prisma.job.count({ where: { id: { in: [newA.jobId, oldB.jobId] } } }), 2);
  assert.equal(await stack.env.prisma.video.count({ where: { id: pending.id } }), 0, 'the stale PENDING video is gone');
  // s3rver (the local services) does not implement ListMultipartUploads; S3 and MinIO do.
  if (uploadsBefore.length === 0)
    t.diagnostic('ListMultipartUploads not implemented by this S3 server: the abort is not checked here');
  else
    assert.deepEqual(
      await stack.env.store.listMultipartUploads(`tenants/${b.tenantId}/`),
      [],
      'its parts were aborted',
    );
});
