// Issue 14, item 10: downloads of a video with a non-ASCII name carry an ASCII filename fallback and
// the exact name as RFC 5987 filename*=UTF-8''... (exports as attachments, mask PNGs inline).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clickJob, startStack, type Stack } from '../e2e/stack';
import { apiFor, waitJob, waitVideo } from '../rounds/support';
import { testClip } from '../worker/support';

const STEM = 'Grüße – 視頻 ✓';
let stack: Stack;
before(async () => {
  stack = await startStack();
});
after(async () => stack?.close());

/** The filename and filename* parameters of a Content-Disposition value. */
function names(header: string | null): { type: string; ascii: string; exact: string | null } {
  assert.ok(header);
  const type = header.split(';')[0]!.trim();
  const ascii = /filename="([^"]*)"/.exec(header)![1]!;
  const star = /filename\*=UTF-8''([^;\s]+)/.exec(header)?.[1];
  return { type, ascii, exact: star ? decodeURIComponent(star) : null };
}

test('export and mask downloads name the file after the video, in ASCII and as UTF-8 filename*', async () => {
  const clip = await testClip(6, 1, 'dl-name');
  const path = join(await mkdtemp(join(tmpdir(), 'masklet-dl-')), `${STEM}.mp4`);
  await copyFile(clip.mp4Path!, path);
  const api = await apiFor(stack, 'dl-name');
  const video = await api.client.uploadVideo(path);
  await waitVideo(api, video.id);
  assert.equal((await api.call('GET', `/v1/videos/${video.id}`)).body['filename'], `${STEM}.mp4`);
  const created = await api.call('POST', '/v1/jobs', clickJob(video.id, clip, { options: { outputs: ['coco'] } }));
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const jobId = created.body['id'] as string;
  assert.equal((await waitJob(api, jobId, 1))['status'], 'SUCCEEDED');
  let item: { downloadPath: string; status: string } | undefined;
  for (let i = 0; i < 200 && item?.status !== 'SUCCEEDED'; i++) {
    item = (await api.call<{ items: { downloadPath: string; status: string }[] }>('GET', `/v1/jobs/${jobId}/exports`))
      .body.items[0];
    if (item?.status !== 'SUCCEEDED') await new Promise((r) => setTimeout(r, 250));
  }
  assert.equal(item?.status, 'SUCCEEDED');

  const reader = (await stack.admin.createKey(api.tenantId, ['read'], 'dl-reader')).key;
  const get = async (p: string): Promise<Response> => {
    const res = await fetch(new URL(p, stack.baseUrl), { headers: { authorization: `Bearer ${reader}` } });
    assert.equal(res.status, 200, p);
    return res;
  };
  const exp = names((await get(item.downloadPath)).headers.get('content-disposition'));
  assert.equal(exp.type, 'attachment');
  assert.match(exp.exact ?? '', new RegExp(`^${STEM}-r1-.+\\.json$`));
  assert.match(exp.ascii, /^[\x20-\x7e]+$/, 'the fallback is plain ASCII');
  assert.ok(exp.ascii.startsWith('Gru_e _ __ _-r1-'), exp.ascii);

  const png = names((await get(`/v1/jobs/${jobId}/masklets?format=png&from=0`)).headers.get('content-disposition'));
  assert.equal(png.type, 'inline');
  assert.equal(png.exact, `${STEM}-00000.png`);
  assert.equal(png.ascii, 'Gru_e _ __ _-00000.png');
});
