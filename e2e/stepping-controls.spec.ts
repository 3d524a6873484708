/**
 * The stepping controls as a teacher uses them (issue #10 review at
 * 1280×720): the buttons that cannot move are disabled at the start and at
 * the idle end, every tooltip names its key, and a jump by kind that finds
 * nothing says so instead of silently doing nothing.
 */
import { expect, test, type Page } from '@playwright/test';
import { eventCount, openPreset } from './page-helpers.ts';

const back = ['go-start', 'step-back', 'jump-prev'];
const forward = ['step', 'go-end', 'jump-next'];

async function enabled(page: Page, ids: string[], yes: boolean): Promise<void> {
  for (const id of ids) {
    if (yes) await expect(page.getByTestId(id), id).toBeEnabled();
    else await expect(page.getByTestId(id), id).toBeDisabled();
  }
}

test('at the idle end the forward buttons are disabled, at the start the back ones; in between all work', async ({ page }) => {
  await openPreset(page, 'console');
  const end = await eventCount(page);
  await enabled(page, forward, false);
  await enabled(page, back, true);
  await page.getByTestId('go-start').click();
  await expect.poll(() => eventCount(page)).toBeLessThan(end);
  await enabled(page, back, false);
  await enabled(page, forward, true);
  await page.getByTestId('step').click();
  await enabled(page, [...back, ...forward], true);
  await page.getByTestId('go-end').click();
  await expect.poll(() => eventCount(page)).toBe(end);
  await enabled(page, forward, false);
  // The keys still answer at the end (they stay there) and back again.
  await page.keyboard.press('.');
  await page.keyboard.press('ArrowLeft');
  await expect.poll(() => eventCount(page)).toBe(end - 1);
  await enabled(page, forward, true);
});

test('each stepping control names its key; the jump buttons name the chosen kind and its key', async ({ page }) => {
  await openPreset(page, 'console');
  await expect(page.getByTestId('go-start')).toHaveAttribute('title', /\(Home\)/);
  await expect(page.getByTestId('step-back')).toHaveAttribute('title', /, or ←/);
  await expect(page.getByTestId('step')).toHaveAttribute('title', /\. or →/);
  await expect(page.getByTestId('go-end')).toHaveAttribute('title', /\(End\)/);
  await expect(page.getByTestId('jump-next')).toHaveAttribute('title', 'Next hypercall (h)');
  await expect(page.getByTestId('jump-prev')).toHaveAttribute('title', /^Previous hypercall \(H/);
  await page.getByTestId('jump-kind').selectOption('dma');
  await expect(page.getByTestId('jump-next')).toHaveAttribute('title', 'Next DMA transfer (d)');
  await expect(page.getByTestId('jump-next')).toHaveAccessibleName('Next DMA transfer');
  await page.getByTestId('jump-kind').selectOption('irq');
  await expect(page.getByTestId('jump-prev')).toHaveAttribute('title', /^Previous interrupt \(I/);
  await page.getByTestId('jump-kind').selectOption('guest0');
  await expect(page.getByTestId('jump-next')).toHaveAttribute('title', 'Next guest 0 event');
});

test('a jump by kind that finds nothing stays put and says so', async ({ page }) => {
  // net boots without a DMA transfer or an interrupt: from the start there is no later one.
  await openPreset(page, 'net', [0, 1]);
  await page.getByTestId('go-start').click();
  await expect(page.getByTestId('go-start')).toBeDisabled();
  const at = await eventCount(page);
  await page.keyboard.press('i');
  await expect(page.getByTestId('jump-notice')).toHaveText('no later interrupt');
  expect(await eventCount(page)).toBe(at);
  await page.getByTestId('jump-kind').selectOption('dma');
  await page.getByTestId('jump-next').click();
  await expect(page.getByTestId('jump-notice')).toHaveText('no later DMA transfer');
  expect(await eventCount(page)).toBe(at);
  // A jump that lands clears it.
  await page.locator('.event-log h2').click();
  await page.keyboard.press('h');
  await expect.poll(() => eventCount(page)).toBeGreaterThan(at);
  await expect(page.getByTestId('jump-notice')).toHaveText('');
});
