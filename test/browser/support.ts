// Shared by the browser suites: the real stack (API serving the built dashboard, an in-process worker,
// Postgres, Redis, S3), Debian's chromium through playwright-core, a logged-in page, and readers of
// what the player shows. Screenshots go to test/artifacts/ (git-ignored) for a person to look at.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { DASHBOARD_DIST } from '../../apps/api/src/dashboard/serve-dashboard';
import { startStack, type Stack } from '../e2e/stack';

export const ARTIFACTS = resolve(__dirname, '..', 'artifacts');
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

export interface Dashboard {
  stack: Stack;
  browser: Browser;
  page: Page;
  key: string;
  tenantId: string;
  shot(name: string): Promise<void>;
  close(): Promise<void>;
}

/** A stack, a tenant with every scope and an operator key, and a browser page logged in with that key. */
export async function openDashboard(label: string): Promise<Dashboard> {
  assert.ok(
    existsSync(join(DASHBOARD_DIST, 'index.html')),
    `the dashboard is not built (${DASHBOARD_DIST}); npm test builds it through scripts/bootstrap.mjs`,
  );
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: infra/local/ensure-chromium.sh installs Debian's chromium`);
  mkdirSync(ARTIFACTS, { recursive: true });
  const stack = await startStack();
  const tenant = await stack.admin.createTenant(`${label}-${Date.now()}`);
  // An operator's key: the fleet page and bull-board are among the pages these tests open.
  const key = (
    await stack.admin.createKey(tenant.id, ['submit', 'read', 'correct', 'admin'], label, { operator: true })
  ).key;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  // The dashboard runs under its Content-Security-Policy: anything it blocks fails the suite at close.
  const cspViolations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
  });
  await page.goto(`${stack.baseUrl}/ui/`);
  await page.getByTestId('api-key').fill(key);
  await page.getByTestId('login').click();
  await page.waitForSelector('nav.nav');
  // Logged in by an opaque session cookie; the key stays out of the cookie jar and the page's storage.
  const cookies = await page.context().cookies();
  const session = cookies.find((c) => c.name === 'masklet_session');
  assert.ok(session && session.httpOnly && session.secure && session.sameSite === 'Strict', JSON.stringify(cookies));
  assert.ok(!JSON.stringify(cookies).includes(key));
  const storage = await page.evaluate(() =>
    JSON.stringify({ ...(globalThis as unknown as { localStorage: Record<string, string> }).localStorage }),
  );
  assert.ok(!storage.includes(key), 'the key is not kept in localStorage');
  return {
    stack,
    browser,
    page,
    key,
    tenantId: tenant.id,
    async shot(name) {
      await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
    },
    async close() {
      await browser.close();
      await stack.close();
      assert.deepEqual(cspViolations, [], 'the dashboard broke no rule of its Content-Security-Policy');
    },
  };
}

/**
 * The player's mask overlay, pixel by pixel: for each pixel the 1-based index of the nearest colour of
 * `palette` (RGB) within `tolerance` (sum of channel differences), 0 where nothing is painted.
 */
export async function overlayClasses(
  page: Page,
  palette: [number, number, number][],
  tolerance = 60,
): Promise<Uint8Array> {
  const out = await page.evaluate(
    ({ palette, tolerance }) => {
      // Runs in the browser; this suite compiles without the DOM library.
      const doc = (
        globalThis as unknown as {
          document: {
            querySelector(s: string): {
              width: number;
              height: number;
              getContext(k: '2d'): {
                getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray };
              };
            };
          };
        }
      ).document;
      const canvas = doc.querySelector('[data-testid="player-overlay"]');
      const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
      const classes: number[] = new Array(canvas.width * canvas.height).fill(0);
      for (let i = 0; i < classes.length; i++) {
        if (data[i * 4 + 3] === 0) continue;
        let best = 0;
        let bestD = tolerance + 1;
        palette.forEach(([r, g, b], k) => {
          const d = Math.abs(data[i * 4]! - r) + Math.abs(data[i * 4 + 1]! - g) + Math.abs(data[i * 4 + 2]! - b);
          if (d < bestD) [best, bestD] = [k + 1, d];
        });
        classes[i] = best;
      }
      return classes;
    },
    { palette, tolerance },
  );
  return Uint8Array.from(out);
}

/** Pixels of class `k` inside and outside a truth mask (non-zero = inside). */
export function insideOutside(
  classes: Uint8Array,
  k: number,
  truth: Uint8Array,
): { inside: number; outside: number; truth: number } {
  let inside = 0;
  let outside = 0;
  let area = 0;
  for (let i = 0; i < classes.length; i++) {
    if (truth[i]) area++;
    if (classes[i] !== k) continue;
    if (truth[i]) inside++;
    else outside++;
  }
  return { inside, outside, truth: area };
}

/** Waits until the player shows `frame` (the JPEG drawn and the masks painted for it). */
export async function waitForPlayerFrame(page: Page, frame: number, timeout = 20_000): Promise<void> {
  await page.waitForFunction(
    (f) => {
      const doc = (
        globalThis as unknown as {
          document: { querySelector(s: string): { getAttribute(n: string): string | null } | null };
        }
      ).document;
      const p = doc.querySelector('[data-testid="player"]');
      return p?.getAttribute('data-frame') === String(f) && p.getAttribute('data-mask-frame') === String(f);
    },
    frame,
    { timeout },
  );
}
