/**
 * The few printf conversions lguest's kill reasons use, so a reason reads
 * exactly as the kernel printed it (issue #3: "bad dma key 0x4002").
 * Linux 2.6.23 lib/vsprintf.c: %#lx is 0x-prefixed hex except for 0, which
 * prints "0"; %p is zero-padded to 2*sizeof(void *) hex digits with no prefix.
 */

/** `%#lx` / `%#x`. */
export function hexAlt(v: number): string {
  const u = v >>> 0 === v ? v : Math.floor(v);
  return u === 0 ? '0' : `0x${u.toString(16)}`;
}

/** `%0Nx`: lowercase hex of the unsigned 32-bit value, zero-padded to `digits`. */
export function hexPad(v: number, digits: number): string {
  return (v >>> 0).toString(16).padStart(digits, '0');
}

/** `%p` on i386: 8 hex digits, zero-padded, no prefix. */
export function ptr(v: number): string {
  return hexPad(v, 8);
}

/** A MAC address as `%02x:%02x:…` (the kernel's print_mac). */
export function macString(mac: readonly number[]): string {
  return mac.map((b) => hexPad(b, 2)).join(':');
}

/** `%u`. */
export function u32(v: number): string {
  return String(v >>> 0);
}

/** `%li`: signed 32-bit decimal on i386. */
export function li(v: number): string {
  return String(v | 0);
}

/** `%p` in the Launcher (userspace glibc): 0x-prefixed hex, "(nil)" for 0. */
export function userPtr(v: number): string {
  return v === 0 ? '(nil)' : `0x${(v >>> 0).toString(16)}`;
}
