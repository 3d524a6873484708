/**
 * The `?` overlay: every keyboard shortcut (read from the SHORTCUTS table the
 * handler runs, so the two cannot differ) and the glossary. A modal <dialog>:
 * Esc closes it, Tab stays inside it while it is open, and focus goes back
 * to where it was when it closes.
 */
import React, { useEffect, useRef } from 'react';
import { GLOSSARY } from '../../views/glossary.ts';
import { SHORTCUTS } from './keyboard-shortcuts.ts';
import { useUi } from '../store/store.ts';
import './help-overlay.css';

const FOCUSABLE = 'button, [href], input, select, textarea, [tabindex]:not([tabindex="-1"])';

export function HelpOverlay(): React.JSX.Element | null {
  const open = useUi((s) => s.helpOpen);
  const setOpen = useUi((s) => s.setHelpOpen);
  const dialog = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    const d = dialog.current;
    if (!open || !d) return;
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!d.open) d.showModal();
    d.querySelector<HTMLElement>('.help-close')?.focus();
    return () => {
      if (d.open) d.close();
      // Back to where the user was (the ? button, a terminal, a row), if it is still there.
      if (before?.isConnected) before.focus();
    };
  }, [open]);

  const onKeyDown = (e: React.KeyboardEvent<HTMLDialogElement>): void => {
    if (e.key !== 'Tab') return;
    // Keep Tab inside: from the last element to the first and back (the browser would leave for its own UI).
    const items = [...(dialog.current?.querySelectorAll<HTMLElement>(FOCUSABLE) ?? [])];
    if (items.length === 0) return;
    const first = items[0];
    const last = items[items.length - 1];
    if (e.shiftKey && document.activeElement === first) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault();
      first.focus();
    }
  };

  if (!open) return null;
  return (
    <dialog
      ref={dialog}
      className="help-overlay"
      data-testid="help-overlay"
      aria-labelledby="help-title"
      onKeyDown={onKeyDown}
      onCancel={(e) => {
        // Esc: close through the store, so the effect above restores focus.
        e.preventDefault();
        setOpen(false);
      }}
    >
      <div className="help-head">
        <h2 id="help-title">Keyboard shortcuts</h2>
        <button type="button" className="help-close" data-testid="help-close" onClick={() => setOpen(false)}>
          close (Esc)
        </button>
      </div>
      <table className="help-keys" data-testid="help-shortcuts">
        <tbody>
          {SHORTCUTS.map((s) => (
            <tr key={s.label} data-keys={s.keys.join(' ')}>
              <th scope="row">
                <kbd>{s.label}</kbd>
              </th>
              <td>{s.does}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="help-note">Shortcuts do nothing while you type in a terminal or a field.</p>
      <h2>Words on this page</h2>
      <div className="help-words" tabIndex={0} aria-label="Glossary">
        <dl>
          {GLOSSARY.map((g) => (
            <div key={g.id} data-term={g.id}>
              <dt>{g.term}</dt>
              <dd>
                {g.text} <span className="term-spec">(spec {g.spec})</span>
              </dd>
            </div>
          ))}
        </dl>
      </div>
    </dialog>
  );
}
