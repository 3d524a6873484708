/**
 * The README screenshots, one per preset at 1280×720 (projector size), into
 * docs/screenshot-<preset>.png, and an event caption (docs/screenshot-caption.png). Not part of `npm test` (playwright.config.ts
 * ignores this file unless SCREENSHOTS is set); refresh them with
 *   npx vite build && SCREENSHOTS=1 npx playwright test screenshots
 */
import { expect, test, type Page } from '@playwright/test';
import { openPreset, terminalLines, typeLine, waitIdle } from './page-helpers.ts';

test.use({ viewport: { width: 1280, height: 720 }, colorScheme: 'dark' });

const shot = (page: Page, preset: string): Promise<Buffer> => page.screenshot({ path: `docs/screenshot-${preset}.png` });

async function selectKey(page: Page, guest: number, key: string): Promise<void> {
  await page.locator(`[data-testid="dma-key"][data-guest="${guest}"][data-key="${key}"]`).click();
}

test('console', async ({ page }) => {
  await openPreset(page, 'console');
  await typeLine(page, 0, 'echo hello lguest');
  await expect.poll(() => terminalLines(page, 0)).toContain('hello lguest');
  await waitIdle(page);
  await selectKey(page, 0, '0x0');
  await page.getByTestId('dma-entry').first().getByRole('button').first().click();
  await page.mouse.move(0, 0);
  await shot(page, 'console');
});

test('block', async ({ page }) => {
  await openPreset(page, 'block');
  await typeLine(page, 0, 'blk write 5 abc');
  await expect.poll(() => terminalLines(page, 0)).toContain('blk: wrote 512 bytes to sector 5');
  await typeLine(page, 0, 'blk read 0');
  await expect.poll(() => terminalLines(page, 0)).toContain('lguest# blk read 0');
  await typeLine(page, 0, 'blk read 5');
  await expect.poll(() => terminalLines(page, 0)).toContain('abc');
  await waitIdle(page);
  await selectKey(page, 0, '0x1001000');
  await page.mouse.move(0, 0);
  await shot(page, 'block');
});

test('net', async ({ page }) => {
  await openPreset(page, 'net', [0, 1]);
  await typeLine(page, 0, 'ping 1');
  await expect.poll(() => terminalLines(page, 0)).toContain('64 bytes: reply from guest 1 seq=1');
  await waitIdle(page);
  await selectKey(page, 1, '0x1001004');
  await page.mouse.move(0, 0);
  await shot(page, 'net');
});

test('bad-dma', async ({ page }) => {
  await page.goto('/?preset=bad-dma');
  await expect(page.getByTestId('kill-reason')).toContainText('bad DMA entry');
  await waitIdle(page);
  // The SEND_DMA that killed guest 1: selects the receiver's key and the sender's struct with its bad section.
  await page.locator('.ev-row[data-index="7"]').click();
  await page.mouse.move(0, 0);
  await shot(page, 'bad-dma');
});

test('caption', async ({ page }) => {
  await openPreset(page, 'console');
  await typeLine(page, 0, 'echo hello lguest');
  await expect.poll(() => terminalLines(page, 0)).toContain('hello lguest');
  await waitIdle(page);
  // The console's SEND_DMA to key 0, with the glossary tip of "private key" open.
  await page.locator('.ev-row.k-hcall').filter({ hasText: 'call=SEND_DMA key=0 ' }).last().click();
  await page.getByTestId('event-caption').locator('.term[data-term="private-key"]').hover();
  await expect(page.locator('[data-testid="term-tip"][data-term="private-key"]')).toBeVisible();
  await page.screenshot({ path: 'docs/screenshot-caption.png' });
});

test('quiz', async ({ page }) => {
  // Quiz mode (issue #14): a question answered, its deciding events played and highlighted.
  await page.goto('/?quiz=4242');
  await expect(page.getByTestId('quiz-question')).not.toBeEmpty();
  await page.getByTestId('quiz-choice').nth(1).click();
  await expect(page.getByTestId('quiz-result')).not.toContainText('playing');
  await page.mouse.move(0, 0);
  await shot(page, 'quiz');
});
