/**
 * `lesson check`'s logic (issue #13): play every step headless, evaluate
 * every check, and say per step `ok step K` or
 * `FAIL step K: <check> — saw <what>` (the first failing check of the step;
 * the JSON report has them all).
 */
import type { CheckResult } from './extensions.ts';
import { openLesson, type StepReport } from './player.ts';
import type { Lesson } from './schema.ts';

export interface LessonReport {
  readonly id: string;
  readonly title: string;
  readonly ok: boolean;
  readonly steps: readonly StepReport[];
}

export function checkLesson(lesson: Lesson): LessonReport {
  const p = openLesson(lesson);
  const steps: StepReport[] = [];
  for (let k = 0; k < p.steps; k++) steps.push(p.goTo(k));
  return { id: lesson.id, title: lesson.title, ok: steps.every((s) => s.ok), steps };
}

export function failLine(step: number, r: CheckResult): string {
  return `FAIL step ${step}: ${r.check} — saw ${r.saw}`;
}

/** One line per step. */
export function reportLines(r: LessonReport): string[] {
  return r.steps.map((s) => {
    const bad = s.results.filter((x) => !x.ok);
    if (bad.length === 0) return `ok step ${s.step}`;
    return failLine(s.step, bad[0]) + (bad.length > 1 ? ` (and ${bad.length - 1} more)` : '');
  });
}
