// The annotator's whole loop in a real browser, as in the SAM 2 demo: upload a video, click one object
// and drag a box around another on a frame that is not the first (each previewed at once), name them,
// start propagation over part of the video, watch it finish, check the masks on a later frame, correct
// with a negative click on a tracked frame, commit it both ways, and check that the job page still describes the
// job (its frame range on the scrubber, the lanes and the totals) with a marker for the correction.
// Every check reads pixels of the overlay canvas or numbers on the page against the clip's true masks.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { MaskletClient } from '@masklet/client';
import { fromCocoRle } from '@masklet/masks';
import { testClip, truthMask } from '../worker/support';
import { insideOutside, openDashboard, overlayClasses, waitForPlayerFrame, type Dashboard } from './support';

declare const document: {
  querySelector(selector: string): { getAttribute(name: string): string | null; textContent: string | null } | null;
  querySelectorAll(selector: string): { length: number };
};
declare const location: { hash: string };

const FRAMES = 36;
const PROMPT_FRAME = 4;
const MAX_FRAMES = 20;
/** The job: forward from the prompted frame, exactly MAX_FRAMES frames. */
const RANGE = { start: PROMPT_FRAME, end: PROMPT_FRAME + MAX_FRAMES - 1 };
const LATER_FRAME = 16;
const CORRECTION_FRAME = 14;
/** Object colours of the dashboard's palette (masks.ts), and the compare outline's yellow. */
const DISC: [number, number, number] = [230, 25, 75];
const SQUARE: [number, number, number] = [60, 180, 75];
const COMPARE: [number, number, number] = [255, 230, 0];

let dash: Dashboard;
let page: Page;
before(async () => {
  dash = await openDashboard('browser-annotate');
  page = dash.page;
});
after(async () => {
  await dash?.close();
});

async function toScreen(x: number, y: number, width: number, height: number): Promise<{ x: number; y: number }> {
  const box = (await page.getByTestId('player').boundingBox())!;
  return { x: box.x + ((x + 0.5) / width) * box.width, y: box.y + ((y + 0.5) / height) * box.height };
}

function bbox(mask: Uint8Array, width: number): { x0: number; y0: number; x1: number; y1: number } {
  let x0 = Infinity,
    y0 = Infinity,
    x1 = -1,
    y1 = -1;
  mask.forEach((v, i) => {
    if (!v) return;
    const x = i % width,
      y = Math.floor(i / width);
    x0 = Math.min(x0, x);
    y0 = Math.min(y0, y);
    x1 = Math.max(x1, x);
    y1 = Math.max(y1, y);
  });
  return { x0, y0, x1, y1 };
}

const text = async (testId: string) => ((await page.getByTestId(testId).textContent()) ?? '').trim();

