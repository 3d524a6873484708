import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bytesAsText, bytesOf } from './byte-text.ts';

const latin1 = (b: Uint8Array): string => String.fromCharCode(...b);

describe('kernel strings are bytes', () => {
  it('shows UTF-8 bytes as the terminal would: "héllo", not "hÃ©llo"', () => {
    const reason = latin1(new TextEncoder().encode('CRASH: héllo ☃'));
    expect(reason).toBe('CRASH: hÃ©llo â\u0098\u0083');
    expect(bytesAsText(reason)).toBe('CRASH: héllo ☃');
    expect(bytesAsText('CRASH: \xff')).toBe('CRASH: \ufffd');
  });

  it('round-trips any bytes, and any text encoded as UTF-8', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (b) => {
        expect([...bytesOf(latin1(b))]).toEqual([...b]);
      }));
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 50 }), (t) => {
        expect(bytesAsText(latin1(new TextEncoder().encode(t)))).toBe(t);
      }));
  });
});
