/**
 * The lesson panel (issue #13): the narration of step k of n, previous / next
 * (buttons; ← / → while the panel has focus; PageUp / PageDown anywhere, as
 * presentation clickers send), and each check of the step ticked when it
 * holds, as the worker's player (the one `lesson check` runs) judged it.
 */
import React, { useEffect, useRef } from 'react';
import { useSimClient } from '../client/use-shared-view.ts';
import { useUi } from '../store/store.ts';
import { closeLesson, goToStep, lessonSourceName, nextStep, prevStep } from './lesson-actions.ts';
import { LessonSay } from './lesson-say.tsx';
import { useLesson } from './lesson-store.ts';
import { openExercise } from '../panels/editor/exercise-actions.ts';
import './lesson.css';

export function LessonPanel(): React.JSX.Element | null {
  const client = useSimClient();
  const { lesson, step, view, loading, playing, error, flash } = useLesson();
  const sourceName = useUi((s) => s.sourceName);
  const panel = useRef<HTMLElement>(null);

  // Another session was loaded (a preset, a scenario file, a link): the lesson ends.
  useEffect(() => {
    if (lesson && !loading && sourceName !== lessonSourceName(lesson.id)) closeLesson();
  }, [lesson, loading, sourceName]);

  // A step that shows a panel: bring it into view and flash it.
  useEffect(() => {
    if (flash === null) return;
    const el = document.querySelector(`[data-testid="${CSS.escape(flash)}"]`);
    el?.scrollIntoView({ block: 'nearest' });
    el?.classList.add('lesson-flash');
    const t = setTimeout(() => {
      el?.classList.remove('lesson-flash');
      useLesson.setState({ flash: null });
    }, 2400);
    return () => clearTimeout(t);
  }, [flash]);

  if (!lesson) return null;
  const n = lesson.steps.length;
  const s = lesson.steps[step];
  const results = view?.step === step ? view.results : [];
  const onKey = (e: React.KeyboardEvent): void => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
    // Inside the panel the arrows turn the lesson's pages, not the machine's events.
    e.preventDefault();
    e.stopPropagation();
    void (e.key === 'ArrowRight' ? nextStep(client) : prevStep(client));
  };
  return (
    <section
      ref={panel}
      className="panel lesson-panel"
      data-testid="lesson"
      data-lesson={lesson.id}
      data-step={step}
      data-steps={n}
      aria-label={`Lesson: ${lesson.title}`}
      aria-busy={loading || playing}
      tabIndex={0}
      onKeyDown={onKey}
    >
      <h2>
        <span className="lesson-title">{lesson.title}</span>
        <button type="button" className="small" onClick={closeLesson} aria-label="Close the lesson">
          ✕
        </button>
      </h2>
      <div className="lesson-body" tabIndex={0} aria-label="Narration and checks">
        {error !== null && (
          <p className="lesson-error" role="alert">
            {error}
          </p>
        )}
        {s && <LessonSay say={s.say} />}
        {s?.exercise && (
          // The step's exercise in the script editor: its start scenario, the starting source, the goals (issue #14).
          <button type="button" className="lesson-exercise" data-testid="lesson-exercise" onClick={() => void openExercise(client, lesson.id, step)}>
            Try the exercise
          </button>
        )}
      </div>
      {results.length > 0 && (
        <div className="lesson-proof">
          <ul className="lesson-checks" aria-label="What this step proves">
            {results.map((r, i) => (
              <li key={i} data-testid="lesson-check" data-ok={String(r.ok && !playing)} className={r.ok ? (playing ? 'pending' : 'ok') : 'bad'} title={r.saw}>
                <span className="tick" aria-hidden="true">
                  {playing ? '…' : r.ok ? '✓' : '✗'}
                </span>
                <span className="check-text">
                  {r.check}
                  {!r.ok && <span className="saw"> — saw {r.saw}</span>}
                </span>
                <span className="sr-only">{playing ? ' (playing)' : r.ok ? ' (holds)' : ' (does not hold)'}</span>
              </li>
            ))}
          </ul>
        </div>
      )}
      <div className="lesson-nav">
        <button type="button" data-testid="lesson-prev" disabled={step === 0} onClick={() => void prevStep(client)} title="Previous step (PageUp; ← in this panel)">
          ◂ previous
        </button>
        <span className="lesson-where" aria-live="polite">
          step {step + 1} of {n}
        </span>
        <button type="button" data-testid="lesson-next" disabled={step >= n - 1} onClick={() => void nextStep(client)} title="Next step: plays its events slowly (PageDown; → in this panel)">
          next ▸
        </button>
        <select aria-label="Go to step" value={step} onChange={(e) => void goToStep(client, Number(e.target.value), false)}>
          {lesson.steps.map((_, k) => (
            <option key={k} value={k}>
              {k + 1}
            </option>
          ))}
        </select>
      </div>
    </section>
  );
}
