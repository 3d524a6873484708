/**
 * The page replays a link in slices (issue #11): a progress bar and Cancel
 * while it runs, the page responsive meanwhile; a link asking for more than
 * the page's budget is refused with a message; a CRASH reason made of UTF-8
 * bytes reads as the text they spell.
 */
import { expect, test } from '@playwright/test';
import { encodeLink } from '../src/trace/link.ts';
import { makeRecording } from '../src/trace/recording.ts';
import { PAGE_REPLAY_BUDGET } from '../src/worker/sliced-replay.ts';

test('a long link replays behind a progress bar that counts up, and Cancel stops it where it is', async ({ page }) => {
  const link = encodeLink(makeRecording({ preset: 'net' }, [{ at: -1, guest: 0, text: 'ping 1 400000\n', idle: true }]));
  await page.goto(`/#${link}`);
  const bar = page.getByTestId('replay-progress');
  await expect(bar).toBeVisible();
  const done = async (): Promise<number> => Number(((await page.getByTestId('replay-done').textContent()) ?? '0').replace(/,/g, ''));
  const first = await done();
  await expect.poll(done).toBeGreaterThan(first);
  await page.screenshot({ path: 'test-results/replay-progress.png' });
  await page.getByTestId('replay-cancel').click();
  await expect(bar).toBeHidden();
  await expect(page.getByTestId('link-error')).toContainText(/the replay was cancelled after \d+( of \d+)? events/);
  // The session stays where the replay stopped: the shown count no longer moves.
  const at = Number(await page.getByTestId('event-count').getAttribute('data-count'));
  expect(at).toBeGreaterThan(first);
  await page.waitForTimeout(300);
  expect(Number(await page.getByTestId('event-count').getAttribute('data-count'))).toBe(at);
});

test('a link that asks for more events than the page replays is refused with a message', async ({ page }) => {
  const link = encodeLink(makeRecording({ preset: 'console' }, [], PAGE_REPLAY_BUDGET + 1));
  await page.goto(`/#${link}`);
  await expect(page.getByTestId('link-error')).toContainText(`this recording needs ${PAGE_REPLAY_BUDGET + 1} events replayed; the page replays at most ${PAGE_REPLAY_BUDGET}`);
  await expect(page.getByTestId('replay-progress')).toHaveCount(0);
});

test('a CRASH reason in UTF-8 shows as the text its bytes spell', async ({ page }) => {
  const bytes = [...new TextEncoder().encode('héllo ☃'), 0];
  const scenario = { name: 'utf8-crash', arch: 'i386' as const, guests: [{ kernel: 'script' as const, memory: 65536, script: [{ op: 'write' as const, addr: 4096, u8: bytes }, { op: 'hcall' as const, call: 'CRASH', args: [4096] }] }] };
  await page.goto(`/#${encodeLink(makeRecording({ scenario }, []))}`);
  await expect(page.getByTestId('kill-reason')).toContainText('CRASH: héllo ☃');
});
