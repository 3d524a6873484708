/**
 * What every question kind builds with: the memory plan of a quiz scenario,
 * scripts whose step numbers are tracked as they are written, struct
 * lguest_dma laid out by the ABI table, and lookups in the run's events.
 */
import { LGUEST_DATA, LGUEST_DMA } from '../abi/structs.ts';
import { layoutOf } from '../abi/layout.ts';
import { hexAlt } from '../base/printf.ts';
import type { ScenarioInput } from '../scenario/scenario.ts';
import type { ScriptStep } from '../guest/script-step.ts';
import { hcall, packBind, writeDma, type Section } from '../guest/script-builders.ts';
import type { Answer, EventRecord } from './quiz-types.ts';

/** struct lguest_dma on the default arch (quiz scenarios carry no `arch`). */
export const DMA = layoutOf(LGUEST_DMA, 'i386');
export const DATA = layoutOf(LGUEST_DATA, 'i386');

/** Each guest has 128 KiB of RAM; the shared page sits above its descriptor and device pages. */
export const GUEST_MEMORY = 0x20000;
export const SHARED_PAGE = 0x30000;
/** The receiver's array of lguest_dma and its buffers. */
export const ARRAY_AT = 0x2000;
export const BUFFERS_AT = 0x3000;
/** The sender's lguest_dma structs and payload. */
export const SEND_AT = 0x4000;
export const PAYLOAD_AT = 0x5000;

export const hex = hexAlt;
/** The gpa of entry `k` of an array of lguest_dma at `array`. */
export const entryAt = (k: number, array = ARRAY_AT): number => array + k * DMA.size;
export const usedLenAt = (at: number): number => at + DMA.fields.used_len.offset;

/** A scripted guest's steps, numbered as they are added (the quiz asks about one of them by number). */
export class Script {
  readonly steps: ScriptStep[] = [];

  /** Append steps; returns the index of the last one. */
  add(...steps: ScriptStep[]): number {
    this.steps.push(...steps);
    return this.steps.length - 1;
  }

  /** One struct lguest_dma at `at` (used_len, len[], addr[] at the ABI table's offsets). */
  dma(at: number, sections: readonly Section[], usedLen = 0): number {
    return this.add(...writeDma(at, sections, usedLen));
  }

  bind(key: number, array: number, num: number, irq: number): number {
    return this.add(hcall('BIND_DMA', key, array, packBind(num, irq)));
  }

  send(key: number, dma: number): number {
    return this.add(hcall('SEND_DMA', key, dma));
  }

  wait(): number {
    return this.add({ op: 'wait' });
  }

  yield(): number {
    return this.add({ op: 'yield' });
  }

  readU32(addr: number, n = 1): number {
    return this.add({ op: 'read', addr, u32: n });
  }

  text(addr: number, text: string): number {
    return this.add({ op: 'write', addr, text });
  }

  u32(addr: number, ...values: number[]): number {
    return this.add({ op: 'write', addr, u32: values });
  }
}

export interface GuestPlan {
  readonly name: string;
  readonly script: Script;
}

/** Scripted guests, each with GUEST_MEMORY of RAM, all mapping one shared page at SHARED_PAGE (keys there are shared, spec §2.2). */
export function scenarioOf(name: string, description: string, guests: readonly GuestPlan[]): ScenarioInput {
  return {
    name,
    description,
    guests: guests.map((g) => ({ name: g.name, kernel: 'script', memory: GUEST_MEMORY, script: g.script.steps })),
    shared: [{ pages: 1, map: guests.map((_, guest) => ({ guest, gpa: SHARED_PAGE })) }],
  };
}

/** `n` bytes of readable payload ("abcd…"). */
export function payload(n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode(97 + (i % 26));
  return s;
}

/** Sections laid end to end from `at`, one per length. */
export function sectionsFrom(at: number, lens: readonly number[]): Section[] {
  const out: Section[] = [];
  let a = at;
  for (const len of lens) {
    out.push({ addr: a, len });
    a += len;
  }
  return out;
}

export const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);

/** Sections up to the first zero len (what check_dma_list() and copy_data() look at). */
export function liveLens(lens: readonly number[]): number[] {
  const z = lens.indexOf(0);
  return z < 0 ? [...lens] : lens.slice(0, z);
}

/** "[18]", "3", "killed: …", "none": how an answer reads in a question. */
export function showAnswer(a: Answer): string {
  if (a === null) return 'none';
  if (Array.isArray(a)) return `[${a.join(', ')}]`;
  return typeof a === 'string' ? `"${a}"` : String(a);
}

// ---- the run's events -------------------------------------------------------

export const isKind = (e: EventRecord, kind: string, guest?: number): boolean => e.kind === kind && (guest === undefined || e.guest === guest);

/** Index of the first event at or after `from` matching `pred`, or -1. */
export function findEvent(events: readonly EventRecord[], pred: (e: EventRecord) => boolean, from = 0): number {
  for (let i = Math.max(0, from); i < events.length; i++) if (pred(events[i])) return i;
  return -1;
}

/** The `nth` (0-based) HCALL event of `guest` for `call`, or -1. */
export function hcallEvent(events: readonly EventRecord[], guest: number, call: string, nth = 0): number {
  let seen = 0;
  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    if (isKind(e, 'hcall', guest) && e.call === call && seen++ === nth) return i;
  }
  return -1;
}

/** The events a hypercall caused: after the guest's previous hypercall, up to and including this one. */
export function callWindow(events: readonly EventRecord[], at: number): EventRecord[] {
  const guest = Number(events[at].guest);
  let from = at - 1;
  while (from >= 0 && !isKind(events[from], 'hcall', guest)) from--;
  return events.slice(from + 1, at + 1);
}

/** "event #12": the 0-based index the page's event log, the timeline and the JSON-lines trace's `i` name an event by (issue #10). */
export const ev = (e: EventRecord): string => `event #${e.i}`;

/** Which entry of an array at `array` a receiver entry gpa ("0x2064") is. */
export const entryIndex = (dst: string | number, array = ARRAY_AT): number => (Number(dst) - array) / DMA.size;
