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
import { hexAlt } from '../base/printf.ts';

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
  /** The Launcher printed a warning (warnx) and went on. a=message string index. */
  LAUNCHER_WARN: 15,
  /** The block device finished a request (spec §4.3). a=type (0 read, else write), b=sector, c=bytes asked, d=bytes moved, e=result (1 done, 2 error). */
  BLOCK_IO: 16,
  /**
   * A BREAK-on writer (the Waker) is blocked in its write() until the
   * Launcher's BREAK off (spec §3.1, §7.27): b=1 when it blocks, b=0 when it
   * is released. a=the writer's pid.
   */
  BREAK_WAIT: 17,
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
  [EventKind.LAUNCHER_WARN]: 'launcher_warn',
  [EventKind.BLOCK_IO]: 'block_io',
  [EventKind.BREAK_WAIT]: 'break_wait',
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

/** Events per storage chunk (2 MiB of words): chunks never move, so the UI can hold them. */
export const EVENT_CHUNK = 65536;
const CHUNK_SHIFT = 16;
/** What a discarded chunk's slot holds (its storage went to a newer chunk). */
const DISCARDED = new Uint32Array(0);

export class EventLog {
  /** Fixed-size chunks of records; a chunk, once allocated, is never reallocated. */
  readonly chunks: Uint32Array[] = [];
  private n = 0;
  /** Furthest count this timeline has recorded (after a rewind, events up to here are still stored). */
  recorded = 0;
  readonly strings: string[] = [];
  private readonly stringIndex = new Map<string, number>();
  /** When set, reaching this count throws StopAtEvent (time travel stops right after an event). */
  stopAfter = -1;

  constructor(private readonly alloc: (bytes: number) => ArrayBufferLike = (b) => new ArrayBuffer(b)) {}

  get count(): number {
    return this.n;
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
    const n = this.n;
    // The chunk being filled and the next record's word offset are kept, so a push is the stores
    // and a compare (the hot path records ~4 events per hypercall round).
    let at = this.at;
    if (at >= this.atEnd) at = this.seat(n);
    const w = this.w;
    w[at + EV.kind] = kind;
    w[at + EV.guest] = guest;
    w[at + EV.time] = time;
    w[at + EV.a] = a;
    w[at + EV.b] = b;
    w[at + EV.c] = c;
    w[at + EV.d] = d;
    w[at + EV.e] = e;
    this.at = at + EVENT_WORDS;
    this.n = n + 1;
    if (this.n > this.recorded) this.recorded = this.n;
    if (this.n === this.stopAfter) throw new StopAtEvent(n);
  }

  /** The chunk being filled; `at` is the next record's word offset in it, `atEnd` the chunk's end. */
  private w: Uint32Array = new Uint32Array(0);
  private at = 0;
  private atEnd = 0;

  /** Make record `n`'s chunk the current one (allocating it the first time); returns its word offset. */
  private seat(n: number): number {
    const ci = n >>> CHUNK_SHIFT;
    if (ci < this.dropped) throw new RangeError(`event ${n} was discarded (first kept: ${this.first})`);
    let w = this.chunks[ci];
    while (w === undefined) {
      // A chunk wholly below discardBefore's mark is reused rather than a new one allocated.
      const d = this.dropped;
      if (d < this.keepFrom >>> CHUNK_SHIFT && d < this.chunks.length) {
        this.chunks.push(this.chunks[d]);
        this.chunks[d] = DISCARDED;
        this.dropped = d + 1;
      } else this.chunks.push(new Uint32Array(this.alloc(EVENT_CHUNK * EVENT_WORDS * 4)));
      w = this.chunks[ci];
    }
    this.w = w;
    this.atEnd = EVENT_CHUNK * EVENT_WORDS;
    this.at = (n & (EVENT_CHUNK - 1)) * EVENT_WORDS;
    return this.at;
  }

  get(index: number): SimEvent {
    if (index < this.first) throw new RangeError(`event ${index} was discarded (first kept: ${this.first})`);
    return readEvent(this.chunks, index);
  }

  /** Chunks before this one were discarded (their storage reused). */
  private dropped = 0;
  /** discardBefore's mark: events below it are not needed any more. */
  private keepFrom = 0;

  /** The first event still stored: 0 unless discardBefore let older ones go. */
  get first(): number {
    return this.dropped * EVENT_CHUNK;
  }

  /**
   * Nobody will read the events before `index` again (the CLI without a
   * trace, or once it has streamed them: issue #15): their chunks may be
   * reused, so the log holds about one chunk instead of all of history.
   * The count, the strings and everything after `index` stay.
   */
  discardBefore(index: number): void {
    this.keepFrom = Math.max(this.keepFrom, Math.min(index, this.n));
  }

  /**
   * Move to `count` events, back or forward within what this timeline has
   * recorded: records beyond stay stored (up to `recorded`) and a deterministic
   * re-run rewrites them with the same values.
   */
  setCount(count: number): void {
    if (count > this.recorded) throw new RangeError(`event ${count} was never recorded (recorded: ${this.recorded})`);
    if (count < this.keepFrom) throw new RangeError(`event ${count} was discarded (kept from ${this.keepFrom})`);
    this.n = count;
    this.atEnd = 0; // the next push finds its chunk again
  }

  /** The timeline forked here: what was recorded beyond the current count is gone. */
  forget(): void {
    this.recorded = this.n;
  }
}

/** Decode event `index` from chunked storage (the UI uses this on the shared chunks). */
export function readEvent(chunks: readonly Uint32Array[], index: number): SimEvent {
  const w = chunks[index >>> CHUNK_SHIFT];
  const at = (index & (EVENT_CHUNK - 1)) * EVENT_WORDS;
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
    case EventKind.LAUNCHER_WARN:
      return { ...base, message: strings[ev.a] ?? '' };
    case EventKind.BLOCK_IO:
      return { ...base, type: ev.a === 0 ? 'read' : 'write', sector: ev.b, bytes: ev.c, moved: ev.d, result: ev.e };
    case EventKind.INPUT:
      return { ...base, bytes: ev.a };
    case EventKind.CONSOLE_INPUT:
      return { ...base, bytes: ev.a, dst: hexAlt(ev.b) };
    case EventKind.BREAK_WAIT:
      return { ...base, pid: ev.a, waker: ev.b === 1 ? 'blocked' : 'released' };
    case EventKind.HALT:
      return base;
  }
  return base;
}
