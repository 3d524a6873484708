/**
 * A glossary word (views/glossary.ts) with its explanation on hover and on
 * keyboard focus, as WCAG 2.1's 1.4.13 asks: the tip can be hovered itself,
 * stays while pointer or focus is on either, and Esc dismisses it. The tip is
 * portalled to <body>: panels clip (contain: strict, overflow: hidden).
 */
import React, { useCallback, useEffect, useId, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import { glossaryEntry, splitTerms } from '../../views/glossary.ts';
import './term.css';

/** How long the tip waits before hiding when the pointer leaves (so it can move onto the tip). */
const HIDE_DELAY_MS = 200;

interface Place {
  readonly left: number;
  readonly top?: number;
  readonly bottom?: number;
}

/** Below the word, or above it when the word is in the lower part of the window. */
function placeTip(el: HTMLElement): Place {
  const r = el.getBoundingClientRect();
  const rem = parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
  const width = Math.min(24 * rem, window.innerWidth - 16);
  const left = Math.max(8, Math.min(r.left, window.innerWidth - width - 8));
  return r.bottom > window.innerHeight * 0.6 ? { left, bottom: window.innerHeight - r.top + 4 } : { left, top: r.bottom + 4 };
}

export function Term({ id, children }: { id: string; children?: React.ReactNode }): React.JSX.Element {
  const entry = glossaryEntry(id);
  const tipId = useId();
  const ref = useRef<HTMLSpanElement>(null);
  const [place, setPlace] = useState<Place | null>(null);
  const timer = useRef<number | undefined>(undefined);
  const cancelHide = useCallback(() => window.clearTimeout(timer.current), []);
  const show = useCallback(() => {
    cancelHide();
    if (ref.current) setPlace(placeTip(ref.current));
  }, [cancelHide]);
  const hide = useCallback(() => {
    cancelHide();
    setPlace(null);
  }, [cancelHide]);
  const hideSoon = useCallback(() => {
    cancelHide();
    timer.current = window.setTimeout(() => {
      // Still focused: keyboard users keep the tip until they move on.
      if (ref.current !== document.activeElement) setPlace(null);
    }, HIDE_DELAY_MS);
  }, [cancelHide]);
  useEffect(() => cancelHide, [cancelHide]);

  useEffect(() => {
    if (!place) return;
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === 'Escape') {
        // The tip goes first; a second Esc reaches whatever else listens (the help overlay).
        e.stopPropagation();
        hide();
      }
    };
    const onScroll = (): void => hide();
    window.addEventListener('keydown', onKey, true);
    window.addEventListener('scroll', onScroll, true);
    return () => {
      window.removeEventListener('keydown', onKey, true);
      window.removeEventListener('scroll', onScroll, true);
    };
  }, [place, hide]);

  if (!entry) return <>{children}</>;
  return (
    <span ref={ref} className="term" tabIndex={0} data-term={id} aria-describedby={tipId} onMouseEnter={show} onMouseLeave={hideSoon} onFocus={show} onBlur={hide}>
      {children ?? entry.term}
      {createPortal(
        <span
          role="tooltip"
          id={tipId}
          className="term-tip"
          data-testid="term-tip"
          data-term={id}
          hidden={place === null}
          style={place ? { left: place.left, top: place.top, bottom: place.bottom } : undefined}
          onMouseEnter={cancelHide}
          onMouseLeave={hideSoon}
        >
          <strong>{entry.term}</strong>: {entry.text} <span className="term-spec">(spec {entry.spec})</span>
        </span>,
        document.body,
      )}
    </span>
  );
}

/** `text` with each glossary word in it (the first time it appears) as a <Term>. */
export function TermText({ text, only }: { text: string; only?: ReadonlySet<string> }): React.JSX.Element {
  return (
    <>
      {splitTerms(text, only).map((p, i) =>
        typeof p === 'string' ? (
          <React.Fragment key={i}>{p}</React.Fragment>
        ) : (
          <Term key={i} id={p.id}>
            {p.text}
          </Term>
        ),
      )}
    </>
  );
}
