/**
 * Typed simulation events: kinds, the SIM_EVENT record layout, decoding (the log that keeps them is event-log.ts).
 *
 * An event is a small record (kind, guest, virtual time, five numbers); the
 * log stores them in Uint32Array columns laid out by the SIM_EVENT struct of
 * the ABI table, so the worker can copy them into the shared ring as-is and
 * the UI decodes them with the same table. Strings (kill reasons) live in a
 * side table and are referenced by index.
 */
import { SIM_EVENT } from '../abi/structs.ts';
import { layoutOf } from '../abi/layout.ts';

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

/** Events per storage chunk (2 MiB of words): a slot's storage never moves, so the UI can hold it. */
export const EVENT_CHUNK = 65536;
export const CHUNK_SHIFT = 16;

/** Decode record `index` from the slot words holding its chunk. */
export function readEventAt(w: Uint32Array, index: number): SimEvent {
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

/** Decode event `index` from storage indexed by chunk (a full log's chunks). */
export function readEvent(chunks: readonly Uint32Array[], index: number): SimEvent {
  return readEventAt(chunks[index >>> CHUNK_SHIFT], index);
}
