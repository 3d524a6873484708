import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { TtyQueue } from './tty-queue.ts';

describe('TtyQueue', () => {
  it('hands bytes out in order, in any split, and snapshots what is left', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 50 }), { maxLength: 20 }), fc.array(fc.integer({ min: 0, max: 70 }), { maxLength: 30 }), (pushes, takes) => {
        const q = new TtyQueue();
        const all: number[] = [];
        for (const p of pushes) {
          q.push(p);
          all.push(...p);
        }
        const got: number[] = [];
        for (const n of takes) got.push(...q.take(n));
        expect(got).toEqual(all.slice(0, got.length));
        expect(q.length).toBe(all.length - got.length);
        expect(Array.from(q.snapshot())).toEqual(all.slice(got.length));
        const r = new TtyQueue();
        r.restore(q.snapshot());
        expect(Array.from(r.take(1e9))).toEqual(all.slice(got.length));
      }),
    );
  });
});
