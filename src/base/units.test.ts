import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PAGE_SIZE } from '../abi/constants.ts';
import { asGpa, asPfn, gpaOf, pfnOf } from './units.ts';

describe('units', () => {
  it('pfnOf(gpaOf(p)) = p, and gpaOf(pfnOf(a)) is a rounded down to its page', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xfffff }), fc.integer({ min: 0, max: 0xffff_ffff }), (p, a) => {
        expect(pfnOf(gpaOf(asPfn(p)))).toBe(p);
        expect(gpaOf(pfnOf(asGpa(a)))).toBe(a - (a % PAGE_SIZE));
      }),
    );
  });
});
