/**
 * Stepping, slow motion and time travel a lecture can rely on (issue #10):
 * Home then single steps, across the first and last event, 2 ev/s for 10 s,
 * next hypercall, a click on an event in the log and on the timeline, a
 * SEND_DMA to key 0 going to the Launcher, the kill banner's struct, reset of
 * a link, export while back in time, the theme across a reload, Ctrl+] out
 * of the console.
 */
import { readFile } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import { GUTTER, RIGHT_PAD, RULER } from '../src/ui/timeline/timeline-render.ts';
import { Session, type SessionHost } from '../src/worker/session.ts';
import { consoleOf, eventCount, openPreset, terminalLines, typeLine, waitIdle } from './page-helpers.ts';

const host: SessionHost = { now: () => performance.now(), defer: () => {}, later: () => {} };

const shownHash = async (page: Page): Promise<string> => (await page.getByTestId('state-hash').textContent()) ?? '';

/** Wait until the page shows `count` events with the hash taken there. */
async function shows(page: Page, count: number): Promise<string> {
  await expect.poll(() => eventCount(page)).toBe(count);
  await expect(page.getByTestId('state-hash')).toHaveAttribute('data-events', String(count));
  return shownHash(page);
}

/** Headless: the hash after each count of a preset's boot (the same deterministic run). */
async function bootHashes(preset: string): Promise<{ start: number; end: number; hashAt: (count: number) => string }> {
  const s = new Session(host, (n) => new ArrayBuffer(n));
  const r = await s.load({ kind: 'preset', name: preset });
  if (!r.ok) throw new Error(r.error);
  s.runToEnd();
  return {
    start: r.info.start,
    end: s.shownCount,
    hashAt: (count) => {
      s.seek(count);
      return s.hash();
    },
  };
}

test('Home, then five single steps: the count rises by one each time and the hash is the one of that event; back and forth across the first and the last event', async ({ page }) => {
  await openPreset(page, 'net', [0, 1]);
  const ref = await bootHashes('net');
  expect(await eventCount(page)).toBe(ref.end);
  await page.locator('.event-log h2').click();
  await page.keyboard.press('Home');
  expect(await shows(page, ref.start)).toBe(ref.hashAt(ref.start));
  for (let k = 1; k <= 5; k++) {
    await page.getByTestId('step').click();
    expect(await shows(page, ref.start + k)).toBe(ref.hashAt(ref.start + k));
  }
  await expect(page.getByTestId('event-count')).toHaveText(`#${ref.start + 4}`);
  // Across the first event: back past it stays at the start, forward moves again (no jam).
  for (let k = 0; k < 5; k++) await page.getByTestId('step-back').click();
  await shows(page, ref.start);
  // At the start the back buttons are disabled, and the keys past it stay there.
  await expect(page.getByTestId('step-back')).toBeDisabled();
  await page.keyboard.press(',');
  await page.keyboard.press('ArrowLeft');
  await shows(page, ref.start);
  await page.keyboard.press('.');
  await shows(page, ref.start + 1);
  await page.keyboard.press('ArrowLeft');
  await shows(page, ref.start);
  await page.keyboard.press('ArrowRight');
  await shows(page, ref.start + 1);
  // Across the last: End, back one, forward one is the live end's hash, and one more step stays.
  await page.keyboard.press('End');
  const endHash = await shows(page, ref.end);
  expect(endHash).toBe(ref.hashAt(ref.end));
  await page.getByTestId('step-back').click();
  expect(await shows(page, ref.end - 1)).toBe(ref.hashAt(ref.end - 1));
  await page.getByTestId('step').click();
  expect(await shows(page, ref.end)).toBe(endHash);
});

test('slow motion: 2 ev/s for 10 s applies 18–22 events, each shown', async ({ page }) => {
  test.setTimeout(40_000);
  await openPreset(page, 'net', [0, 1]);
  await page.getByTestId('go-start').click();
  const start = (await bootHashes('net')).start;
  await shows(page, start);
  await page.getByTestId('speed').selectOption('2');
  const seen = new Set<number>();
  await page.getByTestId('run').click();
  const t0 = Date.now();
  while (Date.now() - t0 < 10_000) {
    seen.add(await eventCount(page));
    await page.waitForTimeout(100);
  }
  await page.getByTestId('pause').click();
  const applied = (await eventCount(page)) - start;
  expect(applied).toBeGreaterThanOrEqual(18);
  expect(applied).toBeLessThanOrEqual(22);
  // Each event was on the page on its own (one at a time: no jumps of several).
  expect(seen.size).toBeGreaterThanOrEqual(applied - 1);
});

