/**
 * Plain static hosting (no COOP/COEP headers): no SharedArrayBuffer, so the
 * page runs on a copy of the buffers per frame and says so.
 */
import { expect, test } from '@playwright/test';
import { consoleOf, terminalLines, typeLine } from './page-helpers.ts';

test('without cross-origin isolation the page still works on per-frame copies', async ({ page }) => {
  await page.route('**/*', async (route) => {
    const response = await route.fetch();
    const headers = { ...response.headers() };
    delete headers['cross-origin-opener-policy'];
    delete headers['cross-origin-embedder-policy'];
    await route.fulfill({ response, headers });
  });
  await page.goto('/');
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);
  await expect(page.getByTestId('not-isolated')).toBeVisible();
  await expect(consoleOf(page, 0).locator('.xterm-rows')).toContainText('lguest#');
  await typeLine(page, 0, 'echo copied');
  await expect.poll(() => terminalLines(page, 0)).toContain('copied');
  await expect(page.locator('[data-testid="device-row"][data-type="1"]')).toHaveAttribute('data-status', '7');
});
