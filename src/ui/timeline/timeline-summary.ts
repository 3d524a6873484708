/**
 * What the timeline draws, without one object per event (issue #5): which
 * kinds of event occur where, per lane, at any zoom.
 *
 * Lanes follow the Chrome trace's tracks (src/trace/chrome-trace.ts `trackOf`):
 * one per guest (its hypercalls, interrupts delivered, status writes, halts),
 * the Host (DMA copies, interrupts raised, kills), one per Launcher (requests
 * read from /dev/lguest, device output, console input). Each event kind falls
 * in one category (a bit of a byte), and a lane's column holds the OR of the
 * categories of its events.
 *
 * A summary of blocks of BLOCK events (one byte per lane per block) is built
 * incrementally as the shown events arrive, so binning a 1M-event run for a
 * zoomed-out frame ORs some 16k bytes per lane instead of reading a million
 * records; zoomed in (fewer than BLOCK events per column) the visible events
 * are read directly. Nothing is allocated per event or per frame: the caller
 * owns the output array.
 */
import { EV, EVENT_CHUNK, EVENT_WORDS, EventKind } from '../../hw/events.ts';
import { guestTid, HOST_TID, trackOf } from '../../trace/chrome-trace.ts';

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

/** log2 of the events per summary block. */
const BLOCK_SHIFT = 6;
/** Events per summary block: at or above this many events per column, frames bin from the summary. */
export const BLOCK = 1 << BLOCK_SHIFT;
const CHUNK_SHIFT = Math.log2(EVENT_CHUNK);
const NO_GUEST = 0xffffffff;

/** kind → its category bit (0: not drawn). */
const KIND_BIT = new Uint8Array(64);
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

export class TimelineSummary {
  readonly lanes: number;
  /** Events summarized: [0, done). */
  done = 0;
  /** Per block, per lane: the OR of its events' category bits (block-major). */
  private masks: Uint8Array;

  constructor(readonly guests: number) {
    this.lanes = 2 * guests + 1;
    this.masks = new Uint8Array(this.lanes * 1024);
  }

  /** Summarize the events up to `to` (those the chunks hold). Cost: the new events only. */
  update(chunks: readonly Uint32Array[], to: number): void {
    const end = Math.min(to, chunks.length * EVENT_CHUNK);
    if (end <= this.done) return;
    const lanes = this.lanes;
    const needed = ((end + BLOCK - 1) >>> BLOCK_SHIFT) * lanes;
    if (needed > this.masks.length) {
      let n = this.masks.length;
      while (n < needed) n *= 2;
      const grown = new Uint8Array(n);
      grown.set(this.masks);
      this.masks = grown;
    }
    const masks = this.masks;
    const guests = this.guests;
    let i = this.done;
    for (; i < end; i++) {
      const w = chunks[i >>> CHUNK_SHIFT];
      const at = (i & (EVENT_CHUNK - 1)) * EVENT_WORDS;
      const kind = w[at + EV.kind];
      // No event has kind 0: a page that is not cross-origin isolated reads a copy of the
      // last chunk taken earlier, whose tail is still zeros. Stop there and come back later.
      if (kind === 0) break;
      const lane = laneOf(kind, w[at + EV.guest], guests);
      if (lane >= 0) masks[(i >>> BLOCK_SHIFT) * lanes + lane] |= KIND_BIT[kind];
    }
    this.done = i;
  }

  /** The timeline forked at `count`: events from there on are rewritten, summarize them again. */
  rewind(count: number): void {
    if (count >= this.done) return;
    const block = Math.max(0, count) >>> BLOCK_SHIFT;
    this.masks.fill(0, block * this.lanes);
    this.done = block << BLOCK_SHIFT;
  }

  /**
   * Fill `out` (lane-major: out[lane * cols + col]) with the category mask of
   * each lane in each of `cols` columns, column c covering events
   * [start + c * perCol, start + (c + 1) * perCol). Zoomed in so far that an
   * event is 3 or more columns wide, its last column stays empty (a gap
   * between neighbours).
   */
  bin(chunks: readonly Uint32Array[], start: number, perCol: number, cols: number, out: Uint8Array): void {
    const lanes = this.lanes;
    out.fill(0, 0, cols * lanes);
    const first = Math.max(0, Math.floor(start));
    const end = Math.min(this.done, Math.ceil(start + cols * perCol));
    if (first >= end || perCol <= 0) return;
    if (perCol >= BLOCK) {
      const masks = this.masks;
      for (let c = 0; c < cols; c++) {
        const a = Math.max(first, Math.floor(start + c * perCol));
        const b = Math.min(end, Math.ceil(start + (c + 1) * perCol));
        if (a >= b) continue;
        const b1 = (b - 1) >>> BLOCK_SHIFT;
        for (let blk = a >>> BLOCK_SHIFT; blk <= b1; blk++) {
          const base = blk * lanes;
          for (let l = 0; l < lanes; l++) out[l * cols + c] |= masks[base + l];
        }
      }
      return;
    }
    const guests = this.guests;
    for (let i = first; i < end; i++) {
      const w = chunks[i >>> CHUNK_SHIFT];
      if (w === undefined) break;
      const at = (i & (EVENT_CHUNK - 1)) * EVENT_WORDS;
      const kind = w[at + EV.kind];
      const lane = laneOf(kind, w[at + EV.guest], guests);
      if (lane < 0) continue;
      let x0 = Math.floor((i - start) / perCol);
      let x1 = Math.floor((i + 1 - start) / perCol);
      if (x1 - x0 >= 3) x1--;
      if (x1 <= x0) x1 = x0 + 1;
      if (x0 < 0) x0 = 0;
      if (x1 > cols) x1 = cols;
      const row = lane * cols;
      const bit = KIND_BIT[kind];
      for (let x = x0; x < x1; x++) out[row + x] |= bit;
    }
  }

  /**
   * The first event at or after `from` and before `to` in `lane` (-1: none),
   * reading at most `limit` events (the pointer readout).
   */
  findInLane(chunks: readonly Uint32Array[], lane: number, from: number, to: number, limit = 4096): number {
    const end = Math.min(to, this.done, Math.max(0, from) + limit);
    for (let i = Math.max(0, from); i < end; i++) {
      const w = chunks[i >>> CHUNK_SHIFT];
      if (w === undefined) return -1;
      const at = (i & (EVENT_CHUNK - 1)) * EVENT_WORDS;
      if (laneOf(w[at + EV.kind], w[at + EV.guest], this.guests) === lane) return i;
    }
    return -1;
  }
}
