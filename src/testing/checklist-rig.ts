/**
 * The rig the checklist tests (src/**\/checklist-*.test.ts, spec §7) and the
 * examples test build their machines with: small scenarios of scripted guests,
 * and the readers they assert with (step results, events, used_len words,
 * bindings). Nothing here decides behaviour; it only builds and observes.
 *
 * Two ways to drive a machine:
 * - a scenario of scripted guests run with `run()` (the hypercall workbench);
 * - `bench()`: guests whose scripts are empty, so only the runtime's
 *   LGUEST_INIT has run; the test then plays the guest itself, writing its
 *   memory (`putDma`) and trapping into the Host (`hcallOn`). Property tests
 *   use this to try thousands of cases without building a script for each.
 */
import { latin1Text } from '../base/latin1.ts';
import { layoutOf, type StructLayout } from '../abi/layout.ts';
import { LGUEST_DATA, LGUEST_DMA } from '../abi/structs.ts';
import { hypercall } from '../host/hypercalls.ts';
import type { Lguest } from '../host/lguest.ts';
import { ScriptGuest, type StepResult } from '../guest/script-guest.ts';
import type { Section } from '../abi/dma.ts';
import { setUsedLen, writeDma } from '../guest/kernel/dma.ts';
import { hypercallNumber } from '../guest/hypercall-number.ts';
import type { EventKind, SimEvent } from '../hw/events.ts';
import { Machine } from '../machine/machine.ts';
import type { GuestMemory } from '../hw/memory.ts';
import { validateScenario, type Scenario, type ScenarioInput } from '../scenario/scenario.ts';
import { decodeBindings, type KeyRow } from '../machine/summary.ts';

/** struct lguest_dma and struct lguest_data on i386, from the ABI table. */
export const DMA: StructLayout = layoutOf(LGUEST_DMA, 'i386');
export const DATA: StructLayout = layoutOf(LGUEST_DATA, 'i386');

/** A validated scenario, or a thrown error naming the place (tests want to fail loudly). */
export function scenarioOf(input: ScenarioInput): Scenario {
  const r = validateScenario(input);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

/** Build the machine and run it until every guest is idle. */
export function run(input: ScenarioInput): Machine {
  const m = new Machine(scenarioOf(input));
  m.runUntilIdle();
  return m;
}

/** A scripted guest's step results (null: the step never completed). */
export function results(m: Machine, guest: number): readonly (StepResult | null)[] {
  const p = m.programs[guest];
  if (!(p instanceof ScriptGuest)) throw new Error(`guest ${guest} is not a scripted guest`);
  return p.results;
}

/** The `ret` (%eax) of a scripted guest's step. */
export function retOf(m: Machine, guest: number, step: number): number | undefined {
  const r = results(m, guest)[step];
  return r === null || r === undefined ? undefined : (r.ret as number | undefined);
}

/** The `values` of a scripted guest's read step. */
export function valuesOf(m: Machine, guest: number, step: number): number[] | undefined {
  const r = results(m, guest)[step];
  return r === null || r === undefined ? undefined : (r.values as number[] | undefined);
}

/** Every event, or those of one kind (and guest), in order. */
export function eventsOf(m: Machine, kind?: EventKind, guest?: number): SimEvent[] {
  const out: SimEvent[] = [];
  for (let i = 0; i < m.events.count; i++) {
    const e = m.events.get(i);
    if ((kind === undefined || e.kind === kind) && (guest === undefined || e.guest === guest)) out.push(e);
  }
  return out;
}

/** The first kill reason of a guest, or null. */
export function killed(m: Machine, guest: number): string | null {
  return m.host.guests[guest]!.dead;
}

/** The Host's record of a guest. */
export function lg(m: Machine, guest: number): Lguest {
  return m.host.guests[guest]!;
}

/** A guest's memory as its Launcher maps it. */
export function mem(m: Machine, guest: number): GuestMemory {
  return m.launchers[guest].memory;
}

/** used_len of the lguest_dma at `gpa` in a guest's memory. */
export function usedLen(m: Machine, guest: number, gpa: number): number {
  return mem(m, guest).u32(gpa + DMA.fields.used_len.offset);
}

/** A guest's live bindings, as the summary shows them. */
export function bindings(m: Machine, guest: number): KeyRow[] {
  return decodeBindings(lg(m, guest).bindings);
}

/** `n` bytes of a guest's memory as a latin-1 string. */
export function textAt(m: Machine, guest: number, gpa: number, n: number): string {
  return latin1Text(mem(m, guest).read(gpa, n));
}

// ---- the bench: the test plays the guest ---------------------------------

/**
 * Scripted guests with empty scripts and `memory` bytes each, plus shared
 * regions (i386, the layouts `putDma` writes); run until idle, so each has
 * made LGUEST_INIT and nothing else.
 */
export function bench(guests: number, shared: ScenarioInput['shared'] = [], memory = 0x20000): Machine {
  return run({ guests: Array.from({ length: guests }, () => ({ kernel: 'script' as const, memory, script: [] })), shared });
}

/** Trap into the Host from guest `guest` as its kernel would; returns %eax. */
export function hcallOn(m: Machine, guest: number, call: string | number, a1 = 0, a2 = 0, a3 = 0): number {
  const g = lg(m, guest);
  const eax = hypercall(m.host, g, hypercallNumber(call), a1, a2, a3);
  if (eax !== null) g.eax = eax;
  return g.eax;
}

/** Write one struct lguest_dma at `at` in guest memory (what writeDma's steps do). */
export function putDma(m: Machine, guest: number, at: number, sections: readonly Section[], used = 0): void {
  writeDma(mem(m, guest), DMA, at, sections);
  setUsedLen(mem(m, guest), DMA, at, used);
}
