/**
 * Spec §7 rules 29-31 (interrupt delivery, maybe_do_interrupt: spec §6).
 * Irqs are raised the way the Launcher does (LHREQ_IRQ); delivery is checked
 * both through scripted guests in the Machine and by calling the Host's
 * delivery step directly, once per guest entry.
 */
import { describe, expect, it } from 'vitest';
import { LHREQ_IRQ, X86_EFLAGS_IF } from '../abi/constants.ts';
import { bench, DATA, eventsOf, hcallOn, lg, mem, results, run, scenarioOf } from '../testing/checklist-rig.ts';
import { EventKind } from '../hw/events.ts';
import { Machine } from '../machine/machine.ts';
import { hcall, wait } from '../guest/script-builders.ts';
import { maybeDoInterrupt } from './interrupts.ts';

const MEM = 0x20000;
/** lguest_data of a scripted guest is at gpa 0 (the runtime's LGUEST_INIT). */
const field = (name: string): number => DATA.fields[name].offset;
/** LOAD_IDT_ENTRY high word: present, interrupt gate (0xE) or trap gate (0xF). */
const INTERRUPT_GATE = 0x8e00;
const TRAP_GATE = 0x8f00;

const raise = (m: Machine, guest: number, irq: number): void => {
  expect(m.launchers[guest].write(LHREQ_IRQ, [irq])).toBe(0);
};
const irqEnabled = (m: Machine): number => mem(m, 0).u32(field('irq_enabled'));
const deliver = (m: Machine, eip?: number): number | null => maybeDoInterrupt(m.host, lg(m, 0), eip);

