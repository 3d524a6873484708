/**
 * Share links, recording files and trace export in a real browser (issue #5
 * "Must show"): a link opened in a fresh browser context replays to the same
 * console, state hash, shown event and selection; bad links (malformed,
 * truncated, tampered, from a newer version) say what is wrong while the
 * default session boots and works; a recording file opens like a link.
 */
import { readFile } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import { deflateSync } from 'fflate';
import { decodeLink, encodeLink, toBase64Url } from '../src/trace/link.ts';
import { makeRecording } from '../src/trace/recording.ts';
import { consoleOf, eventCount, openPreset, terminalLines, typeLine, waitIdle } from './page-helpers.ts';

async function stateOf(page: Page): Promise<{ count: number; hash: string; hashAt: string | null; lines: string[] }> {
  return {
    count: await eventCount(page),
    hash: (await page.getByTestId('state-hash').textContent()) ?? '',
    hashAt: await page.getByTestId('state-hash').getAttribute('data-events'),
    lines: await terminalLines(page, 0),
  };
}

/** The state once it is still: the hash is the shown count's and the terminal has drawn what it was sent. */
async function settledState(page: Page): Promise<Awaited<ReturnType<typeof stateOf>>> {
  let last = await stateOf(page);
  await expect
    .poll(async () => {
      const now = await stateOf(page);
      const still = now.hashAt === String(now.count) && JSON.stringify(now) === JSON.stringify(last);
      last = now;
      return still;
    })
    .toBe(true);
  return last;
}

/** Press Share and read the link from its panel. */
async function share(page: Page): Promise<string> {
  await page.getByTestId('share').click();
  await expect(page.getByTestId('share-panel')).toHaveAttribute('data-phase', 'ready');
  const link = await page.getByTestId('share-link').inputValue();
  expect(link).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#1\.[A-Za-z0-9_-]+$/);
  await expect(page.getByTestId('share-size')).toHaveAttribute('data-bytes', String(link.length));
  // The whole panel is on the page (it once dropped from the button's right edge and ran off the left).
  const box = await page.getByTestId('share-panel').boundingBox();
  const width = page.viewportSize()?.width ?? 0;
  expect(box !== null && box.x >= 0 && box.x + box.width <= width).toBe(true);
  return link;
}

test('a shared link opens in a fresh browser context with the same console, state hash, shown event and selection', async ({ page, context, browser }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await openPreset(page, 'console');
  await typeLine(page, 0, 'echo one');
  await expect.poll(() => terminalLines(page, 0)).toContain('one');
  await typeLine(page, 0, 'help');
  await waitIdle(page);
  await typeLine(page, 0, 'echo two three');
  await expect.poll(() => terminalLines(page, 0)).toContain('two three');
  await waitIdle(page);
  // Select a hypercall in the event log (a SEND_DMA to key 0): it selects what it touched too.
  const row = page.locator('.ev-row.k-hcall').filter({ hasText: 'call=SEND_DMA key=0 ' }).last();
  const selected = (await row.getAttribute('data-index')) ?? '';
  await row.click();
  await expect(page.locator('.ev-row.selected')).toHaveAttribute('data-index', selected);
  // The hypercall went to key 0, a private key: to the Launcher, never to a binding (spec §2.4 step 2; issue #10).
  await expect(page.locator('[data-testid="dma-key"].selected')).toHaveCount(0);
  await expect(page.getByTestId('dma-route')).toContainText('→ Launcher (private key)');
  await page.getByTestId('tab-workbench').click();
  const before = await settledState(page);

  const link = await share(page);
  await expect(page.getByTestId('share-panel')).toHaveAttribute('data-copied', 'true');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);

  const fresh = await browser.newContext();
  try {
    const other = await fresh.newPage();
    await other.goto(link);
    await expect(consoleOf(other, 0).locator('.xterm-rows')).toContainText('two three');
    // The click on the row went to the state right after it (issue #10): the link opens there, paused mid-run.
    await expect(other.getByTestId('status')).toHaveAttribute('data-running', 'false');
    await expect(other.getByTestId('link-error')).toHaveCount(0);
    await expect(other.getByTestId('state-hash')).toHaveAttribute('data-events', String(before.count));
    await expect.poll(() => stateOf(other)).toEqual(before);
    await expect(other.locator('.ev-row.selected')).toHaveAttribute('data-index', selected);
    await expect(other.locator('[data-testid="dma-key"].selected')).toHaveCount(0);
    await expect(other.getByTestId('dma-route')).toContainText('→ Launcher (private key)');
    await expect(other.getByTestId('tab-workbench')).toHaveAttribute('aria-selected', 'true');
    await expect(other.getByTestId('timeline')).toHaveAttribute('data-view', String(before.count));
    await expect(other.getByTestId('timeline')).toHaveAttribute('data-selected', selected);
    await expect(other.getByTestId('preset-picker')).toHaveValue('console');
  } finally {
    await fresh.close();
  }
});

