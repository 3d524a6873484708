import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bytesAsText, latin1Bytes, latin1Text } from './latin1.ts';

describe('latin1', () => {
  it('bytes → text → bytes is the identity', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (b) => {
        expect(latin1Bytes(latin1Text(b))).toEqual(b);
      }));
  });
  it('a character above 0xff becomes ?, one byte per character', () => {
    expect(Array.from(latin1Bytes('aé€'))).toEqual([0x61, 0xe9, 0x3f]);
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 50 }), (s) => {
        expect(latin1Bytes(s).length).toBe(s.length);
      }));
  });
});

describe('kernel strings are bytes', () => {
  it('shows UTF-8 bytes as the terminal would: "héllo", not "hÃ©llo"', () => {
    const reason = latin1Text(new TextEncoder().encode('CRASH: héllo ☃'));
    expect(reason).toBe('CRASH: hÃ©llo â\u0098\u0083');
    expect(bytesAsText(reason)).toBe('CRASH: héllo ☃');
    expect(bytesAsText('CRASH: \xff')).toBe('CRASH: \ufffd');
  });

  it('any text encoded as UTF-8 reads back', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 50 }), (t) => {
        expect(bytesAsText(latin1Text(new TextEncoder().encode(t)))).toBe(t);
      }),
    );
  });
});