test('next hypercall lands on an hcall event; previous goes back to one', async ({ page }) => {
  await openPreset(page, 'net', [0, 1]);
  await page.getByTestId('go-start').click();
  await shows(page, (await bootHashes('net')).start);
  await page.getByTestId('jump-kind').selectOption('hcall');
  for (let k = 0; k < 3; k++) {
    const before = await eventCount(page);
    await page.getByTestId('jump-next').click();
    await expect.poll(() => eventCount(page)).toBeGreaterThan(before);
    const i = (await eventCount(page)) - 1;
    await expect(page.locator(`.ev-row[data-index="${i}"]`)).toHaveClass(/k-hcall/);
  }
  const before = await eventCount(page);
  await page.getByTestId('jump-prev').click();
  await expect.poll(() => eventCount(page)).toBeLessThan(before);
  await expect(page.locator(`.ev-row[data-index="${(await eventCount(page)) - 1}"]`)).toHaveClass(/k-hcall/);
  // The letter keys do the same: h next hypercall, H the previous one.
  await page.locator('.event-log h2').click();
  const at = await eventCount(page);
  await page.keyboard.press('h');
  await expect.poll(() => eventCount(page)).toBeGreaterThan(at);
  await expect(page.locator(`.ev-row[data-index="${(await eventCount(page)) - 1}"]`)).toHaveClass(/k-hcall/);
  await page.keyboard.press('Shift+H');
  await expect.poll(() => eventCount(page)).toBe(at);
});

test('a click on event #i in the log and on the timeline show the same state: the state right after it, selected', async ({ page }) => {
  await openPreset(page, 'net', [0, 1]);
  const ref = await bootHashes('net');
  const i = ref.end - 6;
  // The log is virtualized and follows the end: scroll back until row #i is drawn.
  const row = page.locator(`.ev-row[data-index="${i}"]`);
  await expect
    .poll(async () => {
      if (await row.count()) return true;
      await page.locator('.ev-scroller').evaluate((el) => el.scrollBy(0, -el.clientHeight / 2));
      return false;
    })
    .toBe(true);
  // The log: a click time-travels (not only selects).
  await row.click();
  const fromLog = await shows(page, i + 1);
  expect(fromLog).toBe(ref.hashAt(i + 1));
  await expect(page.locator(`.ev-row[data-index="${i}"]`)).toHaveClass(/selected/);
  // Back to the end, then the timeline at event #i.
  await page.keyboard.press('End');
  await shows(page, ref.end);
  const timeline = page.getByTestId('timeline');
  const box = await timeline.boundingBox();
  if (!box) throw new Error('no timeline');
  const span = Number(await timeline.getAttribute('data-span'));
  const x = box.x + GUTTER + ((i + 0.5) / span) * (box.width - GUTTER - RIGHT_PAD);
  await page.mouse.click(x, box.y + RULER + 6);
  expect(await shows(page, i + 1)).toBe(fromLog);
  await expect(page.locator(`.ev-row[data-index="${i}"]`)).toHaveClass(/selected/);
  // Enter on a focused row does the same.
  await page.locator(`.ev-row[data-index="${i - 1}"]`).focus();
  await page.keyboard.press('Enter');
  await shows(page, i);
});

test('a SEND_DMA to key 0 (a private key) is shown going to the Launcher, never to a binding', async ({ page }) => {
  await openPreset(page, 'console');
  const row = page.locator('.ev-row.k-hcall', { hasText: 'call=SEND_DMA key=0 ' }).first();
  await row.click();
  await expect(page.getByTestId('dma-route')).toContainText('→ Launcher (private key)');
  await expect(page.getByTestId('dma-route')).toContainText('launcher_read #');
  await expect(page.getByTestId('dma-route')).toContainText('launcher_output #');
  // No binding is selected as its receiver (the guest's key-0 input binding is not involved).
  await expect(page.locator('[data-testid="dma-key"].selected')).toHaveCount(0);
  await expect(page.getByTestId('dma-buffer')).toContainText('struct lguest_dma');
});