test('a link made after stepping back opens paused at the same event', async ({ page, browser }) => {
  await openPreset(page, 'console');
  await typeLine(page, 0, 'echo back in time');
  await expect.poll(() => terminalLines(page, 0)).toContain('back in time');
  await waitIdle(page);
  const end = await eventCount(page);
  await expect(page.getByTestId('state-hash')).toHaveAttribute('data-events', String(end));
  const endHash = (await page.getByTestId('state-hash').textContent()) ?? '';
  for (let k = 0; k < 5; k++) await page.getByTestId('step-back').click();
  await expect.poll(() => eventCount(page)).toBe(end - 5);
  await expect(page.getByTestId('state-hash')).toHaveAttribute('data-events', String(end - 5));
  // The terminal is cleared and redrawn for the earlier state: wait for the redraw.
  await expect.poll(() => terminalLines(page, 0)).toContain("Welcome to lguest-lab. Type 'help' for commands.");
  expect(await terminalLines(page, 0)).not.toContain('back in time');
  const before = await settledState(page);
  const link = await share(page);

  const fresh = await browser.newContext();
  try {
    const other = await fresh.newPage();
    await other.goto(link);
    await expect(other.getByTestId('state-hash')).toHaveAttribute('data-events', String(end - 5));
    await expect(other.getByTestId('status')).toHaveAttribute('data-running', 'false');
    await expect.poll(() => stateOf(other)).toEqual(before);
    // What came after is re-run on demand, the same: run on to the end and its hash.
    await other.getByTestId('run').click();
    await expect.poll(() => eventCount(other)).toBe(end);
    await expect(other.getByTestId('state-hash')).toHaveText(endHash);
  } finally {
    await fresh.close();
  }
});

test('without a clipboard the link is shown in a field to copy', async ({ page }) => {
  await page.addInitScript(() => Object.defineProperty(Navigator.prototype, 'clipboard', { get: () => undefined }));
  await openPreset(page, 'console');
  const link = await share(page);
  await expect(page.getByTestId('share-panel')).toHaveAttribute('data-copied', 'false');
  await expect(page.getByTestId('share-status')).toContainText('Copy this link');
  await expect(page.getByTestId('share-link')).toBeVisible();
  expect(link.length).toBeLessThan(200);
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('share-panel')).toHaveCount(0);
});

/** A good fragment, made here the way the CLI's `link` makes one. */
const GOOD = encodeLink(makeRecording({ preset: 'console' }, [{ at: -1, guest: 0, text: 'echo linked\r', idle: true }]));

/** Change one character at a time from the middle on until the fragment no longer decodes (deterministic). */
function tampered(fragment: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  for (let at = Math.floor(fragment.length / 2); at < fragment.length; at++) {
    const c = alphabet[(alphabet.indexOf(fragment[at]) + 17) % 64];
    const t = fragment.slice(0, at) + c + fragment.slice(at + 1);
    if (!decodeLink(t).ok) return t;
  }
  throw new Error('no tampering broke the link');
}

