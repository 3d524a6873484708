/**
 * Standard base64 (RFC 4648 §4) of byte arrays, as a scenario carries a disk
 * image (`"image"`). atob/btoa work on latin-1 strings; the conversion is
 * chunked so a 64 MiB image never becomes one giant argument list.
 */
import { latin1Text } from './latin1.ts';

const CHUNK = 0x8000;

export function bytesToBase64(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += CHUNK) bin += latin1Text(bytes.subarray(i, i + CHUNK));
  return btoa(bin);
}

/** The bytes of a base64 string (throws on characters outside the alphabet, as atob does). */
export function base64ToBytes(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
