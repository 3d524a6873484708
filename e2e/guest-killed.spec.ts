/**
 * A guest killed mid-transfer (issue #7 "Must show"): on the net preset guest 1
 * floods guest 0 with pings; guest 0 sends a DMA to the kernel's deliberately
 * bad key (`poke-dma 0x1002`: not 4-byte aligned, so the Host kills it, spec
 * §2.2). Guest 0's kill reason shows; guest 1 and the rest of the page keep working.
 */
import { expect, test } from '@playwright/test';
import { consoleOf, eventCount, openPreset, terminalLines, typeLine } from './page-helpers.ts';

test('a guest killed mid-transfer shows its message while the rest of the page keeps working', async ({ page }) => {
  await openPreset(page, 'net', [0, 1]);
  await typeLine(page, 1, 'ping -f 0');
  // (Two consoles side by side are narrow: long lines wrap, so match a piece.)
  await expect(consoleOf(page, 1).locator('.xterm-rows')).toContainText('PING guest 0 (02:00:00:00:00:00)');
  // The flood is on: events keep coming.
  const during = await eventCount(page);
  await expect.poll(() => eventCount(page)).toBeGreaterThan(during + 1000);

  await typeLine(page, 0, 'poke-dma 0x1002');
  const kill = page.locator('[data-testid="kill-reason"][data-guest="0"]');
  await expect(kill).toContainText('guest 0 killed: bad sending DMA key');
  await expect(page.locator('[data-testid="kill-reason"][data-guest="1"]')).toHaveCount(0);
  await expect(consoleOf(page, 0).locator('.xterm-rows')).toContainText('poke-dma: SEND_DMA key 0x1002');
  // Guest 1's flood notices its peer is gone, and its console still answers.
  await expect.poll(() => terminalLines(page, 1)).toContain('ping: guest 0 unreachable');
  await typeLine(page, 1, 'echo guest 1 lives');
  await expect.poll(() => terminalLines(page, 1)).toContain('guest 1 lives');
  // The rest of the page works: the kill reason jumps to its event, stepping still steps.
  await kill.click();
  await page.getByTestId('pause').click();
  // The flood may still be mid-slice when pause lands: wait until the page says paused and the shown count holds still.
  await expect(page.getByTestId('status')).toHaveAttribute('data-running', 'false');
  let at = -1;
  await expect
    .poll(async () => {
      const before = at;
      at = await eventCount(page);
      return at === before;
    }, { intervals: [250] })
    .toBe(true);
  await page.getByTestId('step-back').click();
  await expect.poll(() => eventCount(page)).toBe(at - 1);
  await expect(page.getByTestId('fault-banner')).toHaveCount(0);
});
