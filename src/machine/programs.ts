/** Which program a scenario guest runs: the built-in kernel or a script. */
import type { Arch } from '../abi/ctypes.ts';
import type { GuestSpec } from '../scenario/scenario.ts';
import { LguestKernel } from '../guest/kernel/kernel.ts';
import type { GuestProgram } from '../hw/cpu.ts';
import { ScriptGuest } from '../guest/script-guest.ts';

export function createProgram(spec: GuestSpec, arch: Arch): GuestProgram {
  return spec.kernel === 'script' ? new ScriptGuest(spec.script ?? [], arch) : new LguestKernel({ arch });
}
