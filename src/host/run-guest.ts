/**
 * run_guest() (drivers/lguest/core.c v2.6.23), what lguest_user.c's read()
 * does once it has nothing to report (spec §3.2 step 4, §6): deliver a
 * pending interrupt if the guest can take one, enter the guest, and handle
 * the trap that brings it back. A hypercall runs here, in the Host; its
 * result is %eax on the next entry.
 */
import type { GuestCpu, GuestProgram } from '../hw/cpu.ts';
import type { Host } from './host.ts';
import { hypercall } from './hypercalls.ts';
import { maybeDoInterrupt } from './interrupts.ts';
import type { Lguest } from './lguest.ts';

/**
 * One entry: 'ran' (a hypercall, or the guest is halted/dead and was not
 * entered), 'yield' (it gave the others a turn) or 'done' (it will never run
 * again). `afterRun` sees the guest's memory as the trap left it, before the
 * hypercall runs (the Machine notices device status writes there).
 */
export function runGuest(host: Host, g: Lguest, program: GuestProgram, cpu: GuestCpu, afterRun: () => void): 'ran' | 'yield' | 'done' {
  const irq = maybeDoInterrupt(host, g);
  if (g.halted || g.dead !== null) return 'ran';
  const trap = program.run(cpu, irq);
  afterRun();
  switch (trap.kind) {
    case 'hcall': {
      const eax = hypercall(host, g, trap.call, trap.a1, trap.a2, trap.a3);
      if (eax !== null) g.eax = eax;
      return 'ran';
    }
    case 'yield':
      return 'yield';
    case 'done':
      return 'done';
  }
}