const message = (fragment: string): string => {
  const r = decodeLink(fragment);
  if (r.ok) throw new Error(`${fragment} decodes`);
  return r.error.message;
};

const BAD_LINKS: readonly (readonly [string, string, RegExp])[] = [
  ['malformed', 'hello-there', /not an lguest-lab link/],
  ['truncated', GOOD.slice(0, Math.floor(GOOD.length / 2)), /cut or altered/],
  ['tampered', tampered(GOOD), /link: /],
  // Well-formed, but what it says is not a recording: a preset that does not exist.
  ['tampered content', `1.${toBase64Url(deflateSync(new TextEncoder().encode(JSON.stringify({ p: 'console; rm -rf /', i: [] }))))}`, /link: preset/],
  ['future version', `2.${GOOD.slice(2)}`, /newer lguest-lab \(link version 2\)/],
];

test('malformed, truncated, tampered and future-version links say what is wrong; the console preset boots and works', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  expect(decodeLink(GOOD).ok).toBe(true);
  for (const [what, fragment, pattern] of BAD_LINKS) {
    await test.step(what, async () => {
      await page.goto('about:blank');
      await page.goto(`/#${fragment}`);
      const notice = page.getByTestId('link-error');
      await expect(notice).toContainText('This share link could not be opened');
      await expect(notice).toContainText(message(fragment).replace(/^link: /, ''));
      expect(message(fragment)).toMatch(pattern);
      await expect(notice).toContainText('Showing the default console session instead');
      await expect(consoleOf(page, 0).locator('.xterm-rows')).toContainText('lguest#');
      await expect(page.getByTestId('preset-picker')).toHaveValue('console');
      await typeLine(page, 0, `echo ${what.replace(/ /g, '-')} ok`);
      await expect.poll(() => terminalLines(page, 0)).toContain(`${what.replace(/ /g, '-')} ok`);
    });
  }
  expect(errors).toEqual([]);
});

test('a link pasted into an open page (hashchange) opens; a bad one leaves the session as it was', async ({ page }) => {
  await openPreset(page, 'console');
  await typeLine(page, 0, 'echo still mine');
  await expect.poll(() => terminalLines(page, 0)).toContain('still mine');
  await page.evaluate(() => (window.location.hash = '#2.abc'));
  await expect(page.getByTestId('link-error')).toContainText('newer lguest-lab');
  await expect(page.getByTestId('link-error')).toContainText('The session you had goes on unchanged');
  expect(await terminalLines(page, 0)).toContain('still mine');
  await page.evaluate((f) => (window.location.hash = `#${f}`), GOOD);
  await expect.poll(() => terminalLines(page, 0)).toContain('linked');
  await expect(page.getByTestId('link-error')).toHaveCount(0);
  expect(await terminalLines(page, 0)).not.toContain('still mine');
});

test('Download recording saves a .lguest.json that opens like the link', async ({ page, browser }) => {
  await openPreset(page, 'console');
  await typeLine(page, 0, 'echo saved to a file');
  await expect.poll(() => terminalLines(page, 0)).toContain('saved to a file');
  await waitIdle(page);
  const before = await settledState(page);
  await page.getByTestId('share').click();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('share-download').click()]);
  expect(download.suggestedFilename()).toBe('lguest-lab-console.lguest.json');
  const path = await download.path();
  const rec = JSON.parse(await readFile(path, 'utf8')) as { v: number; preset: string; inputs: unknown[] };
  expect(rec.v).toBe(1);
  expect(rec.preset).toBe('console');

  const fresh = await browser.newContext();
  try {
    const other = await fresh.newPage();
    await openPreset(other, 'console');
    await other.getByTestId('scenario-file').setInputFiles(path);
    await expect.poll(() => terminalLines(other, 0)).toContain('saved to a file');
    await waitIdle(other);
    await expect(other.getByTestId('load-error')).toHaveCount(0);
    await expect(other.getByTestId('state-hash')).toHaveAttribute('data-events', String(before.count));
    await expect.poll(() => stateOf(other)).toEqual(before);
  } finally {
    await fresh.close();
  }
});

