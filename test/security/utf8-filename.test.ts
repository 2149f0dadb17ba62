// Issue 14, item 10: a UTF-8 file name survives the upload, sent raw (browsers, fetch) or as RFC 5987 filename*.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { call, startApi, syntheticMp4, videoForm, type TestApi } from '../api/helpers';

let api: TestApi;
before(async () => {
  api = await startApi('utf8-filename');
});
after(async () => {
  await api?.close();
});

const NAME = 'Grüße – 視頻 ✓.mp4';

test('a raw UTF-8 filename in the multipart header is stored and answered as sent', async () => {
  const clip = await syntheticMp4();
  const r = await call(api, 'POST', '/v1/videos', { form: videoForm(clip.bytes, NAME) });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.filename, NAME);
  const row = await api.prisma.video.findUniqueOrThrow({ where: { id: r.body.id } });
  assert.equal(row.filename, NAME);
});

test("an RFC 5987 filename*=UTF-8''... is decoded", async () => {
  const clip = await syntheticMp4();
  const boundary = 'b0undary';
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename*=UTF-8''${encodeURIComponent(NAME)}\r\nContent-Type: video/mp4\r\n\r\n`;
  const body = Buffer.concat([Buffer.from(head), clip.bytes, Buffer.from(`\r\n--${boundary}--\r\n`)]);
  const res = await fetch(`${api.base}/v1/videos`, {
    method: 'POST',
    headers: { authorization: `Bearer ${api.key.key}`, 'content-type': `multipart/form-data; boundary=${boundary}` },
    body,
  });
  const json = (await res.json()) as { filename?: string };
  assert.equal(res.status, 201, JSON.stringify(json));
  assert.equal(json.filename, NAME);
});
