/**
 * The non-memory state of a Machine at a quantum boundary: the Machine's own
 * counters, plus what each part saves of itself (Host and its guests,
 * Launchers, programs, networks). Memory pages and disks are kept by
 * checkpoints.ts, which stores this beside them.
 */
import type { HostState } from '../host/host.ts';
import type { LauncherState } from '../launcher/launcher.ts';

export interface MachineState {
  count: number;
  clock: number;
  quanta: number;
  current: number;
  inputsApplied: number;
  /** Stamps of the idle inputs, which are filled in when they land (the log keeps the rest). */
  inputStamps: number[];
  finished: boolean[];
  statusSeen: Uint16Array[];
  host: HostState;
  launchers: LauncherState[];
  programs: unknown[];
  networks: number[][];
}

