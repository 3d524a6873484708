import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { playFrames, PLAY_MAX_MS, PLAY_MS } from './lesson-actions.ts';
import { isLessonShaped, lessonFromUrl } from './lesson-source.ts';

describe('slow motion frames', () => {
  it('a short step shows every event at PLAY_MS; a long one ends on time, on its last event (property)', () => {
    expect(playFrames(10, 13)).toEqual({ counts: [11, 12, 13], wait: PLAY_MS });
    expect(playFrames(5, 5).counts).toEqual([]);
    fc.assert(
      fc.property(fc.nat(1_000_000), fc.nat(100_000), (from, n) => {
        const { counts, wait } = playFrames(from, from + n);
        expect(counts.length).toBeLessThanOrEqual(n);
        if (n === 0) return;
        expect(counts[counts.length - 1]).toBe(from + n);
        for (let i = 1; i < counts.length; i++) expect(counts[i]).toBeGreaterThan(counts[i - 1]);
        expect(counts[0]).toBeGreaterThan(from);
        expect(counts.length * wait).toBeLessThanOrEqual(PLAY_MAX_MS);
        expect(wait).toBeLessThanOrEqual(PLAY_MS);
      }),
    );
  });
});

describe('the lesson in the URL and in a file', () => {
  it('reads ?lesson=ID&step=K (K defaults to 0; a bad K is 0)', () => {
    expect(lessonFromUrl('?lesson=network&step=3')).toEqual({ id: 'network', step: 3 });
    expect(lessonFromUrl('?lesson=network')).toEqual({ id: 'network', step: 0 });
    expect(lessonFromUrl('?lesson=network&step=-2')).toEqual({ id: 'network', step: 0 });
    expect(lessonFromUrl('?preset=net')).toBeNull();
  });
  it('tells a lesson from a scenario and a recording', () => {
    expect(isLessonShaped({ id: 'x', start: { preset: 'console' }, steps: [] })).toBe(true);
    expect(isLessonShaped({ v: 1, inputs: [] })).toBe(false);
    expect(isLessonShaped({ name: 'x', guests: [] })).toBe(false);
  });
});
