/**
 * The README screenshots, one per preset at 1280×720 (projector size), into
 * docs/screenshot-<preset>.png, an event caption (docs/screenshot-caption.png) and a lesson step in presenter mode (docs/screenshot-lesson.png). Not part of `npm test` (playwright.config.ts
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

test('editor', async ({ page }) => {
  // "new scripted scenario", stepped back to guest 0 waiting for its irq (its line highlighted, results beside
  // the lines that ran); guest 1's script edited with a mistake on line 4, marked at its line.
  await page.goto('/');
  await waitIdle(page);
  await page.getByTestId('show-script-editor').click();
  await page.getByTestId('script-new').click();
  await waitIdle(page);
  const editor = (g: number) => page.locator(`[data-testid="script-editor"][data-guest="${g}"]`);
  await expect(editor(0)).toHaveAttribute('data-ready', 'true');
  const wait = editor(0).locator('[data-testid="script-line-result"][data-line="5"]');
  for (let i = 0; i < 40 && (await wait.getAttribute('data-state')) !== 'waiting'; i++) await page.getByTestId('step-back').click();
  await expect(editor(0).locator('.cm-current-step')).toHaveCount(1);
  await editor(1).locator('.cm-line').nth(3).click();
  await page.keyboard.press('End');
  await page.keyboard.type(' 0x5000 7');
  await expect(page.getByTestId('script-error')).toHaveAttribute('data-line', '4');
  await page.mouse.move(0, 0);
  await expect(editor(1).locator('.cm-lint-marker-error')).toHaveCount(1);
  await shot(page, 'editor');
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

test('lesson (presenter mode, 1.5×)', async ({ page }) => {
  // Lesson 5 at the Futex Trick: the DMA that crossed between two guests, its receiving buffer selected.
  await page.goto('/?lesson=network&step=4');
  await expect(page.getByTestId('lesson')).toHaveAttribute('data-step', '4');
  await expect(page.getByTestId('lesson')).toHaveAttribute('aria-busy', 'false');
  await page.getByTestId('presenter').click();
  await expect(page.getByTestId('font-scale')).toHaveValue('1.5');
  await expect(page.locator('[data-testid="lesson-check"][data-ok="true"]').first()).toBeVisible();
  await page.mouse.move(0, 0);
  await page.waitForTimeout(300);
  await page.screenshot({ path: 'docs/screenshot-lesson.png' });
});
