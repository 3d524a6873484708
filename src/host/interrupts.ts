/**
 * Interrupt delivery before each guest entry (maybe_do_interrupt in
 * interrupts_and_traps.c; spec §6, checklist §7.29-31).
 */
import * as abi from '../abi/constants.ts';
import * as events from '../hw/events.ts';
import type { Host } from './host.ts';
import type { Lguest } from './lguest.ts';

// Module-local copies of imported constants (see src/host/dma-engine.ts: an imported binding is
// reloaded and TDZ-checked at every use; a module's own const folds into the optimized code).
const { X86_EFLAGS_IF } = abi;
const { EventKind } = events;

/** Pending and not blocked by lguest_data.blocked_interrupts. */
export function deliverableIrqs(host: Host, g: Lguest): number {
  if (!g.initialized || g.pendingIrqs === 0) return 0;
  const blocked = g.mem.u32(g.lguestData + host.dataOff.blockedInterrupts);
  return (g.pendingIrqs & ~blocked) >>> 0;
}

/** Lowest set bit's index. */
function lowestBit(v: number): number {
  return 31 - Math.clz32(v & -v);
}

/**
 * Try to deliver one interrupt. Returns the irq whose frame was built, or
 * null. A halted guest with a candidate is woken (irq_enabled := 0x200) even
 * when the IDT entry is absent, which then leaves the irq pending (§7.31).
 * `eip` is the guest's instruction pointer where the program has one: inside
 * the [noirq_start, noirq_end) range read at LGUEST_INIT nothing happens
 * (§6, §7.29). The simulated guests have no code addresses, so the Machine
 * passes none and that deferral never applies to them.
 */
export function maybeDoInterrupt(host: Host, g: Lguest, eip?: number): number | null {
  const cand = deliverableIrqs(host, g);
  if (cand === 0) return null;
  const irq = lowestBit(cand);
  if (eip !== undefined && eip >>> 0 >= g.noirqStart && eip >>> 0 < g.noirqEnd) return null;
  const enabledAt = g.lguestData + host.dataOff.irqEnabled;
  if (g.halted) {
    g.mem.setU32(enabledAt, X86_EFLAGS_IF);
    g.halted = false;
  } else if (g.mem.u32(enabledAt) === 0) return null;
  const bit = 1 << irq;
  if ((g.idtPresent & bit) === 0) return null;
  g.pendingIrqs = (g.pendingIrqs & ~bit) >>> 0;
  // Interrupt gate: the frame saved IF, and the handler starts with interrupts off (§7.30).
  if ((g.idtTrapGate & bit) === 0) g.mem.setU32(enabledAt, 0);
  host.events.push(EventKind.IRQ_DELIVER, g.index, host.clock.now, irq, 0, 0, 0, 0);
  return irq;
}
