/**
 * Export the trace (issue #5): the Chrome trace-event JSON that Perfetto UI
 * and chrome://tracing open (one track per guest, the Host and each
 * Launcher), or the JSON-lines event log; the same formats as the CLI's
 * `--trace-format chrome|jsonl`. The worker builds the file as a Blob (api.exportTrace).
 */
import React, { useEffect, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import { downloadBlob } from './share.ts';
import { useSimClient } from '../client/use-shared-view.ts';
import './share.css';

const FORMATS = [
  { format: 'chrome', testId: 'export-chrome', file: 'lguest-lab-trace.json', label: 'Chrome trace (Perfetto UI, chrome://tracing)' },
  { format: 'jsonl', testId: 'export-jsonl', file: 'lguest-lab-events.jsonl', label: 'JSON-lines event log' },
] as const;

export function ExportMenu(): React.JSX.Element {
  const client = useSimClient();
  // Where the menu drops (fixed, in a portal: the panels clip what overflows them).
  const [open, setOpen] = useState<{ top: number; right: number } | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const box = useRef<HTMLSpanElement>(null);
  const menu = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    const onDown = (e: PointerEvent): void => {
      const t = e.target;
      if (t instanceof Node && !box.current?.contains(t) && !menu.current?.contains(t)) setOpen(null);
    };
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === 'Escape') setOpen(null);
    };
    window.addEventListener('pointerdown', onDown);
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('pointerdown', onDown);
      window.removeEventListener('keydown', onKey);
    };
  }, [open]);

  const save = async (f: (typeof FORMATS)[number]): Promise<void> => {
    setBusy(f.format);
    setError(null);
    try {
      downloadBlob(f.file, await client.api.exportTrace(f.format));
      setOpen(null);
    } catch (e) {
      setError(`export failed: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      setBusy(null);
    }
  };

  return (
    <span className="export" ref={box}>
      <button
        type="button"
        data-testid="export"
        className={open ? 'active' : ''}
        aria-haspopup="menu"
        aria-expanded={open !== null}
        onClick={(e) => {
          const r = e.currentTarget.getBoundingClientRect();
          setOpen(open ? null : { top: r.bottom + 4, right: window.innerWidth - r.right });
        }}
        title="Export the trace"
      >
        export ▾
      </button>
      {open &&
        createPortal(
        <div className="export-menu" role="menu" ref={menu} style={{ top: open.top, right: open.right }}>
          {FORMATS.map((f) => (
            <button type="button" role="menuitem" key={f.format} data-testid={f.testId} disabled={busy !== null} onClick={() => void save(f)}>
              {busy === f.format ? 'preparing…' : f.label}
              <span className="dim mono">{f.file}</span>
            </button>
          ))}
          {error !== null && <div className="export-error">{error}</div>}
        </div>,
          document.body,
        )}
    </span>
  );
}
