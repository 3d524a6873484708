/**
 * Exercises in the page (issue #14): find them in the built-in lessons
 * (public/lessons/, fetched only when asked for), open one (its start
 * scenario as a session with guest G running the starting code, the editor
 * on that guest), and Check it (the worker runs the scenario from the start
 * with the edited script and judges each goal). The lesson files are data:
 * the page reads them loosely and the worker validates what it is sent.
 */
import { LESSON_CATALOG } from '../../../lesson/catalog.ts';
import type { ScenarioInput } from '../../../scenario/scenario.ts';
import { PRESETS } from '../../../scenario/presets.ts';
import type { ExerciseRequest } from '../../../worker/api.ts';
import type { SimClient } from '../../client/sim-client.ts';
import { useEditor, type ExerciseState } from './editor-store.ts';
import { loadEdited } from './editor-actions.ts';
import { editedScenario } from './script-session.ts';

/** One exercise as the picker lists it. */
export interface ExerciseEntry {
  readonly lesson: string;
  readonly title: string;
  readonly step: number;
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

async function fetchLesson(file: string): Promise<Record<string, unknown>> {
  const r = await fetch(`${import.meta.env.BASE_URL}lessons/${file}`);
  if (!r.ok) throw new Error(`lessons/${file}: ${r.status} ${r.statusText}`);
  const data: unknown = await r.json();
  if (!isObject(data)) throw new Error(`lessons/${file}: not a lesson`);
  return data;
}

/** Every step of every built-in lesson that carries an exercise, in the journey's order. */
export async function listExercises(): Promise<ExerciseEntry[]> {
  const out: ExerciseEntry[] = [];
  for (const e of LESSON_CATALOG) {
    const l = await fetchLesson(e.file);
    const steps = Array.isArray(l.steps) ? l.steps : [];
    steps.forEach((s, k) => isObject(s) && isObject(s.exercise) && out.push({ lesson: e.id, title: String(l.title ?? e.id), step: k }));
  }
  return out;
}

/** The scenario a lesson starts from, as the page can build it: a preset's, or the lesson's own. */
function startScenario(start: unknown): ScenarioInput | null {
  if (!isObject(start)) return null;
  if (typeof start.preset === 'string') return PRESETS[start.preset] ?? null;
  return isObject(start.scenario) ? (start.scenario as unknown as ScenarioInput) : null;
}

export async function openExercise(client: SimClient, lessonId: string, step: number): Promise<boolean> {
  const set = (error: string): false => (useEditor.getState().setExerciseError(error), false);
  const entry = LESSON_CATALOG.find((e) => e.id === lessonId);
  if (!entry) return set(`no lesson "${lessonId}"`);
  let lesson: Record<string, unknown>;
  try {
    lesson = await fetchLesson(entry.file);
  } catch (e) {
    return set((e as Error).message);
  }
  const s = Array.isArray(lesson.steps) ? lesson.steps[step] : undefined;
  const ex = isObject(s) ? s.exercise : undefined;
  const base = startScenario(lesson.start);
  if (!isObject(s) || !isObject(ex) || !base) return set(`lesson ${lessonId} has no exercise at step ${step}`);
  const guest = Number(ex.guest ?? 0);
  const source = typeof ex.source === 'string' ? ex.source : '';
  const session = `exercise: ${lessonId} step ${step}`;
  const state: ExerciseState = {
    lesson: lessonId,
    title: String(lesson.title ?? lessonId),
    step,
    say: typeof s.say === 'string' ? s.say : '',
    guest,
    start: lesson.start,
    goal: Array.isArray(ex.goal) ? ex.goal : [],
    session,
    report: null,
    checking: false,
  };
  useEditor.getState().setExercise(state);
  const scenario = editedScenario(base, [], new Map([[guest, source]]));
  return loadEdited(client, { ...scenario, name: session }, session);
}

/** Check: judge the edited script (in the worker), and show its run as the session. */
export async function checkExercise(client: SimClient): Promise<void> {
  const st = useEditor.getState();
  const ex = st.exercise;
  if (!ex) return;
  const source = st.texts[ex.guest] ?? '';
  st.setExerciseChecking(true);
  const req: ExerciseRequest = { start: ex.start, guest: ex.guest, goal: ex.goal, source };
  const report = await client.api.checkExercise(req);
  useEditor.getState().setExerciseReport(report);
  const base = startScenario(ex.start);
  if (base && report.ok && report.error === null) await loadEdited(client, { ...editedScenario(base, [], new Map([[ex.guest, source]])), name: ex.session }, ex.session);
}
