/**
 * The selection slice of the UI store: what the user picked or points at.
 * Only identities and addresses live here, never decoded simulation state:
 * panels look the selected things up in shared memory each frame.
 */
import type { StateCreator } from 'zustand';

/** A guest-physical range in one guest's address space (hover / selection focus). */
export interface GuestRange {
  readonly guest: number;
  readonly gpa: number;
  readonly len: number;
}

/** A binding, identified as the Host's table identifies it: owner guest, key and array address. */
export interface KeyRef {
  readonly guest: number;
  readonly key: number;
  readonly dmas: number;
}

export interface SelectionSlice {
  /** The selected binding (its lguest_dma array is shown). */
  selKey: KeyRef | null;
  /** One struct lguest_dma shown on its own (a sender's struct, or an entry of the selected array). */
  selDma: { readonly guest: number; readonly gpa: number } | null;
  /** The section whose bytes the hex view shows. */
  selSection: GuestRange | null;
  /** The selected descriptor row. */
  selDevice: { readonly guest: number; readonly index: number } | null;
  /** The selected event (event log). */
  selEvent: number | null;
  /** Where the selected event's data went when no binding is involved, e.g. "→ Launcher (private key)". */
  selNote: string | null;
  /** The address under the pointer: every panel highlights where it lives. */
  hover: GuestRange | null;
  selectKey(k: KeyRef | null): void;
  selectDma(d: { guest: number; gpa: number } | null): void;
  selectSection(s: GuestRange | null): void;
  selectDevice(d: { guest: number; index: number } | null): void;
  selectEvent(index: number | null, touched?: Partial<Pick<SelectionSlice, 'selKey' | 'selDma' | 'selDevice' | 'selSection' | 'selNote'>>): void;
  setHover(h: GuestRange | null): void;
  clearSelection(): void;
}

export const createSelectionSlice: StateCreator<SelectionSlice, [], [], SelectionSlice> = (set) => ({
  selKey: null,
  selDma: null,
  selSection: null,
  selDevice: null,
  selEvent: null,
  selNote: null,
  hover: null,
  selectKey: (k) => set({ selKey: k, selDma: null, selSection: null, selNote: null }),
  selectDma: (d) => set({ selDma: d }),
  selectSection: (s) => set({ selSection: s }),
  selectDevice: (d) => set({ selDevice: d }),
  selectEvent: (index, touched) => set({ selEvent: index, selNote: null, ...touched }),
  setHover: (h) => set({ hover: h }),
  clearSelection: () => set({ selKey: null, selDma: null, selSection: null, selDevice: null, selEvent: null, selNote: null, hover: null }),
});
