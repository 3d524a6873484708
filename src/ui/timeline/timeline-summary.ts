/**
 * What the timeline draws, without one object per event (issue #5): which
 * kinds of event occur where, per lane, at any zoom. Lanes and categories
 * are src/trace/timeline-lanes.ts (shared with the worker).
 *
 * Issue #15: the worker keeps only a window of events, so the overview comes
 * from the worker's fixed-size timeline bins (src/trace/timeline-bins.ts:
 * per bin of 2^shift events and per lane, the OR of the category bits),
 * read here in place (or a copy of them). Zoomed out (a column holds at
 * least one bin), a column is the OR of its bins; zoomed in, the events in
 * memory (event-window.ts) are drawn exactly and the stretches not in memory
 * fall back to their bins' masks (marked `coarse`). The work per frame is
 * the visible bins plus the visible events in memory; nothing is allocated
 * per event or per frame (the caller owns the output arrays).
 */
import { EV, EVENT_CHUNK, EVENT_WORDS } from '../../hw/events.ts';
import { BINS_HEADER_WORDS } from '../../trace/timeline-bins.ts';
import { KIND_BIT, laneOf } from '../../trace/timeline-lanes.ts';
import type { EventWindow } from '../client/event-window.ts';

export { categoryBit, KIND_BIT, laneLabels, laneOf, TIMELINE_CATEGORIES, type TimelineCategory } from '../../trace/timeline-lanes.ts';

export class TimelineSummary {
  readonly lanes: number;
  private buffer: ArrayBufferLike | null = null;
  private header: Uint32Array<ArrayBufferLike> = new Uint32Array(BINS_HEADER_WORDS);
  private masks: Uint8Array<ArrayBufferLike> = new Uint8Array(0);

  constructor(readonly guests: number) {
    this.lanes = 2 * guests + 1;
  }

  /** The worker's bins buffer (SessionInfo.timeline, or a copy of it): read in place. */
  setBins(buffer: ArrayBufferLike | null): void {
    if (buffer === this.buffer) return;
    this.buffer = buffer;
    if (!buffer) {
      this.header = new Uint32Array(BINS_HEADER_WORDS);
      this.masks = new Uint8Array(0);
      return;
    }
    this.header = new Uint32Array(buffer, 0, BINS_HEADER_WORDS);
    this.masks = new Uint8Array(buffer, BINS_HEADER_WORDS * 4, this.header[3] * this.lanes);
  }

  /** log2 of the events per bin. */
  get shift(): number {
    return this.header[0];
  }

  /** Events the bins summarize: [0, done). */
  get done(): number {
    return this.masks.length === 0 ? 0 : this.header[1];
  }

  /** Events per bin. */
  get binWidth(): number {
    return 2 ** this.shift;
  }

  /** The OR of the bins' masks of lane `lane` over events [a, b) (bin granularity; 0 past what the bins summarize). */
  maskOf(lane: number, a: number, b: number): number {
    const end = Math.min(b, this.done);
    if (a >= end) return 0;
    const shift = this.shift;
    const lanes = this.lanes;
    let m = 0;
    for (let bin = a >>> shift, last = (end - 1) >>> shift; bin <= last; bin++) m |= this.masks[bin * lanes + lane];
    return m;
  }

  /** OR the bins over events [a, b) into column `c` of every lane. */
  private orBins(a: number, b: number, c: number, cols: number, out: Uint8Array): void {
    const end = Math.min(b, this.done);
    if (a >= end) return;
    const shift = this.shift;
    const lanes = this.lanes;
    const masks = this.masks;
    for (let bin = a >>> shift, last = (end - 1) >>> shift; bin <= last; bin++) {
      const base = bin * lanes;
      for (let l = 0; l < lanes; l++) out[l * cols + c] |= masks[base + l];
    }
  }

  /**
   * Fill `out` (lane-major: out[lane * cols + col]) with the category mask of
   * each lane in each of `cols` columns, column c covering events
   * [start + c * perCol, start + (c + 1) * perCol) of the `recorded` ones.
   * `coarse[c]` is set to 1 where the column was drawn from the bins while
   * zoomed in (its events are not in memory). Zoomed in so far that an event
   * is 3 or more columns wide, its last column stays empty (a gap between
   * neighbours).
   */
  bin(win: EventWindow, start: number, perCol: number, cols: number, recorded: number, out: Uint8Array, coarse?: Uint8Array): void {
    out.fill(0, 0, cols * this.lanes);
    coarse?.fill(0, 0, cols);
    const first = Math.max(0, Math.floor(start));
    const end = Math.min(recorded, Math.ceil(start + cols * perCol));
    if (first >= end || perCol <= 0) return;
    const done = Math.min(end, this.done);
    if (perCol >= this.binWidth) {
      for (let c = 0; c < cols; c++) {
        const a = Math.max(first, Math.floor(start + c * perCol));
        const b = Math.min(done, Math.ceil(start + (c + 1) * perCol));
        if (a < b) this.orBins(a, b, c, cols, out);
      }
      // Recorded since the bins were last brought up to date: the newest events, in memory.
      if (done < end) this.drawKept(win, Math.max(first, done), end, start, perCol, cols, out, null);
      return;
    }
    this.drawKept(win, first, end, start, perCol, cols, out, coarse ?? null);
  }

  /** Events [from, to): those in memory one by one, the stretches between from the bins (marked in `coarse`). */
  private drawKept(win: EventWindow, from: number, to: number, start: number, perCol: number, cols: number, out: Uint8Array, coarse: Uint8Array | null): void {
    const guests = this.guests;
    let i = from;
    while (i < to) {
      const s = win.slotOf(i);
      if (s < 0) {
        const next = Math.min(to, win.nextKept(i));
        if (coarse) this.fillFromBins(i, next, start, perCol, cols, out, coarse);
        i = next;
        continue;
      }
      const w = win.words(s);
      const end = Math.min(to, win.end(s));
      for (; i < end; i++) {
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
  }

  /** The columns over events [a, b) (not in memory): their bins' masks. */
  private fillFromBins(a: number, b: number, start: number, perCol: number, cols: number, out: Uint8Array, coarse: Uint8Array): void {
    const x0 = Math.max(0, Math.floor((a - start) / perCol));
    const x1 = Math.min(cols, Math.ceil((b - start) / perCol));
    for (let x = x0; x < x1; x++) {
      const ca = Math.max(a, Math.floor(start + x * perCol));
      const cb = Math.min(b, Math.max(ca + 1, Math.ceil(start + (x + 1) * perCol)));
      if (ca >= cb || ca >= this.done) continue;
      this.orBins(ca, cb, x, cols, out);
      coarse[x] = 1;
    }
  }

  /**
   * The first event in memory at or after `from` and before `to` in `lane`
   * (-1: none), reading at most `limit` events (the pointer readout).
   */
  findInLane(win: EventWindow, lane: number, from: number, to: number, limit = 4096): number {
    let i = Math.max(0, from);
    const end = Math.min(to, i + limit);
    while (i < end) {
      const s = win.slotOf(i);
      if (s < 0) {
        i = win.nextKept(i);
        continue;
      }
      const w = win.words(s);
      const e = Math.min(end, win.end(s));
      for (; i < e; i++) {
        const at = (i & (EVENT_CHUNK - 1)) * EVENT_WORDS;
        if (laneOf(w[at + EV.kind], w[at + EV.guest], this.guests) === lane) return i;
      }
    }
    return -1;
  }
}
