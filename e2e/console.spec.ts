/**
 * The console preset in a real browser: cross-origin isolation, boot
 * messages, the round trip through key 0, stepping one event at a time, and
 * the state hash matching the CLI's for the same input.
 */
import { expect, test } from '@playwright/test';
import { Machine } from '../src/machine/machine.ts';
import { PRESETS } from '../src/scenario/presets.ts';
import { validateScenario } from '../src/scenario/scenario.ts';
import { runWithInputs } from '../src/cli/run-command.ts';
import { consoleOf, eventCount, openPreset, stepOnce, terminalLines, typeLine, waitIdle } from './page-helpers.ts';

test('the console preset boots cross-origin isolated and echoes typed input', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await openPreset(page, 'console');
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  await expect(page.getByTestId('not-isolated')).toHaveCount(0);
  const rows = consoleOf(page, 0).locator('.xterm-rows');
  await expect(rows).toContainText('Linux version 2.6.23-lguest-lab');
  await expect(rows).toContainText('hvc_lguest: console at irq 1, input buffer 0x2500 bound at key 0');
  await expect(rows).toContainText('Welcome to lguest-lab');
  await expect(page.getByTestId('preset-picker')).toHaveValue('console');
  // The console's input buffer is bound on key 0.
  await expect(page.locator('[data-testid="dma-key"][data-key="0x0"]')).toHaveCount(1);

  await typeLine(page, 0, 'echo hi');
  await expect.poll(() => terminalLines(page, 0)).toContain('hi');
  expect((await terminalLines(page, 0)).filter((l) => l.endsWith('echo hi'))).toHaveLength(1);
  expect(errors).toEqual([]);
});

test('step shows exactly one more event, step back one less', async ({ page }) => {
  await openPreset(page, 'console');
  await page.getByTestId('pause').click();
  await expect(page.getByTestId('status')).toHaveAttribute('data-running', 'false');
  // Queue work while paused: it runs only as far as we step.
  await typeLine(page, 0, 'help');
  const start = await eventCount(page);
  for (let k = 1; k <= 3; k++) {
    await page.getByTestId('step').click();
    await expect.poll(() => eventCount(page)).toBe(start + k);
  }
  await page.getByTestId('step-back').click();
  await expect.poll(() => eventCount(page)).toBe(start + 2);
  // The keyboard shortcut steps too (outside the terminal).
  await page.locator('.event-log h2').click();
  await page.keyboard.press('.');
  await expect.poll(() => eventCount(page)).toBe(start + 3);
  expect(await stepOnce(page)).toBe(start + 4);
  // One numbering (issue #10): the status bar names the shown event by its index, as the log does.
  await expect(page.getByTestId('event-count')).toHaveText(`#${start + 3}`);
});

test('the state hash equals the CLI hash for the same preset and input', async ({ page }) => {
  await openPreset(page, 'console');
  const before = await eventCount(page);
  // Paste the line, so the guest gets it as one input, exactly as `run --type "echo hi\r"` types it
  // (xterm turns a pasted newline into the \r a terminal sends for Enter).
  await consoleOf(page, 0).click();
  await consoleOf(page, 0)
    .locator('textarea')
    .evaluate((ta) => {
      const dt = new DataTransfer();
      dt.setData('text/plain', 'echo hi\n');
      ta.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
    });
  await expect.poll(() => eventCount(page)).toBeGreaterThan(before);
  await waitIdle(page);
  await expect.poll(() => terminalLines(page, 0)).toContain('hi');
  const count = await eventCount(page);
  const hashEl = page.getByTestId('state-hash');
  await expect(hashEl).toHaveAttribute('data-events', String(count));
  const pageHash = (await hashEl.textContent()) ?? '';
  expect(pageHash).toMatch(/^[0-9a-f]{16}$/);

  // The CLI's side, in this process: the same Machine, input typed once idle (`run --type`).
  const s = validateScenario(PRESETS.console);
  if (!s.ok) throw new Error(s.error.message);
  const m = new Machine(s.value);
  runWithInputs(m, ['echo hi\r'], undefined, () => {});
  expect(m.events.count).toBe(count);
  expect(pageHash).toBe(m.hash());
});
