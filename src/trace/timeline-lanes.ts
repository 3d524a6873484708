/**
 * The timeline's lanes and colours (issue #5): which lane an event is drawn
 * in and which category (a bit of a byte) its kind falls in. Lanes follow the
 * Chrome trace's tracks (chrome-trace.ts `trackOf`): one per guest (its
 * hypercalls, interrupts delivered, status writes, halts), the Host (DMA
 * copies, interrupts raised, kills), one per Launcher (requests read from
 * /dev/lguest, device output, console input). Shared by the worker's
 * timeline bins (timeline-bins.ts) and the page's drawing.
 */
import { EventKind } from '../hw/events.ts';
import { guestTid, HOST_TID, trackOf } from './chrome-trace.ts';

/** Event categories the timeline colours; `bit` is the category's bit in a column mask. */
export const TIMELINE_CATEGORIES = [
  { id: 'hcall', label: 'hypercall', kinds: [EventKind.HCALL] },
  { id: 'dma', label: 'DMA copy', kinds: [EventKind.DMA] },
  { id: 'dma-full', label: 'DMA: buffers full', kinds: [EventKind.DMA_FULL] },
  { id: 'irq', label: 'interrupt', kinds: [EventKind.IRQ_RAISE, EventKind.IRQ_DELIVER] },
  { id: 'launcher', label: 'launcher request', kinds: [EventKind.LAUNCHER_READ, EventKind.LAUNCHER_OUTPUT, EventKind.LHREQ, EventKind.BLOCK_IO, EventKind.BREAK_WAIT] },
  { id: 'input', label: 'input', kinds: [EventKind.INPUT, EventKind.CONSOLE_INPUT] },
  { id: 'kill', label: 'kill / exit', kinds: [EventKind.KILL, EventKind.LAUNCHER_EXIT] },
  { id: 'other', label: 'halt, status, warning', kinds: [EventKind.HALT, EventKind.STATUS, EventKind.LAUNCHER_WARN] },
] as const;

export type TimelineCategory = (typeof TIMELINE_CATEGORIES)[number]['id'];

const NO_GUEST = 0xffffffff;

/** kind → its category bit (0: not drawn). */
export const KIND_BIT = new Uint8Array(64);
/** kind → track: 0 the guest's lane, 1 the Host's, 2 the guest's Launcher's. */
const KIND_TRACK = new Uint8Array(64);
TIMELINE_CATEGORIES.forEach((c, bit) => {
  for (const k of c.kinds) KIND_BIT[k] = 1 << bit;
});
for (const k of Object.values(EventKind)) {
  const tid = trackOf(k, 0);
  KIND_TRACK[k] = tid === guestTid(0) ? 0 : tid === HOST_TID ? 1 : 2;
}

/** The lanes for `guests` guests, top to bottom: guest 0..n-1, Host, launcher 0..n-1. */
export function laneLabels(guests: number): string[] {
  const out: string[] = [];
  for (let g = 0; g < guests; g++) out.push(`guest ${g}`);
  out.push('Host');
  for (let g = 0; g < guests; g++) out.push(`launcher ${g}`);
  return out;
}

/** The lane an event is drawn in (as `trackOf` files it); -1 for a kind the timeline does not draw. */
export function laneOf(kind: number, guest: number, guests: number): number {
  if (kind >= 64 || KIND_BIT[kind] === 0) return -1;
  const track = KIND_TRACK[kind];
  if (track === 1) return guests;
  // trackOf puts events with no guest on launcher 0; a guest index out of range goes to the Host lane.
  const g = guest === NO_GUEST && track === 2 ? 0 : guest;
  if (g >= guests) return guests;
  return track === 0 ? g : guests + 1 + g;
}

/** The category bit of an event kind (0: not drawn). */
export const categoryBit = (kind: number): number => (kind < 64 ? KIND_BIT[kind] : 0);

