/**
 * Worker faults (issue #7): an exception out of the simulation, a worker that
 * dies silently, and one that dies with an error. Each time the page says
 * what happened, keeps what the console showed, and "Restart from last good
 * state" brings the session back.
 */
import { expect, test } from '@playwright/test';
import { consoleOf, eventCount, openPreset, terminalLines, typeLine } from './page-helpers.ts';
import { crashWorker, injectFault, keptEvents, killWorker, paste, settledHash } from './fault-helpers.ts';

test('an exception in the simulation: banner with the message, console kept, restart to the last good state', async ({ page }) => {
  await openPreset(page, 'console');
  await typeLine(page, 0, 'echo before the fault');
  await expect.poll(() => terminalLines(page, 0)).toContain('before the fault');
  const { count: before } = await settledHash(page);
  const faultAt = before + 12;
  await injectFault(page, faultAt);
  // `help` (pasted: one input) takes some 24 events: the simulation throws midway.
  await paste(page, 0, 'help\n');
  const banner = page.getByTestId('fault-banner');
  await expect(banner).toBeVisible();
  await expect(banner).toHaveAttribute('data-kind', 'exception');
  // The hook checks between quanta, so the throw comes at the first quantum boundary at or past faultAt.
  await expect(page.getByTestId('fault-message')).toContainText(/injected fault after event #\d+/);
  // "after event #i": i+1 events existed when it threw.
  const thrownAt = Number(/after event #(\d+)/.exec((await page.getByTestId('fault-message').textContent()) ?? '')?.[1]) + 1;
  expect(thrownAt).toBeGreaterThanOrEqual(faultAt);
  await expect(banner).toContainText('The recording is kept');
  await expect(page.getByTestId('status').locator('.state')).toHaveText('stopped');
  // What the console showed is still there.
  const rows = consoleOf(page, 0).locator('.xterm-rows');
  await expect(rows).toContainText('before the fault');
  await expect(rows).not.toContainText('cancel the line or a waiting ping');
  // Typing while stopped is refused and counted, not lost silently.
  await typeLine(page, 0, 'lost');
  await expect(banner).toContainText('5 byte(s) typed since the stop were not delivered');

  // Pause first (the stopped session still answers), so the restart shows the last good state itself.
  const lastGood = Number(await banner.getAttribute('data-last-good'));
  expect(lastGood).toBeLessThan(thrownAt);
  await page.getByTestId('pause').click();
  await page.getByTestId('restart').click();
  await expect(banner).toHaveCount(0);
  // The restored session replays to the last good event (exactly: src/worker/session.test.ts);
  // the page may already be running on from there, so only "at least" is stable here.
  await expect.poll(() => eventCount(page)).toBeGreaterThanOrEqual(lastGood);
  await expect(rows).toContainText('before the fault');
  // Run on from there: the rest of `help`, and typing works again.
  await page.getByTestId('run').click();
  await expect(rows).toContainText('cancel the line or a waiting ping');
  await typeLine(page, 0, 'echo back again');
  await expect.poll(() => terminalLines(page, 0)).toContain('back again');
});

test('a worker that dies silently: the watchdog notices, restart replays the kept recording to the same state hash', async ({ page }) => {
  await openPreset(page, 'console');
  await typeLine(page, 0, 'echo kept in the recording');
  await expect.poll(() => terminalLines(page, 0)).toContain('kept in the recording');
  const before = await settledHash(page);
  // The page's copy of the recording has caught up with the idle session.
  await expect.poll(() => keptEvents(page)).toBe(before.count);

  await killWorker(page);
  const banner = page.getByTestId('fault-banner');
  await expect(banner).toHaveAttribute('data-kind', 'worker', { timeout: 15_000 });
  await expect(page.getByTestId('fault-message')).toContainText('stopped answering (no reply in 5 s)');
  await expect(banner).toContainText(`The page kept a copy of the recording (up to about the state after event #${(before.count - 1).toLocaleString('en-US')})`);
  await expect(banner).not.toContainText('not in it');
  // The panels still show the last state.
  await expect(consoleOf(page, 0).locator('.xterm-rows')).toContainText('kept in the recording');

  await page.getByTestId('restart').click();
  await expect(banner).toHaveCount(0);
  const after = await settledHash(page);
  expect(after).toEqual(before);
  await expect(consoleOf(page, 0).locator('.xterm-rows')).toContainText('kept in the recording');
  await typeLine(page, 0, 'echo new worker');
  await expect.poll(() => terminalLines(page, 0)).toContain('new worker');
});

test('a worker that dies with an error: shown at once; restart brings the session back', async ({ page }) => {
  await openPreset(page, 'block');
  await typeLine(page, 0, 'blk write 7 survives');
  await expect.poll(() => terminalLines(page, 0)).toContain('blk: wrote 512 bytes to sector 7');
  const before = await settledHash(page);
  await expect.poll(() => keptEvents(page)).toBe(before.count);

  await crashWorker(page, 'simulated out-of-memory');
  const banner = page.getByTestId('fault-banner');
  await expect(banner).toHaveAttribute('data-kind', 'worker', { timeout: 2_000 });
  await expect(page.getByTestId('fault-message')).toHaveText('the simulation worker crashed (error): simulated out-of-memory');

  await page.getByTestId('restart').click();
  await expect(banner).toHaveCount(0);
  expect(await settledHash(page)).toEqual(before);
  await typeLine(page, 0, 'blk read 7');
  await expect.poll(() => terminalLines(page, 0)).toContain('survives');
});
