/** The help slice of the UI store: is the `?` overlay (shortcuts and glossary) open. */
import type { StateCreator } from 'zustand';

export interface HelpSlice {
  helpOpen: boolean;
  setHelpOpen(open: boolean): void;
}

export const createHelpSlice: StateCreator<HelpSlice, [], [], HelpSlice> = (set) => ({
  helpOpen: false,
  setHelpOpen: (helpOpen) => set({ helpOpen }),
});
