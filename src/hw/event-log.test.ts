/**
 * EventLog as a bounded cache (issue #15): whatever it still keeps is exactly
 * what a log that kept everything has; with a capacity it never holds more
 * slots than that; discardBefore lets the CLI run in about one chunk.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EVENT_CHUNK, EventKind } from './events.ts';
import { EventLog } from './event-log.ts';

const alloc = (n: number): ArrayBuffer => new ArrayBuffer(n);
const fill = (log: EventLog, from: number, to: number): void => {
  for (let i = from; i < to; i++) log.push(EventKind.HCALL, i % 7, i, i * 3, i ^ 0x55, 0, 0, i >>> 1);
};
const kept = (log: EventLog, n: number): number[] => {
  const out: number[] = [];
  for (let i = 0; i < n; i += 997) if (log.has(i)) out.push(i);
  return out;
};

describe('EventLog.discardBefore', () => {
  it('holds what a full log holds from `first` on, in distinct slots', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 3 * EVENT_CHUNK }), { minLength: 1, maxLength: 5 }), fc.double({ min: 0, max: 1, noNaN: true }), (steps, lag) => {
        const full = new EventLog(alloc);
        const lean = new EventLog(alloc);
        let n = 0;
        for (const k of steps) {
          fill(full, n, n + k);
          fill(lean, n, n + k);
          n += k;
          lean.discardBefore(Math.floor(n * lag));
        }
        expect(lean.count).toBe(full.count);
        expect(full.first).toBe(0);
        expect(lean.first).toBeLessThanOrEqual(Math.floor(n * lag));
        for (const i of [lean.first, n - 1, Math.floor((lean.first + n) / 2)]) expect(lean.get(i)).toEqual(full.get(i));
        // What is kept is one stretch up to the newest record.
        expect(lean.hasRange(lean.first, n)).toBe(true);
        if (lean.first > 0) expect(() => lean.get(lean.first - 1)).toThrow(RangeError);
        expect(new Set(lean.slots.map((c) => c.buffer)).size).toBe(lean.slots.length);
      }),
      { numRuns: 100 },
    );
  });

  it('a log discarded as it goes stays at two slots however long it runs', () => {
    const log = new EventLog(alloc);
    for (let k = 0; k < 10; k++) {
      fill(log, log.count, log.count + EVENT_CHUNK / 2 + 123);
      log.discardBefore(log.count);
    }
    expect(log.slots.length).toBeLessThanOrEqual(2);
    expect(() => log.setCount(0)).toThrow(RangeError);
  });
});

describe('EventLog with a capacity (the page keeps a window)', () => {
  it('keeps at most `capacity` slots, always the newest events, each equal to a full log\'s, and reports every eviction first', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 4 }), fc.integer({ min: 1, max: 7 * EVENT_CHUNK }), (capacity, n) => {
        const full = new EventLog(alloc);
        const lean = new EventLog(alloc);
        lean.capacity = capacity;
        const evicted: [number, number][] = [];
        lean.onEvict = (_chunk, lo, hi) => {
          // Called before the slot is reused: its records are still readable.
          expect(lean.get(hi - 1)).toEqual(full.get(hi - 1));
          evicted.push([lo, hi]);
        };
        fill(full, 0, n);
        fill(lean, 0, n);
        expect(lean.slots.length).toBeLessThanOrEqual(capacity);
        const firstKept = Math.max(0, (Math.floor((n - 1) / EVENT_CHUNK) - capacity + 1) * EVENT_CHUNK);
        expect(lean.first).toBe(firstKept);
        expect(lean.hasRange(firstKept, n)).toBe(true);
        for (const i of kept(lean, n)) expect(lean.get(i)).toEqual(full.get(i));
        if (firstKept > 0) expect(lean.has(firstKept - 1)).toBe(false);
        // Every evicted stretch was a whole chunk of history, in order.
        evicted.forEach(([lo, hi], k) => expect([lo, hi]).toEqual([k * EVENT_CHUNK, (k + 1) * EVENT_CHUNK]));
        expect(lean.count).toBe(n);
        expect(lean.recorded).toBe(n);
      }),
      { numRuns: 25 },
    );
  });

  it('a re-run from an earlier count (a checkpoint) makes evicted records readable again, the same values', () => {
    const full = new EventLog(alloc);
    const lean = new EventLog(alloc);
    lean.capacity = 3;
    const n = 6 * EVENT_CHUNK + 500;
    fill(full, 0, n);
    fill(lean, 0, n);
    const from = EVENT_CHUNK + 1234;
    expect(lean.has(from)).toBe(false);
    lean.setCount(from);
    fill(lean, from, from + 5000);
    expect(lean.hasRange(from, from + 5000)).toBe(true);
    expect(lean.has(from - 1)).toBe(false);
    for (let i = from; i < from + 5000; i += 111) expect(lean.get(i)).toEqual(full.get(i));
    // The run's end is still kept (the regenerated chunk took the least recently used slot).
    expect(lean.get(n - 1)).toEqual(full.get(n - 1));
    expect(lean.recorded).toBe(n);
  });

  it('scratchBelow: a re-run through an earlier stretch keeps only what was asked for', () => {
    const lean = new EventLog(alloc);
    lean.capacity = 3;
    fill(lean, 0, 6 * EVENT_CHUNK);
    const before = lean.first;
    lean.setCount(0);
    lean.scratchBelow = 3 * EVENT_CHUNK;
    fill(lean, 0, 3 * EVENT_CHUNK + 10);
    lean.scratchBelow = -1;
    for (let i = 0; i < 3 * EVENT_CHUNK; i += 4096) expect(lean.has(i)).toBe(false);
    expect(lean.hasRange(3 * EVENT_CHUNK, 3 * EVENT_CHUNK + 10)).toBe(true);
    expect(before).toBe(3 * EVENT_CHUNK);
  });

  it('forget: what lay beyond a fork is no longer kept, the new timeline is', () => {
    const lean = new EventLog(alloc);
    fill(lean, 0, 3 * EVENT_CHUNK);
    lean.setCount(EVENT_CHUNK + 7);
    lean.forget();
    expect(lean.has(EVENT_CHUNK + 6)).toBe(true);
    expect(lean.has(EVENT_CHUNK + 7)).toBe(false);
    expect(lean.has(2 * EVENT_CHUNK + 5)).toBe(false);
    lean.push(EventKind.HALT, 1, 99, 0, 0, 0, 0, 0);
    expect(lean.get(EVENT_CHUNK + 7).kind).toBe(EventKind.HALT);
    const dir = new Uint32Array(3 * 4);
    lean.writeDirectory(dir);
    expect([...dir.subarray(3, 6)]).toEqual([2, EVENT_CHUNK, EVENT_CHUNK + 8]);
  });
});
