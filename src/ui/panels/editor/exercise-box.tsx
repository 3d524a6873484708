/**
 * The exercise above the editor (issue #14): the task (the lesson step's
 * narration), Check, and after a check each goal met or not, with what the
 * run showed for the first unmet one. Text only: nothing from a lesson file
 * is inserted as HTML.
 */
import React from 'react';
import { useSimClient } from '../../client/use-shared-view.ts';
import { useEditor } from './editor-store.ts';
import { checkExercise } from './exercise-actions.ts';

/** The narration's markdown, as text: `code` spans become <code>, ** and _ emphasis marks are dropped. */
function Say({ text }: { text: string }): React.JSX.Element {
  const parts = text.replace(/\*\*/g, '').split('`');
  return <p className="exercise-say">{parts.map((p, i) => (i % 2 === 1 ? <code key={i}>{p}</code> : <React.Fragment key={i}>{p}</React.Fragment>))}</p>;
}

export function ExerciseBox(): React.JSX.Element | null {
  const client = useSimClient();
  const ex = useEditor((s) => s.exercise);
  const setExercise = useEditor((s) => s.setExercise);
  if (!ex) return null;
  const r = ex.report;
  const firstUnmet = r?.ok ? r.results.findIndex((x) => !x.ok) : -1;
  return (
    <div className="exercise" data-testid="exercise" data-lesson={ex.lesson} data-step={ex.step} data-guest={ex.guest}>
      <div className="exercise-head">
        <strong>Exercise</strong>
        <span className="dim">
          {ex.title} · step {ex.step} · edit guest {ex.guest}
        </span>
        <span className="spacer" />
        <button type="button" className="small active" data-testid="exercise-check" disabled={ex.checking} onClick={() => void checkExercise(client)} title="Run the scenario from the start with your script and check each goal">
          {ex.checking ? 'checking…' : '✓ Check'}
        </button>
        <button type="button" className="small" aria-label="Close the exercise" onClick={() => setExercise(null)}>
          ✕
        </button>
      </div>
      <Say text={ex.say} />
      {r === null && <div className="dim">{ex.goal.length} goal{ex.goal.length === 1 ? '' : 's'}: press Check to run your script from the start and see which it meets.</div>}
      {r !== null && !r.ok && (
        <div className="script-error" role="status">
          {r.error}
        </div>
      )}
      {r?.ok && (
        <div className="exercise-result" data-testid="exercise-result" data-met={r.met} role="status">
          <div className={r.met ? 'ok' : 'bad'}>{r.met ? 'Every goal met: solved.' : r.error ? `Your script did not run: ${r.error}` : 'Not yet: a goal is not met.'}</div>
          <ul>
            {r.results.map((g, i) => (
              <li key={i} data-testid="exercise-goal" data-met={g.ok}>
                <span className={g.ok ? 'ok' : 'bad'}>{g.ok ? '✓' : '✗'}</span> <span className="mono">{g.check}</span>
                {i === firstUnmet && !r.error && <span className="dim"> — saw {g.saw}</span>}
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
