/**
 * The state hash shown in the page and printed by `--json`: two 32-bit
 * multiply-xor lanes over the memory as little-endian words, 16 hex digits.
 * Not cryptographic; it only has to change when any byte changes, and be
 * fast enough to run over tens of MiB.
 */
import { hexPad } from './printf.ts';
export interface HashState {
  h1: number;
  h2: number;
  len: number;
}

export function hashInit(): HashState {
  return { h1: 0x811c9dc5, h2: 0x9747b28c, len: 0 };
}

export function hashBytes(h: HashState, bytes: Uint8Array): void {
  let h1 = h.h1;
  let h2 = h.h2;
  const words = bytes.length >>> 2;
  const aligned = bytes.byteOffset % 4 === 0;
  if (aligned && words > 0) {
    const w32 = new Uint32Array(bytes.buffer, bytes.byteOffset, words);
    for (let i = 0; i < words; i++) {
      const w = w32[i];
      h1 = Math.imul(h1 ^ w, 0x01000193);
      h2 = Math.imul(h2 ^ w, 0x5bd1e995) ^ (h2 >>> 15);
    }
  } else {
    for (let i = 0; i < words; i++) {
      const w = bytes[4 * i] | (bytes[4 * i + 1] << 8) | (bytes[4 * i + 2] << 16) | (bytes[4 * i + 3] << 24);
      h1 = Math.imul(h1 ^ w, 0x01000193);
      h2 = Math.imul(h2 ^ w, 0x5bd1e995) ^ (h2 >>> 15);
    }
  }
  for (let i = words * 4; i < bytes.length; i++) {
    h1 = Math.imul(h1 ^ bytes[i], 0x01000193);
    h2 = Math.imul(h2 ^ bytes[i], 0x5bd1e995) ^ (h2 >>> 15);
  }
  h.h1 = h1;
  h.h2 = h2;
  h.len += bytes.length;
}

export function hashHex(h: HashState): string {
  const f1 = Math.imul(h.h1 ^ h.len, 0x85ebca6b) >>> 0;
  const f2 = Math.imul(h.h2 ^ (h.len >>> 16), 0xc2b2ae35) >>> 0;
  return hashText(f1, f2);
}

/** The printed hash: two 32-bit lanes, 8 hex digits each (also how the live block carries it, hash_hi/hash_lo). */
export function hashText(hi: number, lo: number): string {
  return hexPad(hi, 8) + hexPad(lo, 8);
}
