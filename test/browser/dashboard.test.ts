// The dashboard in a real browser (Debian's chromium via playwright-core) against the real stack: API
// serving the built dashboard, an in-process worker, Postgres, Redis and S3. Screenshots go to
// test/artifacts/ (git-ignored) so a person can look at what the assertions saw.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { MaskletClient } from '@masklet/client';
import { fromCocoRle } from '@masklet/masks';
import { testClip, truthMask } from '../worker/support';
import { clickJob, type Stack } from '../e2e/stack';
import { openDashboard, type Dashboard } from './support';

// The page functions below run in the browser; this suite compiles without the DOM library.
declare const document: {
  querySelector(selector: string): { getAttribute(name: string): string | null; textContent: string | null } | null;
  querySelectorAll(selector: string): { length: number };
};

let dash: Dashboard;
let stack: Stack;
let page: Page;
let key: string;
let tenantId: string;

before(async () => {
  dash = await openDashboard('browser');
  ({ stack, page, key, tenantId } = dash);
});

after(async () => {
  await dash?.close();
});

const shot = (name: string) => dash.shot(name);

async function overlayPixels(): Promise<number> {
  return Number(await page.getByTestId('player').getAttribute('data-overlay-pixels'));
}

test('the fleet page shows the live worker and queue counts, updated without a reload', async () => {
  await page.goto(`${stack.baseUrl}/ui/#/fleet`);
  const row = page.getByTestId('worker-row').first();
  await row.waitFor({ timeout: 20_000 });
  assert.match((await row.getAttribute('data-state')) ?? '', /^(IDLE|BUSY)$/);
  assert.match(await row.innerText(), /reference|masklet/i, 'the loaded model is shown');
  const first = await page.getByTestId('fleet-updated').innerText();
  // A job submitted now must show up in the segment queue's counts through the live stream.
  const clip = await testClip(16, 1, 'browser-fleet');
  const client = new MaskletClient(stack.baseUrl, key);
  const video = await client.uploadVideo(clip.mp4Path!);
  const job = await client.createJob(clickJob(video.id, clip));
  await client.waitForJob(job.id);
  await page.waitForFunction(
    () => {
      const cell = document.querySelector('[data-testid="queue-segment.masklet-reference"] td[data-state="completed"]');
      return cell !== null && Number(cell.textContent) >= 1;
    },
    undefined,
    { timeout: 20_000 },
  );
  assert.notEqual(await page.getByTestId('fleet-updated').innerText(), first, 'the snapshot time moved on by itself');
  await shot('fleet');
});

test('a job page shows the frame with mask overlays and one swim lane per object with prompt markers', async () => {
  const clip = await testClip(24, 2, 'browser-job');
  const client = new MaskletClient(stack.baseUrl, key);
  const video = await client.uploadVideo(clip.mp4Path!);
  const job = await client.createJob(clickJob(video.id, clip));
  const done = await client.waitForJob(job.id);
  assert.equal(done.status, 'SUCCEEDED');
  await page.goto(`${stack.baseUrl}/ui/#/jobs/${job.id}?tenant=${tenantId}`);
  await page.waitForFunction(
    () =>
      document.querySelector('[data-testid="player"]')?.getAttribute('data-frame') === '0' &&
      Number(document.querySelector('[data-testid="player"]')?.getAttribute('data-overlay-pixels')) > 0,
    undefined,
    { timeout: 20_000 },
  );
  assert.equal(await page.getByTestId('lane').count(), 2);
  assert.ok((await page.getByTestId('presence').count()) >= 2, 'presence bars drawn');
  assert.equal(await page.getByTestId('prompt-marker').count(), 2, 'one click per object');
  const both = await overlayPixels();
  const truth =
    (await truthMask(clip, 1, 0)).reduce((a, v) => a + (v ? 1 : 0), 0) +
    (await truthMask(clip, 2, 0)).reduce((a, v) => a + (v ? 1 : 0), 0);
  assert.ok(both > truth * 0.6 && both < truth * 1.6, `overlay ${both} px vs ${truth} px of truth on frame 0`);
  // Toggling object 2 off leaves only object 1's pixels.
  await page.getByTestId('toggle-2').click();
  await page.waitForFunction(
    (n) => Number(document.querySelector('[data-testid="player"]')?.getAttribute('data-overlay-pixels')) < n,
    both,
  );
  await page.getByTestId('toggle-2').click();
  // The scrubber moves to another frame and its masks follow.
  await page.getByTestId('scrubber').fill('12');
  await page.waitForFunction(() =>
    document.querySelector('[data-testid="frame-number"]')?.textContent?.startsWith('frame 12'),
  );
  // The frame itself (not a blank canvas) is drawn under the masks.
  await page.waitForFunction(
    () =>
      document.querySelector('[data-testid="player"]')?.getAttribute('data-frame') === '12' &&
      Number(document.querySelector('[data-testid="player"]')?.getAttribute('data-overlay-pixels')) > 0,
  );
  await shot('job');
});

