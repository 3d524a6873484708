/**
 * The share-link slice of the UI store (issue #5): a link that could not be
 * opened, shown prominently (link-error-notice.tsx) while the page goes on
 * with a default or the current session.
 */
import type { StateCreator } from 'zustand';

export interface LinkProblem {
  /** What was wrong with the link, one line (decodeLink's message, or why the replay failed). */
  readonly message: string;
  /** What the page shows instead. */
  readonly instead: string;
}

export interface LinkSlice {
  linkError: LinkProblem | null;
  setLinkError(e: LinkProblem | null): void;
}

export const createLinkSlice: StateCreator<LinkSlice, [], [], LinkSlice> = (set) => ({
  linkError: null,
  setLinkError: (linkError) => set({ linkError }),
});
