/**
 * Typed simulation events and the columnar log that keeps them.
 *
 * An event is a small record (kind, guest, virtual time, five numbers); the
 * log stores them in Uint32Array columns laid out by the SIM_EVENT struct of
 * the ABI table, so the worker can copy them into the shared ring as-is and
 * the UI decodes them with the same table. Strings (kill reasons) live in a
 * side table and are referenced by index.
 */
import { SIM_EVENT } from '../abi/structs.ts';
import { layoutOf } from '../abi/layout.ts';
import { HYPERCALL_NAMES, LHREQ_NAMES } from '../abi/constants.ts';
import { hexAlt } from './printf.ts';

export const EventKind = {
  /** A hypercall finished. a=call, b=edx, c=ebx, d=ecx, e=eax returned. */
  HCALL: 1,
  /** dma_transfer copied into a receiver entry. guest=sender, a=receiver, b=key, c=sender dma gpa, d=receiver entry gpa, e=bytes. */
  DMA: 2,
  /** dma_transfer found every receiver entry in use. guest=sender, a=receiver, b=key, c=sender dma gpa. */
  DMA_FULL: 3,
  /** An irq bit was set pending. guest=target, a=irq, b=source (IrqSource). */
  IRQ_RAISE: 4,
  /** The Host built an interrupt frame. guest, a=irq. */
  IRQ_DELIVER: 5,
  /** read() returned a SEND_DMA for the Launcher. a=key, b=dma gpa. */
  LAUNCHER_READ: 6,
  /** The Launcher's output handler ran. a=key, b=dma gpa, c=used_len written, d=device index (0xffffffff: none). */
  LAUNCHER_OUTPUT: 7,
  /** A write() to /dev/lguest. a=LHREQ_*, b=argument, c=result (as u32; negative = -errno). */
  LHREQ: 8,
  /** The guest changed a descriptor's status word. a=device index, b=old, c=new. */
  STATUS: 9,
  /** The Host killed the guest. a=reason string index. */
  KILL: 10,
  /** Console input reached the Launcher's terminal queue. a=bytes. */
  INPUT: 11,
  /** The Launcher exited (its guest goes with it). a=message string index. */
  LAUNCHER_EXIT: 12,
  /** The guest halted (LHCALL_HALT) waiting for an interrupt. */
  HALT: 13,
  /** The Launcher delivered console input into the guest's buffer. a=bytes, b=buffer entry gpa. */
  CONSOLE_INPUT: 14,
} as const;
export type EventKind = (typeof EventKind)[keyof typeof EventKind];

export const EVENT_KIND_NAMES: Readonly<Record<number, string>> = {
  [EventKind.HCALL]: 'hcall',
  [EventKind.DMA]: 'dma',
  [EventKind.DMA_FULL]: 'dma_full',
  [EventKind.IRQ_RAISE]: 'irq_raise',
  [EventKind.IRQ_DELIVER]: 'irq_deliver',
  [EventKind.LAUNCHER_READ]: 'launcher_read',
  [EventKind.LAUNCHER_OUTPUT]: 'launcher_output',
  [EventKind.LHREQ]: 'lhreq',
  [EventKind.STATUS]: 'status',
  [EventKind.KILL]: 'kill',
  [EventKind.INPUT]: 'input',
  [EventKind.LAUNCHER_EXIT]: 'launcher_exit',
  [EventKind.HALT]: 'halt',
  [EventKind.CONSOLE_INPUT]: 'console_input',
};

export const IrqSource = { DMA: 0, LAUNCHER: 1 } as const;

/** Words per event record (SIM_EVENT size / 4). */
export const EVENT_WORDS = layoutOf(SIM_EVENT, 'i386').size / 4;
const F = layoutOf(SIM_EVENT, 'i386').fields;
/** Word index of each SIM_EVENT field (derived from the ABI table, not written by hand). */
export const EV = {
  kind: F.kind.offset / 4,
  guest: F.guest.offset / 4,
  time: F.time.offset / 4,
  a: F.a.offset / 4,
  b: F.b.offset / 4,
  c: F.c.offset / 4,
  d: F.d.offset / 4,
  e: F.e.offset / 4,
} as const;

export interface SimEvent {
  readonly index: number;
  readonly kind: EventKind;
  readonly guest: number;
  readonly time: number;
  readonly a: number;
  readonly b: number;
  readonly c: number;
  readonly d: number;
  readonly e: number;
}

/** Thrown by the log when a run was asked to stop right after event N (time travel). */
export class StopAtEvent extends Error {
  constructor(readonly index: number) {
    super(`stopped at event ${index}`);
  }
}

