/**
 * The status line: virtual time, events per second, shown / recorded event
 * count, run state, and the state hash (the CLI's `--json` hash of all guest
 * memory, 16 hex digits).
 */
import React from 'react';
import type { FrameViews } from '../client/frame-views.ts';
import { decodeLive, type LiveStatus } from '../client/struct-decoders.ts';
import { useUi } from '../store/store.ts';
import { useSharedView, useSimClient } from '../client/use-shared-view.ts';

const decodeStatus = (v: FrameViews): Omit<LiveStatus, 'seq'> => {
  const { seq: _seq, ...rest } = decodeLive(v);
  return rest;
};

const fmt = (n: number): string => n.toLocaleString('en-US');

export function StatusBar(): React.JSX.Element | null {
  const client = useSimClient();
  const s = useSharedView(decodeStatus, null);
  // A fault (fault-banner.tsx) stopped the simulation: the live block then shows its last state, not a running one.
  const stopped = useUi((u) => u.fault !== null);
  if (!s) return null;
  const state = stopped ? 'stopped' : s.running ? (s.idle ? 'idle' : 'running') : 'paused';
  return (
    <div className="status-bar" data-testid="status" data-idle={s.idle} data-running={s.running}>
      <span className={`state st-${state}`}>{state}</span>
      <span title="virtual time (ticks)">
        t=<b className="mono">{fmt(s.time)}</b>
      </span>
      <span title="events per second">
        <b className="mono">{fmt(s.running && !s.idle ? s.eventsPerSec : 0)}</b> ev/s
      </span>
      <span title="the shown state is the state right after event #i (events are numbered from 0, as in the log, the timeline and the trace's i); then the events this timeline recorded">
        {/* data-count: events shown (the state after event #data-count-1). */}
        <b className="mono" data-testid="event-count" data-count={s.view}>
          {s.view > 0 ? `#${fmt(s.view - 1)}` : '—'}
        </b>
        <span className="dim"> / {fmt(s.recorded)} events</span>
      </span>
      {s.inputsPending > 0 && <span className="dim">{s.inputsPending} input(s) waiting</span>}
      <span title="state hash: all guest memory (same as the CLI's --json hash)">
        hash <b className="mono" data-testid="state-hash" data-events={s.hashAt}>{s.hash}</b>
      </span>
      {!client.shared && (
        <span className="notice" data-testid="not-isolated" title="Serve the page with Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp to read shared memory directly.">
          not cross-origin isolated: running on per-frame copies
        </span>
      )}
    </div>
  );
}
