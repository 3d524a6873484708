/** The block, net and bad-dma presets in a real browser (issue #4 "Must show"). */
import { expect, test } from '@playwright/test';
import { LGUEST_DEVICE_S_DRIVER_OK, LGUEST_DEVICE_T_NET } from '../src/abi/constants.ts';
import { consoleOf, openPreset, stepOnce, terminalLines, typeLine } from './page-helpers.ts';

test('block: write then read shows the data, and the block page goes pending → done', async ({ page }) => {
  await openPreset(page, 'block');
  const blockPage = page.getByTestId('block-page');
  await expect(blockPage).toHaveAttribute('data-state', 'idle');
  await typeLine(page, 0, 'blk write 5 abc');
  await expect.poll(() => terminalLines(page, 0)).toContain('blk: wrote 512 bytes to sector 5');
  await expect(blockPage).toHaveAttribute('data-result', '1');

  // Walk the read one event at a time until the guest has filled in the page (result 0: pending).
  await page.getByTestId('pause').click();
  await typeLine(page, 0, 'blk read 5');
  let sawPending = false;
  for (let k = 0; k < 300 && !sawPending; k++) {
    await stepOnce(page);
    sawPending = (await blockPage.getAttribute('data-result')) === '0';
  }
  expect(sawPending).toBe(true);
  await expect(blockPage).toHaveAttribute('data-state', 'pending');
  await page.getByTestId('run').click();
  await expect(blockPage).toHaveAttribute('data-result', '1');
  await expect(blockPage).toHaveAttribute('data-state', 'done');
  await expect.poll(() => terminalLines(page, 0)).toContain('abc');
  await expect(blockPage.locator('ol.history li').first()).toContainText('read sector 5');
});

test('net: both guests reach DRIVER_OK and ping 1 gets a reply', async ({ page }) => {
  await openPreset(page, 'net', [0, 1]);
  for (const g of [0, 1]) {
    const row = page.locator(`[data-testid="device-row"][data-guest="${g}"][data-type="${LGUEST_DEVICE_T_NET}"]`);
    await expect(row).toHaveCount(1);
    await expect.poll(async () => Number(await row.getAttribute('data-status')) & LGUEST_DEVICE_S_DRIVER_OK).toBe(LGUEST_DEVICE_S_DRIVER_OK);
  }
  await expect(page.getByTestId('net-page').getByTestId('net-slot')).toHaveCount(3);
  await typeLine(page, 0, 'ping 1');
  await expect.poll(() => terminalLines(page, 0)).toContain('64 bytes: reply from guest 1 seq=1');
  // The request and the reply both show up as transfers between the guests.
  await expect(page.getByTestId('net-transfer').filter({ hasText: 'guest 0 → guest 1' }).first()).toBeVisible();
  await expect(page.getByTestId('net-transfer').filter({ hasText: 'guest 1 → guest 0' }).first()).toBeVisible();
  await expect(consoleOf(page, 1)).toBeVisible();
});

test('bad-dma: the sender is killed with its reason, the receiver lives on', async ({ page }) => {
  await page.goto('/?preset=bad-dma');
  const kill = page.locator('[data-testid="kill-reason"][data-guest="1"]');
  await expect(kill).toContainText('bad DMA entry: 256@0x3f80');
  await expect(page.locator('[data-testid="kill-reason"][data-guest="0"]')).toHaveCount(0);
  // The workbench shows the killing step, and the receiver's shared key is still bound.
  await expect(page.getByTestId('workbench')).toContainText('killed: bad DMA entry: 256@0x3f80');
  await expect(page.locator('[data-testid="dma-key"][data-guest="0"][data-key="0x40000"]')).toHaveCount(1);
  await expect(page.locator('[data-testid="dma-key"][data-guest="1"]')).toHaveCount(0);
});
