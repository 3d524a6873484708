/**
 * Quiz mode (issue #14): `?quiz=SEED` opens the question beside its scenario,
 * paused before the deciding events; an answer is graded at once, the events
 * play and are highlighted, and the score counts. The expected answer comes
 * from the same generator the CLI runs (`quiz --seed N --json`).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { expect, test, type Page } from '@playwright/test';
import { generateQuiz } from '../src/quiz/generate.ts';
import { eventCount } from './page-helpers.ts';

const SEED = 4242;
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's violations inside the quiz panel (run through evaluate, so the page's CSP is not in the way). */
async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: string): Promise<{ violations: { id: string; help: string }[]; passes: unknown[] }> } }).axe;
    const r = await axe.run('[data-testid="quiz"]');
    // No rule passing would mean axe looked at nothing.
    return r.passes.length === 0 ? ['axe checked nothing'] : r.violations.map((v) => `${v.id}: ${v.help}`);
  });
}

async function openQuiz(page: Page, seed: number): Promise<ReturnType<typeof generateQuiz>> {
  const g = generateQuiz(seed);
  await page.goto(`/?quiz=${seed}`);
  const quiz = page.getByTestId('quiz');
  await expect(quiz).toHaveAttribute('data-seed', String(seed));
  await expect(quiz).toHaveAttribute('data-kind', g.quiz.kind);
  await expect(page.getByTestId('quiz-question')).toHaveText(g.quiz.question);
  // Paused just before the first event that decides the answer.
  await expect.poll(() => eventCount(page)).toBe(g.pauseAt);
  return g;
}

const choiceIndex = (g: ReturnType<typeof generateQuiz>, right: boolean): number =>
  g.quiz.choices.findIndex((c) => (JSON.stringify(c) === JSON.stringify(g.quiz.answer)) === right);

test('answer a quiz question right: graded at once, the deciding events play and are highlighted, the score counts', async ({ page }) => {
  const g = await openQuiz(page, SEED);
  await expect(page.getByTestId('quiz-choice')).toHaveCount(g.quiz.choices.length);
  await page.locator(`[data-testid="quiz-choice"][data-index="${choiceIndex(g, true)}"]`).click();
  await expect(page.getByTestId('quiz-result')).toHaveAttribute('data-correct', 'true');
  await expect(page.getByTestId('quiz-explain')).toHaveText(g.quiz.explain);
  await expect(page.getByTestId('quiz-score')).toHaveText('score 1/1');
  const last = g.decisive[g.decisive.length - 1];
  await expect.poll(() => eventCount(page)).toBe(last + 1);
  for (const i of g.decisive) await expect(page.locator(`.ev-row[data-index="${i}"]`)).toHaveClass(/quiz-hot/);
  await expect(page.getByTestId('quiz-choice').first()).toBeDisabled();
  expect(await axeViolations(page)).toEqual([]);
});

test('answer wrong, then "Another question" draws a new seed and keeps the score', async ({ page }) => {
  const g = await openQuiz(page, SEED + 1);
  await page.locator(`[data-testid="quiz-choice"][data-index="${choiceIndex(g, false)}"]`).click();
  await expect(page.getByTestId('quiz-result')).toHaveAttribute('data-correct', 'false');
  await expect(page.getByTestId('quiz-result')).toContainText('The simulator’s answer');
  await expect(page.getByTestId('quiz-score')).toHaveText('score 0/1');
  expect(await axeViolations(page)).toEqual([]);

  await page.getByTestId('quiz-next').click();
  const quiz = page.getByTestId('quiz');
  await expect(quiz).not.toHaveAttribute('data-seed', String(SEED + 1));
  await expect(page.getByTestId('quiz-result')).toHaveCount(0);
  const seed = Number(await quiz.getAttribute('data-seed'));
  expect(new URL(page.url()).searchParams.get('quiz')).toBe(String(seed));
  const next = generateQuiz(seed);
  await expect(page.getByTestId('quiz-question')).toHaveText(next.quiz.question);
  await page.locator(`[data-testid="quiz-choice"][data-index="${choiceIndex(next, true)}"]`).click();
  await expect(page.getByTestId('quiz-score')).toHaveText('score 1/2');

  // Training on one topic: the next question keeps the chosen kind and level.
  await page.getByTestId('quiz-kind').selectOption('bind-ret');
  await page.getByTestId('quiz-level').selectOption('hard');
  await page.getByTestId('quiz-next').click();
  await expect(quiz).toHaveAttribute('data-kind', 'bind-ret');
  await expect(page.getByTestId('quiz-question')).toContainText('BIND_DMA');
  const url = new URL(page.url()).searchParams;
  expect([url.get('kind'), url.get('level')]).toEqual(['bind-ret', 'hard']);
  const hard = generateQuiz(Number(url.get('quiz')), { kind: 'bind-ret', level: 'hard' });
  await expect(page.getByTestId('quiz-question')).toHaveText(hard.quiz.question);
});

test('the header button opens quiz mode from any preset; picking a preset leaves it', async ({ page }) => {
  await page.goto('/?preset=bad-dma');
  await page.getByTestId('quiz-open').click();
  await expect(page.getByTestId('quiz-question')).not.toBeEmpty();
  expect(new URL(page.url()).searchParams.get('quiz')).toMatch(/^\d+$/);
  await page.getByTestId('preset-picker').selectOption('console');
  await expect(page.getByTestId('quiz')).toHaveCount(0);
  await expect(page.locator('[data-testid="console"][data-guest="0"] .xterm-rows')).toContainText('lguest#');
  expect(new URL(page.url()).searchParams.get('quiz')).toBeNull();
});
