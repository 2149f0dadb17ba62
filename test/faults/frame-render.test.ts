// Frame rendering (GET /v1/videos/:id/frames/:n runs ffmpeg over a presigned URL) with the object store
// hung: at most FRAME_RENDER_CONCURRENCY ffmpeg processes run at once, a render that cannot finish in
// FRAME_RENDER_TIMEOUT_MS is killed and answered 503 with Retry-After, and everything renders once the
// store answers again.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { skip, waitFor } from '../worker/support';
import { startApi, uploadClip, type TestApi } from '../api/helpers';
import { startPrivateS3, type PrivateS3 } from './private-s3';

const CONCURRENCY = 2;
const TIMEOUT_MS = 4000;

/** ffmpeg processes whose parent is this process (the API runs in it). */
async function ffmpegChildren(): Promise<number> {
  // The kernel's list of this process's children (one per thread), not a scan of every pid: fast enough to sample.
  const kids: string[] = [];
  for (const t of await readdir('/proc/self/task')) {
    const list = await readFile(`/proc/self/task/${t}/children`, 'utf8').catch(() => '');
    kids.push(...list.split(' ').filter(Boolean));
  }
  const comms = await Promise.all(kids.map((k) => readFile(`/proc/${k}/comm`, 'utf8').catch(() => '')));
  return comms.map((c) => c.trim()).filter((c) => c === 'ffmpeg').length;
}

describe('faults: frame rendering with the object store hung', { skip }, () => {
  let s3: PrivateS3;
  let api: TestApi;
  let videoId = '';
  let reference: Buffer;

  const frame = (n: number) =>
    fetch(`${api.base}/v1/videos/${videoId}/frames/${n}?maxWidth=160`, {
      headers: { authorization: `Bearer ${api.key.key}` },
    });

  before(async () => {
    s3 = await startPrivateS3(process.env.S3_BUCKET ?? 'masklet');
    api = await startApi('frame-render', {
      S3_ENDPOINT: s3.endpoint,
      FRAME_RENDER_CONCURRENCY: String(CONCURRENCY),
      FRAME_RENDER_TIMEOUT_MS: String(TIMEOUT_MS),
    });
    videoId = (await uploadClip(api)).id;
    const r = await frame(3);
    assert.equal(r.status, 200);
    reference = Buffer.from(await r.arrayBuffer());
    assert.equal(reference.subarray(0, 2).toString('hex'), 'ffd8', 'a JPEG');
  });
  after(async () => {
    s3?.resume();
    await api?.close();
    await s3?.stop();
  });

  test(
    'six concurrent frame requests run at most FRAME_RENDER_CONCURRENCY ffmpeg processes; all render once the store answers',
    { timeout: 60_000 },
    async () => {
      s3.pause();
      const answers = Array.from({ length: 6 }, () => frame(3));
      let most = await waitFor('the first ffmpeg', async () => (await ffmpegChildren()) || null, 20_000, 20);
      const until = performance.now() + 2000;
      while (performance.now() < until) {
        most = Math.max(most, await ffmpegChildren());
        await new Promise((r) => setTimeout(r, 20));
      }
      s3.resume();
      const done = await Promise.all(answers);
      assert.equal(most, CONCURRENCY, `at most ${CONCURRENCY} ffmpeg at once, saw ${most}`);
      for (const r of done) {
        assert.equal(r.status, 200, await r.clone().text());
        assert.ok(Buffer.from(await r.arrayBuffer()).equals(reference), 'the same JPEG as the undisturbed render');
      }
      assert.equal(await ffmpegChildren(), 0);
    },
  );

  test(
    'a render the hung store keeps past FRAME_RENDER_TIMEOUT_MS is 503 FRAME_RENDER_TIMEOUT with Retry-After; its ffmpeg is gone',
    { timeout: 60_000 },
    async () => {
      s3.pause();
      const t0 = performance.now();
      const r = await frame(5);
      const ms = performance.now() - t0;
      s3.resume();
      const body = (await r.json()) as { error: { code: string; message: string } };
      assert.equal(r.status, 503, JSON.stringify(body));
      assert.equal(body.error.code, 'FRAME_RENDER_TIMEOUT');
      assert.match(body.error.message, /FRAME_RENDER_TIMEOUT_MS \(4000 ms\)/);
      assert.ok(Number(r.headers.get('retry-after')) > 0, 'Retry-After');
      assert.ok(ms >= TIMEOUT_MS - 100 && ms < TIMEOUT_MS + 5000, `answered after ${ms} ms`);
      assert.equal(await ffmpegChildren(), 0);
      const again = await frame(5);
      assert.equal(again.status, 200);
    },
  );
});
