/**
 * The fault banner (issue #7): the simulation stopped on an exception, or its
 * worker died or hung. Says what happened, what the page kept, and offers
 * "Restart from last good state" (worker-supervisor.ts does the restart).
 * Every text here is rendered as text, never as HTML.
 */
import React, { createContext, useContext } from 'react';
import type { FrameViews } from '../client/frame-views.ts';
import type { SimClient } from '../client/sim-client.ts';
import { useUi } from '../store/store.ts';
import { useSharedView } from '../client/use-shared-view.ts';
import type { WorkerSupervisor } from '../client/worker-supervisor.ts';

export const SupervisorContext = createContext<WorkerSupervisor | null>(null);

const fmt = (n: number): string => n.toLocaleString('en-US');

/**
 * `lastGood` is a count of events; the page names events by their 0-based
 * index `#i` (as the log, timeline and trace's `i`), and n events is the
 * state after event #n-1 (issue #10: one numbering everywhere).
 */
const stateAfter = (count: number): string => (count > 0 ? `the state after event #${fmt(count - 1)}` : 'the start');

const decodeRefused = (_v: FrameViews, c: SimClient): number => c.inputRefusedBytes;

export function FaultBanner(): React.JSX.Element | null {
  const supervisor = useContext(SupervisorContext);
  const fault = useUi((s) => s.fault);
  const restarting = useUi((s) => s.restarting);
  const restartError = useUi((s) => s.restartError);
  const refused = useSharedView(decodeRefused, 0);
  if (!fault) return null;
  const kept =
    fault.kind === 'exception'
      ? `The recording is kept: a restart replays it to ${stateAfter(fault.lastGood)}, the last good state.`
      : fault.lastGood > 0 || supervisor?.keptRecording
        ? `The page kept a copy of the recording (up to about ${stateAfter(fault.lastGood)}): a restart starts a new worker and replays it.`
        : 'The page had no copy of the recording yet: a restart starts the scenario afresh.';
  return (
    <div className="fault-banner" role="alert" data-testid="fault-banner" data-kind={fault.kind} data-last-good={fault.lastGood}>
      <div className="fault-what">
        <strong>{fault.kind === 'exception' ? '⚠ The simulation stopped on an exception:' : '⚠ The simulation worker is gone:'}</strong>{' '}
        <code data-testid="fault-message">{fault.message}</code>
      </div>
      <div className="fault-kept">
        {kept}
        {fault.inputsNotKept > 0 && ` ${fmt(fault.inputsNotKept)} input(s) sent after that copy are not in it.`}
        {refused > 0 && ` ${fmt(refused)} byte(s) typed since the stop were not delivered.`}
      </div>
      {restartError !== null && (
        <div className="fault-restart-error" data-testid="restart-error">
          Restart failed: {restartError}
        </div>
      )}
      <button type="button" data-testid="restart" disabled={restarting || !supervisor} onClick={() => void supervisor?.restart()}>
        {restarting ? 'restarting…' : '↻ Restart from last good state'}
      </button>
    </div>
  );
}
