/**
 * One numbering everywhere (issue #10): an event is its 0-based JSON-lines
 * index `i`, shown `#i`, and n events shown is "the state after event #n-1".
 * The fault banner says so (not a count as "event n"), and a drag on the
 * timeline's ruler lands on the state right after the event under the
 * pointer, as a click on it does, with `#i` in the readout.
 */
import { expect, test, type Page } from '@playwright/test';
import { GUTTER, RIGHT_PAD, RULER } from '../src/ui/timeline/timeline-render.ts';
import { eventCount, openPreset, terminalLines, typeLine } from './page-helpers.ts';
import { injectFault, paste, settledHash } from './fault-helpers.ts';

test('the fault banner names the last good state as "the state after event #i", i = its count - 1', async ({ page }) => {
  await openPreset(page, 'console');
  await typeLine(page, 0, 'echo numbered');
  await expect.poll(() => terminalLines(page, 0)).toContain('numbered');
  const { count } = await settledHash(page);
  await injectFault(page, count + 12);
  await paste(page, 0, 'help\n');
  const banner = page.getByTestId('fault-banner');
  await expect(banner).toHaveAttribute('data-kind', 'exception');
  const lastGood = Number(await banner.getAttribute('data-last-good'));
  expect(lastGood).toBeGreaterThan(count);
  await expect(banner).toContainText(`a restart replays it to the state after event #${lastGood - 1}, the last good state`);
  await expect(banner).not.toContainText(/\bevent \d/);
});

/** The x (page px) of the middle of event #i's column on the timeline, at `frac` of its width. */
async function xOfEvent(page: Page, i: number, frac: number): Promise<{ x: number; y: number }> {
  const timeline = page.getByTestId('timeline');
  const box = await timeline.boundingBox();
  if (!box) throw new Error('no timeline');
  const span = Number(await timeline.getAttribute('data-span'));
  return { x: box.x + GUTTER + ((i + frac) / span) * (box.width - GUTTER - RIGHT_PAD), y: box.y + RULER / 2 };
}

test('a drag on the ruler lands on the state right after the event under the pointer, as a click there, and reads #i', async ({ page }) => {
  await openPreset(page, 'net', [0, 1]);
  const end = await eventCount(page);
  const readout = page.getByTestId('timeline-readout');
  // Each event's column is wider than a few pixels at 1280 px (net boots in well under 1000 events).
  const from = await xOfEvent(page, end - 3, 0.5);
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  for (const [i, frac] of [
    [5, 0.2],
    [9, 0.8],
    [12, 0.3],
  ] as const) {
    const at = await xOfEvent(page, i, frac);
    await page.mouse.move(at.x, at.y, { steps: 4 });
    // The left and the right part of event #i's column both mean event #i: i+1 events shown.
    await expect.poll(() => eventCount(page)).toBe(i + 1);
    await expect(readout).toHaveText(`#${i}`);
    await expect(page.getByTestId('event-count')).toHaveText(`#${i}`);
  }
  await page.mouse.up();
  await expect.poll(() => eventCount(page)).toBe(13);
  // A press on the ruler without a drag goes to the same place as the drag did.
  const click = await xOfEvent(page, 7, 0.15);
  await page.mouse.click(click.x, click.y);
  await expect.poll(() => eventCount(page)).toBe(8);
  await expect(page.getByTestId('event-count')).toHaveText('#7');
});
