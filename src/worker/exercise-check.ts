/**
 * The worker's side of an exercise's Check (issue #14): the page sends the
 * lesson's `start` and the exercise's goals as the lesson file holds them
 * (data, validated here with the lesson format's own schemas) and the
 * edited source; a machine of its own runs the start scenario from the
 * beginning with that source, and each goal is judged as `lesson check`
 * judges it. The session's machine is not touched.
 */
import { z } from 'zod';
import { checkSource } from '../lesson/exercise-extension.ts';
import { CheckSchema, MAX_CHECKS, StartSchema } from '../lesson/schema.ts';
import { PRESETS } from '../scenario/presets.ts';
import { validateScenario, type Scenario } from '../scenario/scenario.ts';
import { MAX_SOURCE_CHARS } from '../scenario/script-syntax.ts';
import type { ExerciseReply, ExerciseRequest } from './api.ts';

const Goals = z.array(CheckSchema).min(1).max(MAX_CHECKS);

export function checkExercise(req: ExerciseRequest): ExerciseReply {
  if (typeof req.source !== 'string' || req.source.length > MAX_SOURCE_CHARS) return { ok: false, error: `the source must be text of at most ${MAX_SOURCE_CHARS} characters` };
  if (!Number.isInteger(req.guest) || req.guest < 0 || req.guest > 15) return { ok: false, error: `exercise guest ${String(req.guest)} is not a guest index` };
  const st = StartSchema.safeParse(req.start);
  if (!st.success) return { ok: false, error: `start: ${st.error.issues[0].message}` };
  let start: Scenario;
  if ('preset' in st.data) {
    const p = PRESETS[st.data.preset];
    if (!p) return { ok: false, error: `start: unknown preset ${st.data.preset}` };
    const v = validateScenario(p);
    if (!v.ok) return { ok: false, error: `start: ${v.error.message}` };
    start = v.value;
  } else start = st.data.scenario;
  const goal = Goals.safeParse(req.goal);
  if (!goal.success) return { ok: false, error: `goal: ${goal.error.issues[0].message}` };
  const r = checkSource(start, { guest: req.guest, goal: goal.data }, req.source);
  return { ok: true, met: r.met, error: r.error, results: r.results.map(({ check, ok, saw }) => ({ check, ok, saw })) };
}
