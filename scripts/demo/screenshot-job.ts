/**
 * tsx scripts/demo/screenshot-job.ts <api-url> <api-key> <job-id> <out.png> [frame]
 * A screenshot of a job's dashboard page (what the README's demo section shows), with Debian's chromium through
 * playwright-core (CHROMIUM_PATH, default /usr/bin/chromium). Waits until the mask overlay is painted.
 */
import { chromium } from 'playwright-core';

/** The DOM as the page functions below use it (this file is compiled without the DOM library). */
interface Canvas {
  width: number;
  height: number;
  getContext(
    kind: '2d',
  ): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null;
}
interface Doc {
  querySelector(s: string): { textContent: string | null } | null;
  querySelectorAll(s: 'canvas'): Iterable<Canvas>;
}

async function main(): Promise<void> {
  const [apiUrl, key, jobId, out, frame] = process.argv.slice(2);
  if (!apiUrl || !key || !jobId || !out)
    throw new Error('usage: tsx scripts/demo/screenshot-job.ts <api-url> <api-key> <job-id> <out.png> [frame]');
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu'],
    headless: true,
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.goto(`${apiUrl}/ui/`);
    await page.getByTestId('api-key').fill(key);
    await page.getByTestId('login').click();
    await page.waitForSelector('nav.nav');
    await page.goto(`${apiUrl}/ui/#/jobs/${jobId}`);
    await page.waitForSelector('[data-testid="frame-number"]');
    if (frame !== undefined) {
      await page.getByTestId('scrubber').fill(frame);
      await page.waitForFunction(
        (f) =>
          (globalThis as unknown as { document: Doc }).document
            .querySelector('[data-testid="frame-number"]')
            ?.textContent?.startsWith(`frame ${f} `),
        frame,
      );
    }
    // Both canvases painted: the frame (opaque, not black) and the mask overlay (translucent pixels).
    await page.waitForFunction(
      () => {
        let frame = false;
        let overlay = false;
        for (const c of (globalThis as unknown as { document: Doc }).document.querySelectorAll('canvas')) {
          const d = c.getContext('2d')?.getImageData(0, 0, c.width, c.height).data;
          if (!d) continue;
          for (let i = 0; i < d.length; i += 4 * 97) {
            if (d[i + 3] === 255 && d[i]! + d[i + 1]! + d[i + 2]! > 60) frame = true;
            if (d[i + 3]! > 0 && d[i + 3]! < 255) overlay = true;
          }
        }
        return frame && overlay;
      },
      undefined,
      { timeout: 30_000 },
    );
    await page.screenshot({ path: out, fullPage: true });
    console.log(out);
  } finally {
    await browser.close();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
