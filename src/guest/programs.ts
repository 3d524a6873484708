/** TEMP while the kernel lands. */
import type { Arch } from '../abi/ctypes.ts';
import type { GuestSpec } from '../core/scenario.ts';
import type { GuestProgram } from './program.ts';
import { ScriptGuest } from './script-guest.ts';

export function createProgram(spec: GuestSpec, arch: Arch): GuestProgram {
  if (spec.kernel !== 'script') throw new Error('kernel pending');
  return new ScriptGuest(spec.script ?? [], arch);
}
