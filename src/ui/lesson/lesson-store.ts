/**
 * The lesson panel's UI state (issue #13): the open lesson, its step and that
 * step's checks as the worker's player judged them. A store of its own, as
 * quiz mode's, so lessons add no fields to the main UI store; the simulation
 * state still comes only from the worker.
 */
import { create } from 'zustand';
import type { LessonStepView, LessonView } from '../../worker/api.ts';

export interface LessonState {
  lesson: LessonView | null;
  /** Where the lesson came from: a built-in id, or a file's name. */
  origin: { readonly builtIn: boolean; readonly name: string } | null;
  step: number;
  /** The shown step's report (without its recording). */
  view: Omit<LessonStepView, 'recording'> | null;
  loading: boolean;
  /** "Next" is playing the step's events in slow motion. */
  playing: boolean;
  error: string | null;
  /** The panel a step's show names, flashed for a moment. */
  flash: string | null;
}

export const useLesson = create<LessonState>()(() => ({
  lesson: null,
  origin: null,
  step: 0,
  view: null,
  loading: false,
  playing: false,
  error: null,
  flash: null,
}));
