/**
 * Issue #13: the lesson player in the page and presenter mode. Lessons play to
 * their end with every check ticked (the worker's player, the one `lesson
 * check` runs); the URL and share links carry the lesson and step; the font
 * scale reaches the terminal and the event log; axe passes with the panel open.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { expect, test, type Page } from '@playwright/test';
import { consoleOf } from './page-helpers.ts';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

async function axeProblems(page: Page, include: string): Promise<string[]> {
  await page.evaluate(AXE);
  return page.evaluate(async (sel) => {
    const ax = (window as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const r = await ax.run({ include: [sel] }, { resultTypes: ['violations'] });
    return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
  }, include);
}

const panel = (page: Page) => page.getByTestId('lesson');

/** Wait until step k is shown, done playing, and every one of its checks holds. */
async function expectStepTicked(page: Page, k: number): Promise<void> {
  await expect(panel(page)).toHaveAttribute('data-step', String(k));
  await expect(panel(page)).toHaveAttribute('aria-busy', 'false', { timeout: 20_000 });
  const checks = page.getByTestId('lesson-check');
  await expect(checks.first()).toBeVisible();
  const n = await checks.count();
  for (let i = 0; i < n; i++) await expect(checks.nth(i), `step ${k} check ${i}`).toHaveAttribute('data-ok', 'true');
}

for (const id of ['lguest-bus', 'network', 'breaking-the-rules']) {
  test(`lesson ${id} plays to its end in the page, every check ticked`, async ({ page }) => {
    test.setTimeout(120_000);
    await page.goto('/');
    await page.getByTestId('lesson-picker').selectOption(id);
    await expect(panel(page)).toHaveAttribute('data-lesson', id);
    const steps = Number(await panel(page).getAttribute('data-steps'));
    expect(steps).toBeGreaterThanOrEqual(6);
    await expectStepTicked(page, 0);
    await expect(page.getByTestId('lesson-prev')).toBeDisabled();
    for (let k = 1; k < steps; k++) {
      await page.getByTestId('lesson-next').click();
      await expectStepTicked(page, k);
      await expect(page).toHaveURL(new RegExp(`[?&]lesson=${id}&step=${k}$`));
    }
    await expect(page.getByTestId('lesson-next')).toBeDisabled();
  });
}

test('?lesson=…&step=3 opens at step 3; the keys turn pages; a share link made there reopens there', async ({ page, context }) => {
  await page.goto('/?lesson=console-output&step=3');
  await expectStepTicked(page, 3);
  await expect(page.getByTestId('lesson-say')).not.toBeEmpty();
  // PageDown / PageUp anywhere; ← / → inside the panel (not the machine's step keys there).
  await page.keyboard.press('PageDown');
  await expectStepTicked(page, 4);
  await page.keyboard.press('PageUp');
  await expectStepTicked(page, 3);
  const count = await page.getByTestId('event-count').getAttribute('data-count');
  await panel(page).focus();
  await page.keyboard.press('ArrowRight');
  await expectStepTicked(page, 4);
  await page.keyboard.press('ArrowLeft');
  await expectStepTicked(page, 3);
  await expect(page.getByTestId('event-count')).toHaveAttribute('data-count', count ?? '');
  // Share at step 3.
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.getByTestId('share').click();
  const url = await page.getByTestId('share-link').inputValue();
  expect(url).toContain('#1.');
  const other = await context.newPage();
  await other.goto(url);
  await expect(other.getByTestId('lesson')).toHaveAttribute('data-lesson', 'console-output');
  await expectStepTicked(other, 3);
  await expect(other.getByTestId('event-count')).toHaveAttribute('data-count', count ?? '');
});

test('font scale 1.5: the terminal and the event log grow ≥ 1.4×; presenter mode with P; axe with the lesson open', async ({ page }) => {
  await page.goto('/?lesson=network&step=2');
  await expectStepTicked(page, 2);
  const sizes = async (): Promise<[number, number]> => {
    const term = await consoleOf(page, 0).locator('.xterm-rows').evaluate((e) => parseFloat(getComputedStyle(e).fontSize));
    const log = await page.locator('[data-testid="event-log"] .ev-row').first().evaluate((e) => parseFloat(getComputedStyle(e).fontSize));
    return [term, log];
  };
  const [t1, l1] = await sizes();
  await page.getByTestId('font-scale').selectOption('1.5');
  await expect(page.getByTestId('font-scale')).toHaveValue('1.5');
  await expect.poll(async () => (await sizes())[0]).toBeGreaterThanOrEqual(1.4 * t1);
  const [, l15] = await sizes();
  expect(l15).toBeGreaterThanOrEqual(1.4 * l1);
  await page.getByTestId('font-scale').selectOption('1');
  // P: presenter mode (projector scale, empty descriptor rows hidden, the two consoles stacked).
  await page.locator('body').press('p');
  await expect(page.getByTestId('presenter')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('font-scale')).toHaveValue('1.5');
  await expect(page.locator('[data-testid="device-row"].empty').first()).toBeHidden();
  const [a, b] = await Promise.all([consoleOf(page, 0).boundingBox(), consoleOf(page, 1).boundingBox()]);
  expect(b!.y).toBeGreaterThan(a!.y + a!.height - 1);
  for (const colorScheme of ['dark', 'light'] as const) {
    await page.emulateMedia({ colorScheme });
    expect(await axeProblems(page, '[data-testid="lesson"]'), colorScheme).toEqual([]);
    // The whole page with the lesson open, in presenter mode.
    expect(await axeProblems(page, 'body'), `${colorScheme}: page`).toEqual([]);
  }
  await page.getByTestId('presenter').click();
  await expect(page.getByTestId('font-scale')).toHaveValue('1');
});

test('a lesson file opens with open… like a scenario; a malformed one says where', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('status')).toHaveAttribute('data-idle', 'true');
  const lesson = JSON.parse(readFileSync('public/lessons/02-console-output.json', 'utf8')) as { id: string };
  lesson.id = 'my-console-lesson';
  await page.getByTestId('scenario-file').setInputFiles({ name: 'mine.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(lesson)) });
  await expect(panel(page)).toHaveAttribute('data-lesson', 'my-console-lesson');
  await expectStepTicked(page, 0);
  await page.getByTestId('lesson-next').click();
  await expectStepTicked(page, 1);
  // Not a built-in lesson: the URL cannot name it.
  expect(new URL(page.url()).searchParams.get('lesson')).toBeNull();
  (lesson as unknown as { steps: { say: string }[] }).steps[1].say = '<script>x</script>';
  await page.getByTestId('scenario-file').setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(lesson)) });
  await expect(page.getByTestId('load-error')).toContainText('bad.json: steps[1].say');
});
