/**
 * The timeline at the end of a long flood (issue #15: "the timeline stays
 * interactive (pan, zoom, click) at 100 M events"): pause, then click the
 * timeline at spread-out places, zoom in with the wheel and click again,
 * timing each click from the press to the timeline showing the new event
 * (its `data-view`), in the page. Each seek re-runs from a checkpoint in the
 * worker; most of these land in stretches the bounded log let go.
 */
import type { Page } from 'playwright-core';
import { GUTTER, RIGHT_PAD, RULER } from '../../src/ui/timeline/timeline-render.ts';

export interface TimelineClicks {
  readonly events: number;
  readonly clicks_ms: number[];
  readonly p95_ms: number;
  readonly zoomed_span: number;
}

/**
 * Click at (x, y) and time it in the page: ms from the press until the
 * timeline's `data-view` changed (30 000 if nothing new showed within 30 s).
 * e2e/timeline.spec.ts times its clicks with this too.
 */
export async function clickRoundTrip(page: Page, x: number, y: number): Promise<number> {
  // Armed before the click: the press starts the clock, the next new data-view stops it.
  await page.evaluate(() => {
    const w = window as unknown as { roundTrip?: Promise<number> };
    const el = document.querySelector('[data-testid="timeline"]')!;
    const before = el.getAttribute('data-view');
    w.roundTrip = new Promise<number>((resolve) => {
      let t0 = -1;
      // A click that shows nothing new within 30 s counts as 30 s (it must not hang the run).
      setTimeout(() => resolve(30_000), 30_000);
      el.addEventListener('pointerdown', () => (t0 = performance.now()), { once: true, capture: true });
      const mo = new MutationObserver(() => {
        if (t0 >= 0 && el.getAttribute('data-view') !== before) {
          mo.disconnect();
          resolve(performance.now() - t0);
        }
      });
      mo.observe(el, { attributes: true, attributeFilter: ['data-view'] });
    });
  });
  await page.mouse.click(x, y);
  return Math.round(await page.evaluate(() => (window as unknown as { roundTrip: Promise<number> }).roundTrip));
}

/** Click at `frac` of the plot's width, on the first lane. */
async function timedClick(page: Page, frac: number): Promise<number> {
  const box = await page.getByTestId('timeline').boundingBox();
  if (!box) throw new Error('bench:ui: no timeline');
  return clickRoundTrip(page, box.x + GUTTER + frac * (box.width - GUTTER - RIGHT_PAD), box.y + RULER + 6);
}

export async function timelineClicks(page: Page): Promise<TimelineClicks> {
  await page.getByTestId('pause').click();
  await page.locator('[data-testid="status"][data-running="false"]').waitFor();
  const events = Number(await page.getByTestId('timeline').getAttribute('data-recorded'));
  const clicks: number[] = [];
  for (const f of [0.1, 0.35, 0.6, 0.85, 0.02, 0.5, 0.95, 0.25]) clicks.push(await timedClick(page, f));
  // Zoomed in around the middle: it still draws and answers.
  const box = (await page.getByTestId('timeline').boundingBox())!;
  await page.mouse.move(box.x + GUTTER + 0.5 * (box.width - GUTTER - RIGHT_PAD), box.y + RULER + 6);
  for (let k = 0; k < 8; k++) await page.mouse.wheel(0, -500);
  const span = Number(await page.getByTestId('timeline').getAttribute('data-span'));
  for (const f of [0.3, 0.7]) clicks.push(await timedClick(page, f));
  const sorted = [...clicks].sort((a, b) => a - b);
  return { events, clicks_ms: clicks, p95_ms: sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))], zoomed_span: span };
}
