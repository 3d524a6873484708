/**
 * Exercises (issue #14): a lesson step the student solves by editing one
 * scripted guest's source. `"exercise": {"guest": G, "source": "…starting
 * code…", "solution": "…", "goal": [CHECK…]}`. Checking runs the lesson's
 * start scenario from the beginning with guest G's script replaced by the
 * edited source, until every guest is idle, and judges each goal (a CHECK of
 * the lesson format) against that machine; `seen` looks at every event of
 * the run. Nothing here is an answer typed by hand: `lesson check` proves
 * that the solution meets every goal and the starting code does not.
 */
import { Machine } from '../machine/machine.ts';
import { validateScenario, type Scenario } from '../scenario/scenario.ts';
import { compileScript, formatSyntaxError } from '../scenario/script-syntax.ts';

/** One judged goal: what it claims, whether it holds, what the run showed. */
export interface GoalResult {
  readonly check: string;
  readonly ok: boolean;
  readonly saw: string;
}

export interface ExerciseRun {
  /** Every goal met. */
  readonly met: boolean;
  /** The source's first syntax error (`line 4, col 14: …`), or a scenario problem; null when it ran. */
  readonly error: string | null;
  /** One per goal, in order (all unmet when the source did not run). */
  readonly results: readonly GoalResult[];
}

/** Judges one goal against a machine that ran (the lesson format's evaluate). */
export type Evaluate<C> = (check: C, m: Machine) => GoalResult;

/** Why guest G cannot be an exercise's guest in this scenario, or null when it can. */
export function exerciseGuestProblem(start: Scenario, guest: number): string | null {
  const g = start.guests[guest];
  if (!g) return `the scenario has no guest ${guest} (guests 0..${start.guests.length - 1})`;
  if (g.kernel !== 'script') return `guest ${guest} runs the built-in kernel; an exercise edits a scripted guest`;
  return null;
}

/** The start scenario with guest G running `source` instead of its own script. */
export function exerciseScenario(start: Scenario, guest: number, source: string): unknown {
  const copy = structuredClone(start);
  copy.guests = copy.guests.map((g, i) => {
    if (i !== guest) return g;
    const { script: _script, ...rest } = g;
    return { ...rest, source };
  });
  return copy;
}

/** The machine of the exercise with `source`, run until idle; or the reason it could not be built. */
export function exerciseMachine(start: Scenario, guest: number, source: string): { ok: true; m: Machine } | { ok: false; error: string } {
  const problem = exerciseGuestProblem(start, guest);
  if (problem) return { ok: false, error: problem };
  // The source's own mistakes first, named by line and column as the editor shows them.
  const c = compileScript(source, start.arch);
  if (!c.ok) return { ok: false, error: formatSyntaxError(c.errors[0]) };
  const v = validateScenario(exerciseScenario(start, guest, source));
  if (!v.ok) return { ok: false, error: v.error.message };
  const m = new Machine(v.value);
  // A script is a finite list of steps: the run ends idle (a wait nobody answers leaves its guest halted).
  m.runUntilIdle();
  return { ok: true, m };
}

export function runExercise<C>(start: Scenario, guest: number, goal: readonly C[], source: string, evaluate: Evaluate<C>, name: (c: C) => string): ExerciseRun {
  const built = exerciseMachine(start, guest, source);
  if (!built.ok) return { met: false, error: built.error, results: goal.map((c) => ({ check: name(c), ok: false, saw: `the script did not run: ${built.error}` })) };
  const results = goal.map((c) => evaluate(c, built.m));
  return { met: results.every((r) => r.ok), error: null, results };
}