test('upload, click and box with instant previews, propagate, correct: pixels and numbers all the way', async () => {
  const clip = await testClip(FRAMES, 2, 'browser-annotate');
  const { width, height } = clip.meta;
  const truth = async (objectId: number, frame: number) => truthMask(clip, objectId, frame);

  // Upload from the new-job page: the editor opens on the uploaded video's first frame.
  await page.goto(`${dash.stack.baseUrl}/ui/#/new`);
  await page.getByTestId('videos').waitFor();
  await page.getByTestId('upload-video').setInputFiles(clip.mp4Path!);
  await page.waitForFunction(() => location.hash.startsWith('#/new?video='), undefined, { timeout: 30_000 });
  await page.getByTestId('scrubber').fill(String(PROMPT_FRAME));
  await waitForPlayerFrame(page, PROMPT_FRAME);

  // Object 1: one positive click at its true click point; the preview covers the object and little else.
  const [cx, cy] = clip.meta.objects[0]!.clicks[PROMPT_FRAME]!;
  await page.getByTestId('name-1').fill('disc');
  const at = await toScreen(cx, cy, width, height);
  await page.mouse.click(at.x, at.y);
  await page.waitForFunction(
    (f) =>
      document
        .querySelector('[data-testid="prompt-message"]')
        ?.textContent?.startsWith(`preview of object 1 on frame ${f}`),
    PROMPT_FRAME,
    { timeout: 60_000 },
  );
  await page.waitForFunction(
    () => document.querySelector('[data-testid="player"]')?.getAttribute('data-layers') === '1',
  );
  const truth1 = await truth(1, PROMPT_FRAME);
  await dash.shot('annotate-click');
  const one = insideOutside(await overlayClasses(page, [DISC, SQUARE]), 1, truth1);
  assert.ok(
    one.inside > 0.6 * one.truth,
    `click preview covers ${one.inside} of ${one.truth} true pixels (${await text('prompt-message')})`,
  );
  assert.ok(one.outside < 0.15 * one.truth, `click preview spills ${one.outside} px outside the object`);
  await dash.shot('annotate-click');

  // Object 2: added, named, and prompted by dragging a box around it.
  await page.getByTestId('add-object').click();
  await page.getByTestId('name-2').fill('square');
  const truth2 = await truth(2, PROMPT_FRAME);
  const b = bbox(truth2, width);
  const from = await toScreen(b.x0 - 2, b.y0 - 2, width, height);
  const to = await toScreen(b.x1 + 2, b.y1 + 2, width, height);
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move((from.x + to.x) / 2, (from.y + to.y) / 2, { steps: 4 });
  await page.mouse.move(to.x, to.y, { steps: 4 });
  await page.mouse.up();
  await page.waitForFunction(
    (f) =>
      document
        .querySelector('[data-testid="prompt-message"]')
        ?.textContent?.startsWith(`preview of object 2 on frame ${f}`),
    PROMPT_FRAME,
    { timeout: 60_000 },
  );
  await page.waitForFunction(
    () => document.querySelector('[data-testid="player"]')?.getAttribute('data-layers') === '2',
  );
  assert.equal(await page.getByTestId('prompt-box').count(), 1, 'the dragged box is drawn');
  const both = await overlayClasses(page, [DISC, SQUARE]);
  const two = insideOutside(both, 2, truth2);
  assert.ok(two.inside > 0.6 * two.truth, `box preview covers ${two.inside} of ${two.truth} true pixels`);
  assert.ok(two.outside < 0.15 * two.truth, `box preview spills ${two.outside} px outside the object`);
  assert.ok(insideOutside(both, 1, truth1).inside > 0.9 * one.inside, 'object 1 is still previewed');
  await dash.shot('annotate-box');

  // Propagate forward over MAX_FRAMES frames: the job page opens and follows the job to the end.
  await page.getByTestId('direction').selectOption('forward');
  await page.getByTestId('max-frames').fill(String(MAX_FRAMES));
  await page.getByTestId('start-job').click();
  await page.waitForFunction(() => location.hash.startsWith('#/jobs/'), undefined, { timeout: 30_000 });
  const jobId = (await page.evaluate(() => location.hash)).split('/')[2]!.split('?')[0]!;
  await page.waitForFunction(
    () => document.querySelector('[data-testid="job-status"]')?.textContent === 'SUCCEEDED',
    undefined,
    { timeout: 180_000 },
  );
  const client = new MaskletClient(dash.stack.baseUrl, dash.key);
  const job = (await client.getJob(jobId)) as unknown as { objects: { id: number; label: string | null }[] };
  assert.deepEqual(
    job.objects.map((o) => [o.id, o.label]),
    [
      [1, 'disc'],
      [2, 'square'],
    ],
    "the names typed are the job's labels",
  );
  assert.equal(await text('object-label-1'), 'disc', 'labels show in the Objects panel');
  assert.equal(await text('object-label-2'), 'square');
  await checkJobRange();

  // A later frame: the job's masks follow both objects there.
  await page.getByTestId('scrubber').fill(String(LATER_FRAME));
  await waitForPlayerFrame(page, LATER_FRAME);
  await page.waitForFunction(
    () => document.querySelector('[data-testid="player"]')?.getAttribute('data-layers') === '2',
  );
  const later = await overlayClasses(page, [DISC, SQUARE]);
  for (const [k, objectId] of [
    [1, 1],
    [2, 2],
  ] as const) {
    const r = insideOutside(later, k, await truth(objectId, LATER_FRAME));
    assert.ok(
      r.inside > 0.6 * r.truth && r.outside < 0.3 * r.truth,
      `frame ${LATER_FRAME} object ${objectId}: ${r.inside}/${r.truth} inside, ${r.outside} outside`,
    );
  }
  await dash.shot('job-done');

  // A negative click on a tracked frame, far inside object 1's mask from its centre: the preview shrinks it.
  await page.getByTestId('scrubber').fill(String(CORRECTION_FRAME));
  await waitForPlayerFrame(page, CORRECTION_FRAME);
  await page.getByTestId('toggle-2').click();
  await page.waitForFunction(
    () => document.querySelector('[data-testid="player"]')?.getAttribute('data-layers') === '1',
  );
  const beforeCorrection = insideOutside(await overlayClasses(page, [DISC]), 1, await truth(1, CORRECTION_FRAME));
  const shown = (await client.masklets(jobId, CORRECTION_FRAME, CORRECTION_FRAME + 1)).frames[0]!.objects.find(
    (o) => o.objectId === 1,
  )!;
  const predicted = fromCocoRle(shown.rle).data;
  const [tx, ty] = clip.meta.objects[0]!.clicks[CORRECTION_FRAME]!;
  let best = { x: tx, y: ty, d: -1 };
  for (let y = 3; y < height - 3; y++) {
    for (let x = 3; x < width - 3; x++) {
      const inside = (dx: number, dy: number) => predicted[(y + dy) * width + x + dx] === 1;
      if (!inside(0, 0) || !inside(-3, 0) || !inside(3, 0) || !inside(0, -3) || !inside(0, 3)) continue;
      const d = (x - tx) ** 2 + (y - ty) ** 2;
      if (d > best.d) best = { x, y, d };
    }
  }
  assert.ok(best.d > 50, 'the mask leaves room for a negative click away from its centre');
  await page.getByTestId('select-1').check();
  const neg = await toScreen(best.x, best.y, width, height);
  await page.keyboard.down('Shift');
  await page.mouse.click(neg.x, neg.y);
  await page.keyboard.up('Shift');
  await page.waitForFunction(
    (f) =>
      document
        .querySelector('[data-testid="correction-message"]')
        ?.textContent?.startsWith(`preview of object 1 on frame ${f}`),
    CORRECTION_FRAME,
    { timeout: 60_000 },
  );
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="pending-marker"]').length === 1);
  const previewed = (await overlayClasses(page, [DISC])).reduce((a, v) => a + (v === 1 ? 1 : 0), 0);
  const shownArea = beforeCorrection.inside + beforeCorrection.outside;
  assert.ok(
    previewed < shownArea,
    `the negative click's preview (${previewed} px) is smaller than the mask shown (${shownArea} px)`,
  );
  await dash.shot('correction-preview');

  // Re-propagate both ways, as the SAM 2 demo does: the round reaches every frame of the job.
  await page.getByTestId('round-direction').selectOption('both');
  await page.getByTestId('commit-round').click();
  await page.waitForFunction(
    () => document.querySelector('[data-testid="job-round"]')?.textContent === '2',
    undefined,
    { timeout: 20_000 },
  );
  await page.waitForFunction(
    () =>
      document.querySelector('[data-testid="job-status"]')?.textContent === 'SUCCEEDED' &&
      document.querySelectorAll('[data-testid="rounds"] tbody tr').length === 2,
    undefined,
    { timeout: 180_000 },
  );
  await checkJobRange();
  const round2 = (await client.listRounds(jobId)).items.find((r) => r.number === 2)!;
  assert.deepEqual(
    [round2.direction, round2.framesRecomputed],
    ['both', RANGE.end - RANGE.start + 1],
    'the round went both ways from the corrected frame, over the whole job and no further',
  );
  // The correction's marker: round 2, on its frame, placed on the axis where that frame is.
  const marker = page.locator(`[data-testid="prompt-marker"][data-round="2"][data-frame="${CORRECTION_FRAME}"]`);
  assert.equal(await marker.count(), 1, 'a marker for the committed click');
  assert.equal(
    await page.locator(`[data-testid="prompt-marker"][data-round="1"][data-frame="${PROMPT_FRAME}"]`).count(),
    2,
    "round 1's markers stay",
  );
  const lanes = (await page.getByTestId('swim-lanes').boundingBox())!;
  const m = (await marker.boundingBox())!;
  const expected =
    lanes.x +
    ((110 + ((CORRECTION_FRAME - RANGE.start + 0.5) / (RANGE.end - RANGE.start + 1)) * 682) / 800) * lanes.width;
  assert.ok(
    Math.abs(m.x + m.width / 2 - expected) < lanes.width * 0.01,
    `marker at x=${m.x + m.width / 2}, frame ${CORRECTION_FRAME} is at x=${expected}`,
  );
  assert.match(
    await page.locator('[data-testid="rounds"] tbody tr[data-round="2"]').innerText(),
    new RegExp(`SUCCEEDED\\s+${CORRECTION_FRAME}\\s+1`),
    'round 2 lists the frame and object it changed',
  );

  // Compare: round 1 drawn over round 2 as a thick dashed outline, clearly there.
  await waitForPlayerFrame(page, CORRECTION_FRAME);
  await page.getByTestId('compare').check();
  await page.waitForFunction(
    () => document.querySelector('[data-testid="player"]')?.getAttribute('data-layers') === '2',
  );
  const outline = (await overlayClasses(page, [COMPARE], 40)).reduce((a, v) => a + (v === 1 ? 1 : 0), 0);
  const perimeter = Math.sqrt(shownArea) * 4;
  assert.ok(
    outline > perimeter,
    `the compare outline paints ${outline} yellow px (a 1-px outline would be about ${Math.round(perimeter)})`,
  );
  await dash.shot('round-2-compare');

  // The uploaded video is now among the tenant's videos to start another job from.
  await page.goto(`${dash.stack.baseUrl}/ui/#/new`);
  await page.getByTestId('video-row').first().waitFor();
  assert.equal(await page.getByTestId('video-row').count(), 1);
  assert.match(await page.getByTestId('video-row').innerText(), new RegExp(`\\b${FRAMES}\\s+${width}x${height}`));
  await dash.shot('new-job-videos');
});

/** The job's range everywhere: frames total, scrubber bounds, lane axis. */
async function checkJobRange(): Promise<void> {
  const total = RANGE.end - RANGE.start + 1;
  assert.equal(await text('job-frames'), `${total}/${total}`, 'frames done / total describe the job');
  assert.equal(await text('job-range'), `${RANGE.start}-${RANGE.end}`);
  assert.equal(await page.getByTestId('scrubber').getAttribute('min'), String(RANGE.start));
  assert.equal(await page.getByTestId('scrubber').getAttribute('max'), String(RANGE.end));
  assert.equal(await text('lanes-first'), String(RANGE.start));
  assert.equal(await text('lanes-last'), String(RANGE.end));
}
