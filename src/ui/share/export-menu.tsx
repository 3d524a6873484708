/**
 * "export ▾" (issue #5): the button and its menu's placement and dismissal;
 * the items (formats, ranges, the download) are export-items.tsx, fetched
 * when the menu first opens (issue #15: the first load).
 */
import React, { lazy, Suspense, useEffect, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import './share.css';

const ExportItems = lazy(() => import('./export-items.tsx').then((m) => ({ default: m.ExportItems })));

export function ExportMenu(): React.JSX.Element {
  // Where the menu drops (fixed, in a portal: the panels clip what overflows them).
  const [open, setOpen] = useState<{ top: number; right: number } | null>(null);
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
          <Suspense fallback={null}>
            <ExportItems at={open} menu={menu} onDone={() => setOpen(null)} />
          </Suspense>,
          document.body,
        )}
    </span>
  );
}
