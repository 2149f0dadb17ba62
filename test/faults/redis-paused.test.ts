// A hung Redis (SIGSTOP): the API answers 503 with Retry-After within a bounded time instead of hanging,
// tells tenants nothing internal, and recovers by itself once Redis answers again.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { call, jobBody, startApi, uploadClip, type TestApi } from '../api/helpers';
import { skip } from '../worker/support';
import { startPrivateRedis, type PrivateRedis } from './private-redis';

const COMMAND_TIMEOUT_MS = 500;
/** Command timeout plus slack for a loaded 2-core CI machine. */
const ANSWER_WITHIN_MS = 4_000;

describe('faults: Redis paused', { skip }, () => {
  let redis: PrivateRedis;
  let api: TestApi;

  before(async () => {
    redis = await startPrivateRedis();
    api = await startApi('faults-redis', {
      REDIS_URL: redis.url,
      REDIS_COMMAND_TIMEOUT_MS: String(COMMAND_TIMEOUT_MS),
    });
  });
  after(async () => {
    redis?.resume();
    await api?.close();
    await redis?.stop();
  });

  test('job submission and readiness answer 503 with Retry-After while Redis hangs; the job row says nothing internal; then it recovers', async () => {
    const video = await uploadClip(api);
    const first = await call(api, 'POST', '/v1/jobs', { json: jobBody(video.id) });
    assert.equal(first.status, 201);

    redis.pause();
    try {
      const t0 = performance.now();
      const r = await call(api, 'POST', '/v1/jobs', { json: jobBody(video.id) });
      const elapsed = performance.now() - t0;
      assert.equal(r.status, 503, JSON.stringify(r.body));
      assert.ok(elapsed < ANSWER_WITHIN_MS, `answered in ${Math.round(elapsed)} ms`);
      assert.equal(r.body.error.code, 'QUEUE_UNAVAILABLE');
      assert.deepEqual(r.body.error.details, { dependency: 'redis' });
      assert.ok(Number(r.headers.get('retry-after')) > 0, 'Retry-After');

      const t1 = performance.now();
      const read = await call(api, 'GET', `/v1/jobs/${first.body.id}`);
      assert.ok(performance.now() - t1 < ANSWER_WITHIN_MS, 'a job read never hangs');
      if (read.status !== 200) {
        assert.equal(read.status, 503, JSON.stringify(read.body));
        assert.equal(read.body.error.code, 'DEPENDENCY_UNAVAILABLE');
        assert.ok(Number(read.headers.get('retry-after')) > 0);
      }

      const ready = await call(api, 'GET', '/readyz', { key: null });
      assert.equal(ready.status, 503);
      assert.ok(Number(ready.headers.get('retry-after')) > 0);
      assert.equal(ready.body.error.details.redis, 'unavailable');
      assert.equal(ready.body.error.details.postgres, 'ok');
      assert.equal(ready.body.error.details.s3, 'ok');

      const failed = await api.prisma.job.findMany({ where: { tenantId: api.tenant.id, status: 'FAILED' } });
      assert.equal(
        failed.length,
        1,
        'the job that could not be queued is FAILED, not left QUEUED to run behind the 503',
      );
      assert.doesNotMatch(
        failed[0]!.error ?? '',
        /127\.0\.0\.1|ECONN|timed out|:\d{2,5}/,
        'no internal detail in a tenant-visible field',
      );
    } finally {
      redis.resume();
    }

    const ready = await call(api, 'GET', '/readyz', { key: null });
    assert.equal(ready.status, 200, JSON.stringify(ready.body));
    assert.equal(
      (await call(api, 'POST', '/v1/jobs', { json: jobBody(video.id) })).status,
      201,
      'recovered without a restart',
    );
  });
});
