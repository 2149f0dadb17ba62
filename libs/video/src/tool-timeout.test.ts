// A remote input that stops answering (a stalled object store) must not hold ffprobe or ffmpeg, nor their
// caller, forever: past the timeout the process is killed and a typed 'timeout' error comes back.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readdir, readFile } from 'node:fs/promises';
import { probeVideo } from './ffprobe';
import { frameJpeg } from './frame-jpeg';
import { VideoDecodeError, VideoProbeError } from './errors';

let server: Server;
let url = '';
const held: ServerResponse[] = [];

before(async () => {
  // Answers headers and a few bytes, then nothing: the reader waits on an open connection.
  server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': String(10 * 1024 * 1024) });
    res.write(Buffer.alloc(64));
    held.push(res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/clip.mp4`;
});
after(async () => {
  for (const r of held) r.destroy();
  await new Promise<void>((r) => server.close(() => r()));
});

/** ffmpeg / ffprobe processes whose parent is this process. */
async function childTools(): Promise<number> {
  // The kernel's list of this process's children (one per thread), not a scan of every pid: fast enough to sample.
  const kids: string[] = [];
  for (const t of await readdir('/proc/self/task')) {
    const list = await readFile(`/proc/self/task/${t}/children`, 'utf8').catch(() => '');
    kids.push(...list.split(' ').filter(Boolean));
  }
  const comms = await Promise.all(kids.map((k) => readFile(`/proc/${k}/comm`, 'utf8').catch(() => '')));
  return comms.map((c) => c.trim()).filter((c) => c === 'ffmpeg' || c === 'ffprobe').length;
}

test(
  'ffprobe of a stalled URL fails with timeout after timeoutMs and leaves no process',
  { timeout: 30_000 },
  async () => {
    const t0 = performance.now();
    await assert.rejects(probeVideo(url, { timeoutMs: 1500 }), (err: unknown) => {
      assert.ok(err instanceof VideoProbeError, String(err));
      assert.equal(err.code, 'timeout');
      assert.match(err.message, /1500 ms/);
      return true;
    });
    const ms = performance.now() - t0;
    assert.ok(ms >= 1400 && ms < 6000, `took ${ms} ms`);
    assert.equal(await childTools(), 0);
  },
);

test(
  'ffmpeg frame extraction from a stalled URL fails with timeout after timeoutMs and leaves no process',
  { timeout: 30_000 },
  async () => {
    const t0 = performance.now();
    await assert.rejects(frameJpeg(url, 3, { fps: 10, timeoutMs: 1500 }), (err: unknown) => {
      assert.ok(err instanceof VideoDecodeError, String(err));
      assert.equal(err.code, 'timeout');
      return true;
    });
    const ms = performance.now() - t0;
    assert.ok(ms >= 1400 && ms < 6000, `took ${ms} ms`);
    assert.equal(await childTools(), 0);
  },
);
