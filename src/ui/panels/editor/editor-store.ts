/**
 * The script editor's UI state (zustand, its own store so the editor stays
 * in its own files): the session the texts belong to, each scripted guest's
 * source as loaded and as edited, and whether the console area shows the
 * editor or the consoles. Simulation state is never copied here.
 */
import { create } from 'zustand';
import type { ScenarioInput } from '../../../scenario/scenario.ts';
import type { Recording } from '../../../trace/recording.ts';
import { loadedSources } from './script-session.ts';

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
  adoptSession(generation: number, base: ScenarioInput | null, inputs: Recording['inputs']): void;
  setText(guest: number, text: string): void;
  setShowEditor(show: boolean): void;
}

export const useEditor = create<EditorStore>()((set) => ({
  generation: -1,
  base: null,
  inputs: [],
  loaded: [],
  texts: [],
  showEditor: false,
  adoptSession: (generation, base, inputs) => {
    const loaded = base ? loadedSources(base) : [];
    set({ generation, base, inputs, loaded, texts: loaded.slice(), showEditor: loaded.some((s) => s !== null) });
  },
  setText: (guest, text) =>
    set((s) => {
      const texts = s.texts.slice();
      texts[guest] = text;
      return { texts };
    }),
  setShowEditor: (showEditor) => set({ showEditor }),
}));
