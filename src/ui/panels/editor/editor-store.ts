/**
 * The script editor's UI state (zustand, its own store so the editor stays
 * in its own files): the session the texts belong to, each scripted guest's
 * source as loaded and as edited, and whether the console area shows the
 * editor or the consoles. Simulation state is never copied here.
 */
import { create } from 'zustand';
import type { ScenarioInput } from '../../../scenario/scenario.ts';
import type { Recording } from '../../../trace/recording.ts';
import type { ExerciseReply } from '../../../worker/api.ts';

/** The exercise open in the editor (exercise-actions.ts), or none. */
export interface ExerciseState {
  readonly lesson: string;
  readonly title: string;
  readonly step: number;
  /** The step's narration: the task. */
  readonly say: string;
  readonly guest: number;
  /** The lesson's `start` and the exercise's goals, as the lesson file holds them (the worker validates them). */
  readonly start: unknown;
  readonly goal: readonly unknown[];
  /** The name of the sessions this exercise loads: another session ends the exercise. */
  readonly session: string;
  readonly report: ExerciseReply | null;
  readonly checking: boolean;
}

export interface EditorStore {
  /** SimClient.sessionGeneration the texts below belong to (-1: none yet). */
  generation: number;
  base: ScenarioInput | null;
  inputs: Recording['inputs'];
  /** Per guest: the source the running session was built from (null: built-in kernel). */
  loaded: (string | null)[];
  /** Per guest: the text in its editor. */
  texts: (string | null)[];
  /** The console area shows the editor (true) or the consoles. */
  showEditor: boolean;
  exercise: ExerciseState | null;
  /** Why an exercise could not be opened. */
  exerciseError: string | null;
  /** `loaded`: script-session.ts loadedSources(base) (editor-session.ts computes it). */
  adoptSession(generation: number, base: ScenarioInput | null, inputs: Recording['inputs'], loaded: (string | null)[]): void;
  setText(guest: number, text: string): void;
  setShowEditor(show: boolean): void;
  setExercise(e: ExerciseState | null): void;
  setExerciseError(e: string | null): void;
  setExerciseChecking(checking: boolean): void;
  setExerciseReport(r: ExerciseReply): void;
}

export const useEditor = create<EditorStore>()((set) => ({
  generation: -1,
  base: null,
  inputs: [],
  loaded: [],
  texts: [],
  showEditor: false,
  exercise: null,
  exerciseError: null,
  adoptSession: (generation, base, inputs, loaded) => {
    set((s) => ({
      generation,
      base,
      inputs,
      loaded,
      texts: loaded.slice(),
      showEditor: loaded.some((x) => x !== null),
      // The exercise's own sessions (its start, each Check) keep it open; any other session ends it.
      exercise: s.exercise && base?.name === s.exercise.session ? s.exercise : null,
    }));
  },
  setText: (guest, text) =>
    set((s) => {
      const texts = s.texts.slice();
      texts[guest] = text;
      return { texts };
    }),
  setShowEditor: (showEditor) => set({ showEditor }),
  setExercise: (exercise) => set({ exercise, exerciseError: null }),
  setExerciseError: (exerciseError) => set({ exerciseError }),
  setExerciseChecking: (checking) => set((s) => (s.exercise ? { exercise: { ...s.exercise, checking } } : {})),
  setExerciseReport: (report) => set((s) => (s.exercise ? { exercise: { ...s.exercise, report, checking: false } } : {})),
}));
