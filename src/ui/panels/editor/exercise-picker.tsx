/**
 * "exercises ▾": every exercise of the built-in lessons (fetched the first
 * time the list is opened). `?exercise=LESSON:STEP` in the URL opens one at
 * start (editor-session.ts).
 */
import React, { useState } from 'react';
import { useSimClient } from '../../client/use-shared-view.ts';
import { useEditor } from './editor-store.ts';
import { listExercises, openExercise, type ExerciseEntry } from './exercise-actions.ts';

const keyOf = (e: { lesson: string; step: number }): string => `${e.lesson}:${e.step}`;

export function ExercisePicker(): React.JSX.Element {
  const client = useSimClient();
  const [list, setList] = useState<ExerciseEntry[] | null>(null);
  const ex = useEditor((s) => s.exercise);
  const fill = (): void => {
    if (list === null) void listExercises().then(setList, () => setList([]));
  };
  return (
    <select
      className="small"
      data-testid="exercise-picker"
      aria-label="Exercise"
      value={ex ? keyOf(ex) : ''}
      onFocus={fill}
      onPointerDown={fill}
      onChange={(e) => {
        const [lesson, step] = e.target.value.split(':');
        if (lesson) void openExercise(client, lesson, Number(step));
      }}
    >
      <option value="">exercises…</option>
      {ex && !list?.some((x) => keyOf(x) === keyOf(ex)) && <option value={keyOf(ex)}>{`${ex.title} · step ${ex.step}`}</option>}
      {(list ?? []).map((x) => (
        <option key={keyOf(x)} value={keyOf(x)}>{`${x.title} · step ${x.step}`}</option>
      ))}
    </select>
  );
}

/** `?exercise=workbench:3`: open that exercise once the first session is up. */
