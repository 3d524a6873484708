/**
 * EventLog.discardBefore (issue #15): a log that lets old events go keeps
 * about one chunk of storage, and every event it still holds is the one a
 * log that kept everything has.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EVENT_CHUNK, EventKind, EventLog } from './events.ts';

const alloc = (n: number): ArrayBuffer => new ArrayBuffer(n);
const fill = (log: EventLog, from: number, to: number): void => {
  for (let i = from; i < to; i++) log.push(EventKind.HCALL, i % 7, i, i * 3, i ^ 0x55, 0, 0, i >>> 1);
};

describe('EventLog.discardBefore', () => {
  it('holds what a full log holds from `first` on, and reuses the storage of discarded chunks', () => {
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
        expect(lean.first).toBeLessThanOrEqual(Math.floor(n * lag));
        for (const i of [lean.first, n - 1, Math.floor((lean.first + n) / 2)]) expect(lean.get(i)).toEqual(full.get(i));
        if (lean.first > 0) expect(() => lean.get(lean.first - 1)).toThrow(RangeError);
        const buffers = new Set(lean.chunks.filter((c) => c.length > 0).map((c) => c.buffer));
        expect(buffers.size).toBe(lean.chunks.filter((c) => c.length > 0).length);
      }),
      { numRuns: 30 },
    );
  });

  it('a log discarded as it goes stays at two chunks however long it runs', () => {
    const log = new EventLog(alloc);
    for (let k = 0; k < 10; k++) {
      fill(log, log.count, log.count + EVENT_CHUNK / 2 + 123);
      log.discardBefore(log.count);
    }
    expect(log.chunks.filter((c) => c.length > 0).length).toBeLessThanOrEqual(2);
    expect(() => log.setCount(0)).toThrow(RangeError);
  });
});
