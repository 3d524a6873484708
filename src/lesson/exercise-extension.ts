/**
 * The `exercise` step field (issue #14), registered with the lesson format's
 * extension point (extensions.ts): its schema, and the checker `lesson check`
 * runs. The checker proves every exercise: its `solution` meets every goal
 * and its starting `source` does not (so the student has something to do).
 * schema.ts imports this module for its registration; CHECK's schema is
 * reached lazily, as schema.ts is still being evaluated when this runs.
 */
import { z } from 'zod';
import { MAX_SOURCE_CHARS } from '../scenario/script-syntax.ts';
import { evaluateCheck } from './checks.ts';
import { registerStepExtension, type CheckResult } from './extensions.ts';
import { runExercise, exerciseGuestProblem } from './exercise.ts';
import { CheckSchema, MAX_CHECKS, Num, type Check } from './schema.ts';
import type { Scenario } from '../scenario/scenario.ts';
import type { Machine } from '../machine/machine.ts';

export interface Exercise {
  readonly guest: number;
  readonly source: string;
  readonly solution: string;
  readonly goal: readonly Check[];
}

const Source = (what: string) => z.string({ error: `${what} is the script in the line syntax, a string` }).max(MAX_SOURCE_CHARS);

export const ExerciseSchema: z.ZodType<Exercise> = z.lazy(() =>
  z.strictObject({
    guest: Num(15),
    source: Source('source'),
    solution: Source('solution'),
    goal: z.array(CheckSchema).min(1, { message: 'an exercise needs at least one goal' }).max(MAX_CHECKS),
  }),
);

/** A goal judged against a machine that ran the exercise: every event of the run counts, the latest is the shown one. */
export const evaluateGoal = (c: Check, m: Machine): CheckResult => evaluateCheck(c, { m, since: 0, shown: m.events.count - 1 });
/** What a goal claims, when there was no run to judge it against. */
export const goalName = (c: Check): string => JSON.stringify(c);

/** Check an exercise's edited source: the run, each goal met or not. */
export function checkSource(start: Scenario, ex: Pick<Exercise, 'guest' | 'goal'>, source: string) {
  return runExercise(start, ex.guest, ex.goal, source, evaluateGoal, goalName);
}

registerStepExtension<Exercise>({
  field: 'exercise',
  schema: ExerciseSchema,
  check(ex, ctx) {
    const problem = exerciseGuestProblem(ctx.scenario, ex.guest);
    if (problem) return [{ check: `exercise guest ${ex.guest}`, ok: false, saw: problem }];
    const sol = checkSource(ctx.scenario, ex, ex.solution);
    const start = checkSource(ctx.scenario, ex, ex.source);
    const unmet = start.results.find((r) => !r.ok);
    return [
      ...(sol.error ? [{ check: 'exercise solution runs', ok: false, saw: sol.error }] : []),
      ...sol.results.map((r) => ({ ...r, check: `exercise solution meets ${r.check}` })),
      {
        check: 'exercise starting source leaves a goal unmet',
        ok: !start.met,
        saw: start.met ? 'the starting source already meets every goal' : start.error ? `it does not run: ${start.error}` : `unmet: ${unmet!.check} (saw ${unmet!.saw})`,
      },
    ];
  },
});
