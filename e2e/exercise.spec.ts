/** Exercises (issue #14): open one, Check the starting code (a goal unmet, with what was seen), solve it, Check again. */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { editorOf, typeScript, waitIdle } from './page-helpers.ts';


test('solve an exercise: the starting code misses a goal and says what it saw; the fix meets every goal', async ({ page }) => {
  await page.goto('/?exercise=workbench:4');
  const ex = page.getByTestId('exercise');
  await expect(ex).toHaveAttribute('data-guest', '1');
  await expect(editorOf(page, 1)).toHaveAttribute('data-ready', 'true');
  // The editor opens on guest 1's starting code, alone.
  await expect(page.getByTestId('script-editor')).toHaveCount(1);
  await expect(editorOf(page, 1).locator('.cm-content')).toContainText("# Exercise: ring guest 0's doorbell");
  await waitIdle(page);
  await page.getByTestId('exercise-check').click();
  const result = page.getByTestId('exercise-result');
  await expect(result).toHaveAttribute('data-met', 'false');
  const goals = page.getByTestId('exercise-goal');
  await expect(goals).toHaveCount(2);
  await expect(goals.first()).toHaveAttribute('data-met', 'false');
  await expect(goals.first()).toContainText('saw');
  await typeScript(page, 1, ['dma 0x4000 used=0', 'hcall SEND_DMA 0x30000 0x4000']);
  await page.getByTestId('exercise-check').click();
  await expect(result).toHaveAttribute('data-met', 'true');
  await expect(goals.nth(0)).toHaveAttribute('data-met', 'true');
  await expect(goals.nth(1)).toHaveAttribute('data-met', 'true');
  // Check also ran it as the session: the send's line shows its result, and the exercise stays open.
  await waitIdle(page);
  await expect(editorOf(page, 1).locator('[data-testid="script-line-result"][data-line="2"]')).toHaveText('ret 0xd');
  await expect(ex).toBeVisible();
});

test('the exercise picker lists the lessons’ exercises and opens one', async ({ page }) => {
  await page.goto('/?preset=bind-and-send');
  await waitIdle(page);
  const picker = page.getByTestId('exercise-picker');
  await picker.focus();
  await expect(picker.locator('option')).toHaveCount(7);
  await picker.selectOption('breaking-the-rules:3');
  await expect(page.getByTestId('exercise')).toHaveAttribute('data-guest', '3');
  await expect(editorOf(page, 3).locator('.cm-content')).toContainText('bad DMA entry: 256@0x3f80');
});

test('a lesson step with an exercise offers "Try the exercise", which opens it in the script editor', async ({ page }) => {
  await page.goto('/?lesson=workbench&step=0');
  const lesson = page.getByTestId('lesson');
  await expect(lesson).toHaveAttribute('data-step', '0');
  await expect(page.getByTestId('lesson-next')).toBeEnabled();
  // Step 1 narrates; it carries no exercise, so no button.
  await expect(page.getByTestId('lesson-exercise')).toHaveCount(0);
  await page.goto('/?lesson=workbench&step=4');
  await expect(lesson).toHaveAttribute('data-step', '4');
  const button = page.getByTestId('lesson-exercise');
  await expect(button).toHaveText('Try the exercise');
  await button.click();
  await expect(page.getByTestId('exercise')).toHaveAttribute('data-guest', '1');
  await expect(page.getByTestId('script-editor')).toHaveCount(1);
  await expect(editorOf(page, 1)).toHaveAttribute('data-ready', 'true');
  await expect(editorOf(page, 1).locator('.cm-content')).toContainText("# Exercise: ring guest 0's doorbell");
});
