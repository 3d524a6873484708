/** The script editor (issue #14): type a script, run it, see each line's result; errors at their line as you type. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { editorOf, typeScript, waitIdle } from './page-helpers.ts';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's violations inside the script editor panel (run through evaluate, so the page's CSP is not in the way). */
async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: string): Promise<{ violations: { id: string; help: string }[]; passes: unknown[] }> } }).axe;
    const r = await axe.run('.script-editor-panel');
    return r.passes.length === 0 ? ['axe checked nothing'] : r.violations.map((v) => `${v.id}: ${v.help} @ ${(v as unknown as { nodes: { target: string[]; failureSummary: string }[] }).nodes.map((n) => n.target.join(" ") + " " + n.failureSummary).join(" | ")}`);
  });
}

const resultAt = (page: Page, guest: number, line: number): Locator => editorOf(page, guest).locator(`[data-testid="script-line-result"][data-line="${line}"]`);

async function openExample(page: Page, name: string): Promise<void> {
  await page.goto(`/?preset=${name}`);
  await waitIdle(page);
  await expect(editorOf(page, 0)).toHaveAttribute('data-ready', 'true');
}

test('an example opens in the editor with each line’s result beside it', async ({ page }) => {
  await openExample(page, 'bind-and-send');
  await expect(page.getByTestId('script-editor')).toHaveCount(2);
  // The source's lines: 4 hcall BIND_DMA → ret 1, 5 wait → irq 3, 7 the text the sender sent.
  await expect(resultAt(page, 0, 4)).toHaveText('ret 1');
  await expect(resultAt(page, 0, 5)).toHaveText('irq 3');
  await expect(resultAt(page, 0, 7)).toHaveText('text "hello from guest 1"');
  await expect(resultAt(page, 1, 5)).toHaveText('values 0x12');
  await expect(editorOf(page, 0).locator('.cm-s-op').first()).toHaveText('dma');
  expect(await axeViolations(page)).toEqual([]);
});

test('type a script, run it, see a step’s result; the link carries the source', async ({ page }) => {
  await openExample(page, 'bind-and-send');
  // Guest 1 now sends 5 bytes instead of 18.
  await typeScript(page, 1, ['write 0x5000 text "abcde"', 'dma 0x4000 used=0 0x5000:5', 'hcall SEND_DMA 0x30000 0x4000', 'read 0x4000 u32 1']);
  await expect(page.getByTestId('script-error')).toHaveCount(0);
  await page.getByTestId('script-run').click();
  await waitIdle(page);
  await expect(page.getByTestId('preset-picker').locator('option:checked')).toHaveText('edited: bind-and-send');
  // SEND_DMA returns nothing (eax is left as it was): the sender reads its used_len instead.
  await expect(resultAt(page, 1, 4)).toHaveText('values 5');
  await expect(resultAt(page, 0, 7)).toHaveText('text "abcde"');
  // The share link replays the edited source in a fresh page.
  await page.getByTestId('share').click();
  const link = await page.getByTestId('share-link').inputValue();
  const other = await page.context().newPage();
  await other.goto(link);
  await waitIdle(other);
  await expect(resultAt(other, 1, 4)).toHaveText('values 5');
  await expect(editorOf(other, 1).locator('.cm-content')).toContainText('write 0x5000 text "abcde"');
});

test('a syntax error shows at its line as you type, and Run waits for it to be fixed', async ({ page }) => {
  await openExample(page, 'ping-empty-dma');
  await typeScript(page, 1, ['dma 0x4000 used=0', 'hcall SEND_DMA 0x30000 0x4000', 'read 0x4000 u33 1']);
  const err = page.getByTestId('script-error');
  await expect(err).toHaveAttribute('data-guest', '1');
  await expect(err).toHaveAttribute('data-line', '3');
  await expect(err).toHaveText('line 3, col 13: expected u32, u16, u8 or text after the read address, not "u33"');
  await expect(page.getByTestId('script-run')).toBeDisabled();
  expect(await axeViolations(page)).toEqual([]);
  // The editor underlines the bad token on line 3 and marks the line in its gutter.
  await expect(editorOf(page, 1).locator('.cm-lintRange-error')).toHaveText('u33');
  await expect(editorOf(page, 1).locator('.cm-lint-marker-error')).toHaveCount(1);
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('End');
  for (let i = 0; i < 2; i++) await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('Backspace');
  await page.keyboard.type('2');
  await expect(err).toHaveCount(0);
  await expect(page.getByTestId('script-run')).toBeEnabled();
});

test('completion offers hypercall names; Tab takes one', async ({ page }) => {
  await openExample(page, 'irq-order');
  await editorOf(page, 1).locator('.cm-content').click();
  await page.keyboard.press('ControlOrMeta+End');
  await page.keyboard.type('hcall SE');
  await expect(page.locator('.cm-tooltip-autocomplete')).toContainText('SEND_DMA');
  // CodeMirror ignores an accept in the first 75 ms after the menu opens (its interactionDelay, against accidental picks).
  await page.waitForTimeout(150);
  await page.keyboard.press('Tab');
  await expect(editorOf(page, 1).locator('.cm-line').last()).toHaveText('hcall SEND_DMA');
});

test('while stepping back, the current step’s line is highlighted', async ({ page }) => {
  await openExample(page, 'bind-and-send');
  await expect(editorOf(page, 0).locator('.cm-current-step')).toHaveCount(0);
  // Back to before the sender's SEND_DMA: guest 0 is waiting on line 5.
  for (let i = 0; i < 40; i++) {
    if ((await resultAt(page, 0, 5).getAttribute('data-state').catch(() => null)) === 'waiting') break;
    await page.getByTestId('step-back').click();
  }
  await expect(resultAt(page, 0, 5)).toHaveText('waiting for an irq');
  await expect(editorOf(page, 0).locator('.cm-current-step')).toContainText('wait');
});

test('"new scripted scenario" starts two guests on a shared page', async ({ page }) => {
  await page.goto('/');
  await waitIdle(page);
  await page.getByTestId('show-script-editor').click();
  await page.getByTestId('script-new').click();
  await waitIdle(page);
  await expect(page.getByTestId('script-editor')).toHaveCount(2);
  await expect(page.getByTestId('preset-picker').locator('option:checked')).toHaveText('new scripted scenario');
  await expect(editorOf(page, 0).locator('[data-testid="script-line-result"]').filter({ hasText: 'text "hello"' })).toHaveCount(1);
});