test('the kill banner shows the state after the kill, the offending lguest_dma and its section', async ({ page }) => {
  await page.goto('/?preset=bad-dma');
  const kill = page.getByTestId('kill-reason');
  await expect(kill).toContainText('bad DMA entry: 256@0x3f80');
  await waitIdle(page);
  await kill.click();
  await shows(page, 7); // the KILL is event #6 of bad-dma
  await expect(page.locator('.ev-row[data-index="6"]')).toHaveClass(/selected/);
  await expect(page.getByTestId('dma-buffer')).toContainText('struct lguest_dma at 0x2000');
  await expect(page.locator('.section.selected')).toHaveText('0x3f80+256');
});

test('reset on an opened link replays the link from its start, inputs included', async ({ page, browser }) => {
  await openPreset(page, 'console');
  await typeLine(page, 0, 'echo lecture');
  await expect.poll(() => terminalLines(page, 0)).toContain('lecture');
  await waitIdle(page);
  const hash = await shownHash(page);
  await page.getByTestId('share').click();
  const link = await page.getByTestId('share-link').inputValue();
  const other = await browser.newPage();
  await other.goto(link);
  await expect.poll(() => terminalLines(other, 0)).toContain('lecture');
  await other.getByTestId('reset').click();
  await expect.poll(() => terminalLines(other, 0)).toContain('lecture');
  await waitIdle(other);
  await expect(other.getByTestId('state-hash')).toHaveText(hash);
  await other.close();
});

test('export while back in time offers the events up to the shown one and everything, saying which', async ({ page }) => {
  await openPreset(page, 'console');
  const end = await eventCount(page);
  const { start } = await bootHashes('console');
  await page.locator('.event-log h2').click();
  await page.keyboard.press('Home');
  await shows(page, start);
  await page.getByTestId('step').click();
  const shown = start + 1;
  await shows(page, shown);
  expect(shown).toBeLessThan(end);
  await page.getByTestId('export').click();
  await expect(page.getByTestId('export-jsonl')).toContainText(`up to the shown event #${shown - 1}`);
  await expect(page.getByTestId('export-jsonl-all')).toContainText(`everything recorded (${end} events)`);
  const [all] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-jsonl-all').click()]);
  expect((await readFile(await all.path(), 'utf8')).trimEnd().split('\n')).toHaveLength(end);
  await page.getByTestId('export').click();
  const [part] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-jsonl').click()]);
  expect((await readFile(await part.path(), 'utf8')).trimEnd().split('\n')).toHaveLength(shown);
});

test('the theme is remembered across a reload', async ({ page }) => {
  await openPreset(page, 'console');
  const before = await page.evaluate(() => document.documentElement.dataset.theme);
  await page.locator('button.theme').click();
  const after = before === 'dark' ? 'light' : 'dark';
  await expect(page.locator('html')).toHaveAttribute('data-theme', after);
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-theme', after);
});

test('Ctrl+] leaves the console for the next panel; Tab and Esc still go to the guest', async ({ page }) => {
  await openPreset(page, 'console');
  await consoleOf(page, 0).click();
  const inConsole = (): Promise<boolean> => page.evaluate(() => document.activeElement?.closest('[data-testid="console"]') !== null);
  expect(await inConsole()).toBe(true);
  await page.keyboard.press('Tab');
  await page.keyboard.press('Escape');
  expect(await inConsole()).toBe(true);
  await expect(page.locator('[data-testid="console"] textarea').first()).toHaveAttribute('aria-label', /Ctrl\+\]/);
  await page.keyboard.press('Control+BracketRight');
  expect(await inConsole()).toBe(false);
  expect(await page.evaluate(() => document.activeElement !== document.body)).toBe(true);
});

test('DMA key rows, struct entries, sections, log rows and the kill banner work from the keyboard, with a focus ring', async ({ page }) => {
  await page.goto('/?preset=bad-dma');
  await waitIdle(page);
  const key = page.locator('[data-testid="dma-key"]').first();
  await key.focus();
  const ring = await key.evaluate((e) => getComputedStyle(e).outlineStyle);
  expect(ring).not.toBe('none');
  await page.keyboard.press('Enter');
  await expect(key).toHaveClass(/selected/);
  const entry = page.getByTestId('dma-entry').first();
  await entry.focus();
  await page.keyboard.press('Enter');
  const section = entry.locator('.section').first();
  await section.focus();
  await page.keyboard.press('Enter');
  await expect(section).toHaveClass(/selected/);
  await page.getByTestId('kill-reason').focus();
  await page.keyboard.press('Enter');
  await shows(page, 7);
  await expect(page.locator('.section.selected')).toHaveText('0x3f80+256');
});
