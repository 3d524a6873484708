/**
 * Strings the simulated kernel made are bytes (a CRASH reason is read from
 * guest memory byte by byte, drivers/lguest/hypercalls.c v2.6.23), kept as
 * one char per byte. These turn them back into bytes, and into the text a
 * terminal would show for those bytes (UTF-8, a bad sequence as U+FFFD).
 */

/** The bytes of a one-char-per-byte string. */
export function bytesOf(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0xff;
  return out;
}

/** What a UTF-8 terminal prints for these bytes. */
export function bytesAsText(s: string): string {
  // Pure ASCII needs no decoding (the common case: every built-in reason).
  if (!/[\x80-\xff]/.test(s)) return s;
  return new TextDecoder('utf-8').decode(bytesOf(s));
}
