/**
 * Quiz mode's UI state (issue #14): the question shown, the student's choice
 * and the session's score. A store of its own, so quiz mode adds no fields to
 * the main UI store; simulation state still comes only from the worker.
 */
import { create } from 'zustand';
import type { QuizOptions, QuizPlan } from '../../worker/api.ts';

export interface QuizState {
  /** Quiz mode is on (the panel replaces the console). */
  open: boolean;
  plan: QuizPlan | null;
  loading: boolean;
  error: string | null;
  /** Index into plan.quiz.choices of the student's answer (null: not answered yet). */
  chosen: number | null;
  /** The step is playing after the answer. */
  playing: boolean;
  asked: number;
  right: number;
  /** The kind and level "Another question" draws from (unset: any). */
  filter: QuizOptions;
  /** Events to highlight in the log: the ones that decided the answer, once it is given. */
  highlight: readonly number[];
}

export const useQuiz = create<QuizState>()(() => ({
  open: false,
  plan: null,
  loading: false,
  error: null,
  chosen: null,
  playing: false,
  asked: 0,
  right: 0,
  filter: {},
  highlight: [],
}));
