// Model routing through real Redis, Postgres, S3 and onnxruntime: a job runs only on a worker that has
// its model (one segment queue per model), workers advertise what they serve, and a round refuses a
// checkpoint another model wrote. Model B is the reference model's graphs under another manifest name.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseProviders, SamModel } from '@masklet/engine';
import { fairPriority, segmentJobId, segmentJobOptions, segmentQueueName } from '@masklet/queue';
import { startWorker, type WorkerHandle } from '../../apps/worker/src/worker';
import {
  createTestEnv,
  enqueueSegment,
  referenceVariant,
  seedJob,
  sharedModel,
  skip,
  testClip,
  waitFor,
  type TestEnv,
} from './support';

const MODEL_A = 'masklet-reference';
const MODEL_B = 'masklet-reference-b';
const FRAMES = 24;

async function jobRow(env: TestEnv, id: string) {
  return env.prisma.job.findUniqueOrThrow({ where: { id } });
}

describe('worker: model routing', { skip }, () => {
  let env: TestEnv;
  let modelB: SamModel;
  const workers: WorkerHandle[] = [];
  before(async () => {
    env = await createTestEnv({ CHUNK_FRAMES: '8' });
    modelB = await SamModel.load(await referenceVariant(MODEL_B), {
      runtime: { providers: parseProviders(process.env.MASKLET_PROVIDERS) },
    });
  });
  after(async () => {
    for (const w of workers) await w.close();
    await modelB?.release();
    await env?.close();
  });

  test('a job for model B waits while only an A worker runs, then runs on the B worker', async () => {
    const clip = await testClip(FRAMES, 1, 'routing');
    const a = await startWorker(env.config, { model: await sharedModel(), prefix: env.prefix, queues: ['segment'] });
    workers.push(a);
    const rowA = await env.prisma.worker.findUniqueOrThrow({ where: { id: a.id } });
    assert.deepEqual(
      [rowA.models, rowA.queues],
      [[MODEL_A], [`segment.${MODEL_A}`]],
      'the A worker advertises its model and queue',
    );

    const jobA = await seedJob(env, clip);
    const jobB = await seedJob(env, clip, { model: MODEL_B });
    await enqueueSegment(env, jobB);
    await enqueueSegment(env, jobA);
    const doneA = await waitFor(
      'job A SUCCEEDED',
      async () => ((await jobRow(env, jobA.jobId)).status === 'SUCCEEDED' ? jobRow(env, jobA.jobId) : null),
      120_000,
    );
    assert.equal(doneA.workerId, a.id);
    // The A worker was free and consuming the whole time; B's job, queued before A's, is still untouched.
    const waitingB = await jobRow(env, jobB.jobId);
    assert.deepEqual([waitingB.status, waitingB.workerId, waitingB.attempts], ['QUEUED', null, 0]);
    const entry = await env.queue(segmentQueueName(MODEL_B)).getJob(segmentJobId(jobB.jobId, 1));
    assert.ok(entry, 'B job in its model queue');
    assert.match(await entry.getState(), /^(waiting|prioritized)$/);

    const b = await startWorker(env.config, { model: modelB, prefix: env.prefix, queues: ['segment'] });
    workers.push(b);
    assert.deepEqual((await env.prisma.worker.findUniqueOrThrow({ where: { id: b.id } })).models, [MODEL_B]);
    const doneB = await waitFor(
      'job B SUCCEEDED',
      async () => ((await jobRow(env, jobB.jobId)).status === 'SUCCEEDED' ? jobRow(env, jobB.jobId) : null),
      120_000,
    );
    assert.equal(doneB.workerId, b.id, 'only the B worker may run a B job');
    assert.equal(doneB.framesDone, FRAMES);
    assert.equal(await env.prisma.maskletChunk.count({ where: { jobId: jobB.jobId } }), FRAMES / 8);
  });

  test("a correction round on model A's checkpoint is refused by model B with checkpoint_model_mismatch", async () => {
    const clip = await testClip(FRAMES, 1, 'routing');
    const seeded = await seedJob(env, clip);
    await enqueueSegment(env, seeded);
    await waitFor('round 1 SUCCEEDED', async () => (await jobRow(env, seeded.jobId)).status === 'SUCCEEDED', 120_000);
    const chunksBefore = await env.prisma.maskletChunk.findMany({
      where: { jobId: seeded.jobId },
      orderBy: { startFrame: 'asc' },
    });

    // The job's model is switched under its checkpoint (as an operator replacing a model would do), so
    // its round 2 lands on B's queue with the end checkpoint A wrote.
    const [x, y] = clip.meta.objects[0]!.clicks[10]!;
    await env.prisma.$transaction([
      env.prisma.job.update({
        where: { id: seeded.jobId },
        data: { model: MODEL_B, currentRound: 2, status: 'QUEUED' },
      }),
      env.prisma.round.create({ data: { jobId: seeded.jobId, number: 2, status: 'QUEUED', direction: 'forward' } }),
      env.prisma.prompt.create({
        data: {
          jobId: seeded.jobId,
          round: 2,
          objectId: clip.meta.objects[0]!.id,
          frame: 10,
          kind: 'POINTS',
          points: [[x, y, 1]],
        },
      }),
    ]);
    await env
      .queue(segmentQueueName(MODEL_B))
      .add(
        'segment',
        { jobId: seeded.jobId, tenantId: seeded.tenantId, round: 2 },
        segmentJobOptions(segmentJobId(seeded.jobId, 2), fairPriority(0, 5)),
      );
    const failed = await waitFor(
      'round 2 FAILED',
      async () => ((await jobRow(env, seeded.jobId)).status === 'FAILED' ? jobRow(env, seeded.jobId) : null),
      60_000,
    );
    assert.equal(failed.errorCode, 'bad_input.checkpoint_model_mismatch');
    assert.match(
      failed.error ?? '',
      new RegExp(`${MODEL_A}.*${MODEL_B}`),
      'the error names the checkpoint model and the running one',
    );
    const entry = await env.queue(segmentQueueName(MODEL_B)).getJob(segmentJobId(seeded.jobId, 2));
    assert.deepEqual([await entry?.getState(), entry?.attemptsMade], ['failed', 1], 'refused at once, not retried');
    assert.equal(
      (await env.prisma.round.findUniqueOrThrow({ where: { jobId_number: { jobId: seeded.jobId, number: 2 } } }))
        .status,
      'FAILED',
    );
    const chunksAfter = await env.prisma.maskletChunk.findMany({
      where: { jobId: seeded.jobId },
      orderBy: { startFrame: 'asc' },
    });
    assert.deepEqual(
      chunksAfter.map((c) => [c.round, c.startFrame, c.s3Key]),
      chunksBefore.map((c) => [c.round, c.startFrame, c.s3Key]),
      'nothing written',
    );
  });
});
