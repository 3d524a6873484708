/**
 * The timeline's overview in a fixed size (issue #15): per bin of 2^shift
 * events and per lane, the OR of the category bits of its events
 * (timeline-lanes.ts). When the run outgrows `capacity` bins, neighbouring
 * bins are merged in pairs and the bin width doubles, so a session of any
 * length takes the same few hundred KB, and every zoom level at or above
 * one bin per column is drawn from it (ORing bins). Finer zooms read the
 * events themselves (kept, or regenerated).
 *
 * It is built by the worker as events are recorded, before the bounded
 * event log lets them go (EventLog.onEvict), in one buffer the page reads
 * directly: header words [shift, done, seq, capacity], then the masks,
 * bin-major (masks[bin * lanes + lane]).
 */
import { EV, EVENT_CHUNK, EVENT_WORDS } from '../hw/events.ts';
import type { EventLog } from '../hw/event-log.ts';
import { KIND_BIT, laneOf } from './timeline-lanes.ts';

/** Header words before the masks. */
export const BINS_HEADER_WORDS = 4;
const H_SHIFT = 0;
const H_DONE = 1;
const H_SEQ = 2;
const H_CAPACITY = 3;
/** Bins kept: 2^15 (a 100 M-event run has bins of 4096 events). */
export const DEFAULT_BINS = 1 << 15;
/** The first bin width: 64 events. */
export const FIRST_SHIFT = 6;

export class TimelineBins {
  readonly lanes: number;
  readonly buffer: ArrayBufferLike;
  readonly header: Uint32Array;
  readonly masks: Uint8Array;

  constructor(
    readonly guests: number,
    alloc: (bytes: number) => ArrayBufferLike = (b) => new ArrayBuffer(b),
    readonly capacity = DEFAULT_BINS,
  ) {
    this.lanes = 2 * guests + 1;
    this.buffer = alloc(BINS_HEADER_WORDS * 4 + capacity * this.lanes);
    this.header = new Uint32Array(this.buffer, 0, BINS_HEADER_WORDS);
    this.masks = new Uint8Array(this.buffer, BINS_HEADER_WORDS * 4, capacity * this.lanes);
    this.header[H_SHIFT] = FIRST_SHIFT;
    this.header[H_CAPACITY] = capacity;
  }

  /** log2 of the events per bin. */
  get shift(): number {
    return this.header[H_SHIFT];
  }

  /** Events summarized: [0, done). */
  get done(): number {
    return this.header[H_DONE];
  }

  /** Summarize the recorded events not yet summarized (all must still be kept in `log`). */
  catchUp(log: EventLog): void {
    const to = log.recorded;
    let i = this.done;
    if (i >= to) return;
    const lanes = this.lanes;
    const guests = this.guests;
    const masks = this.masks;
    let shift = this.shift;
    while (i < to) {
      const c = log.chunkOf(i);
      if (!c) throw new RangeError(`timeline bins: event #${i} was let go before it was summarized`);
      const w = c.words;
      const end = Math.min(to, c.end);
      for (; i < end; i++) {
        let bin = i >>> shift;
        if (bin >= this.capacity) {
          this.coarsen();
          shift = this.shift;
          bin = i >>> shift;
        }
        const at = (i & (EVENT_CHUNK - 1)) * EVENT_WORDS;
        const kind = w[at + EV.kind];
        const lane = laneOf(kind, w[at + EV.guest], guests);
        if (lane >= 0) masks[bin * lanes + lane] |= KIND_BIT[kind];
      }
    }
    this.header[H_DONE] = i;
    this.header[H_SEQ]++;
  }

  /** Merge neighbouring bins in pairs: the bin width doubles. */
  private coarsen(): void {
    const lanes = this.lanes;
    const m = this.masks;
    const half = this.capacity >>> 1;
    for (let b = 0; b < half; b++) for (let l = 0; l < lanes; l++) m[b * lanes + l] = m[2 * b * lanes + l] | m[(2 * b + 1) * lanes + l];
    m.fill(0, half * lanes);
    this.header[H_SHIFT]++;
  }

  /**
   * The timeline forked at `count`: bins from there on are cleared and the
   * bin holding `count` is summarized again from its events before `count`,
   * which must be kept in `log` (the session regenerates them first). Call
   * after the log forgot what lay beyond (`recorded` is then `count`).
   */
  rewind(count: number, log: EventLog): void {
    if (count >= this.done) return;
    if (log.recorded > count) throw new Error('timeline bins: rewind before the log forgot the old timeline');
    const bin = count >>> this.shift;
    this.masks.fill(0, bin * this.lanes);
    this.header[H_DONE] = bin << this.shift;
    this.catchUp(log);
    this.header[H_SEQ]++;
  }

  /** The OR of the masks of the events [from, to) in `lane`, at bin granularity. */
  maskOf(lane: number, from: number, to: number): number {
    const shift = this.shift;
    let m = 0;
    const last = Math.min(this.capacity, ((Math.min(to, this.done) - 1) >>> shift) + 1);
    for (let b = Math.max(0, from) >>> shift; b < last; b++) m |= this.masks[b * this.lanes + lane];
    return m;
  }
}

/** The bins of every recorded event of a log that kept them all (the reference the tests compare with). */
export function binsOf(log: EventLog, guests: number, capacity = DEFAULT_BINS): TimelineBins {
  const b = new TimelineBins(guests, undefined, capacity);
  b.catchUp(log);
  return b;
}
