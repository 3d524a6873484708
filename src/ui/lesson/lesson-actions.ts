/**
 * The lesson player's page actions (issue #13): open a lesson (built-in by id,
 * fetched on demand from public/lessons/, or a file), go to a step, and "next"
 * in slow motion. The worker plays and checks every step with the same player
 * as `lesson check` (src/worker/lesson-host.ts); the page loads the step's
 * state as a recording, replays the step's own events one by one at a pace a
 * class can follow, then selects what the step's `show` names.
 */
import { lessonEntry } from '../../lesson/catalog.ts';
import type { LessonHighlight, LessonStepView } from '../../worker/api.ts';
import { adopt } from '../client/session-actions.ts';
import { liveAt } from '../client/frame-views.ts';
import type { SimClient } from '../client/sim-client.ts';
import { touchedBy } from '../panels/events/event-format.ts';
import { useUi } from '../store/store.ts';
import type { InspectorTab } from '../store/view-slice.ts';
import { useLesson } from './lesson-store.ts';

/** Slow motion: one event per PLAY_MS, but a step's events never take more than PLAY_MAX_MS. */
export const PLAY_MS = 350;
export const PLAY_MAX_MS = 3000;
/** Shortest pause between two shown states (ms): a long step (a boot) shows every k-th event instead. */
const FRAME_MS = 50;

/**
 * The event counts "next" shows on its way from `from` to `to`, and the pause
 * between them: every event at a few a second when the step is short, evenly
 * spaced samples of a long one, always ending on `to`.
 */
export function playFrames(from: number, to: number): { counts: number[]; wait: number } {
  const n = to - from;
  if (n <= 0) return { counts: [], wait: 0 };
  const frames = Math.min(n, Math.floor(PLAY_MAX_MS / FRAME_MS));
  const counts = Array.from({ length: frames }, (_, f) => from + Math.round((n * (f + 1)) / frames));
  return { counts, wait: Math.min(PLAY_MS, Math.floor(PLAY_MAX_MS / frames)) };
}

let token = 0;
const sleep = (ms: number): Promise<void> => new Promise((res) => setTimeout(res, ms));

/** The session name a lesson's state is loaded under (a load of anything else closes the lesson). */
export const lessonSourceName = (id: string): string => `lesson: ${id}`;

/** A built-in lesson by id: its file is fetched now, never bundled. */
export async function openLessonById(client: SimClient, id: string, step = 0, opts: { load?: boolean } = {}): Promise<boolean> {
  const e = lessonEntry(id);
  if (!e) {
    useLesson.setState({ error: `no lesson "${id}"` });
    useUi.getState().setLoadError(`no lesson "${id}"`);
    return false;
  }
  useLesson.setState({ loading: true, error: null });
  let text: string;
  try {
    const r = await fetch(`${import.meta.env.BASE_URL}lessons/${e.file}`);
    if (!r.ok) throw new Error(`HTTP ${r.status}`);
    text = await r.text();
  } catch (err) {
    useLesson.setState({ loading: false });
    useUi.getState().setLoadError(`${e.file}: cannot load: ${(err as Error).message}`);
    return false;
  }
  return openLessonText(client, text, e.file, true, step, opts);
}

/**
 * Open a lesson from its JSON text at `step` (clamped to its steps). `load:
 * false` keeps the session as it is (a share link already replayed the
 * step's state) and only shows the lesson and the step's checks.
 */
export async function openLessonText(client: SimClient, text: string, name: string, builtIn: boolean, step = 0, opts: { load?: boolean } = {}): Promise<boolean> {
  const mine = ++token;
  useLesson.setState({ loading: true, error: null });
  const r = await client.api.lessonOpen(text, name);
  if (mine !== token) return false;
  if (!r.ok) {
    useLesson.setState({ loading: false });
    useUi.getState().setLoadError(r.error);
    return false;
  }
  useLesson.setState({ lesson: r.lesson, origin: { builtIn, name }, step: 0, view: null, playing: false });
  const k = Math.max(0, Math.min(r.lesson.steps.length - 1, Math.trunc(step)));
  return showStep(client, k, { load: opts.load !== false, animate: false });
}

/** Go to step k: straight there, or (next) playing the step's events in slow motion first. */
export async function goToStep(client: SimClient, k: number, animate: boolean): Promise<boolean> {
  const { lesson, step, playing } = useLesson.getState();
  if (!lesson || k < 0 || k >= lesson.steps.length) return false;
  // "Next" while a step plays: finish it at once, then go on.
  if (playing) token++;
  return showStep(client, k, { load: true, animate: animate && k === step + 1 && !lesson.steps[k].back });
}

