import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base64ToBytes, bytesToBase64 } from './base64.ts';

describe('base64', () => {
  it('round-trips any bytes and agrees with Node', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 70000 }), (b) => {
        const s = bytesToBase64(b);
        expect(s).toBe(Buffer.from(b).toString('base64'));
        expect(base64ToBytes(s)).toEqual(b);
      }),
      { numRuns: 30 },
    );
  });
});
