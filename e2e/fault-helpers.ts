/** What the fault, flood and bad-input tests do to the page besides page-helpers.ts: hooks, pastes, status reads. */
import { expect, type Page } from '@playwright/test';
import type { LguestLabTestHooks } from '../src/ui/client/worker-supervisor.ts';
import { consoleOf, eventCount } from './page-helpers.ts';

type HookWindow = Window & { __lguestLab?: LguestLabTestHooks };

export async function injectFault(page: Page, atCount: number): Promise<void> {
  await page.evaluate((n) => (window as HookWindow).__lguestLab!.injectFault(n), atCount);
}

export async function killWorker(page: Page): Promise<void> {
  await page.evaluate(() => (window as HookWindow).__lguestLab!.killWorker());
}

export async function crashWorker(page: Page, message: string): Promise<void> {
  await page.evaluate((m) => (window as HookWindow).__lguestLab!.crashWorker(m), message);
}

/** Events in the page's own copy of the recording (null: no copy yet). */
export async function keptEvents(page: Page): Promise<number | null> {
  return page.evaluate(() => (window as HookWindow).__lguestLab!.kept()?.events ?? null);
}

export async function stateHash(page: Page): Promise<{ hash: string; at: number }> {
  const el = page.getByTestId('state-hash');
  return { hash: (await el.textContent()) ?? '', at: Number(await el.getAttribute('data-events')) };
}

/** Wait until the status line's hash is for the shown event count, and return both. */
export async function settledHash(page: Page): Promise<{ hash: string; count: number }> {
  await expect(page.getByTestId('status')).toHaveAttribute('data-idle', 'true');
  const count = await eventCount(page);
  await expect(page.getByTestId('state-hash')).toHaveAttribute('data-events', String(count));
  return { hash: (await stateHash(page)).hash, count };
}

/** Paste `text` into a guest's terminal as a browser paste (xterm hands it to onData as one string). */
export async function paste(page: Page, guest: number, text: string): Promise<void> {
  await consoleOf(page, guest).click();
  await consoleOf(page, guest)
    .locator('textarea')
    .evaluate((ta, t) => {
      const dt = new DataTransfer();
      dt.setData('text/plain', t);
      ta.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
    }, text);
}

/** Start counting animation frames in the page (performance.now() at the start of each callback). */
export async function startFrameLog(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __frames: number[] };
    w.__frames = [];
    const tick = (): void => {
      w.__frames.push(performance.now());
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
}

/** Frames since startFrameLog, and the longest gap between two of them (ms). */
export async function frameLog(page: Page, since = 0): Promise<{ frames: number; longestGapMs: number; spanMs: number }> {
  return page.evaluate((t0) => {
    const f = (window as unknown as { __frames: number[] }).__frames.filter((t) => t >= t0);
    let gap = 0;
    for (let i = 1; i < f.length; i++) gap = Math.max(gap, f[i] - f[i - 1]);
    return { frames: f.length, longestGapMs: gap, spanMs: f.length > 1 ? f[f.length - 1] - f[0] : 0 };
  }, since);
}
