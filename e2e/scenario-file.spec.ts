/** Opening scenario files: a bad one is refused with its message and the session goes on; a good one loads and runs. */
import { expect, test } from '@playwright/test';
import { openPreset, terminalLines, typeLine } from './page-helpers.ts';

/** A scripted guest that binds a buffer and waits (the workbench's first lesson). */
const BIND_AND_WAIT = {
  name: 'bind and wait',
  guests: [
    {
      kernel: 'script',
      memory: 0x10000,
      script: [
        { op: 'write', addr: 0x2000, u32: [0] },
        { op: 'write', addr: 0x2004, u16: [64] },
        { op: 'write', addr: 0x2024, u32: [0x3000] },
        { op: 'hcall', call: 'BIND_DMA', args: [0x4000, 0x2000, 0x103] },
        { op: 'wait' },
      ],
    },
  ],
};

test('a bad scenario file is refused with its message and the session keeps running', async ({ page }) => {
  await openPreset(page, 'console');
  await page.getByTestId('scenario-file').setInputFiles({
    name: 'broken.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify({ guests: [{ kernel: 'script', script: [{ op: 'jump' }] }] })),
  });
  await expect(page.getByTestId('load-error')).toContainText('broken.json: guests[0].script[0].op: unknown op; use write, read, hcall, wait or yield');
  await expect(page.getByTestId('preset-picker')).toHaveValue('console');
  await typeLine(page, 0, 'echo still here');
  await expect.poll(() => terminalLines(page, 0)).toContain('still here');
});

test('a scripted scenario file loads; the workbench lists its steps with results', async ({ page }) => {
  await openPreset(page, 'console');
  await page.getByTestId('scenario-file').setInputFiles({ name: 'bind.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(BIND_AND_WAIT)) });
  await expect(page.getByTestId('load-error')).toHaveCount(0);
  const steps = page.getByTestId('script-step');
  await expect(steps).toHaveCount(5);
  await expect(steps.nth(3)).toContainText('hcall BIND_DMA(0x4000, 0x2000, 0x103)');
  await expect(steps.nth(3)).toContainText('ret 1');
  await expect(steps.nth(4)).toHaveClass(/current/);
  await expect(page.locator('[data-testid="dma-key"][data-key="0x4000"]')).toHaveCount(1);
  // Select the key: its one lguest_dma entry shows a 64-byte section at 0x3000.
  await page.locator('[data-testid="dma-key"][data-key="0x4000"]').click();
  const entry = page.getByTestId('dma-entry').first();
  await expect(entry).toHaveAttribute('data-used-len', '0');
  await entry.getByRole('button', { name: '0x3000+64' }).click();
  await expect(page.getByTestId('hex-view')).toContainText('64 bytes at 0x3000');
});

test('a scenario file dropped on the page loads', async ({ page }) => {
  await openPreset(page, 'console');
  await page.evaluate((text) => {
    const dt = new DataTransfer();
    dt.items.add(new File([text], 'dropped.json', { type: 'application/json' }));
    window.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
    window.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, JSON.stringify(BIND_AND_WAIT));
  await expect(page.getByTestId('script-step')).toHaveCount(5);
  await expect(page.getByTestId('preset-picker')).toHaveValue('');
  await expect(page.getByTestId('preset-picker').locator('option:checked')).toHaveText('file: dropped.json');
});