export class EventLog {
  private words: Uint32Array;
  private n = 0;
  readonly strings: string[] = [];
  private readonly stringIndex = new Map<string, number>();
  /** When set, pushing event number `stopAfter` (0-based count reached) throws StopAtEvent. */
  stopAfter = -1;
  /** Called for each pushed event (the worker mirrors them into the shared ring). */
  onPush: ((log: EventLog, index: number) => void) | null = null;

  constructor(initialCapacity = 4096) {
    this.words = new Uint32Array(initialCapacity * EVENT_WORDS);
  }

  get count(): number {
    return this.n;
  }

  /** The raw columns (first count*EVENT_WORDS words are valid). */
  get raw(): Uint32Array {
    return this.words;
  }

  intern(s: string): number {
    let i = this.stringIndex.get(s);
    if (i === undefined) {
      i = this.strings.length;
      this.strings.push(s);
      this.stringIndex.set(s, i);
    }
    return i;
  }

  push(kind: EventKind, guest: number, time: number, a = 0, b = 0, c = 0, d = 0, e = 0): void {
    let w = this.words;
    const at = this.n * EVENT_WORDS;
    if (at + EVENT_WORDS > w.length) {
      const grown = new Uint32Array(w.length * 2);
      grown.set(w);
      this.words = w = grown;
    }
    w[at + EV.kind] = kind;
    w[at + EV.guest] = guest;
    w[at + EV.time] = time;
    w[at + EV.a] = a;
    w[at + EV.b] = b;
    w[at + EV.c] = c;
    w[at + EV.d] = d;
    w[at + EV.e] = e;
    this.n++;
    if (this.onPush) this.onPush(this, this.n - 1);
    if (this.n === this.stopAfter) throw new StopAtEvent(this.n - 1);
  }

  get(index: number): SimEvent {
    const w = this.words;
    const at = index * EVENT_WORDS;
    return {
      index,
      kind: w[at + EV.kind] as EventKind,
      guest: w[at + EV.guest],
      time: w[at + EV.time],
      a: w[at + EV.a],
      b: w[at + EV.b],
      c: w[at + EV.c],
      d: w[at + EV.d],
      e: w[at + EV.e],
    };
  }

  /** Drop events after `count` (used when a replay rewinds). */
  truncate(count: number): void {
    this.n = Math.min(this.n, count);
  }
}

/** One event as a JSON object: the JSON-lines trace format (`--trace FILE`). */
export function eventToJson(ev: SimEvent, strings: readonly string[]): Record<string, string | number> {
  const base = { i: ev.index, t: ev.time, kind: EVENT_KIND_NAMES[ev.kind] ?? String(ev.kind), guest: ev.guest };
  switch (ev.kind) {
    case EventKind.HCALL:
      return { ...base, call: HYPERCALL_NAMES[ev.a] ?? String(ev.a), edx: hexAlt(ev.b), ebx: hexAlt(ev.c), ecx: hexAlt(ev.d), ret: ev.e };
    case EventKind.DMA:
      return { ...base, to: ev.a, key: hexAlt(ev.b), src: hexAlt(ev.c), dst: hexAlt(ev.d), bytes: ev.e };
    case EventKind.DMA_FULL:
      return { ...base, to: ev.a, key: hexAlt(ev.b), src: hexAlt(ev.c) };
    case EventKind.IRQ_RAISE:
      return { ...base, irq: ev.a, source: ev.b === IrqSource.DMA ? 'dma' : 'launcher' };
    case EventKind.IRQ_DELIVER:
      return { ...base, irq: ev.a };
    case EventKind.LAUNCHER_READ:
      return { ...base, key: hexAlt(ev.a), dma: hexAlt(ev.b) };
    case EventKind.LAUNCHER_OUTPUT:
      return { ...base, key: hexAlt(ev.a), dma: hexAlt(ev.b), used_len: ev.c, device: ev.d === 0xffffffff ? -1 : ev.d };
    case EventKind.LHREQ:
      return { ...base, req: LHREQ_NAMES[ev.a] ?? String(ev.a), arg: hexAlt(ev.b), ret: ev.c | 0 };
    case EventKind.STATUS:
      return { ...base, device: ev.a, old: ev.b, status: ev.c };
    case EventKind.KILL:
    case EventKind.LAUNCHER_EXIT:
      return { ...base, reason: strings[ev.a] ?? '' };
    case EventKind.INPUT:
      return { ...base, bytes: ev.a };
    case EventKind.CONSOLE_INPUT:
      return { ...base, bytes: ev.a, dst: hexAlt(ev.b) };
    case EventKind.HALT:
      return base;
  }
  return base;
}
