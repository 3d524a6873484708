/**
 * The fault slice of the UI store (issue #7): what stopped the simulation and
 * what the page kept. Set by the worker supervisor (worker-supervisor.ts),
 * shown by the fault banner (fault-banner.tsx). Simulation state itself stays
 * in the worker; this is only what the page tells the user about it.
 */
import type { StateCreator } from 'zustand';

/**
 * `exception`: an exception escaped the simulation; the worker lives and keeps
 * the recording (api.fault / api.recover).
 * `worker`: the worker itself died or stopped answering; the page's own copy
 * of the recording is what a restart replays.
 */
export type FaultKind = 'exception' | 'worker';

export interface PageFault {
  readonly kind: FaultKind;
  /** What happened, one line (the exception's message, or how the worker failed). */
  readonly message: string;
  /** Events a restart gets back: the last good event (exception) or the kept recording's count (worker). */
  readonly lastGood: number;
  /** Inputs sent after the page's last copy of the recording (worker faults: a restart cannot replay them). */
  readonly inputsNotKept: number;
}

export interface FaultSlice {
  fault: PageFault | null;
  /** A restart is in progress. */
  restarting: boolean;
  /** The last restart failed: why (the fault stays shown). */
  restartError: string | null;
  setFault(f: PageFault | null): void;
  setRestarting(r: boolean): void;
  setRestartError(e: string | null): void;
}

export const createFaultSlice: StateCreator<FaultSlice, [], [], FaultSlice> = (set) => ({
  fault: null,
  restarting: false,
  restartError: null,
  setFault: (fault) => set({ fault }),
  setRestarting: (restarting) => set({ restarting }),
  setRestartError: (restartError) => set({ restartError }),
});
