/**
 * The UI store (zustand, slices pattern): UI state only. Simulation state is
 * never copied here; components read it from shared memory (use-shared-view.ts).
 * Select narrowly: `useUi((s) => s.theme)`, and `useShallow` for derived arrays.
 */
import { create } from 'zustand';
import { createFaultSlice, type FaultSlice } from './fault-slice.ts';
import { createHelpSlice, type HelpSlice } from './help-slice.ts';
import { createLinkSlice, type LinkSlice } from './link-slice.ts';
import { createSelectionSlice, type SelectionSlice } from './selection-slice.ts';
import { createViewSlice, type ViewSlice } from './view-slice.ts';

export type UiState = SelectionSlice & ViewSlice & FaultSlice & LinkSlice & HelpSlice;

export const useUi = create<UiState>()((...a) => ({
  ...createSelectionSlice(...a),
  ...createViewSlice(...a),
  ...createFaultSlice(...a),
  ...createLinkSlice(...a),
  ...createHelpSlice(...a),
}));
