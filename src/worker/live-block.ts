/** Writer for the live-state block (SIM_LIVE in the ABI table): the worker's side. */
import { layoutOf, type FieldLayout } from '../abi/layout.ts';
import { SIM_LIVE } from '../abi/structs.ts';

const L = layoutOf(SIM_LIVE, 'i386');
export const LIVE_BYTES = L.size;
export type LiveField = keyof typeof L.fields & string;

/** Word index of a field (all SIM_LIVE fields are __u32). */
export const liveWord = (name: string, i = 0): number => {
  const fl: FieldLayout | undefined = L.fields[name];
  if (!fl) throw new Error(`sim_live has no field ${name}`);
  return fl.offset / 4 + i;
};

export const RUN_STATE_CODES: Readonly<Record<string, number>> = { running: 0, halted: 1, launcher: 2, done: 3, dead: 4 };
export const RUN_STATE_NAMES = ['running', 'halted', 'launcher', 'done', 'dead'] as const;
