/**
 * Keyboard shortcuts: space run/pause, `.` or → step, `,` or ← step back.
 * They never fire while typing into a terminal, a field or a list.
 */
import { useEffect } from 'react';
import { liveAt } from '../client/frame-views.ts';
import type { SimClient } from '../client/sim-client.ts';

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
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [client]);
}
