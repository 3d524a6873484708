/**
 * Presenter mode and the page's font scale (issue #13). The scale is the root
 * font size (every panel's text is in rem) and the xterm terminals' font size
 * (console-panel.tsx reads it and refits, as xterm takes pixels).
 */
import { create } from 'zustand';

export const FONT_SCALES = [1, 1.25, 1.5, 2] as const;
export type FontScale = (typeof FONT_SCALES)[number];

/** The terminals' font size at scale 1 (px). */
export const TERM_FONT_PX = 12;

export interface PresenterState {
  presenter: boolean;
  scale: FontScale;
  /** On: a projector-sized scale (1.5 unless one was chosen); off: back to 1. */
  setPresenter(on: boolean): void;
  setScale(s: FontScale): void;
}

export const usePresenter = create<PresenterState>()((set, get) => ({
  presenter: false,
  scale: 1,
  setPresenter: (presenter) => set({ presenter, scale: presenter ? (get().scale === 1 ? 1.5 : get().scale) : 1 }),
  setScale: (scale) => set({ scale }),
}));
