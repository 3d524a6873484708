/**
 * Export the trace (issue #5): the Chrome trace-event JSON that Perfetto UI
 * and chrome://tracing open (one track per guest, the Host and each
 * Launcher), or the JSON-lines event log; the same formats as the CLI's
 * `--trace-format chrome|jsonl`. The worker builds the file as a Blob (api.exportTrace).
 * Back in time, each format is offered twice, saying which: the events up to
 * the shown one, or everything this timeline recorded (issue #10).
 */
import React, { useEffect, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import { downloadBlob } from './share.ts';
import { useSharedView, useSimClient } from '../client/use-shared-view.ts';
import { type FrameViews, liveAt } from '../client/frame-views.ts';
import './share.css';

const FORMATS = [
  { format: 'chrome', testId: 'export-chrome', file: 'lguest-lab-trace.json', label: 'Chrome trace (Perfetto UI, chrome://tracing)' },
  { format: 'jsonl', testId: 'export-jsonl', file: 'lguest-lab-events.jsonl', label: 'JSON-lines event log' },
] as const;

const decodeRange = (v: FrameViews): { view: number; recorded: number } => ({ view: liveAt(v, 'view'), recorded: liveAt(v, 'recorded') });
const n = (x: number): string => x.toLocaleString('en-US');

export function ExportMenu(): React.JSX.Element {
  const client = useSimClient();
  const { view, recorded } = useSharedView(decodeRange, { view: 0, recorded: 0 });
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

  const save = async (f: (typeof FORMATS)[number], range: 'shown' | 'all'): Promise<void> => {
    setBusy(`${f.format}-${range}`);
    setError(null);
    try {
      downloadBlob(f.file, await client.api.exportTrace(f.format, range));
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
          {FORMATS.flatMap((f) => {
            // At the end both ranges are the same file: one item. Back in time: both, each saying what it holds.
            const ranges: { range: 'shown' | 'all'; testId: string; what: string }[] =
              view < recorded
                ? [
                    { range: 'shown', testId: f.testId, what: `up to the shown event #${n(view - 1)} (${n(view)} events)` },
                    { range: 'all', testId: `${f.testId}-all`, what: `everything recorded (${n(recorded)} events)` },
                  ]
                : [{ range: 'all', testId: f.testId, what: `all ${n(recorded)} events` }];
            return ranges.map((r) => (
              <button type="button" role="menuitem" key={`${f.format}-${r.range}`} data-testid={r.testId} data-range={r.range} disabled={busy !== null} onClick={() => void save(f, r.range)}>
                {busy === `${f.format}-${r.range}` ? 'preparing…' : `${f.label}: ${r.what}`}
                <span className="dim mono">{f.file}</span>
              </button>
            ));
          })}
          {error !== null && <div className="export-error">{error}</div>}
        </div>,
          document.body,
        )}
    </span>
  );
}
