/**
 * Keyboard shortcuts: space run/pause, `.` or → step, `,` or ← step back,
 * Home the start, End the latest event, h / H next / previous hypercall,
 * d / D DMA transfer, i / I interrupt (issue #10).
 * They never fire while typing into a terminal, a field or a list.
 */
import { useEffect } from 'react';
import { liveAt } from '../client/frame-views.ts';
import type { EventFilter } from '../../worker/api.ts';
import type { SimClient } from '../client/sim-client.ts';

/** Letter → filter (api.goToMatch); with Shift, backwards. */
const JUMP_KEYS: Readonly<Record<string, EventFilter>> = { h: { kind: 'hcall' }, d: { kind: 'dma' }, i: { kind: 'irq_deliver' } };

function typingInto(t: EventTarget | null): boolean {
  if (!(t instanceof Element)) return false;
  if (t.closest('.xterm')) return true;
  return t instanceof HTMLInputElement || t instanceof HTMLTextAreaElement || t instanceof HTMLSelectElement || (t instanceof HTMLElement && t.isContentEditable);
}

export function useKeyboardShortcuts(client: SimClient): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.ctrlKey || e.metaKey || e.altKey || typingInto(e.target)) return;
      const v = client.views;
      if (!v) return;
      switch (e.key) {
        case ' ':
          if (e.target instanceof HTMLButtonElement) return; // space presses the focused button
          e.preventDefault();
          void (liveAt(v, 'running') !== 0 ? client.api.pause() : client.api.run());
          return;
        case '.':
        case 'ArrowRight':
          e.preventDefault();
          void client.api.step();
          return;
        case ',':
        case 'ArrowLeft':
          e.preventDefault();
          void client.api.stepBack();
          return;
        case 'Home':
          e.preventDefault();
          void client.api.goToStart();
          return;
        case 'End':
          e.preventDefault();
          void client.api.goToEnd();
          return;
      }
      const jump = JUMP_KEYS[e.key.toLowerCase()];
      if (jump) {
        e.preventDefault();
        void client.api.goToMatch(jump, e.shiftKey ? 'prev' : 'next');
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [client]);
}
