/**
 * The virtual clock: one number of ticks that moves only with work, so the
 * same scenario and inputs give the same times (ground rule 3). The Host
 * reads it (GET_WALLCLOCK, event stamps); the Machine advances it after each
 * quantum by what the quantum did.
 */
import type { Tick } from '../base/units.ts';

export interface Clock {
  /** Virtual time in ticks; moves only with work. */
  now: Tick;
}

/** Ticks a quantum costs: one, plus one per 64 bytes the DMA engine copied in it (a copy is the only work with a size). */
export const quantumTicks = (bytesCopied: number): number => 1 + (bytesCopied >>> 6);
