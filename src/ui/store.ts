/**
 * The UI store (zustand, slices pattern): UI state only. Simulation state is
 * never copied here; components read it from shared memory (use-shared-view.ts).
 * Select narrowly: `useUi((s) => s.theme)`, and `useShallow` for derived arrays.
 */
import { create } from 'zustand';
import { createSelectionSlice, type SelectionSlice } from './selection-slice.ts';
import { createViewSlice, type ViewSlice } from './view-slice.ts';

export type UiState = SelectionSlice & ViewSlice;

export const useUi = create<UiState>()((...a) => ({
  ...createSelectionSlice(...a),
  ...createViewSlice(...a),
}));
