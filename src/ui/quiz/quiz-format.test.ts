import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { answerLabel, quizFromUrl, quizSearch, QUIZ_KINDS, QUIZ_LEVELS } from './quiz-format.ts';
import { QUIZ_KINDS as GENERATOR_KINDS, QUIZ_LEVELS as GENERATOR_LEVELS } from '../../quiz/quiz-types.ts';

describe('quiz URL', () => {
  it('offers the generator\'s kinds and levels', () => {
    expect(QUIZ_KINDS).toEqual(GENERATOR_KINDS);
    expect(QUIZ_LEVELS).toEqual(GENERATOR_LEVELS);
  });

  it('round-trips seed, kind and level', () => {
    fc.assert(
      fc.property(fc.nat({ max: 0xffffffff }), fc.option(fc.constantFrom(...QUIZ_KINDS), { nil: undefined }), fc.option(fc.constantFrom(...QUIZ_LEVELS), { nil: undefined }), (seed, kind, level) => {
        const opts = { ...(kind ? { kind } : {}), ...(level ? { level } : {}) };
        expect(quizFromUrl(quizSearch(seed, opts))).toEqual({ seed, opts });
      }),
    );
  });

  it('ignores what is not a quiz: no seed, a bad seed, unknown kind or level', () => {
    expect(quizFromUrl('?preset=net')).toBeNull();
    expect(quizFromUrl('?quiz=-1')).toBeNull();
    expect(quizFromUrl('?quiz=4294967296')).toBeNull();
    expect(quizFromUrl('?quiz=12&kind=nope&level=extreme')).toEqual({ seed: 12, opts: {} });
  });
});

describe('answerLabel', () => {
  it('says what null means for the field, and shows values, irqs and reasons', () => {
    expect(answerLabel(null, 'killed')).toBe('not killed');
    expect(answerLabel(null, 'irq')).toMatch(/never returns/);
    expect(answerLabel([0, 111], 'values')).toBe('[0, 111]');
    expect(answerLabel(3, 'irq')).toBe('irq 3');
    expect(answerLabel(1, 'ret')).toBe('1');
    expect(answerLabel('bad sending DMA key', 'killed')).toBe('killed: “bad sending DMA key”');
  });
});
