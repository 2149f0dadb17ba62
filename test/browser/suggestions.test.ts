// The job page's suggested frames and annotation effort in a real browser against the real stack:
// the list is the API's ranking, a click opens that frame with that object selected, and the effort
// table shows the job's rounds.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { MaskletClient } from '@masklet/client';
import { DASHBOARD_DIST } from '../../apps/api/src/dashboard/serve-dashboard';
import { testClip } from '../worker/support';
import { clickJob, startStack, type Stack } from '../e2e/stack';

declare const document: { querySelector(selector: string): { getAttribute(name: string): string | null } | null };

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

let stack: Stack;
let browser: Browser;
let page: Page;
let key: string;

before(async () => {
  assert.ok(existsSync(join(DASHBOARD_DIST, 'index.html')), `the dashboard is not built (${DASHBOARD_DIST})`);
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing`);
  stack = await startStack();
  const tenant = await stack.admin.createTenant(`browser-suggest-${Date.now()}`);
  key = (await stack.admin.createKey(tenant.id, ['submit', 'read', 'correct'], 'annotator')).key;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  await page.goto(`${stack.baseUrl}/ui/`);
  await page.getByTestId('api-key').fill(key);
  await page.getByTestId('login').click();
  await page.waitForSelector('nav.nav');
});

after(async () => {
  await browser?.close();
  await stack?.close();
});

test('a suggested frame opens with its object selected; the effort table lists the rounds', async () => {
  const clip = await testClip(24, 2, 'browser-job');
  const client = new MaskletClient(stack.baseUrl, key);
  const video = await client.uploadVideo(clip.mp4Path!);
  const job = await client.createJob(clickJob(video.id, clip));
  assert.equal((await client.waitForJob(job.id)).status, 'SUCCEEDED');
  const res = await fetch(`${stack.baseUrl}/v1/jobs/${job.id}/suggestions?limit=10`, {
    headers: { authorization: `Bearer ${key}` },
  });
  const api = (await res.json()) as { items: { frame: number; objectId: number }[] };
  assert.ok(api.items.length >= 2, 'the clip gives suggestions to click');

  await page.goto(`${stack.baseUrl}/ui/#/jobs/${job.id}`);
  await page.getByTestId('suggestion').first().waitFor();
  const listed = await page
    .getByTestId('suggestion')
    .evaluateAll((els) =>
      els.map((e) => [Number(e.getAttribute('data-frame')), Number(e.getAttribute('data-object'))]),
    );
  assert.deepEqual(
    listed,
    api.items.map((s) => [s.frame, s.objectId]),
    "the panel shows the API's ranking",
  );

  // One off frame 0 (where the page opens), so the player has to move; no object is selected before.
  const pick = api.items.find((s) => s.frame !== 0) ?? api.items[1]!;
  await page.locator(`[data-testid="suggestion"][data-frame="${pick.frame}"][data-object="${pick.objectId}"]`).click();
  await page.waitForFunction(
    (f) => document.querySelector('[data-testid="player"]')?.getAttribute('data-frame') === String(f),
    pick.frame,
    { timeout: 20_000 },
  );
  assert.match((await page.getByTestId('frame-number').textContent()) ?? '', new RegExp(`^frame ${pick.frame} `));
  assert.equal(
    await page.getByTestId(`select-${pick.objectId}`).isChecked(),
    true,
    'the object is selected for the next click',
  );

  const rows = page.getByTestId('analytics-rounds').locator('tbody tr');
  await rows.first().waitFor();
  assert.equal(await rows.count(), 1);
  assert.match((await rows.first().textContent()) ?? '', /^1annotator2/, 'round 1 by this key with its two clicks');
});
