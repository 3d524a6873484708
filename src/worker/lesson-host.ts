/**
 * The page's lesson player (issue #13), in the worker: the same headless
 * player and checks as `lesson check` (src/lesson/), because they read host
 * internals (binding tables, the Launchers' memory) that the page only sees
 * through shared buffers. Loaded on demand (session.ts imports it the first
 * time a lesson is opened), so neither the lessons nor their player weigh on
 * the page's start.
 *
 * Each step comes back with its checks, the recording the page's session
 * loads to show the step's state (the player's own `recording(k)`, so the
 * page shows exactly what `lesson check` judged), and what to highlight.
 */
import { bindings } from '../lesson/checks.ts';
import { openLesson, type LessonPlayer } from '../lesson/player.ts';
import { parseLesson } from '../lesson/schema.ts';
import type { LessonHighlight, LessonOpenResult, LessonStepView } from './api.ts';

export class LessonHost {
  private player: LessonPlayer | null = null;

  open(text: string, name: string): LessonOpenResult {
    const r = parseLesson(text);
    if (!r.ok) return { ok: false, error: `${name}: ${r.error.message}` };
    let p: LessonPlayer;
    try {
      p = openLesson(r.value);
    } catch (e) {
      return { ok: false, error: `${name}: start: ${(e as Error).message}` };
    }
    this.player = p;
    const l = r.value;
    return { ok: true, lesson: { id: l.id, title: l.title, summary: l.summary, steps: l.steps.map((s) => ({ say: s.say, moves: s.do.length > 0, back: s.do.some((a) => 'back' in a), exercise: s.extra.exercise !== undefined })) } };
  }

  /** Step k: its checks, the state to show (as a recording) and what to highlight. */
  step(k: number): LessonStepView {
    const p = this.player;
    if (!p) throw new Error('no lesson is open');
    const report = p.goTo(k);
    const recording = p.recording(k);
    return { step: k, ok: report.ok, results: report.results, count: report.count, shown: report.shown, highlight: this.highlight(k, report.shown), recording };
  }

  private highlight(k: number, shown: number): LessonHighlight | null {
    const p = this.player!;
    const show = p.lesson.steps[k].show;
    if (!show) return shown >= 0 ? { kind: 'event', index: shown } : null;
    if ('event' in show) return shown >= 0 ? { kind: 'event', index: shown } : null;
    if ('panel' in show) return { kind: 'panel', name: show.panel };
    if ('device' in show) return { kind: 'device', guest: show.guest, index: show.device };
    if ('buffer' in show) return { kind: 'buffer', guest: show.guest, gpa: show.buffer };
    const b = bindings(p.machine, show.guest).find((x) => x.key === show.key >>> 0);
    return b ? { kind: 'key', guest: show.guest, key: b.key, dmas: b.dmas } : null;
  }
}
