import { describe, expect, it } from 'vitest';
import { frameStats, percentile } from './frame-stats.ts';

describe('frame stats (no timing asserted: arithmetic on given numbers)', () => {
  it('nearest-rank percentiles are values that occurred', () => {
    const s = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(s, 0.5)).toBe(50);
    expect(percentile(s, 0.95)).toBe(95);
    expect(percentile([7], 0.95)).toBe(7);
    expect(percentile([], 0.5)).toBeNaN();
  });

  it('deltas between frame starts, with missed frames counted', () => {
    const starts = [0, 16.7, 33.4, 83.4, 100.1];
    const f = frameStats(starts);
    expect(f.frames).toBe(4);
    expect(f.max).toBe(50);
    expect(f.missed).toBe(1);
    expect(f.p50).toBe(16.7);
  });
});
