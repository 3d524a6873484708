/**
 * The event log: every shown event, newest at the bottom, in a hand-rolled
 * virtual list (fixed row height; only the rows in view exist), so it stays
 * smooth at millions of events. Past what a browser can scroll in pixels the
 * scroll position maps to an event index proportionally. Clicking a row
 * (or Enter on it) goes to the state right after that event and selects it
 * with whatever it touched, as a click on the timeline does (issue #10).
 *
 * The worker keeps only a window of events (issue #15): a row whose event is
 * not in memory says so, by index only, and selecting it goes there, which
 * regenerates it (and the rows above it); nothing is guessed.
 */
import React, { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { type FrameViews, liveAt } from '../../client/frame-views.ts';
import { kindName } from './event-format.ts';
import { EventWords } from './event-words.tsx';
import type { SimClient } from '../../client/sim-client.ts';
import { useUi } from '../../store/store.ts';
import { usePickEvent } from './use-pick-event.ts';
import { useQuiz } from '../../store/quiz-store.ts';
import { usePresenter } from '../../store/presenter-store.ts';
import { useSharedView, useSimClient } from '../../client/use-shared-view.ts';
import './events.css';

/** Row height at font scale 1 (px); rows grow with the page's font scale (presenter mode). */
const ROW_PX = 18;
/** Tallest scroll area used (px): browsers cap element heights around 16-33 million px. */
const MAX_SCROLL = 4_000_000;

const decodeCounts = (v: FrameViews, c: SimClient): { view: number; events: number; strings: number } => ({
  view: liveAt(v, 'view'),
  // The event window changed (a slot arrived, or holds another stretch): rows re-read it.
  events: c.events.version,
  strings: c.strings.length,
});

export function EventLog(): React.JSX.Element {
  const client = useSimClient();
  const { view: count } = useSharedView(decodeCounts, { view: 0, events: 0, strings: 0 });
  const follow = useUi((s) => s.followLog);
  const setFollow = useUi((s) => s.setFollowLog);
  const selEvent = useUi((s) => s.selEvent);
  // Quiz mode: the events that decided the answer (issue #14).
  const hot = useQuiz((s) => s.highlight);
  const ROW = Math.round(ROW_PX * usePresenter((s) => s.scale));
  const pick = usePickEvent();
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(200);

  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setHeight(el.clientHeight));
    ro.observe(el);
    setHeight(el.clientHeight);
    return () => ro.disconnect();
  }, []);

  const total = Math.min(count * ROW, MAX_SCROLL);
  const scaled = count * ROW > MAX_SCROLL;
  const fullRows = Math.max(1, Math.floor(height / ROW));

  // Following: the view is pinned to the end, computed from sizes we already know (reading
  // scrollHeight here would force a layout of the whole page every frame).
  const pinned = Math.max(0, total - height);
  const top0 = follow ? pinned : scrollTop;
  const lastPinned = useRef(-1);
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el || !follow) {
      lastPinned.current = -1;
      return;
    }
    if (lastPinned.current !== pinned) {
      el.scrollTop = pinned;
      lastPinned.current = pinned;
    }
  }, [follow, pinned]);

  const onScroll = useCallback(() => {
    const el = scroller.current;
    if (!el) return;
    // Our own pinning to the end: not the user scrolling away (the list may have grown since).
    if (useUi.getState().followLog && Math.abs(el.scrollTop - lastPinned.current) <= 1) return;
    setScrollTop(el.scrollTop);
    const atEnd = el.scrollTop + el.clientHeight >= el.scrollHeight - ROW;
    if (atEnd !== useUi.getState().followLog) setFollow(atEnd);
  }, [setFollow]);

  let first: number;
  let top: number;
  if (!scaled) {
    first = Math.floor(top0 / ROW);
    top = first * ROW;
  } else {
    const range = Math.max(1, total - height);
    first = Math.round((Math.min(top0, range) / range) * Math.max(0, count - fullRows));
    top = top0;
  }
  const last = Math.min(count, first + fullRows + 2);
  if (scaled) top = Math.max(0, Math.min(top, total - (last - first) * ROW));
  const rows: React.JSX.Element[] = [];
  const events = client.events;
  for (let i = first; i < last; i++) {
    const ev = events.read(i);
    const gone = !ev && events.state(i) === 'gone';
    if (!ev && !gone) {
      // Held by the worker, its slot not arrived yet: next frame.
      rows.push(
        <div className="ev-row dim" key={i - first} style={{ height: ROW }}>
          <span className="ev-i">{i}</span> …
        </div>,
      );
      continue;
    }
    const pickOn = {
      role: 'button',
      tabIndex: 0,
      onClick: () => pick(i),
      onKeyDown: (e: React.KeyboardEvent) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          e.stopPropagation();
          pick(i);
        }
      },
    };
    if (!ev) {
      rows.push(
        <div key={i - first} className={`ev-row not-kept ${selEvent === i ? 'selected' : ''}`} style={{ height: ROW }} data-index={i} data-kept="false" title="Not in memory: show the state right after this event, which regenerates it (Enter)" {...pickOn}>
          <span className="ev-i">{i}</span>
          <span className="ev-d">not in memory: select to regenerate</span>
        </div>,
      );
      continue;
    }
    const kind = kindName(ev.kind);
    rows.push(
      <div
        key={i - first}
        className={`ev-row k-${kind} ${selEvent === i ? 'selected' : ''} ${hot.includes(i) ? 'quiz-hot' : ''}`}
        style={{ height: ROW }}
        data-index={i}
        title="Show the state right after this event (Enter)"
        {...pickOn}
      >
        <span className="ev-i">{i}</span>
        <span className="ev-t">{ev.time}</span>
        <span className="ev-g">g{ev.guest === 0xffffffff ? '?' : ev.guest}</span>
        <span className="ev-k">{kind}</span>
        <span className="ev-d">
          <EventWords ev={ev} strings={client.strings} />
        </span>
      </div>,
    );
  }

  return (
    <section className="panel event-log" data-testid="event-log" aria-label="Event log">
      <h2>
        Events <span className="sub">{count.toLocaleString('en-US')} shown</span>
        <button type="button" className={`small ${follow ? 'active' : ''}`} onClick={() => setFollow(!follow)} title="keep the newest event in view">
          follow
        </button>
      </h2>
      <div className="ev-scroller" ref={scroller} onScroll={onScroll} tabIndex={0} aria-label="Event list (click or Enter on an event: show the state after it)">
        <div className="ev-spacer" style={{ height: total }}>
          <div className="ev-window" style={{ transform: `translateY(${top}px)` }}>
            {rows}
          </div>
        </div>
      </div>
    </section>
  );
}