test('a scenario with a large disk image is too long for a link: Download recording, then open the file', async ({ page, browser }) => {
  // 48 KiB of pseudo-random disk: incompressible, so its link would be about 64 KB.
  const disk = new Uint8Array(48 * 1024);
  let x = 12345;
  for (let i = 0; i < disk.length; i++) disk[i] = (x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 24;
  const scenario = { name: 'big disk', guests: [{ kernel: 'lguest', devices: [{ type: 'block', size: disk.length, image: Buffer.from(disk).toString('base64') }] }] };
  await openPreset(page, 'console');
  await page.getByTestId('scenario-file').setInputFiles({ name: 'big-disk.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(scenario)) });
  // The new session is shown (its name), booted (its driver's line, then the prompt) and idle before typing.
  await expect(page.getByTestId('preset-picker').locator('option:checked')).toHaveText('file: big-disk.json');
  await expect(consoleOf(page, 0).locator('.xterm-rows')).toContainText('lgba: 96 sectors');
  await expect(consoleOf(page, 0).locator('.xterm-rows')).toContainText('lguest#');
  await waitIdle(page);
  await typeLine(page, 0, 'blk size');
  await expect.poll(() => terminalLines(page, 0)).toContain('lgba: 96 sectors, 49152 bytes');
  await waitIdle(page);
  const before = await settledState(page);

  await page.getByTestId('share').click();
  await expect(page.getByTestId('share-panel')).toHaveAttribute('data-phase', 'ready');
  await expect(page.getByTestId('share-too-long')).toContainText('Download the recording');
  await expect(page.getByTestId('share-link')).toHaveCount(0);
  expect(Number(await page.getByTestId('share-size').getAttribute('data-bytes'))).toBeGreaterThan(32 * 1024);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('share-download').click()]);
  expect(download.suggestedFilename()).toBe('lguest-lab-big-disk.lguest.json');

  const fresh = await browser.newContext();
  try {
    const other = await fresh.newPage();
    await openPreset(other, 'console');
    await other.getByTestId('scenario-file').setInputFiles(await download.path());
    await expect.poll(() => terminalLines(other, 0)).toContain('lgba: 96 sectors, 49152 bytes');
    await waitIdle(other);
    await expect(other.getByTestId('state-hash')).toHaveAttribute('data-events', String(before.count));
    await expect.poll(() => stateOf(other)).toEqual(before);
  } finally {
    await fresh.close();
  }
});

test('export: the Chrome trace (one track per guest, Host, Launcher) and the JSON-lines event log', async ({ page }) => {
  await openPreset(page, 'console');
  await typeLine(page, 0, 'echo traced');
  await expect.poll(() => terminalLines(page, 0)).toContain('traced');
  await waitIdle(page);
  const count = await eventCount(page);

  await page.getByTestId('export').click();
  const [chrome] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-chrome').click()]);
  expect(chrome.suggestedFilename()).toBe('lguest-lab-trace.json');
  const trace = JSON.parse(await readFile(await chrome.path(), 'utf8')) as { traceEvents: { ph: string; name: string; args?: { name?: string } }[] };
  const tracks = trace.traceEvents.filter((e) => e.name === 'thread_name').map((e) => e.args?.name);
  expect(tracks).toEqual(expect.arrayContaining(['Host', 'guest 0', 'launcher 0']));
  expect(trace.traceEvents.filter((e) => e.ph === 'i')).toHaveLength(count);

  await page.getByTestId('export').click();
  const [jsonl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-jsonl').click()]);
  expect(jsonl.suggestedFilename()).toBe('lguest-lab-events.jsonl');
  const lines = (await readFile(await jsonl.path(), 'utf8')).trimEnd().split('\n');
  expect(lines).toHaveLength(count);
  expect(JSON.parse(lines[0])).toMatchObject({ i: 0, kind: expect.any(String) });
});
