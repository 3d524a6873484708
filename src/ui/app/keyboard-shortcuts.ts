/**
 * Keyboard shortcuts, as one table: the handler runs them from it and the `?`
 * overlay lists them from it, so the list cannot drift from what the keys do.
 * They never fire while typing into a terminal, a field or a list, nor while
 * the overlay is open.
 */
import { useEffect } from 'react';
import { liveAt } from '../client/frame-views.ts';
import type { SimClient } from '../client/sim-client.ts';
import type { EventFilter } from '../../worker/api.ts';
import { useUi } from '../store/store.ts';
import { useLesson } from '../lesson/lesson-store.ts';
import { usePresenter } from '../store/presenter-store.ts';
import { jumpTo } from './jump.ts';

export interface Shortcut {
  /** KeyboardEvent.key values that trigger it. */
  readonly keys: readonly string[];
  /** The keys as the help overlay writes them. */
  readonly label: string;
  /** What it does, in a few words. */
  readonly does: string;
  /** Do it; false when it does not apply here (the browser keeps the key). */
  run(client: SimClient, e: KeyboardEvent): boolean;
}

export const SHORTCUTS: readonly Shortcut[] = [
  {
    keys: [' '],
    label: 'Space',
    does: 'run / pause',
    run: (client, e) => {
      const v = client.views;
      if (!v || e.target instanceof HTMLButtonElement) return false; // space presses the focused button
      void (liveAt(v, 'running') !== 0 ? client.api.pause() : client.api.run());
      return true;
    },
  },
  {
    keys: ['.', 'ArrowRight'],
    label: '. or →',
    does: 'step one event',
    run: (client) => {
      if (!client.views) return false;
      void client.api.step();
      return true;
    },
  },
  {
    keys: [',', 'ArrowLeft'],
    label: ', or ←',
    does: 'step back one event',
    run: (client) => {
      if (!client.views) return false;
      void client.api.stepBack();
      return true;
    },
  },
  // Time travel (issue #10): the start, the latest event, and jumps by kind (Shift: backwards).
  {
    keys: ['Home'],
    label: 'Home',
    does: 'go to the start',
    run: (client) => {
      if (!client.views) return false;
      void client.api.goToStart();
      return true;
    },
  },
  {
    keys: ['End'],
    label: 'End',
    does: 'go to the latest event',
    run: (client) => {
      if (!client.views) return false;
      void client.api.goToEnd();
      return true;
    },
  },
  jumpBy(['h', 'H'], 'h / H', 'hypercall', { kind: 'hcall' }),
  jumpBy(['d', 'D'], 'd / D', 'DMA transfer', { kind: 'dma' }),
  jumpBy(['i', 'I'], 'i / I', 'interrupt', { kind: 'irq_deliver' }),
  {
    // Presentation clickers send PageDown / PageUp (issue #13); ← / → do it too while the lesson panel has focus.
    keys: ['PageDown'],
    label: 'PageDown (→ in the lesson panel)',
    does: 'next lesson step (plays its events slowly)',
    run: (client) => {
      if (!useLesson.getState().lesson) return false;
      // A lesson is open, so its actions' chunk is already here.
      void import('../lesson/lesson-actions.ts').then((a) => a.nextStep(client));
      return true;
    },
  },
  {
    keys: ['PageUp'],
    label: 'PageUp (← in the lesson panel)',
    does: 'previous lesson step',
    run: (client) => {
      if (!useLesson.getState().lesson) return false;
      void import('../lesson/lesson-actions.ts').then((a) => a.prevStep(client));
      return true;
    },
  },
  {
    keys: ['p', 'P'],
    label: 'P',
    does: 'presenter mode on / off (large text for a projector)',
    run: () => {
      const p = usePresenter.getState();
      p.setPresenter(!p.presenter);
      return true;
    },
  },
  {
    keys: ['?'],
    label: '?',
    does: 'this list of shortcuts and the glossary (Esc closes it)',
    run: () => {
      useUi.getState().setHelpOpen(true);
      return true;
    },
  },
];

/** Go to the next (Shift: previous) event matching `filter` (api.goToMatch). */
function jumpBy(keys: string[], label: string, what: string, filter: EventFilter): Shortcut {
  return {
    keys,
    label,
    does: `next / previous ${what}`,
    run: (client, e) => {
      if (!client.views) return false;
      void jumpTo(client, filter, e.shiftKey ? 'prev' : 'next', what);
      return true;
    },
  };
}

function typingInto(t: EventTarget | null): boolean {
  if (!(t instanceof Element)) return false;
  if (t.closest('.xterm')) return true;
  return t instanceof HTMLInputElement || t instanceof HTMLTextAreaElement || t instanceof HTMLSelectElement || (t instanceof HTMLElement && t.isContentEditable);
}

export function useKeyboardShortcuts(client: SimClient): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.ctrlKey || e.metaKey || e.altKey || typingInto(e.target) || useUi.getState().helpOpen) return;
      const s = SHORTCUTS.find((x) => x.keys.includes(e.key));
      if (s?.run(client, e)) e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [client]);
}
