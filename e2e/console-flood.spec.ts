/**
 * Console input flood (issue #7): pasting 1 MiB into a console does not
 * freeze the page. The paste is one input; the Launcher reads it 256 bytes
 * per console interrupt (spec §4.2), the console panel shows how many bytes
 * wait at the terminal until the queue drains, and the page keeps painting.
 */
import { expect, test } from '@playwright/test';
import { consoleOf, openPreset, terminalLines, typeLine, waitIdle } from './page-helpers.ts';
import { crashWorker, frameLog, keptEvents, paste, settledHash, startFrameLog } from './fault-helpers.ts';

test('a 1 MiB paste is queued with a visible count that drains to 0 while the page keeps painting', async ({ page }) => {
  test.setTimeout(90_000);
  await openPreset(page, 'console');
  const queued = page.locator('[data-testid="tty-queued"][data-guest="0"]');
  await expect(queued).toHaveAttribute('data-bytes', '0');
  // 16384 lines of 64 bytes: each is echoed and answered ("command not found"), some 2.6 MB of console output.
  const line = 'x'.repeat(63);
  const text = `${line}\n`.repeat(16384);
  expect(text.length).toBe(1024 * 1024);

  await startFrameLog(page);
  const t0 = await page.evaluate(() => performance.now());
  await paste(page, 0, text);
  // The count appears (the bytes the Launcher has not read yet)...
  await expect.poll(async () => Number(await queued.getAttribute('data-bytes'))).toBeGreaterThan(0);
  const seen = Number(await queued.getAttribute('data-bytes'));
  expect(seen).toBeLessThanOrEqual(text.length);
  await expect(queued).toContainText('bytes queued at the terminal');
  // ...and drains to 0.
  await expect(queued).toHaveAttribute('data-bytes', '0', { timeout: 60_000 });
  await expect(queued).toHaveText('terminal queue empty');
  const log = await frameLog(page, t0);
  test.info().annotations.push({ type: 'frames during the flood', description: `${log.frames} frames in ${Math.round(log.spanMs)} ms, longest gap ${Math.round(log.longestGapMs)} ms` });
  // The page kept painting: frames kept coming (at least 10 a second), never a freeze of a second.
  expect(log.frames).toBeGreaterThan(log.spanMs / 100);
  expect(log.longestGapMs).toBeLessThan(1000);
  // The guest chewed through all of it: the last line's answer, then a prompt that still works.
  await expect(consoleOf(page, 0).locator('.xterm-rows')).toContainText('command not found');
  // An empty terminal queue means the Launcher has read it all, not that the shell has run every line: lines
  // typed now would be echoed ahead of the backlog's output (a tty's type-ahead), so wait until all is idle.
  await waitIdle(page);
  await typeLine(page, 0, 'echo after the flood');
  await expect.poll(() => terminalLines(page, 0)).toContain('after the flood');
  await expect(page.locator('[data-testid="console-warning"][data-guest="0"]')).toHaveCount(0);
  // The paste is in the page's copy of the recording too: a new worker replays it to the same state.
  const before = await settledHash(page);
  await expect.poll(() => keptEvents(page)).toBe(before.count);
  await crashWorker(page, 'after the flood');
  await page.getByTestId('restart').click();
  await expect(page.getByTestId('fault-banner')).toHaveCount(0, { timeout: 30_000 });
  expect(await settledHash(page)).toEqual(before);
});

test("the Launcher's console warnings show under the guest's terminal", async ({ page }) => {
  await openPreset(page, 'console');
  // Guest 0 binds nothing on key 0; guest 1 binds a buffer of no bytes (spec §4.2: the Launcher then drops the console).
  const scenario = {
    name: 'console warnings',
    guests: [
      { kernel: 'script', memory: 0x10000, script: [{ op: 'wait' }] },
      { kernel: 'script', memory: 0x10000, script: [{ op: 'write', addr: 0x2000, u32: [0, 0, 0, 0] }, { op: 'hcall', call: 'BIND_DMA', args: [0, 0x2000, 0x101] }, { op: 'wait' }] },
    ],
  };
  await page.getByTestId('scenario-file').setInputFiles({ name: 'warnings.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(scenario)) });
  await expect(page.getByTestId('preset-picker').locator('option:checked')).toHaveText('file: warnings.json');
  // A scenario of scripted guests opens on the script editor; the consoles are one click away.
  await page.getByTestId('show-consoles').click();
  await paste(page, 0, 'nobody reads this');
  const warn0 = page.locator('[data-testid="console-warning"][data-guest="0"]');
  await expect(warn0).toContainText('launcher: console: no dma buffer!');
  await expect(warn0).toContainText('the bytes read were discarded');
  await paste(page, 0, 'and again');
  await expect(warn0).toContainText('×2');
  await paste(page, 1, 'into no room');
  const warn1 = page.locator('[data-testid="console-warning"][data-guest="1"]');
  await expect(warn1).toContainText('launcher: Failed to get console input, ignoring console.');
  await expect(warn1).toContainText('the Launcher dropped this console');
  await expect(page.locator('[data-testid="tty-queued"][data-guest="1"]')).toHaveAttribute('data-bytes', '0');
});
