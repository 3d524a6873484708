/**
 * The header's `?` button. The overlay it opens (help-overlay.tsx: every
 * shortcut and the glossary) is its own chunk, fetched when it first opens
 * (issue #15: the first load carries only what the first screen shows).
 */
import React from 'react';
import { useUi } from '../store/store.ts';
import './help-button.css';

export function HelpButton(): React.JSX.Element {
  const setOpen = useUi((s) => s.setHelpOpen);
  return (
    <button type="button" className="help-button" data-testid="help" aria-haspopup="dialog" aria-label="Keyboard shortcuts and glossary (?)" title="Keyboard shortcuts and glossary (?)" onClick={() => setOpen(true)}>
      ?
    </button>
  );
}
