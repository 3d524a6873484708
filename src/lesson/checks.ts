/**
 * Evaluating a step's `show` and `expect` against the machine (issue #13).
 * A `show` must resolve to something that exists (an event, a bound key, a
 * device, a known buffer, a panel this machine has) so a lesson cannot point
 * at nothing; every `expect` is a claim the simulator proves or refutes, and
 * a refuted one says what was seen instead.
 */
import { LGUEST_DMA } from '../abi/structs.ts';
import { layoutOf } from '../abi/layout.ts';
import type { Arch } from '../abi/ctypes.ts';
import { LGUEST_MAX_DEVICES } from '../abi/constants.ts';
import { GuestFault } from '../hw/memory.ts';
import type { Machine } from '../machine/machine.ts';
import { decodeBindingTable, type BindingFields } from '../views/bindings.ts';
import { decodeDescriptor, DESC, type DescriptorFields } from '../views/device-desc.ts';
import { hexAlt } from '../base/printf.ts';
import { ScriptGuest } from '../guest/script-guest.ts';
import type { CheckResult } from './extensions.ts';
import { eventJson, findLast, matches, showEvent, showMatch } from './match.ts';
import type { Check, MemoryCheck, Show } from './schema.ts';

/** What a step's checks look at: the machine now, where the step began, and the event it shows. */
export interface CheckScope {
  readonly m: Machine;
  /** `seen` looks at events [since, now). */
  readonly since: number;
  /** The shown event (#index), or -1 when there is none. */
  readonly shown: number;
}

const result = (check: string, ok: boolean, saw: string): CheckResult => ({ check, ok, saw });

/** The event a show selects: the latest match of `show.event`, else the latest event. */
export function shownEvent(m: Machine, show: Show | undefined): number {
  if (show && 'event' in show) return findLast(m.events, show.event, 0, m.events.count);
  return m.events.count - 1;
}

/** The guest's bound keys (the Host's binding table, through the same decoder as the page's keys panel). */
function bindings(m: Machine, g: number): BindingFields[] {
  const b = m.host.guests[g]!.bindings;
  return decodeBindingTable(new DataView(b.buffer, b.byteOffset, b.byteLength));
}

/** The guest's non-empty descriptors, by slot (spec §1.4, §5.1). */
function devices(m: Machine, g: number): (DescriptorFields & { index: number })[] {
  const L = m.launchers[g];
  const out: (DescriptorFields & { index: number })[] = [];
  for (let i = 0; i < LGUEST_MAX_DEVICES; i++) {
    const d = decodeDescriptor(L.memory.view, L.descPage + i * DESC.size);
    if (d.type !== 0) out.push({ ...d, index: i });
  }
  return out;
}

/** Entries of the guest's bound lguest_dma arrays and the structs it sent or received into: the buffers a show may name. */
function knownBuffers(m: Machine, guest: number): Set<number> {
  const size = layoutOf(LGUEST_DMA, m.scenario.arch as Arch).size;
  const out = new Set<number>();
  for (const k of bindings(m, guest)) for (let j = 0; j < k.num; j++) out.add(k.dmas + j * size);
  for (let i = 0; i < m.events.count; i++) {
    const e = eventJson(m.events, i);
    if (e.kind === 'hcall' && e.guest === guest && e.call === 'SEND_DMA') out.add(Number(e.ebx));
    if (e.kind === 'dma' && e.guest === guest) out.add(Number(e.src));
    if (e.kind === 'dma' && e.to === guest) out.add(Number(e.dst));
    if (e.kind === 'console_input' && e.guest === guest) out.add(Number(e.dst));
  }
  return out;
}

/** Does the show point at something this machine has? */
export function resolveShow(m: Machine, show: Show): CheckResult {
  if ('event' in show) {
    const i = shownEvent(m, show);
    return result(`show event ${showMatch(show.event)}`, i >= 0, i >= 0 ? showEvent(eventJson(m.events, i)) : `no such event among #0..#${m.events.count - 1}`);
  }
  if ('panel' in show) {
    const types = m.scenario.guests.flatMap((g) => (g.devices ?? []).map((d) => d.type));
    const needs: Partial<Record<string, boolean>> = {
      'block-page': types.includes('block'),
      'sector-map': types.includes('block'),
      'net-page': types.includes('net'),
      workbench: m.programs.some((p) => p instanceof ScriptGuest),
    };
    const ok = needs[show.panel] ?? true;
    return result(`show panel ${show.panel}`, ok, ok ? show.panel : `this machine has no ${show.panel} (no such device or scripted guest)`);
  }
  const g = show.guest;
  if ('key' in show) {
    const keys = bindings(m, g).map((k) => hexAlt(k.key));
    const ok = keys.includes(hexAlt(show.key));
    return result(`show key ${hexAlt(show.key)} of guest ${g}`, ok, `bound keys: ${keys.join(', ') || 'none'}`);
  }
  if ('device' in show) {
    const rows = devices(m, g);
    const ok = rows.some((r) => r.index === show.device);
    return result(`show device ${show.device} of guest ${g}`, ok, `devices: ${rows.map((r) => `${r.index} ${r.typeName}`).join(', ') || 'none'}`);
  }
  const known = knownBuffers(m, g);
  const ok = known.has(show.buffer);
  return result(`show buffer ${hexAlt(show.buffer)} of guest ${g}`, ok, ok ? 'a bound or sent lguest_dma' : `known buffers: ${[...known].map(hexAlt).join(', ') || 'none'}`);
}