test('a click gives a preview at once, and a committed round changes the mask', async () => {
  const clip = await testClip(24, 2, 'browser-correct');
  const client = new MaskletClient(stack.baseUrl, key);
  const video = await client.uploadVideo(clip.mp4Path!);
  const job = await client.createJob(clickJob(video.id, clip));
  assert.equal((await client.waitForJob(job.id)).status, 'SUCCEEDED');
  await page.goto(`${stack.baseUrl}/ui/#/jobs/${job.id}`);
  await page.waitForFunction(
    () =>
      document.querySelector('[data-testid="player"]')?.getAttribute('data-frame') === '0' &&
      Number(document.querySelector('[data-testid="player"]')?.getAttribute('data-overlay-pixels')) > 0,
    undefined,
    { timeout: 20_000 },
  );
  await page.getByTestId('toggle-2').click();
  await page.waitForFunction(
    () => document.querySelector('[data-testid="player"]')?.getAttribute('data-layers') === '1',
  );
  const before = await overlayPixels();

  // A negative click inside round 1's mask of object 1, far from its original click: the preview must shrink it.
  const r1 = await client.masklets(job.id, 0, 1);
  const predicted = fromCocoRle(r1.frames[0]!.objects.find((o) => o.objectId === 1)!.rle).data;
  const [cx, cy] = clip.meta.objects[0]!.clicks[0]!;
  const { width, height } = clip.meta;
  let best = { x: cx, y: cy, d: -1 };
  for (let y = 3; y < height - 3; y++) {
    for (let x = 3; x < width - 3; x++) {
      const inside = (dx: number, dy: number) => predicted[(y + dy) * width + x + dx] === 1;
      if (!inside(0, 0) || !inside(-3, 0) || !inside(3, 0) || !inside(0, -3) || !inside(0, 3)) continue;
      const d = (x - cx) ** 2 + (y - cy) ** 2;
      if (d > best.d) best = { x, y, d };
    }
  }
  assert.ok(best.d > 100, 'round 1 left room for a negative click away from the positive one');
  await page.getByTestId('select-1').check();
  const box = (await page.getByTestId('player').boundingBox())!;
  await page
    .getByTestId('player')
    .click({ position: { x: (best.x / width) * box.width, y: (best.y / height) * box.height }, modifiers: ['Shift'] });
  await page.waitForFunction(
    () => document.querySelector('[data-testid="correction-message"]')?.textContent?.startsWith('preview of object 1'),
    undefined,
    { timeout: 30_000 },
  );
  await page.waitForFunction(
    (n) => Number(document.querySelector('[data-testid="player"]')?.getAttribute('data-overlay-pixels')) !== n,
    before,
  );
  const previewed = await overlayPixels();
  assert.ok(
    previewed < before,
    `the negative click's preview (${previewed} px) should be smaller than round 1's mask (${before} px)`,
  );
  await shot('preview');

  await page.getByTestId('commit-round').click();
  await page.waitForFunction(
    () => document.querySelector('[data-testid="job-round"]')?.textContent === '2',
    undefined,
    { timeout: 20_000 },
  );
  await page.waitForFunction(
    () => document.querySelector('[data-testid="job-status"]')?.textContent === 'SUCCEEDED',
    undefined,
    { timeout: 60_000 },
  );
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="rounds"] tbody tr').length === 2);
  await page.waitForFunction(
    (n) => {
      const v = Number(document.querySelector('[data-testid="player"]')?.getAttribute('data-overlay-pixels'));
      return v > 0 && v < n;
    },
    before,
    { timeout: 20_000 },
  );
  const after = await overlayPixels();
  assert.ok(after < before, `round 2's mask on frame 0 (${after} px) should be smaller than round 1's (${before} px)`);
  // Compare mode draws round 1 as an outline over round 2.
  await page.getByTestId('compare').check();
  await page.waitForFunction(
    () => document.querySelector('[data-testid="player"]')?.getAttribute('data-layers') === '2',
  );
  await shot('round-2');
});

test('log out ends the session: the old cookie is refused and a reload shows the login page', async () => {
  const before = (await page.context().cookies()).find((c) => c.name === 'masklet_session')!;
  assert.equal(
    (await fetch(`${stack.baseUrl}/v1/session`, { headers: { cookie: `masklet_session=${before.value}` } })).status,
    200,
  );
  await page.getByTestId('logout').click();
  await page.waitForSelector('[data-testid="api-key"]');
  assert.equal(
    (await page.context().cookies()).find((c) => c.name === 'masklet_session'),
    undefined,
    'the browser dropped the cookie',
  );
  const reused = await fetch(`${stack.baseUrl}/v1/session`, { headers: { cookie: `masklet_session=${before.value}` } });
  assert.equal(reused.status, 401, 'the server ended the session');
  await page.reload();
  await page.waitForSelector('[data-testid="api-key"]');
  assert.equal(await page.locator('nav.nav').count(), 0);
});
