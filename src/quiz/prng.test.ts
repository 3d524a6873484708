import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Rng } from './prng.ts';

describe('Rng', () => {
  it('draws the same sequence from the same seed', () => {
    fc.assert(
      fc.property(fc.nat(), (seed) => {
        const a = new Rng(seed);
        const b = new Rng(seed);
        for (let i = 0; i < 20; i++) expect(a.next()).toBe(b.next());
      }),
    );
  });

  it('int stays in range and reaches both ends', () => {
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: -50, max: 50 }), fc.integer({ min: 0, max: 6 }), (seed, lo, span) => {
        const r = new Rng(seed);
        const seen = new Set<number>();
        for (let i = 0; i < 200; i++) {
          const v = r.int(lo, lo + span);
          expect(v).toBeGreaterThanOrEqual(lo);
          expect(v).toBeLessThanOrEqual(lo + span);
          seen.add(v);
        }
        expect(seen.size).toBe(span + 1);
      }),
      { numRuns: 50 },
    );
  });

  it('neighbouring seeds give different first draws', () => {
    const firsts = new Set(Array.from({ length: 1000 }, (_, s) => new Rng(s).next()));
    expect(firsts.size).toBe(1000);
  });

  it('shuffle is a permutation and distinct gives distinct numbers', () => {
    fc.assert(
      fc.property(fc.nat(), fc.array(fc.integer(), { maxLength: 20 }), (seed, xs) => {
        const r = new Rng(seed);
        expect([...r.shuffle(xs)].sort((a, b) => a - b)).toEqual([...xs].sort((a, b) => a - b));
        const d = r.distinct(5, 1, 9);
        expect(new Set(d).size).toBe(5);
      }),
    );
  });
});
