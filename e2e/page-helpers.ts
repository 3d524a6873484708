/** What the browser tests do to the page: open a preset, read a guest's terminal, type into it, step. */
import { expect, type Locator, type Page } from '@playwright/test';

export const consoleOf = (page: Page, guest: number): Locator => page.locator(`[data-testid="console"][data-guest="${guest}"]`);

export const editorOf = (page: Page, guest: number): Locator => page.locator(`[data-testid="script-editor"][data-guest="${guest}"]`);

/** Replace guest `guest`'s script in the editor by typing it, line by line, as a person would. */
export async function typeScript(page: Page, guest: number, lines: readonly string[]): Promise<void> {
  await editorOf(page, guest).locator('.cm-content').click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.press('Delete');
  for (const l of lines) {
    await page.keyboard.type(l);
    await page.keyboard.press('Enter');
  }
}

/** The terminal's visible lines (xterm's DOM renderer rows), trailing blanks trimmed. */
export async function terminalLines(page: Page, guest: number): Promise<string[]> {
  const text = await consoleOf(page, guest).locator('.xterm-rows').innerText();
  return text.split('\n').map((l) => l.replace(/\u00a0/g, ' ').trimEnd());
}

/** Open a preset and wait until its guest(s) booted to a prompt and everything is idle. */
export async function openPreset(page: Page, preset: string, prompts: number[] = [0]): Promise<void> {
  await page.goto(preset === 'console' ? '/' : `/?preset=${preset}`);
  for (const g of prompts) await expect(consoleOf(page, g).locator('.xterm-rows')).toContainText('lguest#');
  await waitIdle(page);
}

export async function waitIdle(page: Page): Promise<void> {
  await expect(page.getByTestId('status')).toHaveAttribute('data-idle', 'true');
}

/** Type as a person would: focus guest `guest`'s terminal and press the keys. */
export async function typeLine(page: Page, guest: number, line: string): Promise<void> {
  await consoleOf(page, guest).click();
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
}

export async function eventCount(page: Page): Promise<number> {
  return Number(await page.getByTestId('event-count').getAttribute('data-count'));
}

/** Click step and wait until the page shows the next event. */
export async function stepOnce(page: Page): Promise<number> {
  const before = await eventCount(page);
  await page.getByTestId('step').click();
  await expect.poll(() => eventCount(page)).toBeGreaterThan(before);
  return eventCount(page);
}
