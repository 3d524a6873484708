/**
 * The header's lesson picker and presenter controls (issue #13). The picker
 * lists the built-in lessons (catalog ids; a lesson's file is fetched only
 * when it is picked); presenter mode (P) makes the page readable from the
 * back of a room, and one font-scale control sizes every panel and terminal.
 */
import React from 'react';
import { LESSON_CATALOG } from '../../lesson/catalog.ts';
import { useSimClient } from '../client/use-shared-view.ts';
import { useLesson } from './lesson-store.ts';
import { FONT_SCALES, usePresenter, type FontScale } from '../store/presenter-store.ts';
import './presenter.css';

/** "lguest-bus" → "1. lguest bus": the picker's label (titles live in the files, fetched on demand). */
export const lessonLabel = (k: number, id: string): string => `${k + 1}. ${id.replace(/-/g, ' ')}`;

export function LessonPicker(): React.JSX.Element {
  const client = useSimClient();
  const lesson = useLesson((s) => s.lesson);
  const builtIn = useLesson((s) => s.origin?.builtIn === true);
  const value = lesson && builtIn ? lesson.id : '';
  return (
    <select
      data-testid="lesson-picker"
      aria-label="Lesson"
      value={value}
      title="Guided lessons: narrated steps on the live simulation, each claim checked"
      onChange={(e) => {
        const id = e.target.value;
        // The lesson's actions and panel are a chunk of their own, fetched with the first lesson.
        if (id) void import('./lesson-actions.ts').then((a) => a.openLessonById(client, id, 0));
      }}
    >
      <option value="">{lesson && !builtIn ? `lesson: ${lesson.id}` : 'lessons…'}</option>
      {LESSON_CATALOG.map((e, k) => (
        <option key={e.id} value={e.id}>
          {lessonLabel(k, e.id)}
        </option>
      ))}
    </select>
  );
}

export function PresenterControls(): React.JSX.Element {
  const { presenter, scale, setPresenter, setScale } = usePresenter();
  return (
    <span className="presenter-controls">
      <button type="button" data-testid="presenter" className={presenter ? 'active' : ''} aria-pressed={presenter} onClick={() => setPresenter(!presenter)} title="Presenter mode (P): large text, fewer empty rows">
        presenter
      </button>
      <select data-testid="font-scale" aria-label="Font scale" value={scale} onChange={(e) => setScale(Number(e.target.value) as FontScale)}>
        {FONT_SCALES.map((s) => (
          <option key={s} value={s}>
            {s}×
          </option>
        ))}
      </select>
    </span>
  );
}