describe('spec §7 interrupts', () => {
  it('§7.29 Interrupts are delivered lowest number first, one per guest entry, only if unblocked, outside the noirq range, and with irq_enabled ≠ 0 or the guest halted.', () => {
    // Scripted: the guest waits three times; irqs 9, 3 and 5 are raised together while it sleeps.
    const m = run({ guests: [{ kernel: 'script', memory: MEM, script: [wait, wait, wait] }] });
    expect(m.runState(0)).toBe('halted');
    for (const irq of [9, 3, 5]) raise(m, 0, irq);
    m.runUntilIdle();
    expect(results(m, 0)).toEqual([{ irq: 3 }, { irq: 5 }, { irq: 9 }]);
    // One per entry: each delivery is followed by the guest running (its next HALT) before the next one.
    const seq = eventsOf(m)
      .filter((e) => e.kind === EventKind.IRQ_DELIVER || e.kind === EventKind.HCALL)
      .slice(-5)
      .map((e) => (e.kind === EventKind.IRQ_DELIVER ? `irq${e.a}` : 'hcall'));
    expect(seq).toEqual(['irq3', 'hcall', 'irq5', 'hcall', 'irq9']);

    // Directly, one call per guest entry.
    const b = bench(1);
    const g = lg(b, 0);
    raise(b, 0, 5);
    raise(b, 0, 2);
    expect(deliver(b)).toBe(2);
    mem(b, 0).setU32(field('irq_enabled'), X86_EFLAGS_IF); // the handler's iret
    expect(deliver(b)).toBe(5);
    expect(deliver(b)).toBeNull();

    // Blocked lines wait; a higher unblocked one goes first.
    raise(b, 0, 2);
    raise(b, 0, 7);
    mem(b, 0).setU32(field('irq_enabled'), X86_EFLAGS_IF);
    mem(b, 0).setU32(field('blocked_interrupts'), 1 << 2);
    expect(deliver(b)).toBe(7);
    mem(b, 0).setU32(field('irq_enabled'), X86_EFLAGS_IF);
    expect(deliver(b)).toBeNull();
    expect(g.pendingIrqs).toBe(1 << 2);
    mem(b, 0).setU32(field('blocked_interrupts'), 0);

    // irq_enabled = 0 on a running guest defers; a halted guest takes it anyway.
    mem(b, 0).setU32(field('irq_enabled'), 0);
    expect(deliver(b)).toBeNull();
    expect(g.pendingIrqs).toBe(1 << 2);
    hcallOn(b, 0, 'HALT');
    expect(g.halted).toBe(true);
    expect(deliver(b)).toBe(2);
    expect(g.halted).toBe(false);
  });

  it('§7.29 Interrupts are delivered lowest number first, one per guest entry, only if unblocked, outside the noirq range, and with irq_enabled ≠ 0 or the guest halted. — the noirq range is read at LGUEST_INIT and checked before the halt', () => {
    // A scripted guest, built but not run: the test makes its LGUEST_INIT with a noirq range in lguest_data.
    const m = new Machine(scenarioOf({ guests: [{ kernel: 'script', memory: MEM, script: [] }] }));
    const g = mem(m, 0);
    g.setU32(field('noirq_start'), 0x1000);
    g.setU32(field('noirq_end'), 0x1100);
    g.setU32(field('irq_enabled'), X86_EFLAGS_IF);
    hcallOn(m, 0, 'LGUEST_INIT', 0);
    // Later changes to lguest_data do not move the range: the Host read it once.
    g.setU32(field('noirq_end'), 0x9000);
    raise(m, 0, 4);
    expect(deliver(m, 0x1000)).toBeNull();
    expect(deliver(m, 0x10ff)).toBeNull();
    hcallOn(m, 0, 'HALT');
    expect(deliver(m, 0x1080)).toBeNull(); // even a halted guest is left alone there
    expect(lg(m, 0).halted).toBe(true);
    expect(deliver(m, 0x1100)).toBe(4);
  });

  it('§7.30 Delivering to a halted guest un-halts it and sets irq_enabled to 0x200; entering an interrupt gate sets irq_enabled to 0.', () => {
    const b = bench(1);
    const g = lg(b, 0);
    // Interrupt gate (the default for every irq vector here): the handler starts with irq_enabled 0.
    mem(b, 0).setU32(field('irq_enabled'), 0);
    hcallOn(b, 0, 'HALT');
    raise(b, 0, 4);
    expect(deliver(b)).toBe(4);
    expect(g.halted).toBe(false);
    expect(irqEnabled(b)).toBe(0);

    // Trap gate: the same delivery leaves the 0x200 the un-halt wrote.
    hcallOn(b, 0, 'LOAD_IDT_ENTRY', 32 + 6, 0, TRAP_GATE);
    hcallOn(b, 0, 'HALT');
    raise(b, 0, 6);
    expect(deliver(b)).toBe(6);
    expect(g.halted).toBe(false);
    expect(irqEnabled(b)).toBe(X86_EFLAGS_IF);

    // Interrupt gate on a running guest: irq_enabled 0x200 → 0.
    hcallOn(b, 0, 'LOAD_IDT_ENTRY', 32 + 6, 0, INTERRUPT_GATE);
    raise(b, 0, 6);
    expect(deliver(b)).toBe(6);
    expect(irqEnabled(b)).toBe(0);

    // Scripted: a guest halts with irq_enabled cleared and an absent vector; the irq wakes it with 0x200 and no frame.
    const m = run({
      guests: [{ kernel: 'script', memory: MEM, script: [hcall('LOAD_IDT_ENTRY', 32 + 4, 0, 0), { op: 'write', addr: field('irq_enabled'), u32: [0] }, hcall('HALT')] }],
    });
    expect(lg(m, 0).halted).toBe(true);
    raise(m, 0, 4);
    m.runUntilIdle();
    expect(lg(m, 0).halted).toBe(false);
    expect(irqEnabled(m)).toBe(X86_EFLAGS_IF);
    expect(eventsOf(m, EventKind.IRQ_DELIVER)).toHaveLength(0);
  });

  it('§7.31 A pending irq with no present IDT entry stays pending.', () => {
    const b = bench(1);
    const g = lg(b, 0);
    hcallOn(b, 0, 'LOAD_IDT_ENTRY', 32 + 5, 0, 0); // not present
    raise(b, 0, 5);
    raise(b, 0, 6);
    for (let k = 0; k < 3; k++) expect(deliver(b)).toBeNull();
    // It stays, and being the lowest it also holds back irq 6.
    expect(g.pendingIrqs).toBe((1 << 5) | (1 << 6));
    // Once the vector is loaded it goes, then 6.
    hcallOn(b, 0, 'LOAD_IDT_ENTRY', 32 + 5, 0, INTERRUPT_GATE);
    expect(deliver(b)).toBe(5);
    mem(b, 0).setU32(field('irq_enabled'), X86_EFLAGS_IF);
    expect(deliver(b)).toBe(6);
    expect(g.pendingIrqs).toBe(0);

    // Scripted: a `wait` woken by an irq without a vector returns with no irq, and the bit is still set.
    const m = run({ guests: [{ kernel: 'script', memory: MEM, script: [hcall('LOAD_IDT_ENTRY', 32 + 5, 0, 0), wait] }] });
    raise(m, 0, 5);
    m.runUntilIdle();
    expect(results(m, 0)[1]).toEqual({ irq: null });
    expect(lg(m, 0).pendingIrqs).toBe(1 << 5);
  });
});
