// Shared by the lifecycle suites: a finished job with masks, an export and checkpoints, and what
// Redis still holds of an id.
import assert from 'node:assert/strict';
import type { Redis } from 'ioredis';
import { clickJob } from '../e2e/stack';
import { waitJob, waitVideo, type Api } from '../rounds/support';
import { testClip } from '../worker/support';

const FRAMES = 20;

export async function finishedJob(api: Api, label: string): Promise<{ videoId: string; jobId: string }> {
  const clip = await testClip(FRAMES, 2, label);
  const video = await api.client.uploadVideo(clip.mp4Path!);
  await waitVideo(api, video.id);
  const created = await api.call('POST', '/v1/jobs', clickJob(video.id, clip, { options: { outputs: ['coco'] } }));
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const jobId = created.body['id'] as string;
  assert.equal((await waitJob(api, jobId, 1))['status'], 'SUCCEEDED');
  for (let i = 0; i < 200; i++) {
    const ex = await api.call<{ items: { status: string }[] }>('GET', `/v1/jobs/${jobId}/exports`);
    if (ex.body.items.length && ex.body.items.every((e) => e.status === 'SUCCEEDED')) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  return { videoId: video.id, jobId };
}

async function redisKeys(redis: Redis): Promise<string[]> {
  const out: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'COUNT', 1000);
    cursor = next;
    out.push(...keys);
  } while (cursor !== '0');
  return out;
}
/** Keys naming the id, and BullMQ sets/lists holding it as a member. */
export async function redisMentions(redis: Redis, id: string): Promise<string[]> {
  const found: string[] = [];
  for (const k of await redisKeys(redis)) {
    if (k.includes(id)) found.push(k);
    const type = await redis.type(k);
    const members =
      type === 'zset'
        ? await redis.zrange(k, '0', '-1')
        : type === 'list'
          ? await redis.lrange(k, 0, -1)
          : type === 'set'
            ? await redis.smembers(k)
            : [];
    if (members.some((m) => m.includes(id))) found.push(`${k} (member)`);
  }
  return found;
}