const tail = (s: string, n = 60): string => JSON.stringify(s.length > n ? `…${s.slice(-n)}` : s);

function readMemory(m: Machine, c: MemoryCheck): { want: (number | string)[] | string; got: (number | string)[] | string } | string {
  const mem = m.launchers[c.guest].memory;
  try {
    if ('text' in c) {
      let got = '';
      for (let k = 0; k < c.text.length; k++) got += String.fromCharCode(mem.u8(c.addr + k));
      return { want: c.text, got };
    }
    const [vals, width, read] =
      'u32' in c ? [c.u32, 4, (a: number) => mem.u32(a)] : 'u16' in c ? [c.u16, 2, (a: number) => mem.u16(a)] : [c.u8, 1, (a: number) => mem.u8(a)];
    return { want: [...vals], got: vals.map((_, k) => read(c.addr + k * width)) };
  } catch (e) {
    if (e instanceof GuestFault) return `${hexAlt(e.gpa)} is outside guest ${c.guest}'s memory`;
    throw e;
  }
}

/**
 * The guest's kill reason, or null while it lives. A Launcher that exited
 * takes its guest with it as "launcher exited: …" (Launcher.exit), counted
 * from the moment the Launcher decided to exit, its launcher_exit event.
 */
function deathOf(m: Machine, g: number): string | null {
  const exit = m.launchers[g].exitMessage;
  return m.host.guests[g]!.dead ?? (exit === null ? null : `launcher exited: ${exit}`);
}

/** One `expect`. */
export function evaluateCheck(c: Check, s: CheckScope): CheckResult {
  const m = s.m;
  if ('event' in c) {
    const name = `event ${showMatch(c.event)}`;
    if (s.shown < 0) return result(name, false, 'no event is shown');
    const ev = eventJson(m.events, s.shown);
    return result(name, matches(c.event, ev), showEvent(ev));
  }
  if ('seen' in c) {
    const name = `seen ${showMatch(c.seen)}`;
    const i = findLast(m.events, c.seen, s.since, m.events.count);
    if (i >= 0) return result(name, true, showEvent(eventJson(m.events, i)));
    const n = m.events.count - s.since;
    return result(name, false, n <= 0 ? 'no event happened in this step' : `${n} events (#${s.since}..#${m.events.count - 1}), none matching; the last: ${showEvent(eventJson(m.events, m.events.count - 1))}`);
  }
  if ('console' in c) {
    const text = m.consoleText(c.console.guest);
    return result(`console of guest ${c.console.guest} contains ${JSON.stringify(c.console.contains)}`, text.includes(c.console.contains), `console ends ${tail(text)}`);
  }
  if ('killed' in c) {
    const { guest, reason } = c.killed;
    const dead = deathOf(m, guest);
    const ok = dead !== null && (reason === undefined || dead === reason);
    return result(`guest ${guest} killed${reason === undefined ? '' : ` with ${JSON.stringify(reason)}`}`, ok, dead === null ? `guest ${guest} alive` : `killed: ${JSON.stringify(dead)}`);
  }
  if ('alive' in c) {
    const g = c.alive.guest;
    const dead = deathOf(m, g);
    return result(`guest ${g} alive`, dead === null, dead === null ? 'alive' : `killed: ${JSON.stringify(dead)}`);
  }
  if ('status' in c) {
    const { guest, device, bits } = c.status;
    const name = `status of guest ${guest} device ${device} is ${bits.join('|') || '0'}`;
    const row = devices(m, guest).find((r) => r.index === device);
    if (!row) return result(name, false, `guest ${guest} has no device ${device}`);
    const got = row.statusNames;
    const ok = got.length === bits.length && bits.every((b) => got.includes(b));
    return result(name, ok, `status ${row.status} (${got.join('|') || 'none'})`);
  }
  const mc = c.memory;
  const kind = 'u32' in mc ? 'u32' : 'u16' in mc ? 'u16' : 'u8' in mc ? 'u8' : 'text';
  const r = readMemory(m, mc);
  const fmt = (v: (number | string)[] | string): string => (typeof v === 'string' ? JSON.stringify(v) : `[${v.join(', ')}]`);
  if (typeof r === 'string') return result(`memory ${hexAlt(mc.addr)} of guest ${mc.guest} ${kind}`, false, r);
  return result(`memory ${hexAlt(mc.addr)} of guest ${mc.guest} ${kind} ${fmt(r.want)}`, fmt(r.want) === fmt(r.got), `${kind} ${fmt(r.got)}`);
}
