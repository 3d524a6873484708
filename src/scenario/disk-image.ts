/** Build a disk image from a scenario's block device: size, optional base64 image, texts per sector. */
import { SECTOR_SIZE } from '../abi/constants.ts';
import { base64ToBytes } from '../base/base64.ts';
import { MAX_DISK_BYTES } from './sizes.ts';


export function diskImage(size: number, sectors?: Readonly<Record<string, string>>, image?: string): Uint8Array {
  const img = image !== undefined ? base64ToBytes(image) : undefined;
  if (img && img.length > MAX_DISK_BYTES) throw new RangeError(`disk image is ${img.length} bytes; the limit is ${MAX_DISK_BYTES} bytes (64 MiB)`);
  // An image sets the size (rounded up to whole sectors) unless a size was given.
  const bytes = new Uint8Array(img && size < img.length ? Math.ceil(img.length / SECTOR_SIZE) * SECTOR_SIZE : size);
  if (img) bytes.set(img);
  const enc = new TextEncoder();
  for (const [k, text] of Object.entries(sectors ?? {})) {
    const off = Number(k) * SECTOR_SIZE;
    if (off >= bytes.length) continue;
    bytes.set(enc.encode(text).subarray(0, bytes.length - off), off);
  }
  return bytes;
}
