/**
 * Issue #13: a caption for the shown or selected event, glossary terms on
 * hover and focus, the `?` overlay of shortcuts; readable register words in
 * the log; contrast checked by axe in both themes.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { expect, test, type Page } from '@playwright/test';
import { eventCount, openPreset, typeLine, waitIdle } from './page-helpers.ts';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Serious and critical axe violations (ids and the first target), for a readable failure. */
async function axeProblems(page: Page, include: string, exclude: string[] = [], rules?: string[]): Promise<string[]> {
  await page.evaluate(AXE);
  return page.evaluate(async ([sel, ex, only]) => {
    const ax = (window as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const r = await ax.run({ include: [sel], exclude: ex }, only ? { resultTypes: ['violations'], runOnly: only } : { resultTypes: ['violations'] });
    return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
  }, [include, exclude, rules ?? null] as const);
}

/** The newest SEND_DMA to key 0 in the log (console output), clicked. */
async function pickConsoleSend(page: Page): Promise<string> {
  const row = page.locator('.ev-row.k-hcall').filter({ hasText: 'call=SEND_DMA key=0 ' }).last();
  await row.click();
  return (await row.getAttribute('data-index')) ?? '';
}

test('the caption of a SEND_DMA to key 0 says it goes to the Launcher', async ({ page }) => {
  await openPreset(page, 'console');
  await typeLine(page, 0, 'echo hi');
  await waitIdle(page);
  // Nothing picked: the caption is the last shown event's.
  // Poll both sides: the count read once could be older than the caption drawn after it.
  await expect
    .poll(async () => (await page.getByTestId('event-caption').getAttribute('data-index')) === String((await eventCount(page)) - 1))
    .toBe(true);
  await expect(page.getByTestId('event-caption')).toContainText('(last shown)');
  // The log names the registers: key, struct lguest_dma, %eax unchanged.
  await expect(page.locator('.ev-row.k-hcall').filter({ hasText: 'call=SEND_DMA key=0 struct lguest_dma=0x' }).first()).toContainText('%eax unchanged');
  const index = await pickConsoleSend(page);
  const cap = page.getByTestId('event-caption');
  await expect(cap).toHaveAttribute('data-index', index);
  await expect(page.getByTestId('event-caption-text')).toContainText(/guest 0 SEND_DMA to key 0x0, a private key: the Host stops the guest and its Launcher's read\(\) returns the lguest_dma at 0x[0-9a-f]+/);
  await expect(page.getByTestId('event-caption-rule')).toContainText('§7.2');
  const src = page.getByTestId('event-caption-source');
  await expect(src).toHaveText('drivers/lguest/io.c: send_dma()');
  await expect(src).toHaveAttribute('href', 'https://elixir.bootlin.com/linux/v2.6.23/C/ident/send_dma');
});

test('a glossary term shows its text on hover and on keyboard focus', async ({ page }) => {
  await openPreset(page, 'console');
  await pickConsoleSend(page);
  const term = page.getByTestId('event-caption').locator('.term[data-term="private-key"]');
  const tip = page.locator('[data-testid="term-tip"][data-term="private-key"]');
  await expect(tip).toBeHidden();
  await term.hover();
  await expect(tip).toBeVisible();
  await expect(tip).toContainText('always goes to the guest');
  await expect(term).toHaveAttribute('aria-describedby', (await tip.getAttribute('id')) ?? 'missing');
  await page.mouse.move(0, 0);
  await expect(tip).toBeHidden();
  // Keyboard: focus shows it, Esc dismisses it, the term keeps focus.
  await term.focus();
  await expect(tip).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(tip).toBeHidden();
  await expect(term).toBeFocused();
  // Panel headings carry terms too.
  const heading = page.locator('.keys-panel h2 .term[data-term="binding"]');
  await heading.focus();
  await expect(page.locator('[data-testid="term-tip"][data-term="binding"]')).toBeVisible();
});

test('? opens the shortcut overlay, Tab stays inside, Esc closes it and focus returns', async ({ page }) => {
  await openPreset(page, 'console');
  const help = page.getByTestId('help');
  const overlay = page.getByTestId('help-overlay');
  await help.focus();
  await page.keyboard.press('?');
  await expect(overlay).toBeVisible();
  // Every shortcut the handler knows is listed (the list is that table).
  for (const keys of [' ', '. ArrowRight', ', ArrowLeft', '?']) await expect(page.getByTestId('help-shortcuts').locator(`tr[data-keys="${keys}"]`)).toHaveCount(1);
  await expect(page.getByTestId('help-shortcuts')).toContainText('step back one event');
  for (let i = 0; i < 5; i++) {
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.closest('[data-testid="help-overlay"]') !== null)).toBe(true);
  }
  await page.keyboard.press('Shift+Tab');
  expect(await page.evaluate(() => document.activeElement?.closest('[data-testid="help-overlay"]') !== null)).toBe(true);
  // Keys do not reach the simulation while the overlay is open.
  const before = await page.getByTestId('event-count').getAttribute('data-count');
  await page.keyboard.press('.');
  expect(await page.getByTestId('event-count').getAttribute('data-count')).toBe(before);
  expect(await axeProblems(page, '[data-testid="help-overlay"]')).toEqual([]);
  await page.keyboard.press('Escape');
  await expect(overlay).toBeHidden();
  await expect(help).toBeFocused();
  // The button opens it as well.
  await help.click();
  await expect(overlay).toBeVisible();
  await page.getByTestId('help-close').click();
  await expect(overlay).toBeHidden();
});

test('the caption bar and tips pass axe (contrast) in both themes', async ({ page }) => {
  for (const colorScheme of ['dark', 'light'] as const) {
    await page.emulateMedia({ colorScheme });
    await openPreset(page, 'console');
    await pickConsoleSend(page);
    await page.getByTestId('event-caption').locator('.term').first().hover();
    await expect(page.locator('[data-testid="term-tip"]:visible')).toHaveCount(1);
    expect(await axeProblems(page, '[data-testid="event-caption"]'), colorScheme).toEqual([]);
    expect(await axeProblems(page, '[data-testid="term-tip"]:not([hidden])'), colorScheme).toEqual([]);
    // In the log, the contrast of its words; the kind colours of the selected row (the log's own styling) are left out.
    expect(await axeProblems(page, '[data-testid="event-log"]', ['.ev-row.selected .ev-k'], ['color-contrast']), colorScheme).toEqual([]);
  }
});
