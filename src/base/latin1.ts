/**
 * Bytes ↔ strings, one character per byte (ISO-8859-1): how the console,
 * kill reasons and the kernel's buffers carry text, since lguest moves bytes
 * and never decodes them (spec §4.2: the Launcher writes what the guest sent).
 */

/** Latin-1 bytes of a string; characters above 0xff become '?' (0x3f). */
export function latin1Bytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out[i] = c > 0xff ? 0x3f : c;
  }
  return out;
}

/** The string of these bytes, one character each (no spread: a chunk may be megabytes). */
export function latin1Text(bytes: ArrayLike<number>): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
  return s;
}

/**
 * What a UTF-8 terminal prints for a one-char-per-byte string (a CRASH reason
 * is read from guest memory byte by byte, drivers/lguest/hypercalls.c
 * v2.6.23): the bytes decoded as UTF-8, a bad sequence as U+FFFD.
 */
export function bytesAsText(s: string): string {
  // Pure ASCII needs no decoding (the common case: every built-in reason).
  if (!/[\x80-\xff]/.test(s)) return s;
  return new TextDecoder('utf-8').decode(latin1Bytes(s));
}