export const nextStep = (client: SimClient): Promise<boolean> => goToStep(client, useLesson.getState().step + 1, true);
export const prevStep = (client: SimClient): Promise<boolean> => goToStep(client, useLesson.getState().step - 1, false);

async function showStep(client: SimClient, k: number, how: { load: boolean; animate: boolean }): Promise<boolean> {
  const mine = ++token;
  const from = useLesson.getState().view?.count ?? 0;
  useLesson.setState({ loading: true, error: null });
  let v: LessonStepView;
  try {
    v = await client.api.lessonStep(k);
  } catch (e) {
    if (mine === token) useLesson.setState({ loading: false, error: `step ${k}: ${(e as Error).message}` });
    return false;
  }
  if (mine !== token) return false;
  const lesson = useLesson.getState().lesson!;
  const name = lessonSourceName(lesson.id);
  if (how.load) {
    // Slow motion starts from where the last step stood: load the step's inputs shown at that event.
    const recording = how.animate && v.count > from ? { ...v.recording, view: from } : v.recording;
    const r = await client.load({ kind: 'recording', recording });
    if (mine !== token) return false;
    // Set before adopt, so the panel does not take the new session for someone else's.
    useLesson.setState({ step: k });
    if (!(await adopt(client, r, name, { run: false }))) {
      useLesson.setState({ loading: false, error: r.ok ? 'could not load the step' : r.error });
      return false;
    }
  } else useUi.getState().setSourceName(name);
  const { recording: _, ...report } = v;
  const animate = how.animate && v.count > from;
  useLesson.setState({ step: k, view: report, loading: false, playing: animate });
  setLessonUrl(lesson.id, k, useLesson.getState().origin?.builtIn === true);
  if (animate) {
    const { counts, wait } = playFrames(from, v.count);
    for (const c of counts) {
      await sleep(wait);
      if (mine !== token) break;
      await client.api.seek(c);
    }
    // Interrupted (next again, prev, another load): the newer action owns the view.
    if (mine !== token) return true;
    useLesson.setState({ playing: false });
  }
  highlight(client, v.highlight);
  return true;
}

/** `?lesson=ID&step=K` for a built-in lesson (a file's lesson cannot be reopened from the URL: drop the query). */
function setLessonUrl(id: string, k: number, builtIn: boolean): void {
  const url = new URL(window.location.href);
  for (const p of ['preset', 'quiz', 'kind', 'level', 'lesson', 'step']) url.searchParams.delete(p);
  if (builtIn) {
    url.searchParams.set('lesson', id);
    url.searchParams.set('step', String(k));
  }
  url.hash = '';
  window.history.replaceState(null, '', url.pathname + url.search);
}

const PANEL_TABS: Readonly<Record<string, InspectorTab>> = { 'block-page': 'block', 'sector-map': 'block', 'net-page': 'net', workbench: 'workbench', 'hex-view': 'bytes' };

/** Select what the step shows; an event's own record (what it touched) once its chunk has arrived. */
export function highlight(client: SimClient, h: LessonHighlight | null): void {
  const ui = useUi.getState();
  if (!h) return;
  switch (h.kind) {
    case 'key':
      ui.selectKey({ guest: h.guest, key: h.key, dmas: h.dmas });
      return;
    case 'device':
      ui.selectDevice({ guest: h.guest, index: h.index });
      return;
    case 'buffer':
      ui.selectDma({ guest: h.guest, gpa: h.gpa });
      return;
    case 'panel': {
      const tab = PANEL_TABS[h.name];
      if (tab) ui.setInspector(tab);
      useLesson.setState({ flash: h.name });
      return;
    }
    case 'event': {
      const index = h.index;
      const apply = (): boolean => {
        const v = client.views;
        if (!v || index >= liveAt(v, 'recorded') || client.events.state(index) === 'pending') return false;
        // Not in memory: selected alone (the lesson's seek normally shows it, which makes it readable).
        const ev = client.events.read(index);
        useUi.getState().selectEvent(index, ev ? touchedBy(ev, v) : {});
        return true;
      };
      ui.selectEvent(index);
      if (apply()) return;
      const unsubscribe = client.subscribe(() => {
        if (useUi.getState().selEvent !== index || apply()) unsubscribe();
      });
    }
  }
}

export function closeLesson(): void {
  token++;
  useLesson.setState({ lesson: null, origin: null, view: null, step: 0, loading: false, playing: false, error: null, flash: null });
  const url = new URL(window.location.href);
  url.searchParams.delete('lesson');
  url.searchParams.delete('step');
  window.history.replaceState(null, '', url.pathname + url.search + url.hash);
}

